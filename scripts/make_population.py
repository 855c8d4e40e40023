#!/usr/bin/env python3
"""Builds datasets/population.csv from the ONS "Police force area data tables" workbooks.

One row per territorial police force area (43) and mid-year, with the population and the number of
households, copied cell for cell (nothing is computed, estimated or filled in):

* mid-2002 to mid-2016: Table P9 (mid-year population estimates) and Table P10 (mid-year household
  estimates) of the year ending March 2018 edition;
* mid-2017 and mid-2018: the denominators printed in Table P3 (rates per 1,000) of the later editions,
  filed under the mid-year that each column's own label states ("Population figures (mid-2017)",
  "Household figures (mid-2016)" ...): the households label can be a year behind the population one.

A figure printed in more than one place (mid-2016 in P9 and in P3 of the same edition; mid-2017 in
four editions' P3) must be the same everywhere, or the script stops: it never picks one of two
different figures. The forces are named as in datasets/forces.csv, matched by ONS area code, and the
workbook's own area name must be that force's name or one of its aliases.

Run from the repository root:
    python3 scripts/make_population.py [WORKBOOK_DIR] > datasets/population.csv
WORKBOOK_DIR defaults to Tests/Workbooks/ons-pfa-tables-2018-2019 (byte-for-byte copies of the ONS
files). The checks (sums of the 43 forces against the published England and Wales figures) are
printed on stderr.
"""
import csv
import os
import re
import sys

import openpyxl

DIR = sys.argv[1] if len(sys.argv) > 1 else "Tests/Workbooks/ons-pfa-tables-2018-2019"
# Each edition's file and its name as written in the workbook's Notes sheet (checked below).
EDITIONS = [
    ("policeforceareatablesyearendingmarch2018v2.xlsx", "year ending March 2018"),
    ("policeforceareadatatablesyearendingjune2018corrected.xlsx", "year ending June 2018"),
    ("policeforceareatablesyearendingsep18corrected.xlsx", "year ending September 2018"),
    ("policeforceareatablesyearendingdecember2018.xlsx", "year ending December 2018"),
    ("policeforceareatablesyeendingmarch2019.xlsx", "year ending March 2019"),
    ("policeforceareatablesyearendingjune2019.xlsx", "year ending June 2019"),
]
CODE = re.compile(r"^[EWK]\d{8}$")
NATIONAL = "K04000001"


def short(edition):
    """'year ending March 2018' -> 'YE March 2018'."""
    return edition.replace("year ending", "YE")


def sheet(wb, name):
    """A sheet by name, ignoring the stray trailing spaces some editions have ('Table P3 ')."""
    found = [s for s in wb.sheetnames if s.strip() == name]
    if len(found) != 1:
        sys.exit(f"expected one sheet {name!r}, found {wb.sheetnames}")
    return wb[found[0]]


def clean(label):
    return re.sub(r"\s+", " ", label).strip()


def area_rows(ws):
    """(header row, data rows keyed by area code) of a table whose first column is 'Area Code'."""
    header, rows = None, {}
    for row in ws.iter_rows(values_only=True):
        if row and row[0] == "Area Code":
            header = row
            continue
        if header is not None and isinstance(row[0], str) and CODE.match(row[0].strip()):
            code = row[0].strip()
            if code in rows:
                sys.exit(f"{ws.title}: area {code} twice")
            rows[code] = row
    if header is None:
        sys.exit(f"{ws.title}: no 'Area Code' header row")
    return header, rows


def whole(v, where):
    """A cell that must hold a whole number of people or households."""
    if isinstance(v, bool) or not isinstance(v, (int, float)) or v != int(v) or v < 0:
        sys.exit(f"{where}: not a count: {v!r}")
    return int(v)


def notes_of(ws):
    """The numbered footnotes under a table: number -> text (without the number)."""
    out = {}
    for row in ws.iter_rows(values_only=True):
        if isinstance(row[0], str):
            m = re.match(r"^(\d+)\.\s+(.*)$", row[0].strip(), re.S)
            if m:
                out[int(m.group(1))] = clean(m.group(2))
    return out


# The 43 forces, by ONS area code, with every name they go by.
forces = {}
for r in csv.DictReader(open("datasets/forces.csv", encoding="utf-8")):
    if r["kind"] == "force":
        names = [r["force"]] + [a.strip() for a in r["aliases"].split(";") if a.strip()]
        forces[r["pfa_code"]] = (r["force"], {n.lower() for n in names})
if len(forces) != 43:
    sys.exit(f"datasets/forces.csv has {len(forces)} forces, not 43")


def force_of(code, printed, where):
    name, names = forces[code]
    bare = re.sub(r"\d+$", "", printed.strip())  # footnote marks glued on: 'City of London14'
    if bare.lower() not in names:
        sys.exit(f"{where}: {printed!r} (code {code}) is not a name of {name!r}")
    return name


# figures[(code, year, measure)] = [(value, "YE March 2018, Table P9"), ...]
figures = {}
# published England and Wales figures, to check the sum of the forces against
national = {}


def put(code, year, measure, value, where):
    if code == NATIONAL:
        national.setdefault((year, measure), []).append((value, where))
    elif code in forces:
        figures.setdefault((code, year, measure), []).append((value, where))


books = {}
for file, edition in EDITIONS:
    path = os.path.join(DIR, file)
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    title = clean(str(next(sheet(wb, "Notes").iter_rows(values_only=True))[0]))
    if edition not in title:
        sys.exit(f"{file}: Notes sheet says {title!r}, expected {edition!r}")
    books[file] = wb

