"""Workbook export: run the real peel binary to export tables to .xlsx and .ods, read the files back
with two independent readers (openpyxl and python-calamine; for .ods also the XML itself), and
check every cell against the same table exported as CSV: numbers as numbers (to 1e-9) with a
number format showing the value's decimals, % columns as fractions (the CSV value / 100) with a
percent format, dates as dates, text as text, missing values as empty cells, the header row and
the sheet's name. And a failed export leaves an existing file exactly as it was."""
import csv
import datetime
import hashlib
import importlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest
import xml.etree.ElementTree as ET
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PEEL = os.environ.get("PEEL_BIN", os.path.join(ROOT, ".build/debug/peel"))
DATA = os.environ.get("PEEL_DATA", os.path.join(ROOT, "datasets"))


def ensure(module, package):
    """The module, installed with pip first when it is missing (None when pip cannot install it)."""
    try:
        return importlib.import_module(module)
    except ImportError:
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--disable-pip-version-check", package],
                       capture_output=True, timeout=600)
        try:
            importlib.invalidate_caches()
            return importlib.import_module(module)
        except ImportError:
            return None


openpyxl = ensure("openpyxl", "openpyxl")
calamine = ensure("python_calamine", "python-calamine")
NEED_READERS = "openpyxl and python-calamine are needed to read the workbooks back, and pip could not install them"


