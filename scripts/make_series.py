#!/usr/bin/env python3
"""Builds the two bundled series tables from committed copies of public files:

* datasets/asb_incidents.csv: anti-social behaviour incidents and the published rate per 1,000
  population by police force area, English region, country, England and Wales and British Transport
  Police, financial years 2007/08 to 2018/19, copied cell for cell from Table P7 of the ONS "Police
  force area data tables", year ending March 2019 edition
  (Tests/Workbooks/ons-pfa-tables-2018-2019/policeforceareatablesyeendingmarch2019.xlsx).
  Area codes are those printed for the same areas in Table P1 of the same workbook (P7 prints none);
  force names are the forces table's, matched by code, and the workbook's own name must be that
  force's name or an alias. The published footnotes that apply to a row are quoted in its note.
* datasets/recorded_crime_series_2003_2018.csv.gz: the Home Office "Recorded crime data at Police
  Force Area level" file (rolling 12-month totals, YE March 2003 to YE December 2018), from its gzip
  copy Tests/Workbooks/home-office-rec-crime-pfa-2003-2018/rec-crime-pfa.csv.gz, with the period
  written as a rolling-year label ("12 months to March 2003") and the forces named as in the forces
  table. Values (negative ones included) are copied as published.

The script stops on anything unexpected: an unknown area or force name, a count that is not a whole
number, a duplicate row, or totals that do not reconcile (the forces of each region sum to the
region, England and Wales to England + Wales, ... in P7). Nothing is computed into the outputs.

Run from the repository root:
    python3 scripts/make_series.py
"""
import csv
import gzip
import io
import re
import sys
from collections import defaultdict

import openpyxl

ONS_DIR = "Tests/Workbooks/ons-pfa-tables-2018-2019"
ONS_FILE = "policeforceareatablesyeendingmarch2019.xlsx"
HO_FILE = "Tests/Workbooks/home-office-rec-crime-pfa-2003-2018/rec-crime-pfa.csv.gz"
ASB_OUT = "datasets/asb_incidents.csv"
SERIES_OUT = "datasets/recorded_crime_series_2003_2018.csv.gz"
CODE = re.compile(r"^[EWK]\d{8}$")
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
FRAUD = {"Action Fraud", "CIFAS", "UK Finance"}


def die(msg):
    sys.exit(f"make_series.py: {msg}")


def sheet(wb, name):
    found = [s for s in wb.sheetnames if s.strip() == name]
    if len(found) != 1:
        die(f"expected one sheet {name!r}, found {wb.sheetnames}")
    return wb[found[0]]


def strip_marks(label):
    """'ENGLAND AND WALES (inc. BTP)9' -> 'ENGLAND AND WALES (inc. BTP)'; 'London 10' -> 'London'."""
    return re.sub(r"[\d,\s]+$", "", label).strip()


