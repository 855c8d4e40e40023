#!/usr/bin/env python3
"""Pty tests for results that fit the terminal, and the pager (issue 18).

    PEEL_BIN=$PWD/.build/debug/peel PEEL_DATA=$PWD/datasets python3 Tests/Interactive/test_fit.py

The shell runs under a pseudo-terminal at 80x24 and at 120x40. What it prints is checked
line by line: no line is wider than the window (display width counted here with Python's
unicodedata, independently of peel's DisplayWidth), and the note under a cut table names the
columns it leaves out (the expected names are read from the dataset's CSV header here, not from
peel). For the width checks PAGER is `cat`, so a paged result reaches the terminal as it is;
the pager tests use a marking pager (`sed`) or the real `less -FRSX`.
"""

import codecs
import csv
import fcntl
import gzip
import json
import os
import pty
import re
import select
import signal
import struct
import tempfile
import termios
import time
import unicodedata
import unittest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PEEL_BIN = os.environ.get("PEEL_BIN") or os.path.join(REPO, ".build", "debug", "peel")
DATA = os.environ.get("PEEL_DATA") or os.path.join(REPO, "datasets")
os.environ["PEEL_DATA"] = DATA

TIMEOUT = 10.0
BIG_TIMEOUT = 180.0   # loading and rendering 450,912 rows in a debug build
PROMPT = "peel> "
ENTER = "\r"
CTRL_C = "\x03"
CTRL_D = "\x04"

_ESCAPES = re.compile(
    r"\x1b\[[0-9;?<=>]*[ -/]*[@-~]"
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"
    r"|\x1b[()][0-9A-Za-z]"
    r"|\x1b[=>78DEHMc]"
    r"|[\r\x07]"
)


def clean(text):
    return _ESCAPES.sub("", text)


def width(line):
    """Terminal columns of `line`: East Asian wide and fullwidth characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else
               0 if unicodedata.combining(ch) else 1 for ch in line)


def header(table):
    """The column names of a bundled table: its CSV file's header with the catalog's renames,
    then the catalog's constant columns."""
    with open(os.path.join(DATA, "catalog.json"), encoding="utf-8") as f:
        entry = next(t for t in json.load(f)["tables"] if t["name"] == table)
    path = os.path.join(DATA, entry["file"])
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", newline="", encoding="utf-8") as f:
        names = next(csv.reader(f))
    rename = entry.get("rename", {})
    return [rename.get(n, n) for n in names] + list(entry.get("constants", {}))


CDI = header("cdi_forces")
FOURTEEN = CDI[:14]   # force_name … source_url: 14 columns
assert len(FOURTEEN) == 14, CDI


class Pty:
    """peel under a pseudo-terminal of `cols` x `rows`."""

    def __init__(self, test, cols, rows, env_extra):
        self.test = test
        self.tmp = tempfile.TemporaryDirectory(prefix="peel-fit-")
        env = dict(os.environ)
        env.update(TERM="xterm", LC_ALL="C.UTF-8", HOME=self.tmp.name,
                   XDG_STATE_HOME=os.path.join(self.tmp.name, "state"))
        env.pop("PEEL_HISTORY", None)
        env.update(env_extra)
        argv = [PEEL_BIN, "--no-rc", "--history-file", os.path.join(self.tmp.name, "h")]
        pid, fd = pty.fork()
        if pid == 0:
            try:
                os.chdir(REPO)
                fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
                os.execve(argv[0], argv, env)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        self.raw = ""
        self.pos = 0
        self.eof = False
        self.decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self.expect(r"type 'help' for commands")
        self.wait_prompt()

    def resize(self, cols, rows):
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))

    def read(self, timeout):
        if self.eof:
            time.sleep(min(timeout, 0.05))
            return False
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return False
        try:
            data = os.read(self.fd, 1 << 16)
        except OSError:
            data = b""
        if not data:
            self.eof = True
            return False
        self.raw += self.decoder.decode(data)
        return True

    def expect(self, pattern, timeout=TIMEOUT):
        regex = re.compile(pattern)
        deadline = time.monotonic() + timeout
        while True:
            text = clean(self.raw)
            m = regex.search(text, self.pos)
            if m:
                out = text[self.pos:m.end()]
                self.pos = m.end()
                return out
            left = deadline - time.monotonic()
            if left <= 0 or self.eof:
                self.test.fail(f"timed out waiting for {pattern!r}; output:\n{text[self.pos:][-2000:]!r}")
            self.read(min(left, 0.2))

    def wait_prompt(self, timeout=TIMEOUT):
        out = self.expect(re.escape(PROMPT), timeout)
        time.sleep(0.1)
        return out

    def send(self, keys):
        os.write(self.fd, keys.encode())

    def run(self, line, timeout=TIMEOUT):
        """Types `line`; the lines printed before the next prompt (the echoed line left out)."""
        self.send(line + ENTER)
        self.expect(r"\n", timeout)
        out = self.wait_prompt(timeout)[: -len(PROMPT)]
        # The load progress line is redrawn with carriage returns and then cleared: not output.
        out = re.sub(r"loading [^\n]*?\(Ctrl-C stops it\)", "", out)
        lines = out.split("\n")
        while lines and lines[0] == "":   # the blank line between results
            lines.pop(0)
        if lines and re.fullmatch(r"\[\d+\]", lines[0]):  # the result's cell number
            lines.pop(0)
        return lines

    def close(self):
        try:
            self.send(CTRL_D)
            deadline = time.monotonic() + TIMEOUT
            while time.monotonic() < deadline:
                pid, _ = os.waitpid(self.pid, os.WNOHANG)
                if pid:
                    self.pid = None
                    break
                self.read(0.05)
        finally:
            if self.pid:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
            os.close(self.fd)
            self.tmp.cleanup()