def peel(script, cwd=ROOT, env=None, command=None):
    e = dict(os.environ, PEEL_DATA=DATA)
    e.pop("PEEL_HISTORY", None)
    e.update(env or {})
    p = subprocess.run([*(command or [PEEL]), "--no-rc", "-c", script], capture_output=True, env=e, cwd=cwd, timeout=300)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def sha(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


NUMBER = re.compile(r"^-?(0|[1-9][0-9]*)(\.[0-9]+)?$")
DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def decimals(text):
    return len(text.split(".")[1]) if "." in text else 0


def xml_safe(text):
    """The text as a workbook holds it: the control characters XML 1.0 cannot hold (all below
    U+0020 but tab, LF and CR) become their pictures (U+2400 + code), U+FFFE and U+FFFF U+FFFD."""
    out = []
    for ch in text:
        o = ord(ch)
        if o < 0x20 and ch not in "\t\n\r":
            out.append(chr(0x2400 + o))
        elif o in (0xFFFE, 0xFFFF):
            out.append("\ufffd")
        else:
            out.append(ch)
    return "".join(out)


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def column_kinds(header, rows):
    """What each column is, from the CSV alone: `date` when every value is yyyy-mm-dd, `percent`
    when the header ends (%) and every value is a number, `number` when every value is a number,
    else `text` (a column with no values is text)."""
    kinds = []
    for j, name in enumerate(header):
        values = [r[j] for r in rows if j < len(r) and r[j] != ""]
        if values and all(DATE.match(v) for v in values):
            kinds.append("date")
        elif values and all(NUMBER.match(v) for v in values):
            kinds.append("percent" if name.endswith("(%)") else "number")
        else:
            kinds.append("text")
    return kinds


def number_format(kind, text):
    d = decimals(text)
    zeros = "0" + ("." + "0" * d if d else "")
    return zeros + "%" if kind == "percent" else zeros


def close(a, b):
    return abs(a - b) <= 1e-9 * max(1.0, abs(b))


class Exports:
    """One table exported as CSV, .xlsx and .ods into a temporary folder."""

    def __init__(self, test, tmp, source, name, sheet=None, load=""):
        self.csv = os.path.join(tmp, name + ".csv")
        self.xlsx = os.path.join(tmp, name + ".xlsx")
        self.ods = os.path.join(tmp, name + ".ods")
        option = f' sheet "{sheet}"' if sheet else ""
        script = (load + f'{source} | export "{self.csv}"; {source} | export "{self.xlsx}"{option}; '
                  f'{source} | export "{self.ods}"{option}')
        rc, out, err = peel(script)
        test.assertEqual(rc, 0, err)
        self.header, self.rows = read_csv(self.csv)
        self.kinds = column_kinds(self.header, self.rows)
        n = len(self.rows)
        sheet_name = sheet or name
        test.assertIn(f"wrote {n} row{'s' if n != 1 else ''} to {self.xlsx} (xlsx, sheet '{sheet_name}')", out)
        test.assertIn(f"wrote {n} row{'s' if n != 1 else ''} to {self.ods} (ods, sheet '{sheet_name}')", out)
        self.sheet = sheet_name


@unittest.skipIf(openpyxl is None or calamine is None, NEED_READERS)
class WorkbookExport(unittest.TestCase):
    def check_openpyxl(self, e):
        wb = openpyxl.load_workbook(e.xlsx)
        self.assertEqual(wb.sheetnames, [e.sheet])
        ws = wb[e.sheet]
        grid = list(ws.iter_rows(min_row=1, max_row=len(e.rows) + 1, max_col=len(e.header)))
        self.assertEqual([c.value for c in grid[0]], e.header, "the header row")
        self.assertTrue(all(c.font.b for c in grid[0]), "the header is bold")
        self.assertEqual(ws.max_row, len(e.rows) + 1, "no rows past the table")
        for i, (row, cells) in enumerate(zip(e.rows, grid[1:])):
            for j, (text, cell) in enumerate(zip(row, cells)):
                where = f"{e.xlsx} {cell.coordinate} ({e.header[j]}): {text!r} read as {cell.value!r} ({cell.number_format})"
                kind = e.kinds[j]
                if text == "":
                    self.assertIsNone(cell.value, where + ": a missing value is an empty cell")
                elif kind in ("number", "percent"):
                    self.assertIsInstance(cell.value, (int, float), where)
                    self.assertNotIsInstance(cell.value, bool, where)
                    expected = float(text) / 100 if kind == "percent" else float(text)
                    self.assertTrue(close(cell.value, expected), where)
                    self.assertEqual(cell.number_format, number_format(kind, text), where)
                elif kind == "date":
                    self.assertIsInstance(cell.value, datetime.datetime, where)
                    self.assertEqual(cell.value.date().isoformat(), text, where)
                    self.assertEqual(cell.number_format, "yyyy-mm-dd", where)
                else:
                    self.assertEqual(cell.data_type, "s", where)
                    self.assertEqual(cell.value, xml_safe(text), where)

    def check_calamine(self, e, path, ods=False):
        wb = calamine.CalamineWorkbook.from_path(path)
        self.assertEqual(wb.sheet_names, [e.sheet])
        grid = wb.get_sheet_by_name(e.sheet).to_python()
        self.assertEqual(len(grid), len(e.rows) + 1, path)
        self.assertEqual(list(grid[0]), e.header, "the header row")
        for i, (row, cells) in enumerate(zip(e.rows, grid[1:])):
            cells = list(cells) + [""] * (len(row) - len(cells))
            for j, (text, value) in enumerate(zip(row, cells)):
                where = f"{path} row {i + 2} ({e.header[j]}): {text!r} read as {value!r}"
                kind = e.kinds[j]
                if text == "":
                    self.assertEqual(value, "", where + ": a missing value is an empty cell")
                elif kind in ("number", "percent"):
                    self.assertIsInstance(value, (int, float), where)
                    expected = float(text) / 100 if kind == "percent" else float(text)
                    self.assertTrue(close(value, expected), where)
                elif kind == "date":
                    self.assertIsInstance(value, (datetime.date, datetime.datetime), where)
                    self.assertEqual(value.isoformat()[:10], text, where)
                else:
                    self.assertIsInstance(value, str, where)
                    expected = xml_safe(text)
                    if ods:
                        # In .ods a line break is a new paragraph: CR LF and CR come back as LF.
                        expected = expected.replace("\r\n", "\n").replace("\r", "\n")
                    self.assertEqual(value, expected, where)

    def check_ods_xml(self, e):
        """The .ods file's own XML: mimetype first and stored, each cell's office:value-type and
        value, and its data style's decimals (calamine gives values, not formats)."""
        with zipfile.ZipFile(e.ods) as z:
            first = z.infolist()[0]
            self.assertEqual((first.filename, first.compress_type), ("mimetype", zipfile.ZIP_STORED))
            self.assertEqual(z.read("mimetype"), b"application/vnd.oasis.opendocument.spreadsheet")
            root = ET.fromstring(z.read("content.xml"))
            ET.fromstring(z.read("styles.xml"))
            ET.fromstring(z.read("META-INF/manifest.xml"))
        ns = {"office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
              "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
              "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
              "number": "urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0",
              "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0"}
        q = lambda prefix, name: "{%s}%s" % (ns[prefix], name)
        data_styles = {}
        for tag in ("number-style", "percentage-style", "date-style"):
            for s in root.iter(q("number", tag)):
                n = s.find("number:number", ns)
                data_styles[s.get(q("style", "name"))] = (tag, None if n is None else int(n.get(q("number", "decimal-places"))))
        cell_styles = {s.get(q("style", "name")): s.get(q("style", "data-style-name")) for s in root.iter(q("style", "style"))}
        table = root.find(".//table:table", ns)
        self.assertEqual(table.get(q("table", "name")), e.sheet)
        rows = table.findall("table:table-row", ns)
        self.assertEqual(len(rows), len(e.rows) + 1)
        for i, (row, xrow) in enumerate(zip(e.rows, rows[1:])):
            cells = []
            for c in xrow.findall("table:table-cell", ns):
                cells += [c] * int(c.get(q("table", "number-columns-repeated"), "1"))
            cells += [None] * (len(row) - len(cells))
            for j, (text, c) in enumerate(zip(row, cells)):
                where = f"{e.ods} row {i + 2} ({e.header[j]}): {text!r}"
                vtype = None if c is None else c.get(q("office", "value-type"))
                kind = e.kinds[j]
                if text == "":
                    self.assertIsNone(vtype, where)
                    continue
                style = data_styles.get(cell_styles.get(c.get(q("table", "style-name"))))
                if kind in ("number", "percent"):
                    self.assertEqual(vtype, "percentage" if kind == "percent" else "float", where)
                    value = float(c.get(q("office", "value")))
                    self.assertTrue(close(value, float(text) / 100 if kind == "percent" else float(text)), where)
                    self.assertEqual(style, ("percentage-style" if kind == "percent" else "number-style", decimals(text)), where)
                elif kind == "date":
                    self.assertEqual(vtype, "date", where)
                    self.assertEqual(c.get(q("office", "date-value")), text, where)
                    self.assertEqual(style, ("date-style", None), where)
                else:
                    self.assertEqual(vtype, "string", where)
                    expected = xml_safe(text).replace("\r\n", "\n").replace("\r", "\n")
                    self.assertEqual(self.odf_text(c, ns), expected, where)

    @staticmethod
    def odf_text(cell, ns):
        """A cell's text as LibreOffice reads it: paragraphs joined by LF, <text:s text:c="n"/> is n
        spaces, <text:tab/> a tab, <text:line-break/> a LF, other text as it is."""
        t = "{%s}" % "urn:oasis:names:tc:opendocument:xmlns:text:1.0"

        def inline(el):
            out = [el.text or ""]
            for child in el:
                if child.tag == t + "s":
                    out.append(" " * int(child.get(t + "c", "1")))
                elif child.tag == t + "tab":
                    out.append("\t")
                elif child.tag == t + "line-break":
                    out.append("\n")
                else:
                    out.append(inline(child))
                out.append(child.tail or "")
            return "".join(out)

        return "\n".join(inline(p) for p in cell.findall("text:p", ns))

    def check(self, e):
        self.check_openpyxl(e)
        self.check_calamine(e, e.xlsx)
        self.check_calamine(e, e.ods, ods=True)
        self.check_ods_xml(e)

    def test_bundled_tables_read_back_cell_for_cell(self):
        # cdi_rates: two % columns, a missing interval; outcomes: a % column, missing groups;
        # recorded_crime_totals: whole numbers and decimals; cdi_forces: % and ± pp columns, gaps;
        # outcomes_by_force: 945 rows, a % column with two decimals.
        with tempfile.TemporaryDirectory(prefix="peel-wb-") as tmp:
            for table in ["cdi_rates", "outcomes", "recorded_crime_totals", "cdi_forces", "outcomes_by_force"]:
                with self.subTest(table=table):
                    e = Exports(self, tmp, table, table)
                    self.assertTrue(any(k in ("number", "percent") for k in e.kinds), table)
                    self.check(e)
            e = Exports(self, tmp, "cdi_rates", "rates_named", sheet="Rates 2018")
            self.assertEqual(e.kinds[3:5], ["percent", "percent"])
            self.assertTrue(any(r[4] == "" for r in e.rows), "cdi_rates has a missing interval")
            self.check(e)
            # The figure the report quotes: 84.1% is the number 0.841 shown as 84.1%.
            ws = openpyxl.load_workbook(e.xlsx)["Rates 2018"]
            rates = {tuple(ws.cell(r, c).value for c in (1, 2, 3)): ws.cell(r, 4) for r in range(2, ws.max_row + 1)}
            cell = rates[("Leicestershire", "2018 re-inspection", "all crime")]
            self.assertEqual((round(cell.value, 12), cell.number_format), (0.841, "0.0%"))

    def test_synthetic_table_with_dates_gaps_and_text_that_needs_escaping(self):
        """Synthetic data (made up here, not from any publisher): dates with a gap, a % column
        read from values written 84.1%, whole numbers with gaps, and text holding XML's special
        characters, quotes, line breaks, tabs, runs of spaces, an OOXML escape look-alike, a control
        character and non-ASCII letters. (Spaces at either end of a value are trimmed when a CSV
        file is loaded, so the unit tests check those.)"""
        texts = ['A & B', '<tag attr="x">', 'say "hi"', "it's", "line one\nline two", "cr\r\nlf", "tab\there",
                 "a  b   c", "x\t\ty", "two  spaces", "_x0041_ stays", "bell\x07", "ünïcödé ✓ 😀", "]]> end"]
        lines = ["id,day,share,count,note"]
        for i, t in enumerate(texts):
            day = "" if i == 3 else f"2018-{1 + i % 12:02d}-{1 + i:02d}"
            share = "" if i == 5 else f"{(i * 7.3) % 100:.1f}%"
            count = "" if i % 4 == 2 else str(i * 1000 - 3)
            quoted = '"' + t.replace('"', '""') + '"'
            lines.append(f"{i},{day},{share},{count},{quoted}")
        with tempfile.TemporaryDirectory(prefix="peel-wb-") as tmp:
            src = os.path.join(tmp, "synthetic-workbook-text.csv")
            with open(src, "w", encoding="utf-8", newline="") as f:
                f.write("\n".join(lines) + "\n")
            e = Exports(self, tmp, "synth", "synth", load=f'load "{src}" as synth; ')
            self.assertEqual(e.kinds, ["number", "date", "percent", "number", "text"], e.header)
            self.assertEqual(e.header[2], "share (%)")
            self.assertEqual([r[4] for r in e.rows], texts, "the CSV export keeps the text as it was")
            self.check(e)
            # The control character is shown by its picture; everything else is exact.
            ws = openpyxl.load_workbook(e.xlsx)["synth"]
            self.assertEqual(ws["E13"].value, "bell\u2407")
            self.assertEqual(ws["E6"].value, "line one\nline two")
            self.assertEqual(ws["E7"].value, "cr\r\nlf")
            self.assertEqual(ws["E9"].value, "a  b   c")
            # Excel reads `_x0041_` in a file as "A": the writer escapes the underscore (`_x005F_`),
            # so the text reads back as it was.
            self.assertEqual(ws["E12"].value, "_x0041_ stays")
            with zipfile.ZipFile(e.xlsx) as z:
                self.assertIn(b"<t>_x005F_x0041_ stays</t>", z.read("xl/sharedStrings.xml"))

    def test_a_failed_export_leaves_the_existing_file_untouched(self):
        with tempfile.TemporaryDirectory(prefix="peel-wb-") as tmp:
            for ext in ("xlsx", "ods"):
                target = os.path.join(tmp, "keep." + ext)
                rc, out, err = peel(f'outcomes | export "{target}"')
                self.assertEqual(rc, 0, err)
                before = sha(target)
                # Refused before anything runs: a bad sheet name, append, `as FORMAT`.
                for script, message in [
                    (f'cdi_rates | export "{target}" sheet "Rates 2017/18"', "error: a sheet name cannot hold '/'"),
                    (f'cdi_rates | export "{target}" sheet "{"x" * 32}"', "error: a sheet name has at most 31 characters"),
                    (f'cdi_rates | export "{target}" append', "error: append cannot add to a workbook"),
                    (f'cdi_rates | export "{target}" as csv', "is always written as a workbook"),
                    # A chart is text. (Today the session stops any step after a chart, "'chart'
                    # produces text, so nothing can follow it"; once export may follow a chart, export
                    # itself refuses text for a workbook.)
                    (f'outcomes | where kind = "outcome" | compare "Leicestershire" | chart | export "{target}"',
                     ("error: a workbook holds a table, and this result is text (a chart is text)",
                      "error: 'chart' produces text, so nothing can follow it")),
                ]:
                    rc, out, err = peel(script)
                    self.assertEqual(rc, 1, script)
                    if isinstance(message, tuple):
                        self.assertTrue(any(m in err for m in message), err)
                    else:
                        self.assertIn(message, err, script)
                    self.assertEqual(sha(target), before, f"{script} changed the file")
                # A text longer than an Excel cell holds (synthetic): refused for .xlsx as it runs,
                # after the table is made; .ods keeps the whole text.
                src = os.path.join(tmp, "synthetic-long-cell.csv")
                with open(src, "w") as f:
                    f.write("force,note\nKent,short\nEssex," + "x" * 32768 + "\n")
                rc, out, err = peel(f'load "{src}" as long; long | export "{target}"')
                if ext == "xlsx":
                    self.assertEqual(rc, 1, err)
                    self.assertIn("cell B3 (column 'note') holds 32,768 characters, and an Excel cell holds at most 32,767", err)
                    self.assertIn("the file was not touched", err)
                    self.assertEqual(sha(target), before)
                else:
                    self.assertEqual(rc, 0, err)
                    grid = calamine.CalamineWorkbook.from_path(target).get_sheet_by_index(0).to_python()
                    self.assertEqual(grid[2][1], "x" * 32768)
            # No leftover temporary files beside the targets.
            self.assertEqual(sorted(n for n in os.listdir(tmp) if n.startswith(".peel-tmp")), [])

    def test_a_write_into_a_closed_folder_fails_and_keeps_the_file(self):
        with tempfile.TemporaryDirectory(prefix="peel-wb-") as tmp:
            os.chmod(tmp, 0o755)
            folder = os.path.join(tmp, "closed")
            os.mkdir(folder)
            target = os.path.join(folder, "rates.xlsx")
            src = os.path.join(tmp, "synthetic-rates.csv")
            with open(src, "w") as f:
                f.write("force,rate\nKent,84.1%\nEssex,\n")
            os.chmod(src, 0o644)
            rc, out, err = peel(f'load "{src}" as r; r | export "{target}"')
            self.assertEqual(rc, 0, err)
            before = sha(target)
            os.chmod(target, 0o644)
            os.chmod(folder, 0o555)
            command, env = None, None
            if os.geteuid() == 0:
                # Root may write into any folder: peel runs as `nobody` instead.
                setpriv = shutil.which("setpriv")
                if not setpriv:
                    self.skipTest("running as root and setpriv is missing, so no folder can be closed to peel")
                d = tmp
                while d != os.path.dirname(d):
                    if not os.stat(d).st_mode & 0o001:
                        self.skipTest(f"{d} (above the temporary folder) is closed to other users; set TMPDIR elsewhere")
                    d = os.path.dirname(d)
                binary = os.path.join(tmp, "peel")
                shutil.copyfile(PEEL, binary)
                os.chmod(binary, 0o755)
                command = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", binary]
                data = os.path.join(tmp, "data")
                os.mkdir(data, 0o755)
                shutil.copyfile(os.path.join(DATA, "catalog.json"), os.path.join(data, "catalog.json"))
                os.chmod(os.path.join(data, "catalog.json"), 0o644)
                env = {"PEEL_DATA": data}
            try:
                for ext in ("xlsx", "ods"):
                    t = target if ext == "xlsx" else target[:-4] + "ods"
                    rc, out, err = peel(f'load "{src}" as r; r | export "{t}" sheet Rates', command=command, cwd="/", env=env)
                    self.assertEqual(rc, 1, out + err)
                    self.assertIn("permission denied", err.lower())
                self.assertEqual(sha(target), before, "the old workbook is as it was")
                self.assertFalse(os.path.exists(target[:-4] + "ods"))
                self.assertEqual(sorted(os.listdir(folder)), ["rates.xlsx"], "no temporary file is left behind")
            finally:
                os.chmod(folder, 0o755)

    def test_exporting_again_replaces_the_workbook_whole(self):
        with tempfile.TemporaryDirectory(prefix="peel-wb-") as tmp:
            target = os.path.join(tmp, "book.xlsx")
            rc, _, err = peel(f'outcomes | export "{target}" sheet First; cdi_rates | export "{target}" sheet Second')
            self.assertEqual(rc, 0, err)
            wb = openpyxl.load_workbook(target)
            self.assertEqual(wb.sheetnames, ["Second"], "the file is replaced, not added to")
            self.assertEqual(wb["Second"]["A1"].value, "force")
            self.assertEqual(wb["Second"].max_row, 6)


if __name__ == "__main__":
    unittest.main()