def load_forces():
    """Forces table: code -> (name, region); every name and alias (lower case) -> code."""
    by_code, names = {}, {}
    with open("datasets/forces.csv", newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["kind"] != "force":
                continue
            by_code[r["pfa_code"]] = (r["force"], r["region"])
            for n in [r["force"]] + [a.strip() for a in r["aliases"].split(";") if a.strip()]:
                names[n.lower()] = r["force"]
    if len(by_code) != 43:
        die(f"forces.csv has {len(by_code)} forces, not 43")
    return by_code, names


def whole(v, where):
    if isinstance(v, bool) or not isinstance(v, (int, float)) or v != int(v) or v < 0:
        die(f"{where}: {v!r} is not a whole count")
    return int(v)


# ---------------------------------------------------------------- ASB (Table P7)

def footnotes(rows):
    """The table's numbered footnotes: number -> text (as printed, whitespace collapsed)."""
    notes = {}
    for row in rows:
        if isinstance(row[0], str):
            m = re.match(r"^(\d+)\.?\s+(.*)$", row[0].strip(), re.S)
            if m and row[1] is None:
                notes[int(m.group(1))] = re.sub(r"\s+", " ", m.group(2)).strip()
    return notes


def p1_areas(wb):
    """Table P1's areas in table order: [(code or '', name with footnote marks stripped)]."""
    areas = []
    for row in sheet(wb, "Table P1").iter_rows(values_only=True):
        if isinstance(row[0], str) and CODE.match(row[0].strip()) and isinstance(row[1], str):
            areas.append((row[0].strip(), strip_marks(row[1])))
        elif row[0] is None and row[1] == "British Transport Police":
            areas.append(("", "British Transport Police"))
    return areas


KIND = {"K04": "national", "E92": "country", "W92": "country", "E12": "region", "E23": "force", "W15": "force"}


def make_asb(by_code, alias):
    wb = openpyxl.load_workbook(f"{ONS_DIR}/{ONS_FILE}", read_only=True, data_only=True)
    notes_sheet = [r for r in sheet(wb, "Notes").iter_rows(values_only=True) if any(r)]
    if not any("year ending March 2019" in str(c) for r in notes_sheet for c in r if c):
        die("Notes sheet does not name the year ending March 2019 edition")
    ws = sheet(wb, "Table P7")
    rows = list(ws.iter_rows(values_only=True))
    if not str(rows[0][0]).startswith("Table P7: Anti-social behaviour incidents"):
        die(f"unexpected P7 title {rows[0][0]!r}")
    notes = footnotes(rows)
    for n in range(1, 12):
        if n not in notes and n != 3:
            die(f"P7 footnote {n} not found")
    # Footnote 3 is written "3 '..'  Not available." (no full stop after the number).
    # Year header row: "Apr '07 to Mar '084" ... with footnote marks after the two-digit year.
    hdr_i = next(i for i, r in enumerate(rows) if isinstance(r[1], str) and r[1].startswith("Apr '07"))
    hdr, sub = rows[hdr_i], rows[hdr_i + 1]
    years = []  # (label, column of the count, footnote numbers)
    for c in range(1, len(hdr), 2):
        m = re.match(r"^Apr '(\d\d) to Mar '(\d\d)([\d,]*)$", hdr[c] or "")
        if not m:
            die(f"P7 header {hdr[c]!r}")
        a, b = int(m.group(1)), int(m.group(2))
        if b != a + 1:
            die(f"P7 header {hdr[c]!r} is not one financial year")
        if sub[c] != "Number of Incidents" or sub[c + 1] != "Number per 1,000 population":
            die(f"P7 sub-header {sub[c]!r} / {sub[c + 1]!r}")
        marks = [int(x) for x in m.group(3).split(",") if x]
        years.append((f"20{a:02d}/{b:02d}", c, marks))
    if [y[0] for y in years] != [f"{2000 + k:04d}/{(k + 1) % 100:02d}" for k in range(7, 19)]:
        die(f"P7 years {[y[0] for y in years]}")
    src = f"ONS, Police force area data tables, year ending March 2019 edition ({ONS_FILE}), Table P7"
    # P7 lists the same areas in the same order as P1 (which prints their codes), with England and
    # Wales twice (including and excluding BTP; P1's England and Wales includes BTP, its note 6).
    p7 = [(i, row) for i, row in enumerate(rows[hdr_i + 2:], start=hdr_i + 2)
          if isinstance(row[0], str) and row[0].strip()]
    end = next(k for k, (_, row) in enumerate(p7) if row[0].startswith("Source:"))
    p7 = p7[:end]
    areas = p1_areas(wb)
    names7 = [strip_marks(row[0]) for _, row in p7]
    if names7[0] != "ENGLAND AND WALES (inc. BTP)" or names7[1] != "ENGLAND AND WALES (exc. BTP)":
        die(f"P7 first rows {names7[:2]}")
    if areas[0] != ("K04000001", "ENGLAND AND WALES"):
        die(f"P1 first row {areas[0]}")
    areas = [areas[0]] + areas
    if len(areas) != len(p7):
        die(f"P7 has {len(p7)} areas, P1 {len(areas) - 1}")

    out = []
    for k, ((i, row), (code, p1name)) in enumerate(zip(p7, areas)):
        raw = row[0]
        name = names7[k]
        if k >= 2 and name.lower() != p1name.lower() and alias.get(name.lower()) != alias.get(p1name.lower(), 0):
            die(f"P7 row {i + 1} {raw!r} is not P1's {p1name!r} ({code})")
        row_marks = [int(x) for x in re.findall(r"(\d+)$", raw.replace(" ", ""))]
        kind = KIND.get(code[:3], "BTP" if name == "British Transport Police" else None)
        if kind is None:
            die(f"P7 row {i + 1}: area {raw!r} code {code!r}")
        region = ""
        if kind == "national":
            force = "England and Wales (including BTP)" if k == 0 else "England and Wales"
        elif kind == "country":
            force = name.title()
        elif kind == "BTP":
            force = "British Transport Police"
        elif kind == "region":
            force = None  # named below from its forces
        else:
            if code not in by_code:
                die(f"P7 row {i + 1}: {raw!r} code {code} is not in the forces table")
            force, region = by_code[code]
            if alias.get(name.lower()) != force:
                die(f"P7 row {i + 1}: {raw!r} is not a name of {force}")
        rec = dict(force=force, area_code=code, area_kind=kind, region=region, row=i, marks=row_marks, raw=raw)
        for label, c, year_marks in years:
            n, rate = row[c], row[c + 1]
            cell = f"{openpyxl.utils.get_column_letter(c + 1)}{i + 1}"
            rcell = f"{openpyxl.utils.get_column_letter(c + 2)}{i + 1}"
            incidents = None if n == ".." else whole(n, f"P7 {cell}")
            if rate in ("..", "+"):
                rate_v = None
            elif isinstance(rate, (int, float)) and not isinstance(rate, bool) and rate >= 0:
                rate_v = rate
            else:
                die(f"P7 {rcell}: rate {rate!r}")
            if incidents is None and rate_v is not None:
                die(f"P7 {rcell}: a rate without a count")
            out.append(dict(rec, year=label, incidents=incidents, rate=rate_v, rate_raw=rate,
                            year_marks=year_marks, cells=f"{cell}:{rcell}"))
    # Regions: named as the forces table names the region of the forces listed under them.
    for r in out:
        if r["area_kind"] == "region":
            members = []
            for x in out:
                if x["row"] > r["row"] and x["year"] == r["year"]:
                    if x["area_kind"] != "force":
                        break
                    members.append(x)
            names = {x["region"] for x in members}
            if len(names) != 1:
                die(f"P7 region row {r['raw']!r}: forces of regions {names}")
            r["region"] = names.pop()
            r["force"] = f"{r['region']} region"
            r["members"] = [x["force"] for x in members]
    # Keys unique; reconcile sums.
    by = {}
    for r in out:
        k = (r["force"], r["year"])
        if k in by:
            die(f"P7 {k} twice")
        by[k] = r
    forces_present = {r["force"] for r in out if r["area_kind"] == "force"}
    if len(forces_present) != 43:
        die(f"P7 has {len(forces_present)} forces")
    yrs = [y[0] for y in years]
    wales = sorted(f for c, (f, reg) in by_code.items() if c.startswith("W15"))
    for y in yrs:
        def n(f):
            return by[(f, y)]["incidents"]
        for r in out:
            if r["area_kind"] == "region" and r["year"] == y:
                s = sum(n(m) for m in r["members"])
                if s != r["incidents"]:
                    die(f"P7 {y} {r['force']}: forces sum to {s}, region {r['incidents']}")
        regions = [r["force"] for r in out if r["area_kind"] == "region" and r["year"] == y]
        if len(regions) != 9:
            die(f"P7 {y}: {len(regions)} regions")
        if sum(n(f) for f in regions) != n("England"):
            die(f"P7 {y}: regions do not sum to England")
        if sum(n(f) for f in wales) != n("Wales"):
            die(f"P7 {y}: Welsh forces do not sum to Wales")
        if n("England") + n("Wales") != n("England and Wales"):
            die(f"P7 {y}: England + Wales != England and Wales")
        inc, btp = n("England and Wales (including BTP)"), n("British Transport Police")
        if (inc is None) != (btp is None) or (inc is not None and inc != n("England and Wales") + btp):
            die(f"P7 {y}: England and Wales (inc. BTP) != exc. BTP + BTP")

    def quote(k):
        return f"P7 note {k}: '{notes[k]}'"
    rows_out = []
    for r in out:
        parts = []
        y = r["year"]
        if y == "2011/12":
            parts.append("Break in series: 2011/12 is the first year of the Home Office collection under a "
                         "different recording approach; not directly comparable with 2010/11 and earlier")
        elif y > "2011/12":
            parts.append("After the break in series at 2011/12: comparable with 2011/12 onwards, not with "
                         "2010/11 and earlier")
        else:
            parts.append("Before the break in series at 2011/12: not directly comparable with 2011/12 onwards")
        marks = [k for k in r["year_marks"] if k != 8]
        # Note 8 (revisions) names Lincolnshire, Gloucestershire and Wiltshire only.
        if 8 in r["year_marks"]:
            revised = {"2011/12": {"Lincolnshire"}, "2012/13": {"Lincolnshire", "Gloucestershire", "Wiltshire"}}
            if r["force"] in revised.get(y, set()):
                marks.append(8)
        marks += [k for k in r["marks"] if k not in marks]
        if r["force"] == "London, City of" and r["rate_raw"] == "+":
            marks.append(11)
        if r["force"] == "London region" and 10 not in marks:
            marks.append(10)
        for k in marks:
            if k == 3:
                continue
            parts.append(quote(k))
        rate = "" if r["rate"] is None else repr(float(r["rate"]))
        rows_out.append([r["force"], r["area_code"], r["area_kind"], r["region"], y,
                         "" if r["incidents"] is None else str(r["incidents"]), rate, "; ".join(parts),
                         f"{src}, cells {r['cells']}"])
    with open(ASB_OUT, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(["force", "area_code", "area_kind", "region", "year", "incidents", "rate_per_1000", "note",
                    "source"])
        w.writerows(rows_out)
    print(f"{ASB_OUT}: {len(rows_out)} rows", file=sys.stderr)
    ew = {r["year"]: r["incidents"] for r in out if r["force"] == "England and Wales"}
    print(f"  England and Wales (exc. BTP) 2007/08 {ew['2007/08']}, 2017/18 {ew['2017/18']}, "
          f"2018/19 {ew['2018/19']}", file=sys.stderr)
    return notes


# ---------------------------------------------------------------- Home Office rolling years

def make_series(by_code, alias):
    region_of = {f: reg for (f, reg) in by_code.values()}
    with gzip.open(HO_FILE, "rt", encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    if rows[0] != ["12 months ending", "PFA", "Region", "Offence", "Rolling year total number of offences"]:
        die(f"unexpected header {rows[0]}")
    published_region = {}
    out, seen = [], set()
    for i, r in enumerate(rows[1:], start=2):
        if len(r) != 5:
            die(f"line {i}: {len(r)} fields")
        date, pfa, reg, offence, value = r
        m = re.match(r"^(\d\d)-(\d\d)-(\d{4})$", date)
        if not m:
            die(f"line {i}: date {date!r}")
        d, mo, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
        # The file writes the year ending December 2017 as 30-12-2017 (every other December is the
        # 31st, and there is no other date in December 2017): read as the quarter end it stands for.
        if date == "30-12-2017":
            d = 31
        if mo not in (3, 6, 9, 12) or d != {3: 31, 6: 30, 9: 30, 12: 31}[mo]:
            die(f"line {i}: {date!r} is not a quarter end")
        period = f"12 months to {MONTHS[mo - 1]} {y}"
        if pfa == "British Transport Police":
            force, kind = pfa, "BTP"
            if reg != "British Transport Police":
                die(f"line {i}: BTP region {reg!r}")
            region = reg
        elif pfa in FRAUD:
            force, kind = pfa, "fraud"
            if reg != f"Fraud: {pfa}":
                die(f"line {i}: {pfa} region {reg!r}")
            region = reg
        else:
            force = alias.get(pfa.lower())
            if force is None:
                die(f"line {i}: unknown force {pfa!r}")
            kind = "force"
            region = region_of[force]
            if published_region.setdefault(force, reg) != reg:
                die(f"line {i}: {force} in two regions")
        if not re.match(r"^-?\d+$", value):
            die(f"line {i}: {value!r} is not a whole number")
        key = ((y, mo), force, offence)
        if key in seen:
            die(f"line {i}: {key} twice")
        seen.add(key)
        out.append(((y, mo), force, offence, [period, force, region, kind, offence, str(int(value))]))
    # Each published region name maps to one forces-table region and back.
    pairs = {(published_region[f], region_of[f]) for f in published_region}
    if len({a for a, _ in pairs}) != len(pairs) or len({b for _, b in pairs}) != len(pairs):
        die(f"regions do not map one to one: {sorted(pairs)}")
    if len(published_region) != 43:
        die(f"{len(published_region)} territorial forces")
    src = ("Home Office, Recorded crime data at Police Force Area level (rec-crime-pfa.csv), "
           "rolling 12-month totals; Tests/Workbooks/home-office-rec-crime-pfa-2003-2018")
    out.sort(key=lambda t: (t[0], t[1], t[2]))
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(["period", "force", "region", "area_kind", "offence_group", "offences", "source"])
    for *_, row in out:
        w.writerow(row + [src])
    with open(SERIES_OUT, "wb") as f:
        with gzip.GzipFile(filename="", mode="wb", fileobj=f, mtime=0, compresslevel=9) as g:
            g.write(buf.getvalue().encode("utf-8"))
    print(f"{SERIES_OUT}: {len(out)} rows", file=sys.stderr)
    tot = defaultdict(int)
    for (ym, force, offence, row) in out:
        if row[3] == "force" and ym[1] == 3:
            tot[ym[0]] += int(row[5])
    print("  43 forces, YE March totals: " + ", ".join(f"{y} {tot[y]}" for y in sorted(tot)), file=sys.stderr)


def main():
    by_code, alias = load_forces()
    make_asb(by_code, alias)
    make_series(by_code, alias)


if __name__ == "__main__":
    main()
