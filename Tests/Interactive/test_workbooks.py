"""Publishers' workbooks, read by peel and by python-calamine (a reader no one here wrote).

Every .xlsx, .ods and .xls file under Tests/Workbooks (byte-for-byte copies of the files in
shared/reference-data: ONS, Home Office, HMIC) must list with `sheets`, with the sheet names
calamine reads; every sheet must load or be refused with a specific error naming the file; and
for each sheet that loads, every number peel loads must equal the cell calamine reads in the same
row and column (at the precision peel shows), and every text cell must equal calamine's text.
"""
import csv, io, math, os, re, subprocess, sys, unittest, datetime

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
                for i, name in enumerate(cal.sheet_names):
                    if listed[i]["used_range"] in ("(chart)", "(empty)"):
                        continue
                    rc, out, err = peel("load %s sheet %d as t; describe t; t" % (quoted(path), i + 1))
                    if rc != 0:
                        # Refused: a located, specific reason naming the file, and no crash.
                        self.assertGreater(rc, 0, "peel died on %s sheet %d: %s" % (path, i + 1, err))
                        self.assertIn(path, err)
                        self.assertRegex(err, r"error: sheet '.*'")
                        continue
                    loaded_sheets += 1
                    compared_cells += self.compare(path, cal.get_sheet_by_index(i).to_python(skip_empty_area=False), name, out)
        print("\n%d workbooks, %d sheets loaded, %d cells compared with calamine" % (len(books), loaded_sheets, compared_cells))
        self.assertGreater(loaded_sheets, 100)

    def compare(self, path, grid, sheet, out):
        # describe (CSV? no: text) then the table as CSV. The describe block ends at the first CSV header line.
        m = re.search(r"^rows:\s+(\d+)", out, re.M)
        self.assertIsNotNone(m, out[:500])
        nrows = int(m.group(1))
        cols = re.findall(r"^(\S.*?)\s+(integer|decimal|text|date|period[^ ]*)\s.*?sheet column ([A-Z]+)", out, re.M)
        body = out[out.index("\n\n", out.index("description")) + 2:] if "notes:" not in out else out
        table_csv = out.split("\n", 0)[0]
        # The table is the last CSV block: it starts at the line holding every column name.
        header_line = ",".join(self.csv_name(c[0]) for c in cols)
        start = out.rfind(header_line + "\n")
        self.assertGreaterEqual(start, 0, "table header not found for %s %s" % (path, sheet))
        rows = list(csv.reader(io.StringIO(out[start:])))[1:1 + nrows]
        m = re.search(r"header row (\d+)", out)
        header_row = int(m.group(1)) - 1 if m else None
        n = 0
        # Walk the sheet's rows below the header; peel leaves out rows with no values.
        r = header_row + 1
        for row in rows:
            while r < len(grid) and all(self.blank(grid[r][col_index(c[2])] if col_index(c[2]) < len(grid[r]) else "") for c in cols):
                r += 1
            self.assertLess(r, len(grid), "%s %s: peel has more rows than the sheet" % (path, sheet))
            for (name, kind, letters), value in zip(cols, row):
                j = col_index(letters)
                cell = grid[r][j] if j < len(grid[r]) else ""
                self.check_cell(path, sheet, r, letters, kind, value, cell)
                n += 1
            r += 1
        return n

    @staticmethod
    def csv_name(name):
        return '"%s"' % name.replace('"', '""') if ("," in name or '"' in name) else name

    @staticmethod
    def blank(cell):
        return cell == "" or cell is None or (isinstance(cell, str) and cell.strip() in ("", "..", ":", "-", "[x]", "[c]", "[z]", "[u]", "[low]", "[w]", "*", "n/a", "na"))

    def check_cell(self, path, sheet, r, letters, kind, value, cell):
        where = "%s sheet %r cell %s%d" % (path, sheet, letters, r + 1)
        if value == "":
            self.assertTrue(self.blank(cell) or isinstance(cell, str) and cell.startswith("#") or isinstance(cell, str) and cell.strip().lower().startswith("n/a"), "%s: peel has no value, calamine %r" % (where, cell))
            return
        if kind in ("integer", "decimal"):
            v = float(value)
            if isinstance(cell, str):
                c = float(cell.strip().replace(",", "").rstrip("%"))
            elif isinstance(cell, bool):
                self.fail("%s: peel %r, calamine bool %r" % (where, value, cell))
            elif isinstance(cell, (int, float)):
                c = float(cell)
            else:
                self.fail("%s: peel %r, calamine %r" % (where, value, cell))
            places = len(value.split(".")[1]) if "." in value else 0
            ok = math.isclose(v, c, rel_tol=1e-9, abs_tol=0.5 * 10 ** -places * (1 + 1e-9)) or \
                math.isclose(v, c * 100, rel_tol=1e-9, abs_tol=0.5 * 10 ** -places * (1 + 1e-9))
            self.assertTrue(ok, "%s: peel %s, calamine %r" % (where, value, cell))
        elif kind == "date":
            self.assertIsInstance(cell, (datetime.date, datetime.datetime), where)
            self.assertEqual(value, cell.strftime("%Y-%m-%d"), where)
        else:
            if isinstance(cell, float) and cell.is_integer():
                cell = str(int(cell))
            self.assertEqual(" ".join(str(value).split()), " ".join(re.sub(r"\d+$", "", str(cell)).split()) if value != " ".join(str(cell).split()) else value, where)


if __name__ == "__main__":
    unittest.main()
