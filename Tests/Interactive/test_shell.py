#!/usr/bin/env python3
"""Interactive tests for peel: drive the shell through a pseudo-terminal.

Run from anywhere:

    python3 Tests/Interactive/test_shell.py            # or: python3 -m unittest ...

Environment:
    PEEL_BIN   the binary to test (default: <repo>/.build/debug/peel)
    PEEL_DATA  the dataset folder (default: <repo>/datasets)

Only the standard library is used (pty, os, select, unittest). Each test starts
peel under a pty with TERM=xterm, LC_ALL=C.UTF-8, a 120x40 window and a history
file in a temporary directory. Assertions are made on what the program prints
after Enter (escape sequences are stripped), not on libedit's redraws.
"""

import codecs
import fcntl
import os
import pty
import re
import select
import signal
import struct
import tempfile
import termios
import time
import unittest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PEEL_BIN = os.environ.get("PEEL_BIN") or os.path.join(REPO, ".build", "debug", "peel")
if not os.environ.get("PEEL_DATA"):
    os.environ["PEEL_DATA"] = os.path.join(REPO, "datasets")

TIMEOUT = 5.0          # seconds to wait for any expected output
KEY_PAUSE = 0.1        # pause after a prompt appears, before sending keys
ROWS, COLS = 40, 120

ENTER = "\r"
TAB = "\t"
CTRL_C = "\x03"
CTRL_D = "\x04"
UP = "\x1b[A"

PROMPT = "peel> "
CONTINUATION = "  ...> "

# Terminal control sequences and bare carriage returns / bells, removed before matching.
_ESCAPES = re.compile(
    r"\x1b\[[0-9;?<=>]*[ -/]*[@-~]"   # CSI ... final byte
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC ... BEL or ST
    r"|\x1b[()][0-9A-Za-z]"           # character set selection
    r"|\x1b[=>78DEHMc]"               # other two-byte escapes
    r"|[\r\x07]"
)


def clean(text):
    """The text with terminal escapes, carriage returns and bells removed."""
    return _ESCAPES.sub("", text)


