"""Command-line tests: run the real peel binary as a user would, from a pipe, a file or -c."""
import os
import subprocess
import sys
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PEEL = os.environ.get("PEEL_BIN", os.path.join(ROOT, ".build/debug/peel"))
ANALYSIS = os.path.join(ROOT, "scripts/analyses/leicestershire-2016.peel")
EXPECTED = os.path.join(ROOT, "Tests/GoldenTests/Cases/analyses/leicestershire-2016.expected")


def peel(*args, stdin=b"", env=None):
    e = dict(os.environ, PEEL_DATA=os.path.join(ROOT, "datasets"))
    e.pop("PEEL_HISTORY", None)
    e.update(env or {})
    p = subprocess.run([PEEL, *args], input=stdin, capture_output=True, env=e, cwd=ROOT, timeout=60)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


class CommandLine(unittest.TestCase):
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


if __name__ == "__main__":
    unittest.main(verbosity=1)