# Tables P9 and P10 (YE March 2018 edition): every mid-year 2002-2016.
first = EDITIONS[0]
for table, measure in (("Table P9", "population"), ("Table P10", "households")):
    ws = sheet(books[first[0]], table)
    header, rows = area_rows(ws)
    years = [(i, y) for i, y in enumerate(header) if isinstance(y, int)]
    if [y for _, y in years] != list(range(2002, 2017)):
        sys.exit(f"{table}: years {[y for _, y in years]}")
    where = f"ONS PFA tables {short(first[1])}, {table}"
    for code, row in rows.items():
        if code in forces:
            force_of(code, str(row[1]), f"{first[0]} {table}")
        for i, y in years:
            put(code, y, measure, whole(row[i], f"{first[0]} {table} {code} {y}"), where)

# Table P3 of every edition: the denominators of its rates, each under the mid-year its label states.
labels = {}
for file, edition in EDITIONS:
    ws = sheet(books[file], "Table P3")
    header, rows = area_rows(ws)
    found = {}
    for i, h in enumerate(header):
        if not isinstance(h, str):
            continue
        m = re.match(r"^(Population|Household) figures \(mid-(\d{4})\)", clean(h))
        if m:
            found["population" if m.group(1) == "Population" else "households"] = (i, int(m.group(2)))
    if set(found) != {"population", "households"}:
        sys.exit(f"{file} Table P3: denominators not found in {header[:6]}")
    labels[edition] = {k: v[1] for k, v in found.items()}
    where = f"ONS PFA tables {short(edition)}, Table P3"
    for code, row in rows.items():
        if code in forces:
            force_of(code, str(row[1]), f"{file} Table P3")
        for measure, (i, year) in found.items():
            put(code, year, measure, whole(row[i], f"{file} Table P3 {code} {measure}"), where)

# The ONS's own words about the City of London's small resident population, from the P3 footnotes.
def footnote(file, test):
    hits = [(n, t) for n, t in notes_of(sheet(books[file], "Table P3")).items() if test(t)]
    if len(hits) != 1:
        sys.exit(f"{file} Table P3: expected one matching footnote, found {hits}")
    return hits[0]

n1, suppressed = footnote("policeforceareatablesyeendingmarch2019.xlsx",
                          lambda t: "City of London" in t and "suppressed" in t)
n2, transient = footnote("policeforceareatablesyearendingmarch2018v2.xlsx", lambda t: "transient" in t)
CITY_NOTE = (f"ONS, PFA tables YE March 2019, Table P3 note {n1}: \"{suppressed}\" "
             f"ONS, PFA tables YE March 2018, Table P3 note {n2} (on the rate per 1,000 households): \"{transient}\"")


def agreed(key):
    """The one figure printed for key, and where; stops if two places print different figures."""
    got = figures.get(key)
    if not got:
        return None, []
    values = {v for v, _ in got}
    if len(values) != 1:
        sys.exit(f"{key}: different figures in different places: {got}")
    return got[0][0], [w for _, w in got]


def listing(items):
    """'a', 'a and b', 'a, b and c'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def describe(places, measure):
    """'ONS PFA tables YE March 2018, Table P9' or, for P3 figures, the editions that print them."""
    p9 = [w for w in places if "P3" not in w]
    p3 = [w.split(", ")[0].replace("ONS PFA tables ", "") for w in places if "P3" in w]
    if p9:
        text = p9[0]
        if p3:
            text += f" (also the Table P3 {measure} of the {listing(p3)} edition{'s' if len(p3) > 1 else ''})"
        return text
    return f"ONS PFA tables, Table P3 {measure} of the {listing(p3)} edition{'s' if len(p3) > 1 else ''}"


years = sorted({y for (_, y, _) in figures})
out = csv.writer(sys.stdout, lineterminator="\n")
out.writerow(["force", "area_code", "mid_year", "population", "households", "source", "note"])
rows_out = []
for code in sorted(forces, key=lambda c: forces[c][0]):
    name = forces[code][0]
    for y in years:
        pop, pw = agreed((code, y, "population"))
        hh, hw = agreed((code, y, "households"))
        if pop is None:
            sys.exit(f"{name} mid-{y}: no population")
        source = "population: " + describe(pw, "population")
        source += "; households: " + (describe(hw, "households") if hh is not None else
                                      f"none published for mid-{y} in these tables")
        note = CITY_NOTE if code == "E23000034" else ""
        rows_out.append((name, y, pop, hh))
        out.writerow([name, code, y, pop, "" if hh is None else hh, source, note])

for wb in books.values():
    wb.close()

# Checks, on stderr: the 43 forces against the published England and Wales figure, year by year.
print(f"{len(rows_out)} rows: {len(forces)} forces x mid-years {years[0]}-{years[-1]}", file=sys.stderr)
for edition, l in labels.items():
    print(f"Table P3 {short(edition)}: population mid-{l['population']}, households mid-{l['households']}",
          file=sys.stderr)
for measure in ("population", "households"):
    for y in years:
        total = [v for (n, yy, p, h) in rows_out if yy == y for v in [p if measure == "population" else h]]
        if None in total:
            print(f"{measure} mid-{y}: not published for every force", file=sys.stderr)
            continue
        pub = {v for v, _ in national.get((y, measure), [])}
        s = sum(total)
        where = ", ".join(w for _, w in national.get((y, measure), []))
        print(f"{measure} mid-{y}: 43 forces sum to {s:,}; England and Wales published {sorted(pub)} ({where});"
              f" difference {', '.join(f'{s - p:+,}' for p in sorted(pub))}", file=sys.stderr)
