"""Command-line tests: run the real peel binary as a user would, from a pipe, a file or -c."""
import os
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PEEL = os.environ.get("PEEL_BIN", os.path.join(ROOT, ".build/debug/peel"))
ANALYSIS = os.path.join(ROOT, "scripts/analyses/leicestershire-2016.peel")
EXPECTED = os.path.join(ROOT, "Tests/GoldenTests/Cases/analyses/leicestershire-2016.expected")


def peel(*args, stdin=b"", env=None, cwd=ROOT):
    e = dict(os.environ, PEEL_DATA=os.path.join(ROOT, "datasets"))
    e.pop("PEEL_HISTORY", None)
    e.update(env or {})
    p = subprocess.run([PEEL, *args], input=stdin, capture_output=True, env=e, cwd=cwd, timeout=60)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


class CommandLine(unittest.TestCase):
    def test_control_characters_in_data_are_exact_in_pipes_and_exports(self):
        """Pictures are for terminals only: in a pipe, a --format csv result, an export and the
        help line quoting the data keep every byte as it was read."""
        data = (b"force,note\r\nKent,\"\x1b]0;pwned\x07\"\r\nEssex,\x1b[31mred\x1b[0m\r\n"
                b"Durham,back\x08xx\r\nSurrey,\xe2\x80\xaeevil\xc2\x9b\r\n")
        with tempfile.TemporaryDirectory() as tmp:
            src, dst = os.path.join(tmp, "hostile.csv"), os.path.join(tmp, "copy.csv")
            with open(src, "wb") as f:
                f.write(data)
            e = dict(os.environ, PEEL_DATA=os.path.join(ROOT, "datasets"))
            p = subprocess.run([PEEL, "--format", "csv", "-c", 'load "%s" as h; h; h | export "%s"; h | where note = "zz"' % (src, dst)],
                               capture_output=True, env=e, cwd=ROOT, timeout=60)
            self.assertEqual(p.returncode, 0, p.stderr)
            rows = (b"force,note\nKent,\x1b]0;pwned\x07\nEssex,\x1b[31mred\x1b[0m\n"
                    b"Durham,back\x08xx\nSurrey,\xe2\x80\xaeevil\xc2\x9b\n")
            self.assertIn(rows, p.stdout)
            with open(dst, "rb") as f:
                self.assertEqual(f.read(), rows)
            self.assertIn(b"note holds: \x1b[31mred\x1b[0m, \x1b]0;pwned\x07, back\x08xx, \xe2\x80\xaeevil\xc2\x9b", p.stderr)
            self.assertNotIn("\u241b".encode(), p.stdout + p.stderr, "no pictures outside a terminal")

    def test_output_to_a_markdown_file_writes_tables_and_fenced_charts(self):
        """`output "F.md"`: tables as Markdown tables, a chart in a fenced block; `chart | export
        "F.md"` fences the chart; both parse as Markdown (markdown-it-py) with what they should hold."""
        from markdown_it import MarkdownIt
        md = MarkdownIt("commonmark").enable("table")
        with tempfile.TemporaryDirectory() as d:
            doc, chart = os.path.join(d, "doc.md"), os.path.join(d, "chart.md")
            rc, out, err = peel("-c", f'output "{doc}"; crime_rates | top 2 | select force, rate; crime_rates | top 2 | chart width 40; output; '
                           f'crime_rates | chart width 40 | export "{chart}"')
            self.assertEqual(rc, 0, err)
            with open(doc, encoding="utf-8") as f:
                tokens = md.parse(f.read())
            kinds = [t.type for t in tokens]
            self.assertEqual(kinds.count("table_open"), 1)
            fences = [t for t in tokens if t.type == "fence"]
            self.assertEqual(len(fences), 1)
            self.assertIn("scale: 0.0 to 68.2 per 1,000 population", fences[0].content)
            cells = [t.content for t in tokens if t.type == "inline"]
            self.assertIn("Leicestershire", cells)
            with open(chart, encoding="utf-8") as f:
                fenced = [t for t in md.parse(f.read()) if t.type == "fence"]
            self.assertEqual(len(fenced), 1)
            self.assertIn("scale: 0.0 to 68.2 per 1,000 population", fenced[0].content)
            self.assertEqual(fenced[0].content.count("\n1.9") + fenced[0].content.count(" 1.9\n"), 1)
            self.assertIn("fenced block", out + err)

    def test_a_byte_order_mark_at_the_start_of_a_script_is_skipped(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "bom.peel")
            with open(path, "wb") as f:
                f.write("\ufefftables | top 1 | select table\ncrime_rates | sort ratez\n".encode())
            rc, out, err = peel(path)
            self.assertEqual(rc, 1)
            self.assertIn("crime_rates", out, "line 1 ran")
            self.assertIn("bom.peel:2:20: error: unknown column 'ratez'", err)
            with open(path, "wb") as f:
                f.write("\ufeffcrime_rates | sort ratez\n".encode())
            for args in ([path], ["-c", "\ufeffcrime_rates | sort ratez"]):
                rc, _, err = peel(*args)
                self.assertEqual(rc, 1)
                self.assertIn(":1:20: error: unknown column 'ratez'", err, "columns are counted after the mark")
                self.assertNotIn("FEFF", err)
            rc, _, err = peel(stdin="\ufefftables\n".encode())
            self.assertEqual((rc, err), (0, ""))

    def test_a_path_starting_with_tilde_is_in_the_home_folder(self):
        with tempfile.TemporaryDirectory() as home:
            with open(os.path.join(home, "x.csv"), "w") as f:
                f.write("force,rate\nKent,1.5\n")
            rc, out, err = peel("-c", 'load "~/x.csv" as x; x | export "~/copy.csv"; load "~/missing.csv"',
                                env={"HOME": home}, cwd="/")
            self.assertIn("loaded x: 1 row", out)
            self.assertIn("wrote 1 row to %s/copy.csv" % home, out)
            with open(os.path.join(home, "copy.csv")) as f:
                self.assertEqual(f.read(), "force,rate\nKent,1.5\n")
            self.assertEqual(rc, 1)
            self.assertIn("error: cannot read '%s/missing.csv': no such file" % home, err)

    def test_help_from_a_pipe_exits_0(self):
        rc, out, err = peel(stdin=b"help\n")
        self.assertEqual(rc, 0, err)
        self.assertIn("compare", out)
        self.assertIn("help COMMAND", out)
        self.assertNotIn("peel> ", out, "no prompt when stdin is not a terminal")

    def test_replayed_analysis_prints_table_and_chart(self):
        rc, out, err = peel(ANALYSIS)
        self.assertEqual(rc, 0, err)
        self.assertEqual(err, "")
        with open(EXPECTED, encoding="utf-8") as f:
            self.assertEqual(out, f.read())
        self.assertRegex(out, r"Charged/Summonsed\s+9\.1\s+12\.1\s+-3\.0")
        self.assertIn("bars: Leicestershire", out)

    def test_same_output_from_file_pipe_and_dash_c(self):
        with open(ANALYSIS, "rb") as f:
            script = f.read()
        _, from_file, _ = peel(ANALYSIS)
        _, from_pipe, _ = peel(stdin=script)
        _, from_c, _ = peel("-c", script.decode())
        self.assertEqual(from_file, from_pipe)
        self.assertEqual(from_file, from_c)
        self.assertNotIn("\x1b", from_file, "no escape codes when not a terminal")

    def test_charged_summonsed_leicestershire_vs_national(self):
        rc, out, err = peel("-c", 'outcomes | where number = 1 | compare "Leicestershire" | select outcome, Leicestershire, `England and Wales`, difference')
        self.assertEqual(rc, 0, err)
        lines = out.splitlines()
        self.assertEqual(lines[0].split(), ["outcome", "Leicestershire", "(%)", "England", "and", "Wales", "(%)", "difference", "(pp)"])
        self.assertEqual(lines[2].split(), ["Charged/Summonsed", "9.1", "12.1", "-3.0"])

    def test_unknown_column_on_line_3_stops_script_with_exit_1(self):
        path = os.path.join(ROOT, "Tests/GoldenTests/Cases/errors/unknown-column.peel")
        rc, out, err = peel(path)
        self.assertEqual(rc, 1)
        first = err.splitlines()[0]
        self.assertRegex(first, r"unknown-column\.peel:3:\d+: error: unknown column 'shares'")
        col = int(first.split(":")[2])
        caret_line = err.splitlines()[2]
        self.assertEqual(caret_line.index("^") - caret_line.index("|") - 2, col - 1, "caret under column %d" % col)
        self.assertIn("help: did you mean 'share'?", err)
        self.assertNotIn("crime_rates", out, "the script stops at its first error")

    def test_force_profile_replays_for_any_force(self):
        script = os.path.join(ROOT, "scripts/analyses/force-profile.peel")
        for force in ("Kent", "Durham"):
            rc, out, err = peel(script, "force=%s" % force)
            self.assertEqual(rc, 0, err)
            with open(os.path.join(ROOT, "Tests/GoldenTests/Cases/analyses/force-profile.force=%s.expected" % force), encoding="utf-8") as f:
                self.assertEqual(out, f.read())
            self.assertIn("%s (%%)  England and Wales (43 territorial forces) (%%)" % force, out)
        rc, _, err = peel(script, "forse=Kent")
        self.assertEqual(rc, 2)
        self.assertIn("unknown parameter 'forse'", err)
        self.assertIn("did you mean 'force'?", err)

    def test_cdi_change_reproduces_the_report(self):
        rc, out, err = peel(os.path.join(ROOT, "scripts/analyses/cdi-leicestershire-2017-2018.peel"))
        self.assertEqual(rc, 0, err)
        self.assertIn("statistically significant improvement of 8.3 pp", out)
        self.assertIn("(about 8,300)", out)

    def test_dash_c_runs_several_commands(self):
        rc, out, _ = peel("-c", "tables | select table; crime_rates | top 1 | select crime_type")
        self.assertEqual(rc, 0)
        self.assertIn("da_outcomes", out)
        self.assertIn("Recorded crime (excluding fraud)", out)

    def test_failing_command_exits_1(self):
        rc, _, err = peel("-c", "outcomez")
        self.assertEqual(rc, 1)
        self.assertTrue(err.startswith("<command>:1:1: error: unknown table 'outcomez'"), err)

    def test_formats(self):
        q = 'outcomes | where number = 1 | select force, outcome, share'
        rc, out, _ = peel("--format", "csv", "-c", q)
        self.assertEqual((rc, out), (0, "force,outcome,share (%)\nLeicestershire,Charged/Summonsed,9.1\nEngland and Wales,Charged/Summonsed,12.1\n"))
        rc, out, _ = peel("--format", "json", "-c", q)
        self.assertIn('{"force": "Leicestershire", "outcome": "Charged/Summonsed", "share (%)": 9.1}', out)
        rc, out, _ = peel("--format", "markdown", "-c", q)
        self.assertIn("| force | outcome | share (%) |\n|---|---|---:|", out)

    def test_version_and_help(self):
        rc, out, _ = peel("--version")
        self.assertEqual(rc, 0)
        self.assertRegex(out, r"^peel \d+\.\d+\.\d+\n$")
        rc, out, _ = peel("--help")
        self.assertEqual(rc, 0)
        for opt in ("-c", "--format", "--history-file", "--version"):
            self.assertIn(opt, out)

    def test_bad_usage_exits_2(self):
        self.assertEqual(peel("--no-such-option")[0], 2)
        self.assertEqual(peel("--format", "pdf", "-c", "tables")[0], 2)
        self.assertEqual(peel("/no/such/script.peel")[0], 2)
        self.assertEqual(peel(ROOT)[0], 2, "a directory is not a script")

    def test_bad_usage_names_the_option_and_prints_usage_once(self):
        rc, out, err = peel("--bogus")
        self.assertEqual((rc, out), (2, ""))
        self.assertTrue(err.startswith("peel: Unknown option '--bogus'\n"), err)
        self.assertIn("Usage: peel [<script>] [<NAME=VALUE> ...] [-c <commands>]", err)
        self.assertEqual(err.count("sage: "), 1, "one usage line, not two: " + err)
        self.assertNotIn("peel peel", err)


