"""Publishers' workbooks, read by peel and by python-calamine (a reader no one here wrote).

Every .xlsx, .ods and .xls file under Tests/Workbooks (byte-for-byte copies of the files in
shared/reference-data: ONS, Home Office, HMIC) must list with `sheets`, with the sheet names
calamine reads; every sheet must load or be refused with a specific error naming the file; and
for each sheet that loads, every number peel loads must equal the cell calamine reads in the same
row and column (at the precision peel shows), and every text cell must equal calamine's text.
"""
import concurrent.futures, csv, datetime, io, math, os, re, subprocess, sys, tempfile, unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PEEL = os.environ.get("PEEL_BIN", os.path.join(ROOT, ".build/debug/peel"))
BOOKS = os.path.join(ROOT, "Tests", "Workbooks")

try:
    import python_calamine
except ImportError:  # scripts/test installs it; a bare run installs it here
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--disable-pip-version-check", "python-calamine"], check=False)
    import python_calamine


def peel(script):
    e = dict(os.environ, PEEL_DATA=os.path.join(ROOT, "datasets"))
    e.pop("PEEL_HISTORY", None)
    p = subprocess.run([PEEL, "--format", "csv", "-c", script], capture_output=True, env=e, cwd=ROOT, timeout=120)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def workbooks():
    out = []
    for d, _, files in os.walk(BOOKS):
        for f in files:
            if f.lower().endswith((".xlsx", ".ods", ".xls")):
                out.append(os.path.relpath(os.path.join(d, f), ROOT))
    return sorted(out)


