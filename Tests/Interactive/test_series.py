"""The bundled series tables `asb_incidents` and `recorded_crime_series` against the committed source
files they were built from, read here independently of scripts/make_series.py:

* asb_incidents: every count and rate that peel exports equals its cell in Table P7 of the ONS year
  ending March 2019 workbook (openpyxl; rows found by the workbook's own area names, columns by the
  "Apr 'YY to Mar 'YY" headings), '..' and '+' are missing in peel, never zero; the change in England
  and Wales (exc. BTP) and in Leicestershire from 2014/15 to 2015/16 computed in peel equals the
  difference of the two cells;
* recorded_crime_series: every (period, force, offence group) count that peel exports equals the
  Home Office file's (csv + gzip), negative values included; the period column is read by peel as
  rolling years and `sort period` puts them in time order (checked against the file's dates);
* scripts/analyses/asb-change-2016.peel: its counts, tests, rates on the mid-2015 base (Table P9 of
  the year ending March 2018 edition), the 43 forces' percentage changes in its Figure 3 chart and
  the change in the ONS's published rates, each recomputed here from the cells.

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


P9_BOOK = os.path.join(ROOT, "Tests/Workbooks/ons-pfa-tables-2018-2019/policeforceareatablesyearendingmarch2018v2.xlsx")


def p9_mid_2015():
    """{area name as printed: mid-2015 population} for the police force areas (E23/W15 codes) of Table
    P9, year ending March 2018 edition."""
    wb = openpyxl.load_workbook(P9_BOOK, read_only=True, data_only=True)
    (name,) = [s for s in wb.sheetnames if s.strip() == "Table P9"]
    rows = list(wb[name].iter_rows(values_only=True))
    head = next(r for r in rows if r[0] == "Area Code")
    col = head.index(2015)
    return {r[1].strip(): r[col] for r in rows if isinstance(r[0], str) and r[0][:3] in ("E23", "W15")}


def near(text, exact, places):
    """A figure printed with PLACES decimals is EXACT rounded: within half a unit of its last digit."""
    return abs(float(text) - exact) <= 0.5 * 10 ** -places + 1e-9


class ASBAnalysis(unittest.TestCase):
    """scripts/analyses/asb-change-2016.peel (PEEL 2016 Figure 3 rebuilt) against P7 and P9 read here:
    every figure it prints for Leicestershire, England and Wales and the 43 forces follows from the
    source cells, computed independently (scipy for the exact test)."""

    @classmethod
    def setUpClass(cls):
        cls.cells, _ = p7_cells()
        cls.pop = p9_mid_2015()
        env = dict(os.environ, PEEL_DATA=DATA)
        p = subprocess.run([PEEL, "scripts/analyses/asb-change-2016.peel"], capture_output=True, env=env,
                           cwd=ROOT, timeout=300)
        assert p.returncode == 0, p.stderr.decode()
        cls.out = p.stdout.decode()
        cls.blocks = cls.out.split("\n\n")

    def count(self, label, year):
        return self.cells[(label, year)][0]

    def row(self, block, first):
        for line in self.blocks[block].splitlines():
            if line.startswith(first + "  ") or line.split()[:1] == [first]:
                return line
        raise AssertionError(f"no row {first!r} in block {block}:\n{self.blocks[block]}")

    def test_counts_test_and_z(self):
        from scipy.stats import binom
        for label, name in [("ENGLAND AND WALES (exc. BTP)", "England and Wales"), ("Leicestershire", "Leicestershire")]:
            a, b = self.count(label, "2014/15"), self.count(label, "2015/16")
            fields = self.row(0, name)[len(name):].split()
            self.assertEqual([int(fields[0]), int(fields[1]), int(fields[2])], [a, b, b - a], name)
            self.assertTrue(near(fields[3], 100 * (b - a) / a, 1), (name, fields[3]))
            p = min(1.0, 2 * min(binom.cdf(b, a + b, 0.5), binom.sf(b - 1, a + b, 0.5)))
            self.assertLess(p, 0.0001)
            self.assertEqual(fields[4], "<0.0001")
            self.assertTrue(near(fields[5], 2 * (b ** 0.5 - a ** 0.5), 2), (name, fields[5]))

    def test_rates_on_the_mid_2015_base(self):
        a, b = self.count("Leicestershire", "2014/15"), self.count("Leicestershire", "2015/16")
        pop = self.pop["Leicestershire"]
        f = self.row(2, "Leicestershire").split()[1:]
        self.assertEqual([int(f[0]), int(f[1])], [a, b])
        self.assertTrue(near(f[2], a / pop * 1000, 2) and near(f[3], b / pop * 1000, 2), f)
        self.assertTrue(near(f[4], (b - a) / pop * 1000, 2), f)
        self.assertTrue(near(f[5], 100 * (b - a) / a, 1), f)
        # England and Wales: the 43 forces' incidents over the sum of their mid-2015 populations.
        self.assertEqual(len(self.pop), 43)
        total = sum(self.pop.values())
        a = self.count("ENGLAND AND WALES (exc. BTP)", "2014/15")
        b = self.count("ENGLAND AND WALES (exc. BTP)", "2015/16")
        forces = [lab for (lab, y) in self.cells if y == "2014/15" and lab in self.pop or lab == "City of London" and y == "2014/15"]
        self.assertEqual(sum(self.count(lab, "2014/15") for lab in forces), a, "P7's England and Wales is its 43 forces")
        line = next(l for l in self.blocks[3].splitlines() if l.strip().startswith(str(a)))
        g = line.split()
        self.assertEqual([int(g[0]), int(g[1])], [a, b])
        self.assertTrue(near(g[2], a / total * 1000, 2) and near(g[3], b / total * 1000, 2), g)
        self.assertTrue(near(g[5], 100 * (b - a) / a, 1), g)

    def test_figure_3_every_force(self):
        start = next(i for i, b in enumerate(self.blocks) if b.startswith("change_pct compared with England and Wales"))
        chart = "\n\n".join(self.blocks[start:start + 3])
        a = self.count("ENGLAND AND WALES (exc. BTP)", "2014/15")
        b = self.count("ENGLAND AND WALES (exc. BTP)", "2015/16")
        m = re.search(r"England and Wales \((-?[\d.]+)%\)", chart)
        self.assertTrue(near(m.group(1), 100 * (b - a) / a, 1), m.group(1))
        bars = {}
        for line in chart.splitlines():
            hit = re.match(r"^[▶ ] (\S.*?)\s{2,}\S.*?\s(-?[\d.]+)%$", line)
            if hit:
                bars[hit.group(1)] = hit.group(2)
        names = {"London, City of": "City of London"}
        self.assertEqual(len(bars), 43, chart)
        for force, shown in bars.items():
            label = names.get(force, force)
            a, b = self.count(label, "2014/15"), self.count(label, "2015/16")
            self.assertTrue(near(shown, 100 * (b - a) / a, 1), (force, shown))
        self.assertIn("▶ Leicestershire", chart)
        self.assertNotIn("  England and Wales ", chart.split("bars:")[0])

    def test_published_rates(self):
        block = self.blocks[-1]
        for label, name in [("ENGLAND AND WALES (exc. BTP)", "England and Wales"), ("Leicestershire", "Leicestershire")]:
            r1, r2 = self.cells[(label, "2014/15")][1], self.cells[(label, "2015/16")][1]
            f = next(l for l in block.splitlines() if l.startswith(name + "  "))[len(name):].split()
            self.assertTrue(near(f[0], r1, 2) and near(f[1], r2, 2), f)
            self.assertTrue(near(f[2], 100 * (r2 - r1) / r1, 1), f)


if __name__ == "__main__":
    unittest.main()
