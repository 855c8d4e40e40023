"""The bundled series tables `asb_incidents` and `recorded_crime_series` against the committed source
files they were built from, read here independently of scripts/make_series.py:

* asb_incidents: every count and rate that peel exports equals its cell in Table P7 of the ONS year
  ending March 2019 workbook (openpyxl; rows found by the workbook's own area names, columns by the
  "Apr 'YY to Mar 'YY" headings), '..' and '+' are missing in peel, never zero; the change in England
  and Wales (exc. BTP) and in Leicestershire from 2014/15 to 2015/16 computed in peel equals the
  difference of the two cells;
* recorded_crime_series: every (period, force, offence group) count that peel exports equals the
  Home Office file's (csv + gzip), negative values included; the period column is read by peel as
  rolling years and `sort period` puts them in time order (checked against the file's dates).

Run: PEEL_BIN=$PWD/.build/debug/peel PEEL_DATA=$PWD/datasets python3 Tests/Interactive/test_series.py
"""
import csv
import datetime
import gzip
import os
import re
import subprocess
import tempfile
import unittest

import openpyxl

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PEEL = os.environ.get("PEEL_BIN", os.path.join(ROOT, ".build/debug/peel"))
DATA = os.environ.get("PEEL_DATA", os.path.join(ROOT, "datasets"))
P7_BOOK = os.path.join(ROOT, "Tests/Workbooks/ons-pfa-tables-2018-2019/policeforceareatablesyeendingmarch2019.xlsx")
HO_FILE = os.path.join(ROOT, "Tests/Workbooks/home-office-rec-crime-pfa-2003-2018/rec-crime-pfa.csv.gz")
# Workbook area name (footnote marks stripped) -> name in the bundled table, where they differ.
P7_NAMES = {"ENGLAND AND WALES (inc. BTP)": "England and Wales (including BTP)",
            "ENGLAND AND WALES (exc. BTP)": "England and Wales", "ENGLAND": "England", "WALES": "Wales",
            "City of London": "London, City of", "North East": "North East region",
            "North West": "North West region", "Yorkshire and The Humber": "Yorkshire and the Humber region",
            "East Midlands": "East Midlands region", "East": "East of England region", "London": "London region",
            "South East": "South East region", "South West": "South West region"}
# 'West Midlands' is both a region (printed 'West Midlands ', with a trailing space) and a force.
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]


def peel(script):
    env = dict(os.environ, PEEL_DATA=DATA)
    env.pop("PEEL_HISTORY", None)
    p = subprocess.run([PEEL, "-c", script], capture_output=True, env=env, cwd=ROOT, timeout=300)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def export(script):
    """Rows of what peel exports for SCRIPT, read back with csv."""
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "out.csv")
        rc, so, se = peel(f'{script} | export "{out}"')
        if rc != 0:
            raise AssertionError(f"peel failed: {se}")
        with open(out, newline="", encoding="utf-8-sig") as f:
            # Headers carry the unit, "offences (offences)": keep the column name.
            return [{re.sub(r" \(.*\)$", "", k): v for k, v in r.items()} for r in csv.DictReader(f)]


def p7_cells():
    """{(area label as printed without marks, 'YYYY/YY'): (count cell, rate cell)} from Table P7."""
    wb = openpyxl.load_workbook(P7_BOOK, read_only=True, data_only=True)
    (name,) = [s for s in wb.sheetnames if s.strip() == "Table P7"]
    rows = list(wb[name].iter_rows(values_only=True))
    head = next(r for r in rows if isinstance(r[1], str) and r[1].startswith("Apr '"))
    years = {}
    for c in range(1, len(head), 2):
        m = re.match(r"Apr '(\d\d) to Mar '(\d\d)", head[c])
        years[c] = f"20{m.group(1)}/{m.group(2)}"
    cells, order = {}, []
    for r in rows[rows.index(head) + 2:]:
        if not isinstance(r[0], str) or not r[0].strip():
            continue
        if r[0].startswith("Source"):
            break
        label = re.sub(r"[\d\s]+$", "", r[0]).strip()
        if r[0] == "West Midlands ":
            label = "West Midlands region"
        order.append(label)
        for c, y in years.items():
            cells[(label, y)] = (r[c], r[c + 1])
    return cells, order