def col_index(letters):
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def quoted(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


class Workbooks(unittest.TestCase):
    def test_every_sheet_lists_loads_and_matches_calamine(self):
        books = workbooks()
        self.assertGreaterEqual(len(books), 40, "the publishers' workbooks are missing from Tests/Workbooks")
        loaded_sheets = compared_cells = 0
        for path in books:
            with self.subTest(workbook=path):
                cal = python_calamine.CalamineWorkbook.from_path(os.path.join(ROOT, path))
                rc, out, err = peel("sheets %s" % quoted(path))
                self.assertEqual(rc, 0, err)
                listed = list(csv.DictReader(io.StringIO(out)))
                names = [r["name"][1:-1] if r["name"].startswith('"') and r["name"].endswith('"') and len(r["name"]) >= 2 else r["name"] for r in listed]
                self.assertEqual(names, list(cal.sheet_names), path)
                todo = [i for i in range(len(cal.sheet_names)) if listed[i]["used_range"] not in ("(chart)", "(empty)")]
                with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
                    runs = list(pool.map(lambda i: (i, self.load_sheet(path, i)), todo))
                for i, (rc, out, err, table) in runs:
                    name = cal.sheet_names[i]
                    if rc != 0:
                        # Refused: a located, specific reason naming the file, and no crash.
                        self.assertGreater(rc, 0, "peel died on %s sheet %d: %s" % (path, i + 1, err))
                        self.assertIn(path, err)
                        self.assertRegex(err, r"error: sheet '.*'")
                        continue
                    loaded_sheets += 1
                    compared_cells += self.compare(path, cal.get_sheet_by_index(i).to_python(skip_empty_area=False), name, err + out, table)
        print("\n%d workbooks, %d sheets loaded, %d cells compared with calamine" % (len(books), loaded_sheets, compared_cells))
        self.assertGreater(loaded_sheets, 100)

    @staticmethod
    def load_sheet(path, i):
        """One peel run: load sheet i, describe it, export it as CSV (rc, stdout, stderr, CSV)."""
        with tempfile.TemporaryDirectory() as tmp:
            dst = os.path.join(tmp, "t.csv")
            rc, out, err = peel("load %s sheet %d as t; describe t; t | export %s" % (quoted(path), i + 1, quoted(dst)))
            table = ""
            if rc == 0:
                with open(dst, encoding="utf-8") as f:
                    table = f.read()
        return rc, out, err, table

    def compare(self, path, grid, sheet, out, table):
        """Each row peel loaded must equal, cell for cell, a row of the sheet at or below the
        previous one and within the rows the summary names (peel leaves out rows with no values,
        unit rows and the like, so the walk may skip rows but never reorder them)."""
        m = re.search(r"\(rows (\d+)–(\d+), header row", out)
        self.assertIsNotNone(m, out[:300])
        last = int(m.group(2)) - 1
        nrows = int(re.search(r"^rows:\s+(\d+)", out, re.M).group(1))
        rows = list(csv.reader(io.StringIO(table)))
        names, rows = rows[0], rows[1:]
        self.assertEqual(len(rows), nrows)
        # describe's column table, in order: NAME  TYPE ... description ending "sheet column X".
        text = out[out.index("\n------"):]
        types = r"(integer|decimal|text|date|period|financial year|quarter|month|calendar year|rolling year)"
        starts = []
        pos = 0
        for name in names:
            at = re.compile(r"^" + re.escape(name) + r"\s+" + types + r"(\s|$)", re.M).search(text, pos)
            if at is None and name.endswith(" (%)"):  # CSV headers carry the unit
                name = name[:-4]
                at = re.compile(r"^" + re.escape(name) + r"\s+" + types + r"(\s|$)", re.M).search(text, pos)
            self.assertIsNotNone(at, "%s %r: column %r not in describe" % (path, sheet, name))
            starts.append((name, at))
            pos = at.end()
        cols, keep = [], []
        for k, (name, at) in enumerate(starts):
            end = starts[k + 1][1].start() if k + 1 < len(starts) else len(text)
            letters = re.compile(r"sheet\s+column\s+([A-Z]+)").search(text, at.end(), end)
            if letters is None:
                # Only the column peel adds beside a force column comes from no sheet column.
                self.assertEqual(name, "area_kind", "%s %r: column %r names no sheet column" % (path, sheet, name))
                continue
            cols.append((name, at.group(1), letters.group(1)))
            keep.append(k)
        rows = [[row[k] for k in keep] for row in rows]
        r = int(re.search(r"header row (\d+)", out).group(1))
        n = 0
        for row in rows:
            first_problem = None
            while r <= last:
                problem = self.row_problem(grid, r, cols, row)
                if problem is None:
                    break
                first_problem = first_problem or problem
                r += 1
            self.assertLessEqual(r, last, "%s %r: no sheet row matches peel's row %r (%s)" % (path, sheet, row, first_problem))
            n += len(cols)
            r += 1
        return n

    def row_problem(self, grid, r, cols, row):
        for (name, kind, letters), value in zip(cols, row):
            j = col_index(letters)
            cell = grid[r][j] if r < len(grid) and j < len(grid[r]) else ""
            problem = self.cell_problem(kind, value, cell)
            if problem:
                return "cell %s%d: %s" % (letters, r + 1, problem)
        return None

    @staticmethod
    def csv_name(name):
        return '"%s"' % name.replace('"', '""') if ("," in name or '"' in name) else name

    @staticmethod
    def blank(cell):
        return cell == "" or cell is None or (isinstance(cell, str) and cell.strip() in ("", "..", ":", "-", "[x]", "[c]", "[z]", "[u]", "[low]", "[w]", "*", "n/a", "na"))

    def cell_problem(self, kind, value, cell):
        """None when peel's value (as exported) equals calamine's cell, else what differs."""
        if value == "":
            if self.blank(cell) or isinstance(cell, str) and (cell.strip().startswith("#") or cell.strip().lower().startswith("n/a") or len(cell.strip()) <= 1):
                return None
            return "peel has no value, calamine %r" % (cell,)
        if kind in ("integer", "decimal"):
            v = float(value)
            if isinstance(cell, bool) or not isinstance(cell, (int, float, str)):
                return "peel %s, calamine %r" % (value, cell)
            try:
                c = float(cell.strip().replace(",", "").rstrip("%")) if isinstance(cell, str) else float(cell)
            except ValueError:
                return "peel %s, calamine %r" % (value, cell)
            places = len(value.split(".")[1]) if "." in value else 0
            tol = 0.5 * 10 ** -places * (1 + 1e-9)
            if math.isclose(v, c, rel_tol=1e-9, abs_tol=tol) or math.isclose(v, c * 100, rel_tol=1e-9, abs_tol=tol):
                return None
            return "peel %s, calamine %r" % (value, cell)
        if kind == "date":
            if isinstance(cell, (datetime.date, datetime.datetime)) and value == cell.strftime("%Y-%m-%d"):
                return None
            return "peel %s, calamine %r" % (value, cell)
        # Text: peel collapses runs of spaces and takes footnote digits off labels.
        if isinstance(cell, float) and cell.is_integer():
            cell = str(int(cell))
        if isinstance(cell, (datetime.date, datetime.datetime)):
            cell = cell.strftime("%Y-%m-%d")
        want = " ".join(str(cell).split())
        got = " ".join(value.split())
        # Footnote marks peel takes off labels: "Leicestershire3", "Warwickshire5,6", "ENGLAND AND WALES7, 8".
        if got == want or got == re.sub(r"\d{1,2}(,\s?\d{1,2})*$", "", want).strip() or got == re.sub(r"(?<=[A-Za-z)])\d{1,2}(?=[ ,])", "", want):
            return None
        return "peel %r, calamine %r" % (value, cell)


class OnsTableP1(unittest.TestCase):
    """ONS Table P1 (police recorded crime by police force area, year ending March 2019): peel
    recognises the 43 territorial forces, marks British Transport Police, the regions, the
    countries and the England and Wales total as not forces, and the England and Wales total
    equals the sum of the 43 forces and BTP, all checked against the cells calamine reads."""

    PATH = "Tests/Workbooks/ons-pfa-tables-2018-2019/policeforceareatablesyeendingmarch2019.xlsx"

    def test_forces_and_totals(self):
        with tempfile.TemporaryDirectory() as tmp:
            dst = os.path.join(tmp, "p1.csv")
            rc, out, err = peel('load %s sheet "Table P1 " as p1; p1 | export %s' % (quoted(self.PATH), quoted(dst)))
            self.assertEqual(rc, 0, err)
            rows = list(csv.DictReader(open(dst, encoding="utf-8")))
        self.assertIn("43 territorial forces recognised", err + out)
        kinds = {}
        for r in rows:
            kinds.setdefault(r["area_kind"], []).append(r)
        self.assertEqual(len(kinds["force"]), 43)
        self.assertEqual([r["Area Name"] for r in kinds["British Transport Police"]], ["British Transport Police"])
        self.assertEqual(len(kinds["region"]), 9)
        self.assertEqual(sorted(r["Area Name"] for r in kinds["country"]), ["ENGLAND", "WALES"])
        self.assertEqual([r["Area Code"] for r in kinds["England and Wales"]], ["K04000001"])
        # The 43 forces are the 43 police force area codes (E23…, W15…) in calamine's cells.
        grid = python_calamine.CalamineWorkbook.from_path(os.path.join(ROOT, self.PATH)).get_sheet_by_name("Table P1 ").to_python()
        pfa = {r[0]: r for r in grid if isinstance(r[0], str) and re.match(r"^(E23|W15)\d{6}$", r[0])}
        self.assertEqual(len(pfa), 43)
        self.assertEqual(sorted(r["Area Code"] for r in kinds["force"]), sorted(pfa))
        total = "Total recorded crime (excluding fraud)"
        forces = sum(int(r[total]) for r in kinds["force"])
        btp = int(kinds["British Transport Police"][0][total])
        national = int(kinds["England and Wales"][0][total])
        self.assertEqual(forces, sum(int(r[2]) for r in pfa.values()))
        btp_cells = [r for r in grid if len(r) > 1 and r[1] == "British Transport Police"]
        self.assertEqual(btp, int(btp_cells[0][2]))
        self.assertEqual(national, forces + btp)
        self.assertEqual(national, int([r for r in grid if r[0] == "K04000001"][0][2]))


if __name__ == "__main__":
    unittest.main()
