"""The bundled `population` table against the ONS workbooks it was built from, and rates computed
in peel against the rates the ONS publishes.

Everything expected is read here from the committed copies of the ONS workbooks with openpyxl
(Tests/Workbooks/ons-pfa-tables-2018-2019), never typed in:

* every population and households figure of datasets/population.csv equals its cell: P9/P10 of the
  year ending March 2018 edition for mid-2002 to mid-2016, and P3 of every edition (the denominators
  of its rates, under the mid-year each column's label names);
* recorded crime in the year ending March 2018 (Table P1 of that edition, loaded in peel) per 1,000
  of the mid-2016 population (joined in peel from `population`) equals Table P3's rate for every
  force to the published precision (one decimal, the cells' number format `#,##0.0`).

Run: PEEL_BIN=$PWD/.build/debug/peel PEEL_DATA=$PWD/datasets python3 Tests/Interactive/test_population.py
"""
import csv
import io
import os
import re
import subprocess
import tempfile
import unittest
from decimal import ROUND_HALF_UP, Decimal

import openpyxl

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PEEL = os.environ.get("PEEL_BIN", os.path.join(ROOT, ".build/debug/peel"))
DATA = os.environ.get("PEEL_DATA", os.path.join(ROOT, "datasets"))
BOOKS = "Tests/Workbooks/ons-pfa-tables-2018-2019"
MARCH_2018 = BOOKS + "/policeforceareatablesyearendingmarch2018v2.xlsx"
EDITIONS = [
    "policeforceareatablesyearendingmarch2018v2.xlsx",
    "policeforceareadatatablesyearendingjune2018corrected.xlsx",
    "policeforceareatablesyearendingsep18corrected.xlsx",
    "policeforceareatablesyearendingdecember2018.xlsx",
    "policeforceareatablesyeendingmarch2019.xlsx",
    "policeforceareatablesyearendingjune2019.xlsx",
]
CITY = "E23000034"


def peel(script):
    env = dict(os.environ, PEEL_DATA=DATA)
    env.pop("PEEL_HISTORY", None)
    p = subprocess.run([PEEL, "-c", script], capture_output=True, env=env, cwd=ROOT, timeout=120)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def sheet(wb, name):
    (found,) = [s for s in wb.sheetnames if s.strip() == name]
    return wb[found]


def area_rows(ws):
    """(header, {area code: row}) for a table whose first column is headed 'Area Code'."""
    header, rows = None, {}
    for row in ws.iter_rows(values_only=True):
        if row and row[0] == "Area Code":
            header = row
        elif header and isinstance(row[0], str) and re.match(r"^[EWK]\d{8}$", row[0]):
            rows[row[0]] = row
    return header, rows


def one_decimal(x):
    """x rounded to one decimal, halves up, from its shortest decimal form (as a spreadsheet shows it)."""
    return Decimal(repr(float(x))).quantize(Decimal("0.1"), ROUND_HALF_UP)