class FitTests(unittest.TestCase):

    def setUp(self):
        if not os.access(PEEL_BIN, os.X_OK):
            self.fail(f"peel binary not found at {PEEL_BIN}")
        self.shells = []

    def tearDown(self):
        for s in self.shells:
            s.close()

    def shell(self, cols, rows, **env):
        s = Pty(self, cols, rows, env)
        self.shells.append(s)
        return s

    def assert_fits(self, lines, cols, what):
        for line in lines:
            self.assertLessEqual(width(line), cols, f"{what}: a line wider than {cols}: {line!r}")

    def note(self, lines):
        """The note naming hidden columns, its wrapped lines joined."""
        for i, line in enumerate(lines):
            if re.match(r"\d+ more columns?: ", line):
                text = line
                for rest in lines[i + 1:]:
                    if not rest.startswith("  "):
                        break
                    text += " " + rest.strip()
                return text
        return None

    def check_sizes(self, cols, rows):
        s = self.shell(cols, rows, PAGER="cat")
        for command in ["tables", "describe outcomes_detail", "help",
                        "cdi_forces | select " + ", ".join(FOURTEEN)]:
            lines = s.run(command, BIG_TIMEOUT)
            self.assertGreater(len(lines), 3, command)
            self.assert_fits(lines, cols, f"{command} at {cols}x{rows}")
        return s, lines

    @staticmethod
    def shown_in(line, name):
        """True when the header `line` shows column `name` whole (maybe with its unit after it),
        or cut to a prefix ending in `…`."""
        if re.search(r"(?<![\w])" + re.escape(name) + r"(?![\w])", line):
            return True
        last = line.split()[-1] if line.split() else ""
        return last.endswith("…") and name.startswith(last[:-1]) and len(last) > 1

    def check_note(self, lines, cols):
        """The 14-column result: the header shows some leading columns; the note names exactly the rest."""
        head = lines[0]
        shown = []
        for c in FOURTEEN:
            if not self.shown_in(head, c):
                break
            shown.append(c)
        self.assertGreater(len(shown), 0, head)
        hidden = FOURTEEN[len(shown):]
        for c in hidden:
            self.assertFalse(self.shown_in(head, c), f"{c} shown after a hidden column: {head!r}")
        note = self.note(lines)
        if not hidden:
            self.assertIsNone(note)
            return
        self.assertIsNotNone(note, "\n".join(lines))
        m = re.match(r"(\d+) more columns?: (.*); `show _ wide` or `set fit off` for all$", note)
        self.assertIsNotNone(m, note)
        self.assertEqual(int(m.group(1)), len(hidden))
        self.assertEqual(m.group(2).split(", "), hidden)

    def test_80x24_everything_fits_and_the_note_names_the_hidden_columns(self):
        s, lines = self.check_sizes(80, 24)
        self.check_note(lines, 80)
        self.assertIsNotNone(self.note(lines))  # 14 columns never fit in 80

    def test_120x40_everything_fits_and_the_note_names_the_hidden_columns(self):
        s, lines = self.check_sizes(120, 40)
        self.check_note(lines, 120)

    def test_long_cells_are_cut_with_an_ellipsis(self):
        # source_url cells (the first three rows' URLs, from the CSV) are longer than the 80-column
        # window leaves them: each shows as its own prefix and `…`.
        with open(os.path.join(DATA, "cdi_forces.csv"), newline="", encoding="utf-8") as f:
            urls = [r["source_url"] for r in csv.DictReader(f)][:3]
        self.assertTrue(all(len(u) > 62 for u in urls), urls)
        s = self.shell(80, 24, PAGER="cat")
        lines = s.run("cdi_forces | select force, source_url | top 3")
        self.assert_fits(lines, 80, "cut cells")
        cut = [l.split()[-1] for l in lines[2:5]]
        for url, shown in zip(urls, cut):
            self.assertTrue(shown.endswith("…"), shown)
            self.assertTrue(url.startswith(shown[:-1]), (url, shown))
        self.assertIsNone(self.note(lines))
        # In a script the same cells are whole.
        import subprocess
        out = subprocess.run([PEEL_BIN, "-c", "cdi_forces | select force, source_url | top 3"],
                             capture_output=True, text=True, cwd=REPO).stdout
        for url in urls:
            self.assertIn(url, out)

    def test_show_wide_and_set_fit_off_show_every_column(self):
        s = self.shell(80, 24, PAGER="cat")
        command = "cdi_forces | select " + ", ".join(FOURTEEN)
        s.run("set fit off")
        lines = s.run(command)
        self.assertTrue(all(self.shown_in(lines[0], c) for c in FOURTEEN), lines[0])
        self.assertNotIn("…", lines[0])
        self.assertIsNone(self.note(lines))
        self.assertTrue(any(width(l) > 80 for l in lines))
        s.run("set fit on")
        lines = s.run("show cdi_forces wide")
        self.assertTrue(all(self.shown_in(lines[0], c) for c in CDI), lines[0])
        self.assertNotIn("…", lines[0])
        self.assertIsNone(self.note(lines))
        lines = s.run("show cdi_forces")
        self.assertIsNotNone(self.note(lines))
        self.assert_fits(lines, 80, "show cdi_forces")

    def test_a_resize_counts_for_the_next_command(self):
        s = self.shell(120, 40, PAGER="cat")
        wide = s.run("cdi_forces | select " + ", ".join(FOURTEEN))
        s.resize(60, 20)
        narrow = s.run("cdi_forces | select " + ", ".join(FOURTEEN))
        self.assert_fits(narrow, 60, "after a resize")
        self.assertLess(len(narrow[0].split()), len(wide[0].split()))

    def test_a_tall_result_goes_through_the_pager_and_set_pager_off_stops_it(self):
        # A pager that marks every line: `outcomes` (42 rows) is taller than 24 rows, `crime_rates` (6) is not.
        s = self.shell(80, 24, PAGER="sed 's/^/P:/'")
        lines = [l for l in s.run("outcomes") if l]
        self.assertTrue(all(l.startswith("P:") for l in lines), lines[:5])
        self.assertGreaterEqual(len(lines), 44)  # header, rule, 42 rows
        short = [l for l in s.run("crime_rates") if l]
        self.assertFalse(any(l.startswith("P:") for l in short), short)
        s.run("set pager off")
        lines = [l for l in s.run("outcomes") if l]
        self.assertFalse(any(l.startswith("P:") for l in lines), lines[:5])
        self.assertGreaterEqual(len(lines), 44)

    def test_a_pager_that_cannot_start_prints_directly(self):
        s = self.shell(80, 24, PAGER="/nonexistent/pager-for-peel")
        lines = [l for l in s.run("outcomes") if l and "not found" not in l]
        self.assertGreaterEqual(len(lines), 44)

    def test_less_opens_for_450912_rows_and_q_returns_to_the_prompt(self):
        env = {"PAGER": ""}  # empty: peel's own choice, less -FRSX
        s = self.shell(80, 24, **env)
        s.send("outcomes_detail" + ENTER)
        # less shows the first screen: the header, the rule, then rows, and waits at its ':' prompt.
        s.expect(r"financial_year", BIG_TIMEOUT)
        s.expect(r"\n:", BIG_TIMEOUT)
        time.sleep(0.3)
        s.send(CTRL_C)   # Ctrl-C in the pager must not end peel
        time.sleep(0.3)
        s.send("q")
        s.wait_prompt(BIG_TIMEOUT)
        lines = s.run("crime_rates")
        self.assertTrue(any("Kent" in l or "rate" in l for l in lines), lines)
        pid, _ = os.waitpid(s.pid, os.WNOHANG)
        self.assertEqual(pid, 0, "peel ended")


if __name__ == "__main__":
    unittest.main()