class Subcommands(unittest.TestCase):
    """`report` is a swift-argument-parser subcommand of `peel`; `run` (the default) is the rest."""

    def test_help_lists_report_and_the_run_options(self):
        rc, out, err = peel("--help")
        self.assertEqual(rc, 0, err)
        self.assertIn("USAGE: peel [run] [<script>] [<NAME=VALUE> ...]", out)
        self.assertIn("\n       peel report <script> [<NAME=VALUE> ...]", out)
        self.assertRegex(out, r"SUBCOMMANDS:\n  run \(default\) .*\n(.*\n)*  report +Run a saved analysis")
        for opt in ("-c <commands>", "--format <format>", "--history-file", "--no-rc", "--version"):
            self.assertIn(opt, out)
        self.assertEqual(peel("help"), (0, out, ""), "'peel help' is 'peel --help'")

    def test_report_help_names_peel_report(self):
        rc, out, err = peel("report", "--help")
        self.assertEqual(rc, 0, err)
        self.assertIn("USAGE: peel report <script> [<NAME=VALUE> ...] [--output <output>] [--date <date>] [--format <format>]", out)
        self.assertNotIn("report_arguments", out)
        self.assertNotIn("report-arguments", out)
        for opt in ("-o, --output", "--date", "--format"):
            self.assertIn(opt, out)
        self.assertEqual(peel("help", "report"), (0, out, ""))

    def test_report_usage_errors_exit_2_with_its_usage(self):
        rc, _, err = peel("report")
        self.assertEqual(rc, 2)
        self.assertIn("Missing expected argument '<script>'", err)
        self.assertIn("Usage: peel report <script>", err)
        rc, _, err = peel("report", ANALYSIS, "--bogus")
        self.assertEqual(rc, 2)
        self.assertIn("Unknown option '--bogus'", err)

    def test_report_options_after_the_script_and_parameters(self):
        script = os.path.join(ROOT, "scripts/analyses/outcomes-2017-18-charged.peel")
        with tempfile.TemporaryDirectory(prefix="peel-cli-") as tmp:
            out = os.path.join(tmp, "out.md")
            rc, stdout, err = peel("report", script, "-o", out, "--date", "2026-01-01", "force=Kent")
            self.assertEqual((rc, stdout), (0, ""), err)
            with open(out, encoding="utf-8") as f:
                doc = f.read()
            self.assertIn("- Date: 2026-01-01", doc)
            self.assertIn('`force = "Kent"`', doc)
        # --format belongs to report here, not to peel's own --format.
        rc, stdout, err = peel("report", ANALYSIS, "--date", "2026-01-01", "--format", "html")
        self.assertEqual(rc, 0, err)
        self.assertTrue(stdout.startswith("<!DOCTYPE html>"), stdout[:80])

    def test_run_is_the_default_subcommand(self):
        self.assertEqual(peel("run", "-c", "tables"), peel("-c", "tables"))
        self.assertEqual(peel("run", ANALYSIS)[1], peel(ANALYSIS)[1])
        rc, out, err = peel("run", "--version")
        self.assertEqual((rc, err), (0, ""))
        self.assertRegex(out, r"^peel \d+\.\d+\.\d+\n$")

    def test_a_script_named_report_runs_as_a_path_or_after_run(self):
        with tempfile.TemporaryDirectory(prefix="peel-cli-") as tmp:
            with open(os.path.join(tmp, "report"), "w") as f:
                f.write("crime_rates | top 1 | select crime_type\n")
            for args in (["./report"], ["run", "report"], ["--", "report"]):
                rc, out, err = peel(*args, cwd=tmp)
                self.assertEqual(rc, 0, "%s: %s" % (args, err))
                self.assertIn("Recorded crime (excluding fraud)", out)
            rc, _, err = peel("report", cwd=tmp)
            self.assertEqual(rc, 2, "'peel report' alone is the subcommand, missing its script")
            self.assertIn("Usage: peel report", err)

    def test_parameters_are_read_in_one_place_with_one_message(self):
        script = os.path.join(ROOT, "scripts/analyses/force-profile.peel")
        for words, expected in ((["forse=Kent"], "peel: unknown parameter 'forse' for %s\nhelp: did you mean 'force'?\n" % script),
                                (["force"], "peel: 'force' is not a parameter\nhelp: write NAME=VALUE, e.g. force=\"Kent\"\n"),
                                (["=Kent"], "peel: '=Kent' is not a parameter\nhelp: write NAME=VALUE, e.g. force=\"Kent\"\n")):
            self.assertEqual(peel(script, *words), (2, "", expected), "peel %s" % words)
            self.assertEqual(peel("report", script, *words), (2, "", expected), "peel report %s" % words)
        # A script without parameters says so, in both.
        expected = "peel: unknown parameter 'force' for %s\nhelp: the script declares no parameters\n" % ANALYSIS
        self.assertEqual(peel(ANALYSIS, "force=Kent"), (2, "", expected))
        self.assertEqual(peel("report", ANALYSIS, "force=Kent"), (2, "", expected))


if __name__ == "__main__":
    unittest.main(verbosity=1)