def bundled():
    with open(os.path.join(DATA, "population.csv"), encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


class PopulationTable(unittest.TestCase):
    def test_every_figure_equals_its_cell_in_the_workbooks(self):
        rows = bundled()
        table = {(r["area_code"], int(r["mid_year"])): r for r in rows}
        self.assertEqual(len(table), len(rows), "one row per force and mid-year")
        codes = {c for c, _ in table}
        self.assertEqual(len(codes), 43)
        self.assertTrue(all(re.match(r"^(E23|W15)\d{6}$", c) for c in codes))
        self.assertEqual({y for _, y in table}, set(range(2002, 2019)))
        self.assertEqual(len(rows), 43 * 17)
        checked = {"population": 0, "households": 0}
        cells = {}  # (code, year, measure) -> set of workbook values
        wb = openpyxl.load_workbook(os.path.join(ROOT, MARCH_2018), read_only=True, data_only=True)
        for name, measure in (("Table P9", "population"), ("Table P10", "households")):
            header, areas = area_rows(sheet(wb, name))
            years = [(i, y) for i, y in enumerate(header) if isinstance(y, int)]
            self.assertEqual([y for _, y in years], list(range(2002, 2017)), name)
            for code in codes:
                for i, y in years:
                    cells.setdefault((code, y, measure), set()).add(areas[code][i])
        wb.close()
        for file in EDITIONS:
            wb = openpyxl.load_workbook(os.path.join(ROOT, BOOKS, file), read_only=True, data_only=True)
            header, areas = area_rows(sheet(wb, "Table P3"))
            for i, label in enumerate(header):
                m = re.match(r"^(Population|Household) figures\s*\(mid-(\d{4})\)", str(label))
                if not m:
                    continue
                measure = "population" if m.group(1) == "Population" else "households"
                for code in codes:
                    cells.setdefault((code, int(m.group(2)), measure), set()).add(areas[code][i])
            wb.close()
        for (code, year, measure), values in cells.items():
            self.assertEqual(len(values), 1, f"{code} mid-{year} {measure}: the workbooks disagree: {values}")
            (value,) = values
            self.assertEqual(int(table[(code, year)][measure]), value, f"{code} mid-{year} {measure}")
            checked[measure] += 1
        # Every population figure in the file has its cell; households only where one is published.
        self.assertEqual(checked["population"], len(rows))
        for (code, year), r in table.items():
            if (code, year, "households") in cells:
                continue
            self.assertEqual(year, 2018, f"{code}: households missing for mid-{year}")
            self.assertEqual(r["households"], "", "missing, never zero")
        self.assertEqual(checked["households"], 43 * 16)
        for r in rows:
            self.assertTrue(r["source"].startswith("population: ONS PFA tables"), r)
            self.assertEqual(bool(r["note"]), r["area_code"] == CITY, r["force"])

    def test_city_of_london_note_is_the_onss_words(self):
        wb = openpyxl.load_workbook(os.path.join(ROOT, BOOKS, "policeforceareatablesyeendingmarch2019.xlsx"),
                                    read_only=True, data_only=True)
        notes = [str(r[0]) for r in sheet(wb, "Table P3").iter_rows(values_only=True) if r[0]]
        wb.close()
        (suppressed,) = [n for n in notes if "suppressed" in n and "City of London" in n]
        suppressed = re.sub(r"^\d+\.\s*", "", suppressed).strip()
        notes = {r["note"] for r in bundled() if r["area_code"] == CITY}
        self.assertEqual(len(notes), 1)
        self.assertIn(suppressed, notes.pop())
        rc, out, err = peel('population | where force = "City of London" and mid_year = 2016 | select force, note')
        self.assertEqual(rc, 0, err)
        self.assertIn("London, City of", out)
        self.assertIn(suppressed, out)

    def test_rates_per_1000_equal_the_ons_rates_for_2017_18(self):
        """Year ending March 2018 edition: counts for 2017/18 (Table P1) over the mid-2016 population."""
        wb = openpyxl.load_workbook(os.path.join(ROOT, MARCH_2018), read_only=True, data_only=True)
        header, p3 = area_rows(sheet(wb, "Table P3"))
        wb.close()
        self.assertIn("(mid-2016)", re.sub(r"\s+", " ", header[2]))
        (rate_col,) = [i for i, h in enumerate(header) if str(h).startswith("Total recorded crime")]
        forces = {c: row for c, row in p3.items() if re.match(r"^(E23|W15)", c)}
        self.assertEqual(len(forces), 43)
        with tempfile.TemporaryDirectory() as tmp:
            out_csv = os.path.join(tmp, "rates.csv")
            script = (
                f'load "{MARCH_2018}" sheet "Table P1" as p1\n'
                'p1 | where area_kind = "force" '
                '| select `Area Code` as code, `Area Name` as force, `Total recorded crime (excluding fraud)` as offences '
                '| add mid_year = 2016 | join population '
                '| add rate = per_1000(offences, population) '
                f'| select code, force, offences, population, rate | export "{out_csv}"\n'
            )
            rc, out, err = peel(script)
            self.assertEqual(rc, 0, err)
            with open(out_csv, encoding="utf-8", newline="") as f:
                # The header carries the units: "population (people)", "rate (per 1,000)".
                got = {r["code"]: {k.split(" (")[0]: v for k, v in r.items()} for r in csv.DictReader(f)}
        self.assertEqual(set(got), set(forces), "every force, and only the forces")
        compared = 0
        for code, row in forces.items():
            g = got[code]
            self.assertEqual(int(g["population"]), row[2], f"{code}: the mid-2016 population the ONS used")
            published = row[rate_col]
            if code == CITY:
                # The ONS suppresses the City of London's rate ('+'); peel computes one from the residents.
                self.assertEqual(published, "+")
                self.assertNotEqual(g["rate"], "")
                continue
            self.assertEqual(one_decimal(g["rate"]), one_decimal(published), f"{g['force']}: {g['rate']} vs {published}")
            # The ONS divided by unrounded populations, so the unrounded rates differ a little.
            self.assertLess(abs(float(g["rate"]) - published), 0.05, g["force"])
            compared += 1
        self.assertEqual(compared, 42)

    def test_join_without_the_mid_year_says_how_to_add_it(self):
        rc, out, err = peel("recorded_crime_totals | join population")
        self.assertEqual(rc, 1)
        self.assertIn("population has one row per force and mid_year, but this table has no mid_year column", err)
        self.assertIn("add mid_year = 2018 | join population", err)
        rc, out, err = peel("recorded_crime_totals | add mid_year = 2016 | join population on force, mid_year | select force, population | top 1")
        self.assertEqual(rc, 0, err)
        self.assertIn("1682800", out, "Avon and Somerset, mid-2016 (Table P9)")


if __name__ == "__main__":
    unittest.main()