class ASBIncidents(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.cells, cls.order = p7_cells()

    def test_every_count_and_rate_equals_its_cell(self):
        rows = export("asb_incidents | select force, area_kind, year, incidents, rate_per_1000")
        self.assertEqual(len(rows), len(self.cells))
        self.assertEqual(len(rows), 57 * 12)
        got = {(r["force"], r["year"]): r for r in rows}
        regions_seen = 0
        for (label, year), (n, rate) in self.cells.items():
            r = got[(P7_NAMES.get(label, label), year)]
            regions_seen += r["area_kind"] == "region"
            if n == "..":
                self.assertEqual(r["incidents"], "", (label, year))
            else:
                self.assertEqual(int(r["incidents"]), n, (label, year))
            if rate in ("..", "+"):
                self.assertEqual(r["rate_per_1000"], "", (label, year))
            else:
                self.assertAlmostEqual(float(r["rate_per_1000"]), rate, delta=1e-9 * max(1, rate), msg=(label, year))
        self.assertEqual(regions_seen, 9 * 12)

    def test_forces_are_the_43_of_the_forces_table(self):
        with open(os.path.join(DATA, "forces.csv"), newline="", encoding="utf-8") as f:
            forces = {r["force"] for r in csv.DictReader(f) if r["kind"] == "force"}
        rows = export('asb_incidents | where area_kind = "force" | select force, year')
        self.assertEqual({r["force"] for r in rows}, forces)
        self.assertEqual(len(rows), 43 * 12)

    def test_change_2014_15_to_2015_16(self):
        # England and Wales (exc. BTP) and Leicestershire: the difference of two P7 cells.
        for label, name in [("ENGLAND AND WALES (exc. BTP)", "England and Wales"), ("Leicestershire", "Leicestershire")]:
            a, b = self.cells[(label, "2014/15")][0], self.cells[(label, "2015/16")][0]
            rows = export(f'asb_incidents | where force = "{name}" and (year = "2014/15" or year = "2015/16") '
                                '| sort year | select year, incidents')
            self.assertEqual([r["year"] for r in rows], ["2014/15", "2015/16"])
            self.assertEqual(int(rows[1]["incidents"]) - int(rows[0]["incidents"]), b - a, name)
        # The published figures (ONS P7): 1,948,323 -> 1,796,925 and 21,050 -> 17,390.
        self.assertEqual(self.cells[("ENGLAND AND WALES (exc. BTP)", "2015/16")][0] -
                         self.cells[("ENGLAND AND WALES (exc. BTP)", "2014/15")][0], -151398)
        self.assertEqual(self.cells[("Leicestershire", "2015/16")][0] - self.cells[("Leicestershire", "2014/15")][0], -3660)

    def test_year_is_a_period_column(self):
        rc, so, se = peel("describe asb_incidents")
        self.assertEqual(rc, 0, se)
        self.assertRegex(so, r"(?m)^year\s+financial year\s")

    def test_break_in_series_is_on_every_row(self):
        rows = export("asb_incidents | select year, note, source")
        for r in rows:
            self.assertIn("break in series", r["note"].lower())
            self.assertEqual("P7 note 7" in r["note"], r["year"] >= "2011/12", r)
            self.assertIn("Table P7", r["source"])


def ho_rows():
    with gzip.open(HO_FILE, "rt", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


class RecordedCrimeSeries(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.raw = ho_rows()
        cls.got = export("recorded_crime_series | select period, force, area_kind, offence_group, offences")

    def test_every_count_equals_the_file(self):
        self.assertEqual(len(self.got), len(self.raw))
        self.assertEqual(len(self.raw), 46469)
        alias = {"City of London": "London, City of"}
        want = {}
        for r in self.raw:
            d = datetime.datetime.strptime(r["12 months ending"], "%d-%m-%Y")
            key = (f"12 months to {MONTHS[d.month - 1]} {d.year}", alias.get(r["PFA"], r["PFA"]), r["Offence"])
            self.assertNotIn(key, want)
            want[key] = int(r["Rolling year total number of offences"])
        got = {(r["period"], r["force"], r["offence_group"]): int(r["offences"]) for r in self.got}
        self.assertEqual(got, want)
        self.assertEqual(sum(1 for v in want.values() if v < 0), 25)
        self.assertEqual(sum(1 for v in got.values() if v < 0), 25)

    def test_area_kinds(self):
        kinds = {}
        for r in self.got:
            kinds.setdefault(r["area_kind"], set()).add(r["force"])
        self.assertEqual(set(kinds), {"force", "BTP", "fraud"})
        self.assertEqual(len(kinds["force"]), 43)
        self.assertEqual(kinds["BTP"], {"British Transport Police"})
        self.assertEqual(kinds["fraud"], {"Action Fraud", "CIFAS", "UK Finance"})

    def test_period_column_is_rolling_years_in_time_order(self):
        rc, so, se = peel("describe recorded_crime_series")
        self.assertEqual(rc, 0, se)
        self.assertRegex(so, r"(?m)^period\s+rolling year\s")
        rows = export('recorded_crime_series | where force = "Leicestershire" and offence_group = "Robbery" '
                            '| sort period | select period, offences')
        dates = sorted({datetime.datetime.strptime(r["12 months ending"], "%d-%m-%Y") for r in self.raw})
        self.assertEqual(len(dates), 52)
        self.assertEqual([r["period"] for r in rows], [f"12 months to {MONTHS[d.month - 1]} {d.year}" for d in dates])

    def test_national_total_year_to_march_2018(self):
        # 43 territorial forces, all offence groups, year to March 2018: summed here from the raw file,
        # in peel with `sum`.
        want = sum(int(r["Rolling year total number of offences"]) for r in self.raw
                   if r["12 months ending"] == "31-03-2018" and not r["Region"].startswith("Fraud")
                   and r["PFA"] != "British Transport Police")
        self.assertEqual(want, 4818518)
        got = sum(int(r["offences"]) for r in self.got
                  if r["period"] == "12 months to March 2018" and r["area_kind"] == "force")
        self.assertEqual(got, want)


if __name__ == "__main__":
    unittest.main()
