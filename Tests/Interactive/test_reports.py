"""Reports and files: the Markdown notebook is valid and reproducible, files are whole or absent."""
import html.parser
import os
import signal
import subprocess
import tempfile
import time
import unittest

from markdown_it import MarkdownIt

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PEEL = os.environ.get("PEEL_BIN", os.path.join(ROOT, ".build/debug/peel"))
ANALYSIS = os.path.join(ROOT, "scripts/analyses/leicestershire-2016.peel")


def peel(*args, stdin=b""):
    env = dict(os.environ, PEEL_DATA=os.path.join(ROOT, "datasets"))
    p = subprocess.run([PEEL, *args], input=stdin, capture_output=True, env=env, cwd=ROOT, timeout=120)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


class Balanced(html.parser.HTMLParser):
    """Checks that every opened element is closed, in order."""
    VOID = {"meta", "br", "link", "img", "hr", "input"}

    def __init__(self):
        super().__init__()
        self.stack, self.errors, self.tags = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            self.errors.append(tag)


class Reports(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="peel-report-")

    def tearDown(self):
        self.tmp.cleanup()

    def report(self, *extra):
        out = os.path.join(self.tmp.name, "report.md")
        rc, _, err = peel("report", ANALYSIS, "-o", out, "--date", "2026-01-01", *extra)
        self.assertEqual(rc, 0, err)
        with open(out, encoding="utf-8") as f:
            return f.read()

    def test_markdown_report_is_valid_and_reproducible(self):
        first = self.report()
        second = self.report()
        self.assertEqual(first, second, "the same --date gives the same bytes")
        tokens = MarkdownIt("commonmark").enable("table").parse(first)
        tables = [t for t in tokens if t.type == "table_open"]
        # One Markdown table per command of the analysis that gives a table (all but the charts).
        with open(ANALYSIS, encoding="utf-8") as f:
            commands = [l for l in f.read().splitlines() if l.strip() and not l.startswith("#")]
        expected = len([c for c in commands if "| chart" not in c])
        self.assertEqual(len(tables), expected)
        self.assertGreaterEqual(expected, 4)
        # Every row of every table has as many cells as its header.
        cells, header, in_head = 0, None, False
        for t in tokens:
            if t.type == "thead_open":
                in_head, cells = True, 0
            elif t.type in ("th_open", "td_open"):
                cells += 1
            elif t.type == "tr_close":
                if in_head:
                    header, in_head = cells, False
                else:
                    self.assertEqual(cells, header)
                cells = 0
        fences = [t for t in tokens if t.type == "fence"]
        self.assertTrue(any(t.info == "peel" for t in fences))
        self.assertTrue(any(t.info == "text" and "bars: Leicestershire" in t.content for t in fences), "charts in text blocks")
        self.assertIn("- Date: 2026-01-01", first)
        self.assertRegex(first, r"Fingerprint \(SHA-256 of the script and the data files read\): `[0-9a-f]{64}`")
        self.assertNotIn("\x1b", first)
        self.assertIn("| 1 | Charged/Summonsed | 9.1 | 12.1 | -3.0 |", first)

    def test_html_report_is_self_contained_and_balanced(self):
        out = os.path.join(self.tmp.name, "report.html")
        rc, _, err = peel("report", ANALYSIS, "-o", out, "--date", "2026-01-01", "--format", "html")
        self.assertEqual(rc, 0, err)
        with open(out, encoding="utf-8") as f:
            doc = f.read()
        p = Balanced()
        p.feed(doc)
        self.assertEqual(p.errors, [])
        self.assertEqual(p.stack, [])
        self.assertEqual(p.tags.count("table"), 4)
        self.assertNotIn("<link", doc)
        self.assertNotIn("<script", doc)

    def test_report_with_parameters_and_errors(self):
        out = os.path.join(self.tmp.name, "kent.md")
        rc, _, err = peel("report", os.path.join(ROOT, "scripts/analyses/outcomes-2017-18-charged.peel"), "-o", out, "--date", "2026-01-01", "force=Kent")
        self.assertEqual(rc, 0, err)
        with open(out, encoding="utf-8") as f:
            self.assertIn('`force = "Kent"`', f.read())
        rc, _, err = peel("report", ANALYSIS, "-o", out, "forse=Kent")
        self.assertEqual(rc, 2)
        self.assertIn("unknown parameter 'forse'", err)
        # A failing script reports FILE:LINE:COL and writes no file.
        bad = os.path.join(self.tmp.name, "bad.peel")
        with open(bad, "w") as f:
            f.write("# A title\ntables\noutcomes | sort sharez\n")
        missing = os.path.join(self.tmp.name, "never.md")
        rc, _, err = peel("report", bad, "-o", missing)
        self.assertEqual(rc, 1)
        self.assertIn("bad.peel:3:17: error: unknown column 'sharez'", err)
        self.assertFalse(os.path.exists(missing))

    def test_hundred_rows_piped_and_exported_whole(self):
        rc, out, _ = peel("--format", "csv", "-c", "recorded_crime | top 100 | select force, offence, offences")
        self.assertEqual(rc, 0)
        self.assertEqual(len(out.splitlines()), 101, "header and all 100 rows")
        self.assertNotIn("\x1b", out)
        path = os.path.join(self.tmp.name, "hundred.md")
        rc, out, err = peel("-c", 'recorded_crime | top 100 | select force, offence, offences | export "%s"' % path)
        self.assertEqual(rc, 0, err)
        self.assertIn("wrote 100 rows", out)
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
        self.assertEqual(len([l for l in lines if l.startswith("| ")]), 101)

    def test_failed_command_writes_nothing_and_kill_leaves_old_or_new_file(self):
        path = os.path.join(self.tmp.name, "big.csv")
        with open(path, "w") as f:
            f.write("old content\n")
        rc, _, _ = peel("-c", 'outcomes | where sharez > 1 | export "%s"' % path)
        self.assertEqual(rc, 1)
        with open(path) as f:
            self.assertEqual(f.read(), "old content\n")
        # The complete new file, for comparison.
        full = os.path.join(self.tmp.name, "full.csv")
        rc, _, err = peel("-c", 'recorded_crime | export "%s"' % full)
        self.assertEqual(rc, 0, err)
        with open(full, "rb") as f:
            complete = f.read()
        env = dict(os.environ, PEEL_DATA=os.path.join(ROOT, "datasets"))
        seen = set()
        for delay in (0.05, 0.15, 0.3, 0.5, 0.8, 1.2):
            with open(path, "w") as f:
                f.write("old content\n")
            p = subprocess.Popen([PEEL, "-c", 'recorded_crime | export "%s"' % path], env=env, cwd=ROOT,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(delay)
            p.send_signal(signal.SIGKILL)
            p.wait()
            with open(path, "rb") as f:
                data = f.read()
            self.assertIn(data, (b"old content\n", complete), "after kill -9 at %.2fs the file is old or complete" % delay)
            seen.add(data == complete)
        leftovers = [n for n in os.listdir(self.tmp.name) if "peel-tmp" in n]
        # A killed writer may leave its temporary file beside the target, never a half target.
        for n in leftovers:
            os.remove(os.path.join(self.tmp.name, n))


if __name__ == "__main__":
    unittest.main(verbosity=1)
