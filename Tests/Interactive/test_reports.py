"""Reports and files: the Markdown notebook is valid and reproducible, files are whole or absent."""
import html.parser
import json
import os
import re
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

    _analyses = None

    def analyses(self):
        """Every saved analysis's report (made once): {file name: Markdown}."""
        if Reports._analyses is None:
            Reports._analyses = {}
            for name in sorted(os.listdir(os.path.join(ROOT, "scripts/analyses"))):
                if name.endswith(".peel"):
                    rc, doc, err = peel("report", os.path.join(ROOT, "scripts/analyses", name), "--date", "2026-01-01")
                    self.assertEqual(rc, 0, err)
                    Reports._analyses[name] = doc
        return Reports._analyses

    @staticmethod
    def source_lines(doc):
        """The lines that say where figures come from: under tables and charts, and the Sources list."""
        return [l.replace("\\", "") for l in doc.splitlines() if "Source: " in l or l.startswith("- `")]

    def test_source_lines_have_no_doubled_punctuation(self):
        for name, doc in self.analyses().items():
            for line in self.source_lines(doc):
                # `tables).; period:`, `make_forces.py..`: a full stop then another stop or a semicolon.
                # (Paths such as ../x are another test's business.)
                self.assertNotRegex(re.sub(r"\S*/\S*", "", line), r"\.\s*[.;]", "%s: doubled punctuation: %s" % (name, line))
            for line in doc.split("\n## Sources\n\n")[1].split("\n\nFingerprint")[0].splitlines():
                self.assertTrue(line.endswith("."), "%s: a sentence: %s" % (name, line))

    def test_sources_name_publishers_not_internal_paths(self):
        with open(os.path.join(ROOT, "datasets/catalog.json"), encoding="utf-8") as f:
            catalog = {t["name"]: t for t in json.load(f)["tables"]}
        words = lambda s: set(re.findall(r"[\w'’–-]+", s))
        for name, doc in self.analyses().items():
            for line in self.source_lines(doc):
                for internal in ("../", "SOURCES.md", ".py", "seeds ", ".txt", "reference-data", "scripts/"):
                    self.assertNotIn(internal, line, "%s: %s" % (name, line))
            # The Sources list names each table's publisher and publication in the catalogue's own words.
            for line in doc.split("\n## Sources\n\n")[1].split("\n\nFingerprint")[0].splitlines():
                m = re.match(r"- `(\w+)`: (.*)$", line.replace("\\", ""))
                self.assertTrue(m, line)
                entry = catalog[m.group(1)]
                cited = re.search(r"Source: (.*?)\.? Period: ", m.group(2)).group(1)
                self.assertLessEqual(words(cited), words(entry["source"]), "%s: only the catalogue's words" % m.group(1))
                self.assertIn("Period: " + entry["period"], m.group(2))
        doc = self.analyses()["force-profile.peel"]
        # The publisher and publication stay; the copy they were read from and the build script go.
        self.assertIn("Source: Home Office PRC force names, Home Office use-of-force regions, ONS police force area lookups, "
                      "House of Commons Library SN00634 (population, officers); period: names as used 2016-2021", doc)
        self.assertIn("Source: Derived from the Home Office crime outcomes open data (prc-outcomes-open-data-mar2018-tables); period:", doc)
        self.assertIn("Source: Home Office, Police recorded crime open data tables (Police Force Area), "
                      "prc-pfa-mar2013-onwards-tables, sheet 2017/18; period:", doc)
        self.assertIn("via GitHub mpjashby/cj-charts; period:", doc)
        # In the chart's text too.
        self.assertIn("Source: Derived from the Home Office crime outcomes open data\n  (prc-outcomes-open-data-mar2018-tables).\n```", doc)

    def write(self, name, text):
        path = os.path.join(self.tmp.name, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    LEICESTER = ("# A mistyped force\n"
                 "crime_rates | where force = \"Leicester\" | select crime_type, rate\n"
                 "outcomes | where number = 1 | select force, outcome, share\n")

    def leicester(self, *extra):
        """The report of a script whose first command warns and matches nothing: (stderr, document, tokens of its first cell)."""
        script = self.write("leicester.peel", self.LEICESTER)
        rc, doc, err = peel("report", script, "--date", "2026-01-01", *extra)
        self.assertEqual(rc, 0, err)
        if extra:
            return err, doc, None
        tokens = MarkdownIt("commonmark").enable("table").parse(doc)
        first = next(i for i, t in enumerate(tokens) if t.type == "fence" and "Leicester" in t.content)
        second = next(i for i, t in enumerate(tokens) if t.type == "fence" and "outcomes" in t.content)
        return err, doc, tokens[first:second]

    def test_let_tables_are_not_sources_and_keep_the_typed_pipeline(self):
        script = self.write("let.peel", "# A kept table\nlet kent = outcomes_by_force | where force = \"Kent\"\ntables | where group = \"this session\" | select table, title\n")
        rc, doc, err = peel("report", script, "--date", "2026-01-01")
        self.assertEqual(rc, 0, err)
        data = re.search(r"^- Data: (.*)$", doc, re.M).group(1)
        self.assertIn("`outcomes_by_force`", data)
        self.assertNotIn("`kent`", data)
        sources = doc.split("\n## Sources\n\n")[1].split("\n\nFingerprint")[0]
        named = [l.split("`")[1] for l in sources.splitlines()]
        self.assertIn("outcomes_by_force", named)
        self.assertNotIn("kent", named)
        # The kept table's title is the pipeline as written, not the parser's dump.
        self.assertIn('| kent | outcomes\\_by\\_force \\| where force = "Kent" |', doc)
        self.assertNotIn("col(force)", doc)

    def test_empty_table_says_no_rows(self):
        _, _, cell = self.leicester()
        # A header and no body rows, then "(no rows)" as a paragraph, not as a row of the table.
        self.assertIn("table_open", [t.type for t in cell])
        self.assertNotIn("tbody_open", [t.type for t in cell])
        self.assertIn("(no rows)", [t.content for t in cell if t.type == "inline"])
        _, page, _ = self.leicester("--format", "html")
        self.assertIn("<table>\n<caption>(no rows)</caption>", page)
        self.assertEqual(page.count("(no rows)"), 1, "only the empty table")

    def test_warning_is_quoted_under_the_command_that_raised_it(self):
        err, doc, cell = self.leicester()
        # On stderr as in a replay, with the place and the hint.
        self.assertIn("leicester.peel:2:29: warning: no row has force = 'Leicester', so nothing matched", err)
        self.assertIn("help: did you mean 'Leicestershire'?", err)
        # Quoted in the same cell: under the command that raised it, before the next command.
        kinds = [t.type for t in cell]
        self.assertIn("blockquote_open", kinds, doc)
        quote = cell[kinds.index("blockquote_open"):]
        self.assertEqual(quote[2].type, "inline")
        self.assertEqual(quote[2].content, "Warning (line 2): no row has force = 'Leicester', so nothing matched; did you mean 'Leicestershire'?")
        self.assertEqual(doc.count("> Warning"), 1, "only the command that warned gets a warning")
        # HTML: the same warning as a blockquote; the page stays balanced.
        _, page, _ = self.leicester("--format", "html")
        self.assertIn("<blockquote class=\"warning\">\n<p>Warning (line 2): no row has force = 'Leicester', so nothing matched; "
                      "did you mean 'Leicestershire'?</p>\n</blockquote>", page)
        p = Balanced()
        p.feed(page)
        self.assertEqual((p.errors, p.stack), ([], []))

    def parameter_script(self):
        path = os.path.join(self.tmp.name, "params.peel")
        with open(path, "w") as f:
            f.write('# Parameters in a report\nparam label = "none"\n'
                    'crime_rates | add who = $label | select force, who | top 1\n')
        return path

    def test_parameters_with_control_characters_are_refused(self):
        out = os.path.join(self.tmp.name, "never.md")
        for value, code in (("Kent\n## x\n<script>alert(1)</script>", "U+000A (a line break)"),
                            ("Kent\x1b]0;pwned\x07", "U+001B"), ("Kent\r", "U+000D")):
            rc, doc, err = peel("report", self.parameter_script(), "-o", out, "label=" + value)
            self.assertEqual(rc, 2, err)
            self.assertIn("peel: the value of label cannot contain the control character " + code, err)
            self.assertIn("help: give the value on one line, without control characters", err)
            self.assertNotIn("\x1b", err)
            self.assertFalse(os.path.exists(out))
        # The word is shown with the character as a picture and a caret under it.
        _, _, err = peel("report", self.parameter_script(), "label=Ke\nnt")
        self.assertIn("  label=Ke\u240ant\n          ^\n", err)
        # The same rule when the script is replayed.
        rc, _, err = peel(self.parameter_script(), "label=a\x07b")
        self.assertEqual(rc, 2)
        self.assertIn("cannot contain the control character U+0007", err)

    def test_parameters_are_text_in_the_report_never_markdown_or_html(self):
        value = "<script>alert(`1`)</script> *x* [a](b) ``"
        rc, doc, err = peel("report", self.parameter_script(), "--date", "2026-01-01", "label=" + value)
        self.assertEqual(rc, 0, err)
        tokens = MarkdownIt("commonmark").enable("table").parse(doc)
        kinds = {t.type for t in tokens}
        self.assertNotIn("html_block", kinds)
        inline = [c for t in tokens if t.children for c in t.children]
        self.assertNotIn("html_inline", {c.type for c in inline}, doc)
        self.assertNotIn("link_open", {c.type for c in inline}, doc)
        self.assertNotIn("em_open", {c.type for c in inline}, doc)
        # The header shows the value exactly, as one code span; the table cell as text.
        spans = [c.content for c in inline if c.type == "code_inline"]
        self.assertIn('label = "%s"' % value, spans, doc)
        cells = [t.content for t in tokens if t.type == "inline"]
        self.assertIn(value, [c.replace("\\", "") for c in cells], doc)
        rc, page, err = peel("report", self.parameter_script(), "--format", "html", "label=" + value)
        self.assertEqual(rc, 0, err)
        self.assertNotIn("<script>", page)
        self.assertIn("&lt;script&gt;alert(`1`)&lt;/script&gt;", page)
        p = Balanced()
        p.feed(page)
        self.assertEqual((p.errors, p.stack), ([], []))

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

    def test_saved_session_title_is_the_users_first_comment_and_failures_are_left_out(self):
        saved = os.path.join(self.tmp.name, "session.peel")
        # The header line as `save` writes it, from the real binary.
        rc, _, err = peel("-c", 'forces | top 1; save "%s"' % saved)
        self.assertEqual(rc, 0, err)
        with open(saved, encoding="utf-8") as f:
            header = f.readline()
        self.assertTrue(header.startswith("# Saved by peel from an interactive session."), header)
        # A session as `save` keeps it: the user's comments, a failed command kept as `# failed:`.
        with open(saved, "w", encoding="utf-8") as f:
            f.write(header + "# Kent's crime outcomes\n# Charges first.\n"
                    "# failed: outcomes_by_forse | top 3\n"
                    "outcomes_by_force | where outcome_type = 1 | top 3\n")
        out = os.path.join(self.tmp.name, "session.md")
        rc, _, err = peel("report", saved, "-o", out, "--date", "2026-01-01")
        self.assertEqual(rc, 0, err)
        with open(out, encoding="utf-8") as f:
            text = f.read()
        self.assertTrue(text.startswith("# Kent's crime outcomes\n"), text[:80])
        self.assertNotIn("Saved by peel", text)
        self.assertNotIn("outcomes_by_forse", text)
        self.assertNotIn("failed", text)
        self.assertIn("Charges first.", text)
        # An ordinary script keeps a comment that starts with "failed:": only saved sessions drop them.
        plain = os.path.join(self.tmp.name, "plain.peel")
        with open(plain, "w", encoding="utf-8") as f:
            f.write("# Title\n# failed: not a command, a sentence\nforces | top 1\n")
        rc, stdout, err = peel("report", plain, "--date", "2026-01-01")
        self.assertEqual(rc, 0, err)
        self.assertIn("failed: not a command, a sentence", stdout)


if __name__ == "__main__":
    unittest.main(verbosity=1)