class InteractiveShellTests(unittest.TestCase):

    # ------------------------------------------------------------------ fixture

    def setUp(self):
        if not os.access(PEEL_BIN, os.X_OK):
            self.fail(f"peel binary not found at {PEEL_BIN} (build with `swift build` or set PEEL_BIN)")
        self._tmp = tempfile.TemporaryDirectory(prefix="peel-pty-")
        self.tmp = self._tmp.name
        self.history = os.path.join(self.tmp, "history")
        self.pid = None
        self.fd = None

    def tearDown(self):
        self._kill()
        self._tmp.cleanup()

    def _kill(self):
        """Kills the child if it is still running and closes the pty."""
        if self.pid is not None:
            try:
                pid, _ = os.waitpid(self.pid, os.WNOHANG)
                if pid == 0:
                    os.kill(self.pid, signal.SIGKILL)
                    os.waitpid(self.pid, 0)
            except (ChildProcessError, ProcessLookupError):
                pass
            self.pid = None
        if self.fd is not None:
            try:
                os.close(self.fd)
            except OSError:
                pass
            self.fd = None

    # ------------------------------------------------------------------ helpers

    def spawn(self, *args):
        """Starts peel under a new pty and waits for the banner and first prompt."""
        self._kill()
        env = dict(os.environ)
        # Results taller than the window would open the pager; these tests read them directly.
        env.update(TERM="xterm", LC_ALL="C.UTF-8", HOME=self.tmp, PAGER="cat",
                   XDG_STATE_HOME=os.path.join(self.tmp, "state"))
        env.pop("PEEL_HISTORY", None)
        self.start([PEEL_BIN, "--history-file", self.history, *args], env)
        self.expect(r"type 'help' for commands")
        self.wait_prompt()

    def start(self, argv, env):
        """Starts argv[0] under a new pty (its own session, the pty its controlling terminal)."""
        pid, fd = pty.fork()
        if pid == 0:  # child: stdin/stdout/stderr are the pty's slave side
            try:
                os.chdir(REPO)
                fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
                os.execve(argv[0], argv, env)
            except BaseException as e:  # noqa: BLE001 - must never return into unittest
                os.write(2, f"exec failed: {e}\n".encode())
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        self.raw = ""       # everything read so far, decoded
        self.pos = 0        # how far expect() has consumed clean(self.raw)
        self.eof = False
        self.exit_code = None
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")

    def _read(self, timeout):
        """Reads whatever the child writes within `timeout` seconds (at most one chunk)."""
        if self.eof:
            time.sleep(min(timeout, 0.05))
            return False
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return False
        try:
            data = os.read(self.fd, 65536)
        except OSError:  # EIO: the slave side is closed (child exited)
            data = b""
        if not data:
            self.eof = True
            return False
        self.raw += self._decoder.decode(data)
        return True

    def _clean_text(self):
        """clean(self.raw), leaving out an escape sequence still arriving at the end."""
        raw = self.raw
        esc = raw.rfind("\x1b")
        if esc != -1 and len(raw) - esc < 16 and not _ESCAPES.match(raw, esc):
            raw = raw[:esc]
        return clean(raw)

    def expect(self, pattern, timeout=TIMEOUT):
        """Waits until `pattern` (a regex) appears in the output not yet consumed.

        Returns the consumed text (up to and including the match); fails on timeout.
        """
        regex = re.compile(pattern)
        deadline = time.monotonic() + timeout
        while True:
            text = self._clean_text()
            m = regex.search(text, self.pos)
            if m:
                consumed = text[self.pos:m.end()]
                self.pos = m.end()
                return consumed
            remaining = deadline - time.monotonic()
            if remaining <= 0 or (self.eof and not self._read(0)):
                tail = text[self.pos:][-1500:]
                self.fail(f"timed out waiting for {pattern!r}; unread output:\n{tail!r}")
            self._read(min(remaining, 0.2))

    def wait_prompt(self, prompt=PROMPT):
        """Waits for `prompt`, then pauses so libedit is reading the terminal in raw mode."""
        consumed = self.expect(re.escape(prompt))
        time.sleep(KEY_PAUSE)
        return consumed

    def send(self, keys):
        os.write(self.fd, keys.encode("utf-8"))

    def send_control(self, key):
        """Sends a control key after a short pause (libedit must have seen the preceding input)."""
        time.sleep(KEY_PAUSE)
        self.send(key)

    def run_line(self, line, prompt=PROMPT):
        """Types `line` and Enter; returns what the shell printed before the next `prompt`."""
        self.send(line + ENTER)
        return self.output_until_prompt(prompt)

    def output_until_prompt(self, prompt=PROMPT):
        """Everything after the current line's echo, up to the next prompt."""
        self.expect(r"\n")                      # end of the echoed input line
        out = self.wait_prompt(prompt)
        return out[: -len(prompt)]

    def wait_exit(self, timeout=TIMEOUT):
        """Waits for the child to exit (draining its output); returns its exit code."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid != 0:
                self.pid = None
                self.exit_code = os.waitstatus_to_exitcode(status)
                while self._read(0):
                    pass
                return self.exit_code
            self._read(0.05)
        self.fail("peel did not exit within %.0f s; output:\n%r" % (timeout, self._clean_text()[-1500:]))

    def close(self):
        """Ctrl-D on an empty line; returns the exit status."""
        self.send_control(CTRL_D)
        return self.wait_exit()

    # ------------------------------------------------------------------ tests

    def test_01_tab_completes_command_name(self):
        self.spawn()
        self.send("tab" + TAB)
        self.expect(r"tables ")
        out = self.run_line("")
        self.assertIn("crime_rates", out)
        self.assertIn("da_outcomes", out)
        self.assertIn("indicators", out)
        self.assertEqual(self.close(), 0)

    def test_02_tab_completes_table_after_describe(self):
        self.spawn()
        self.send("des" + TAB)
        self.expect(r"describe ")
        self.send("cdi_ra" + TAB)
        self.expect(r"cdi_rates ")
        out = self.run_line("")
        self.assertIn("cdi_rates: Crime-recording rates", out)
        self.assertEqual(self.close(), 0)

    def test_03_tab_completes_verb_after_pipe_and_column_after_verb(self):
        self.spawn()
        self.send("outcomes | so" + TAB)
        self.expect(r"sort ")
        self.send("sh" + TAB)
        self.expect(r"share ")
        out = self.run_line("desc | top 5")
        # The five largest shares, in descending order (two 100.00 totals come first,
        # so the 50.2 outcome row is fifth).
        shares = re.findall(r"\s(\d+\.\d+)\s+12 months", out)
        self.assertEqual(shares, ["100.00", "100.00", "91.3", "81.8", "50.2"], out)
        self.assertIn("Investigation complete", out)
        self.assertEqual(self.close(), 0)

    def test_03b_tab_completes_where_and_its_column(self):
        self.spawn()
        self.send("outcomes | wh" + TAB)
        self.expect(r"where ")
        self.send("fo" + TAB)
        self.expect(r"force ")
        out = self.run_line('= "England and Wales" | top 3')
        self.assertIn("share (%)", out)
        self.assertEqual(out.count("England and Wales"), 3, out)
        self.assertNotIn("Leicestershire", out)
        self.assertNotIn("error", out)
        self.assertEqual(self.close(), 0)

    def test_04_several_matches_are_listed(self):
        self.spawn()
        self.send("outcomes | s" + TAB)
        listing = self.expect(r"select\s+sort")
        self.assertNotIn("where", listing)
        # The half-typed line is redrawn under the list and can still be finished.
        self.expect(re.escape(PROMPT + "outcomes | s"))
        time.sleep(KEY_PAUSE)
        out = self.run_line("ort share desc | top 5")
        self.assertIn("50.2", out)
        self.assertNotIn("error", out)
        self.assertEqual(self.close(), 0)

    def test_05_history_survives_a_restart(self):
        self.spawn()
        out = self.run_line("describe crime_rates")
        self.assertIn("crime_rates: ", out)
        self.assertEqual(self.close(), 0)
        self.assertTrue(os.path.getsize(self.history) > 0, "history file is empty")

        self.spawn()
        self.send(UP)
        self.expect(r"describe crime_rates")
        out = self.run_line("")
        self.assertIn("crime_rates: Police-recorded crime rates", out)
        self.assertEqual(self.close(), 0)

    def test_06_ctrl_c_abandons_the_line_and_keeps_running(self):
        self.spawn()
        self.send("outcomes | wher")
        self.expect(r"outcomes \| wher")
        self.send_control(CTRL_C)
        self.wait_prompt()
        out = self.run_line("tables")
        self.assertIn("crime_rates", out)
        self.assertNotIn("error", out)
        self.assertNotIn("wher", out)   # the abandoned text was not run
        self.assertEqual(self.close(), 0)

    def test_06b_ctrl_c_abandons_a_continuation(self):
        self.spawn()
        self.send("outcomes |" + ENTER)
        self.wait_prompt(CONTINUATION)
        self.send("top")
        self.expect(r"top")
        self.send_control(CTRL_C)
        self.wait_prompt(PROMPT)
        out = self.run_line("tables")
        self.assertIn("indicators", out)
        self.assertNotIn("error", out)
        self.assertEqual(self.close(), 0)

    def test_07_ctrl_d_on_empty_line_exits_zero(self):
        self.spawn()
        self.assertEqual(self.close(), 0)

    def test_08_error_does_not_end_the_shell(self):
        self.spawn()
        out = self.run_line("outcomez")
        self.assertIn("error: unknown table 'outcomez'", out)
        self.assertRegex(out, r"<stdin>:1:1: error")
        self.assertRegex(out, r"\|\s+\^~~~~~~~")
        self.assertIn("help: did you mean 'outcomes'?", out)
        out = self.run_line("tables")
        self.assertIn("crime_rates", out)
        self.assertEqual(self.close(), 0)

    def test_09_multi_line_command(self):
        self.spawn()
        self.send("outcomes |" + ENTER)
        self.wait_prompt(CONTINUATION)
        out = self.run_line("top 1")
        self.assertIn("Charged/Summonsed", out)
        self.assertNotIn("error", out)
        self.assertEqual(self.close(), 0)

    def test_10_utf8_input(self):
        self.spawn()
        out = self.run_line("help café")
        self.assertIn("no help for 'café': not a command", out)
        self.assertIn("help café", out)    # the quoted source line
        self.assertEqual(self.close(), 0)


    # Completion of values and paths, pasted scripts, Ctrl-C during a long load, history, start-up file.

    def test_11_completes_a_force_name_from_a_word_inside_it(self):
        self.spawn()
        self.send("cdi_forces | top 1 by published_date per force | compare pow" + TAB)
        self.expect(r'"Dyfed-Powys" ')
        out = self.run_line("to mean")
        self.assertIn("Dyfed-Powys (%)", out)
        self.assertIn("mean of 43 forces", out)
        self.assertEqual(self.close(), 0)

    def test_12_completes_a_file_path(self):
        self.spawn()
        self.send('load "datasets/cdi_ra' + TAB)
        self.expect(r'"datasets/cdi_rates\.csv" ')
        out = self.run_line("as copy")
        self.assertIn("loaded copy: 5 rows", out)
        self.assertEqual(self.close(), 0)

    def test_13_pasted_three_line_script_runs_every_line(self):
        self.spawn()
        self.send("tables | top 1 | select table" + ENTER + "crime_rates | top 1 | select crime_type" + ENTER + "history 2" + ENTER)
        self.expect(r"Recorded crime \(excluding fraud\)")
        self.expect(r"2  crime_rates \| top 1 \| select crime_type")
        self.expect(r"3  history 2")
        self.wait_prompt()
        self.assertEqual(self.close(), 0)

    def assert_caret_line_ended(self):
        """The ^C the terminal echoed is followed by a new line (or by the progress line's clearing,
        which leaves the cursor at the start of an empty line), never by the message itself."""
        raw = self.raw
        at = raw.rfind("^C")
        self.assertNotEqual(at, -1, "the terminal echoed ^C")
        self.assertRegex(raw[at + 2:at + 8], r"^(\r?\n|\r\x1b\[K)", repr(raw[at - 40:at + 80]))

    def test_14_ctrl_c_during_a_long_load_keeps_the_shell(self):
        self.spawn()
        self.send("outcomes_detail | top 1" + ENTER)
        time.sleep(0.6)
        self.send(CTRL_C)
        # The table is named (not its file), at the command, on a line of its own.
        self.expect(r"<stdin>:1:1: error: interrupted: outcomes_detail was not loaded, and every table is as it was\n"
                    r"1 \| outcomes_detail \| top 1\n  \| \^~+\nhelp: nothing of it was kept", timeout=30)
        self.assertNotIn("csv.gz", self._clean_text())
        self.assert_caret_line_ended()
        self.wait_prompt()
        out = self.run_line("crime_rates | top 1 | select crime_type")
        self.assertIn("Recorded crime (excluding fraud)", out)
        self.assertEqual(self.close(), 0)

    def test_14d_ctrl_c_during_a_long_computation_returns_to_the_prompt(self):
        """Not a load: the table is loaded first, then a sort and a ranking of its 450,912 rows are
        stopped part-way. The shell keeps running and every table is as it was."""
        self.spawn()
        self.send("outcomes_detail | summarise count" + ENTER)
        self.expect(r"\b450912\b", timeout=120)  # loaded (a debug build takes seconds)
        self.wait_prompt()
        self.send("outcomes_detail | sort offence_description, offences | rank offences | summarise count" + ENTER)
        time.sleep(0.4)
        started = time.monotonic()
        self.send(CTRL_C)
        seen = self.expect(r"interrupted: this command was stopped, and every table is as it was|\b450912\b", timeout=60)
        if "450912" in seen:
            self.skipTest("the computation finished before Ctrl-C arrived")
        self.assertLess(time.monotonic() - started, 10, "stopped promptly")
        self.wait_prompt()
        out = self.run_line("outcomes_detail | summarise count")
        self.assertIn("450912", out)
        self.assertEqual(self.close(), 0)

    def test_14c_ctrl_c_during_load_as_names_the_new_table(self):
        self.spawn()
        self.send('load "datasets/outcomes_offence_level_2017_18.csv.gz" as detail' + ENTER)
        time.sleep(0.6)
        self.send(CTRL_C)
        seen = self.expect(r"interrupted: detail was not loaded, and every table is as it was|loaded detail:", timeout=30)
        if seen.endswith("loaded detail:"):
            self.skipTest("the load finished before Ctrl-C arrived")
        self.assert_caret_line_ended()
        self.wait_prompt()
        out = self.run_line("detail | top 1")
        self.assertIn("error: unknown table 'detail'", out)
        self.assertEqual(self.close(), 0)

    def test_14b_progress_line_for_a_slow_load_then_cleared(self):
        self.spawn()
        self.send("outcomes_detail | top 1 | select force" + ENTER)
        seen = self.expect(r"loading outcomes_detail: \d+%|Avon and Somerset", timeout=60)
        if "Avon and Somerset" in seen:
            self.skipTest("the load finished within a second, so no progress line is due")
        self.expect(r"Avon and Somerset", timeout=60)
        self.wait_prompt()
        self.assertEqual(self.close(), 0)

    def test_15_startup_file_runs_unless_no_rc(self):
        with open(os.path.join(self.tmp, ".peelrc"), "w") as f:
            f.write('set peers = ("Kent", "Essex")\n')
        self.spawn()
        out = self.run_line("set")
        self.assertIn('$peers = ("Kent", "Essex")', out)
        self.assertEqual(self.close(), 0)
        self.spawn("--no-rc")
        out = self.run_line("set")
        self.assertIn("no variables", out)
        self.assertEqual(self.close(), 0)

    def test_16_open_quote_continues_and_value_warning(self):
        self.spawn()
        self.send('outcomes | where force = "Leicestershre' + ENTER)
        self.wait_prompt(CONTINUATION)
        out = self.run_line('" | top 1')
        self.assertIn("warning: no row has force = 'Leicestershre", out)
        self.assertIn("did you mean 'Leicestershire'?", out)
        self.assertEqual(self.close(), 0)

    # The continuation check reads the line with the parser's lexer (lenient mode).

    def next_prompt(self):
        """Waits for the next prompt, either kind; returns (output before it, the prompt)."""
        self.expect(r"\n")
        seen = self.expect(r"peel> |  \.\.\.> ")
        time.sleep(KEY_PAUSE)
        prompt = PROMPT if seen.endswith(PROMPT) else CONTINUATION
        return seen[: -len(prompt)], prompt

    def test_17_a_quote_in_a_comment_does_not_continue_the_line(self):
        self.spawn()
        self.send("tables # it's" + ENTER)
        out, prompt = self.next_prompt()
        self.assertEqual(prompt, PROMPT, "the command ran at once")
        self.assertIn("crime_rates", out)
        self.send("tables | top 1 # (" + ENTER)
        out, prompt = self.next_prompt()
        self.assertEqual(prompt, PROMPT)
        self.assertNotIn("error", out)
        # A `|` before the comment still continues; so does a quote or bracket left open.
        self.send("crime_rates | # more to come" + ENTER)
        _, prompt = self.next_prompt()
        self.assertEqual(prompt, CONTINUATION)
        out = self.run_line("top 1 | select crime_type")
        self.assertIn("Recorded crime (excluding fraud)", out)
        self.assertEqual(self.close(), 0)

    def test_17b_an_open_bracket_continues_on_the_same_line(self):
        self.spawn()
        self.send('crime_rates | where force in ("Kent",' + ENTER)
        self.wait_prompt(CONTINUATION)
        out = self.run_line('"Leicestershire") | select force, rate | top 1')
        self.assertIn("Leicestershire", out)
        self.assertNotIn("error", out)
        self.assertEqual(self.close(), 0)

    def test_18_tab_offers_as_after_a_selected_column(self):
        self.spawn()
        self.send("crime_rates | select force a" + TAB)
        self.expect(r"force as ")
        self.send("place, ra" + TAB)
        self.expect(r"place, rate ")
        out = self.run_line("| top 1")
        self.assertRegex(out, r"place\s+rate")
        self.assertIn("Leicestershire", out)
        self.assertEqual(self.close(), 0)

    def test_19_tab_inserts_the_shared_beginning_of_several_forces_and_lists_them(self):
        self.spawn()
        self.send("cdi_forces | top 1 by published_date per force | compare wes" + TAB)
        listing = self.expect(r"West Yorkshire\"")
        self.assertIn('"West Mercia"', listing)
        self.assertIn('"West Midlands"', listing)
        # The line is redrawn with the shared `"West ` in place of `wes`.
        self.expect(re.escape(PROMPT + 'cdi_forces | top 1 by published_date per force | compare "West '))
        time.sleep(KEY_PAUSE)
        self.send("Y" + TAB)
        self.expect(r'Yorkshire" ')  # libedit redraws only what changed after the typed Y
        out = self.run_line("to mean")
        self.assertIn("West Yorkshire (%)", out)
        self.assertNotIn("error", out)
        self.assertEqual(self.close(), 0)

    def test_20_a_line_starting_with_a_pipe_continues_the_previous_table(self):
        self.spawn()
        out = self.run_line('| top 1')
        self.assertIn("error: nothing to continue: no command has produced a table yet", out)
        self.run_line('crime_rates | where force = "Leicestershire"')
        out = self.run_line("| select crime_type, rate")
        self.assertRegex(out, r"crime_type\s+rate\n")
        self.assertNotIn("force", out)
        self.send("| sort ra" + TAB)       # Tab completes the kept table's columns
        self.expect(r"sort rate ")
        out = self.run_line("| top 1   # the smallest")
        self.assertIn("Sexual offences", out)
        self.assertEqual(len(re.findall(r"\d+\.\d", out)), 1, out)
        out = self.run_line("help tables")
        out = self.run_line("| top 1")
        self.assertIn("error: nothing to continue: the previous command (help tables) did not produce a table", out)
        self.assertRegex(out, r"<stdin>:\d+:1: error")
        # The table itself is as it was.
        out = self.run_line("crime_rates | summarise count")
        self.assertRegex(out, r"\b6\b")
        self.assertEqual(self.close(), 0)

    # Control characters in data reach a terminal as pictures, never as the bytes themselves.

    HOSTILE = (b"force,note\n"
               b"Kent,\"\x1b]0;pwned\x07 title\"\n"
               b"Essex,\x1b[31mred\x1b[0m\n"
               b"Durham,back\x08\x08xx\n"
               b"Surrey,\xe2\x80\xaeevil\n")
    # peel's own colouring of "error:", "warning:", "help:" and the caret.
    _OWN_COLOURS = re.compile(r"\x1b\[(?:1;31|1;33|36|0)m")

    def program_output(self, line):
        """Types `line` and Enter; returns the raw bytes (decoded) peel wrote before the next prompt."""
        start = len(self.raw)
        self.run_line(line)
        raw = self.raw[start:]
        after_echo = raw.index("\n") + 1
        return raw[after_echo:raw.rindex(PROMPT)]

    def test_21_control_characters_in_data_are_shown_as_pictures(self):
        path = os.path.join(self.tmp, "hostile.csv")
        with open(path, "wb") as f:
            f.write(self.HOSTILE)
        with open(os.path.join(self.tmp, "bad.csv"), "wb") as f:
            f.write(b"force,note\nKent,ok\nEssex,\x1b]52;c;cGVlbA==\x07,extra\n")
        self.spawn()
        shown = ""
        for line in ['load "%s" as h' % path,
                     "h",
                     'h | where note = "zz"',            # help: note holds: …
                     'h | where note = "\u202eevi"',       # a warning quoting the typed value
                     'load "%s"' % os.path.join(self.tmp, "bad.csv")]:   # an error excerpt of the file
            shown += self.program_output(line)
        bare = self._OWN_COLOURS.sub("", shown)
        for byte in ("\x1b", "\x07", "\x08", "\u202e", "\x9b"):
            self.assertNotIn(byte, bare, "raw %r reached the terminal:\n%r" % (byte, shown))
        self.assertIn("\u241b]0;pwned\u2407 title", shown)      # ␛]0;pwned␇
        self.assertIn("\u241b[31mred\u241b[0m", shown)
        self.assertIn("back\u2408\u2408xx", shown)             # ␈␈
        self.assertIn("<U+202E>evil", shown)
        self.assertIn("note holds: ", shown)
        self.assertIn("\u241b]52;c;cGVlbA==\u2407", shown)      # the clipboard write, in the excerpt
        self.assertIn("\x1b[1;31merror:\x1b[0m", shown)        # peel's own colour is kept
        # The table lines up on the screen: each picture takes the column it is shown in.
        rows = [l for l in clean(shown).splitlines() if l.startswith(("Kent", "Essex", "Durham", "Surrey"))][:4]
        self.assertEqual(len({l.index(l.split()[1]) for l in rows}), 1, rows)
        self.assertEqual(self.close(), 0)

    # Ctrl-Z and fg: the prompt and the half-typed line come back, keys are read in the editor's mode.

    LEFT, RIGHT, CTRL_Z = "\x1b[D", "\x1b[C", "\x1a"

    def assert_editing_works_after_continuing(self, since):
        """The prompt and the half-typed `crime_rates | top 1 | se|ect crime_type` (cursor after
        `se`) are drawn again; a typed `l` goes in at the cursor, once; the arrows move the cursor
        and are not echoed as ^[[D; the finished command runs."""
        self.expect(re.escape(PROMPT + "crime_rates | top 1 | seect crime_type"))
        time.sleep(KEY_PAUSE)
        self.send("l" + self.LEFT + self.RIGHT)
        time.sleep(KEY_PAUSE)
        out = self.run_line("")
        self.assertIn("Recorded crime (excluding fraud)", out)
        self.assertNotIn("error", out)
        after = self.raw[since:]
        self.assertNotIn("^[", after, "an arrow was echoed by the terminal: %r" % after)
        self.assertNotIn("llect", after, "a key was echoed twice: %r" % after)

    def type_half_a_command(self):
        self.send("crime_rates | top 1 | seect crime_type" + self.LEFT * 14)
        self.expect(r"seect crime_type")
        time.sleep(KEY_PAUSE)

    def test_22_stopped_and_continued_at_the_prompt_the_editor_comes_back(self):
        """SIGSTOP, then the terminal set to the cooked, echoing mode a job-control shell leaves
        it in, then SIGCONT (what Ctrl-Z and fg do, without a shell)."""
        self.spawn()
        self.type_half_a_command()
        os.kill(self.pid, signal.SIGSTOP)
        _, status = os.waitpid(self.pid, os.WUNTRACED)
        self.assertTrue(os.WIFSTOPPED(status))
        attrs = termios.tcgetattr(self.fd)
        attrs[0] |= termios.ICRNL
        attrs[3] |= termios.ICANON | termios.ECHO | termios.ECHOE | termios.ECHOCTL | termios.ISIG
        termios.tcsetattr(self.fd, termios.TCSANOW, attrs)
        since = len(self.raw)
        os.kill(self.pid, signal.SIGCONT)
        self.assert_editing_works_after_continuing(since)
        # SIGTSTP at the prompt: the terminal is given back, then taken again (this process
        # group has no job-control shell, so the kernel does not stop it).
        self.type_half_a_command()
        since = len(self.raw)
        os.kill(self.pid, signal.SIGTSTP)
        self.assert_editing_works_after_continuing(since)
        self.assertEqual(self.close(), 0)

    def test_23_ctrl_z_and_fg_under_a_job_control_shell(self):
        bash = "/bin/bash"
        if not os.access(bash, os.X_OK):
            self.skipTest("no bash")
        env = dict(os.environ, TERM="xterm", LC_ALL="C.UTF-8", HOME=self.tmp, PS1="sh$ ",
                   XDG_STATE_HOME=os.path.join(self.tmp, "state"))
        env.pop("PEEL_HISTORY", None)
        self.start([bash, "--norc", "--noprofile", "-i"], env)
        self.expect(r"sh\$ ")
        self.send("%s --history-file %s --no-rc" % (PEEL_BIN, self.history) + ENTER)
        self.expect(r"type 'help' for commands")
        self.wait_prompt()
        self.type_half_a_command()
        self.send(self.CTRL_Z)
        self.expect(r"Stopped")
        self.expect(r"sh\$ ")
        time.sleep(KEY_PAUSE)
        self.send("fg" + ENTER)
        since = len(self.raw)
        self.assert_editing_works_after_continuing(since)
        self.send_control(CTRL_D)
        self.expect(r"sh\$ ")
        self.send("exit" + ENTER)
        self.assertEqual(self.wait_exit(), 0)

    def test_24_tab_completes_a_home_path_that_load_then_opens(self):
        with open(os.path.join(self.tmp, "my-rates.csv"), "w") as f:   # HOME is self.tmp
            f.write("force,rate\nKent,1.5\n")
        self.spawn()
        self.send('load "~/my' + TAB)
        self.expect(r'"~/my-rates\.csv" ')
        out = self.run_line("as mine")
        self.assertIn("loaded mine: 1 row", out)
        self.assertNotIn("error", out)
        self.assertEqual(self.close(), 0)

    def test_25_tab_inside_a_value_with_a_combining_accent(self):
        """`"Cafe` + U+0301 is five characters to Swift but six to libedit: Tab must replace all
        six, or the opening quote is left behind and the string stays open."""
        path = os.path.join(self.tmp, "accents.csv")
        with open(path, "w", encoding="utf-8") as f:
            f.write("force,place\nKent,Cafe\u0301 Ro\u0302ti\nEssex,E\u0301cole Nord\nSurrey,E\u0301cole Sud\n")
        self.spawn()
        self.run_line('load "%s" as a' % path)
        self.send('a | where place = "Cafe\u0301' + TAB)
        self.expect(re.escape('ti" '))   # (libedit draws no combining marks; the line holds them)
        out, prompt = self.run_line_any_prompt("| select force")
        self.assertEqual(prompt, PROMPT, "the string was closed: " + out)
        self.assertIn("Kent", out)
        self.assertNotIn("error", out)
        # The shared beginning of two values, after a typed accent, then the rest.
        self.send('a | where place = "E\u0301c' + TAB)
        self.expect(re.escape('cole '))
        time.sleep(KEY_PAUSE)
        self.send("S" + TAB)
        self.expect(re.escape('ud" '))
        out, prompt = self.run_line_any_prompt("| select force")
        self.assertEqual(prompt, PROMPT, "the string was closed: " + out)
        self.assertIn("Surrey", out)
        self.assertNotIn("Essex", out)
        self.assertEqual(self.close(), 0)

    def run_line_any_prompt(self, line):
        self.send(line + ENTER)
        return self.next_prompt()


    def test_26_named_results_and_numbered_cells(self):
        """let keeps a result; each result is numbered in the shell ([N]); _ and _N use them;
        Tab completes the name and its columns; save replays it, and a replay prints no numbers."""
        self.spawn()
        out = self.run_line('let kent = outcomes_by_force | where force = "Kent"')
        self.assertIn("[1]", out)
        self.assertIn("kent: 21 rows, 8 columns", out)
        out = self.run_line("kent | top 2 by pct_of_offences | select outcome_description, pct_of_offences")
        self.assertIn("[2]", out)
        self.assertIn("Investigation complete", out)
        out = self.run_line("_ | select outcome_description")
        self.assertIn("[3]", out)
        self.assertNotIn("pct_of_offences", out)
        out = self.run_line("_1 | summarise count")
        self.assertRegex(out, r"\[4\]\s+count\s+-+\s+21\b")
        self.send("ken" + TAB)              # the name completes like a table's
        self.expect(r"kent ")
        self.send("| select pct_o" + TAB)   # and its columns
        self.expect(r"pct_of_offences ")
        out = self.run_line("")
        self.assertIn("[5]", out)
        out = self.run_line("_9")
        self.assertIn("error: no result _9: there are 5 results so far", out)
        self.run_line("set timer on")
        out = self.run_line("crime_rates | summarise count")
        self.assertRegex(out, r"count\s+-+\s+6\s+time: \d+\.\d{3} s")
        self.run_line("set timer off")
        saved = os.path.join(self.tmp, "nb.peel")
        out = self.run_line(f'save "{saved}"')
        self.assertIn("saved", out)
        self.assertEqual(self.close(), 0)
        with open(saved) as f:
            script = f.read()
        self.assertIn('let kent = outcomes_by_force | where force = "Kent"', script)
        self.assertIn("_ | select outcome_description", script)
        # Replayed as a script: the same results, rebuilt from the named one, without numbers.
        import subprocess
        run = subprocess.run([PEEL_BIN, saved], capture_output=True, text=True, timeout=60)
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertNotRegex(run.stdout, r"^\[\d+\]$")
        self.assertNotIn("[1]", run.stdout)
        self.assertIn("kent: 21 rows, 8 columns", run.stdout)
        self.assertRegex(run.stdout, r"count\s+-+\s+21\b")


if __name__ == "__main__":
    unittest.main(verbosity=2)
