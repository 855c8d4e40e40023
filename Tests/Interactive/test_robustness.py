#!/usr/bin/env python3
"""Robustness tests on the real binary: signals, kills mid-write, files peel must not touch.

Exit codes (docs/robustness.md): 0 success, 1 a command failed, 2 bad usage, 130 stopped by
Ctrl-C (SIGINT), 143 stopped by SIGTERM. Only the standard library is used.
"""
import codecs
import fcntl
import hashlib
import os
import pty
import resource
import re
import select
import shutil
import signal
import socket
import stat
import subprocess
import tempfile
import time
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PEEL = os.environ.get("PEEL_BIN", os.path.join(ROOT, ".build/debug/peel"))
ENV = dict(os.environ, PEEL_DATA=os.path.join(ROOT, "datasets"))
ENV.pop("PEEL_HISTORY", None)


def run(args, stdin=b"", cwd=ROOT, env=None):
    p = subprocess.run([PEEL, "--no-rc", *args], input=stdin, capture_output=True, cwd=cwd, env=env or ENV, timeout=120)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def sha(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def as_nobody(test, tmp):
    """The command start and environment that run peel as `nobody` (for root, who may read and
    write anything). The checkout may be in a folder `nobody` cannot enter (mode 700), so the
    binary and the catalogue it needs are copied into the world-readable folder `tmp` first."""
    setpriv = shutil.which("setpriv")
    if not setpriv:
        test.skipTest("running as root and setpriv is missing, so no file can be closed to peel")
    os.chmod(tmp, 0o755)
    folder = tmp
    while folder != os.path.dirname(folder):
        if not os.stat(folder).st_mode & 0o001:
            test.skipTest(f"{folder} (above the temporary folder) is closed to other users; set TMPDIR elsewhere")
        folder = os.path.dirname(folder)
    binary = os.path.join(tmp, "peel")
    shutil.copyfile(PEEL, binary)
    os.chmod(binary, 0o755)
    data = os.path.join(tmp, "data")
    os.mkdir(data, 0o755)
    shutil.copyfile(os.path.join(ENV["PEEL_DATA"], "catalog.json"), os.path.join(data, "catalog.json"))
    os.chmod(os.path.join(data, "catalog.json"), 0o644)
    return [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", binary], dict(ENV, PEEL_DATA=data)


class PtyShell:
    """peel's shell on a pseudo-terminal, with its stderr kept apart (a pipe)."""

    def __init__(self, test, history, command=None, env=None, cwd=ROOT):
        self.test = test
        self.master, slave = pty.openpty()
        err_r, err_w = os.pipe()
        self.proc = subprocess.Popen([*(command or [PEEL]), "--no-rc", "--history-file", history],
                                     stdin=slave, stdout=slave, stderr=err_w, cwd=cwd, start_new_session=True,
                                     env=dict(env or ENV, TERM="xterm", LC_ALL="C.UTF-8"))
        os.close(slave)
        os.close(err_w)
        self.err_fd = err_r
        self.out, self.err = "", b""
        self.decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self.wait_for(r"type 'help' for commands")
        self.wait_prompt()

    def wait_prompt(self):
        """The prompt, then a pause: libedit prints it a moment before it reads keys, and a key
        typed in that moment can be lost."""
        self.wait_for(r"peel> ")
        time.sleep(0.1)

    def pump(self, timeout):
        fds = [fd for fd in (self.master, self.err_fd) if fd is not None]
        ready, _, _ = select.select(fds, [], [], timeout)
        for fd in ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                chunk = b""
            if fd == self.master:
                self.out += self.decoder.decode(chunk)
            elif chunk:
                self.err += chunk
            else:
                os.close(self.err_fd)
                self.err_fd = None

    def wait_for(self, pattern, timeout=30):
        """Waits for `pattern` in the output after what an earlier wait matched."""
        end = time.time() + timeout
        while time.time() < end:
            m = re.search(pattern, self.out)
            if m:
                self.out = self.out[m.end():]
                return
            self.pump(0.1)
        self.proc.kill()
        self.proc.wait()
        self.test.fail(f"never saw {pattern!r}; output {self.out[-500:]!r}, stderr {self.err[-500:]!r}")

    def run(self, line, expect):
        """Types `line`, waits for `expect` in what it prints, then for the next prompt."""
        os.write(self.master, line.encode() + b"\r")
        self.wait_for(expect)
        self.wait_prompt()

    def close(self):
        """Ctrl-D; returns the exit code (stderr is then complete in self.err)."""
        os.write(self.master, b"\x04")
        code = self.proc.wait(timeout=30)
        while self.err_fd is not None:
            self.pump(1)
        os.close(self.master)
        return code


def history_entries(path):
    with open(path, "rb") as f:
        lines = f.read().decode(errors="replace").split("\n")
    return [line.replace("\\040", " ") for line in lines[1:] if line]


class Signals(unittest.TestCase):
    """A script stopped by a signal: the commands before ran in full, the load in progress left
    nothing behind, nothing after ran, and the exit code says why."""

    def stop_script(self, sig, expected_code):
        with tempfile.TemporaryDirectory(prefix="peel-sig-") as tmp:
            out = os.path.join(tmp, "after.csv")
            script = os.path.join(tmp, "s.peel")
            with open(script, "w") as f:
                f.write('crime_rates | top 1 | select crime_type\n'
                        'outcomes_detail | summarise count\n'          # a 450,912-row gzip load
                        f'crime_rates | export "{out}"\n')
            p = subprocess.Popen([PEEL, "--no-rc", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, env=ENV)
            time.sleep(0.8)  # well into the load (a debug build takes seconds to read it)
            p.send_signal(sig)
            stdout, stderr = p.communicate(timeout=60)
            stdout, stderr = stdout.decode(), stderr.decode()
            if p.returncode == 0:
                self.skipTest("the script finished before the signal arrived")
            self.assertEqual(p.returncode, expected_code, stderr)
            self.assertIn("Recorded crime (excluding fraud)", stdout, "the first command ran in full")
            self.assertRegex(stderr, r"s\.peel:2:1: error: interrupted: outcomes_detail was not loaded, and every table is as it was"
                                     r"|interrupted: stopped before this command")
            self.assertNotIn("450912", stdout)
            self.assertFalse(os.path.exists(out), "nothing after the interruption ran")
            self.assertEqual([f for f in os.listdir(tmp) if f != "s.peel"], [], "no temporary files left")

    def test_ctrl_c_stops_a_script_with_exit_130(self):
        self.stop_script(signal.SIGINT, 130)

    def test_sigterm_stops_a_script_with_exit_143(self):
        self.stop_script(signal.SIGTERM, 143)

    def stop_computation(self, sig, expected_code):
        """A signal during a long computation (not a load): the table is loaded first (describe,
        whose text goes to stderr in CSV format, flushed, so the test sees when the load is done),
        then a ranking and rendering of 450,912 rows is stopped part-way."""
        with tempfile.TemporaryDirectory(prefix="peel-comp-") as tmp:
            out = os.path.join(tmp, "after.csv")
            script = os.path.join(tmp, "s.peel")
            with open(script, "w") as f:
                f.write('describe outcomes_detail\n'
                        'outcomes_detail | sort offence_description, offences | rank offences\n'
                        f'crime_rates | export "{out}"\n')
            p = subprocess.Popen([PEEL, "--no-rc", "--format", "csv", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, env=ENV)
            err = b""
            deadline = time.monotonic() + 120
            while b"rows:" not in err and time.monotonic() < deadline:
                ready, _, _ = select.select([p.stderr], [], [], 1)
                if ready:
                    chunk = os.read(p.stderr.fileno(), 65536)
                    if not chunk:
                        break
                    err += chunk
            self.assertIn(b"rows:", err, "describe ran")
            time.sleep(0.3)
            sent = time.monotonic()
            p.send_signal(sig)
            stdout, rest = p.communicate(timeout=60)
            took = time.monotonic() - sent
            stderr = (err + rest).decode()
            if p.returncode == 0:
                self.skipTest("the computation finished before the signal arrived")
            self.assertEqual(p.returncode, expected_code, stderr)
            self.assertIn("interrupted: this command was stopped, and every table is as it was", stderr)
            self.assertLess(took, 10, "stopped promptly")
            self.assertEqual(stdout, b"", "no part of the ranking was written")
            self.assertFalse(os.path.exists(out), "nothing after the interruption ran")

    def test_sigterm_stops_a_long_computation_with_exit_143(self):
        self.stop_computation(signal.SIGTERM, 143)

    def test_ctrl_c_stops_a_long_computation_with_exit_130(self):
        self.stop_computation(signal.SIGINT, 130)

    def test_ctrl_c_at_any_moment_of_a_large_export_leaves_no_file_or_the_whole_file(self):
        """SIGINT while a 450,912-row table is read and written: the export file is absent or
        complete (never torn), no temporary file is left, and the exit code is 130 or 0."""
        for delay in (0.5, 1.5, 3.0, 5.0):
            with tempfile.TemporaryDirectory(prefix="peel-exp-") as tmp:
                out = os.path.join(tmp, "all.csv")
                p = subprocess.Popen([PEEL, "--no-rc", "-c", f'outcomes_detail | export "{out}"'],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, env=ENV)
                time.sleep(delay)
                p.send_signal(signal.SIGINT)
                _, stderr = p.communicate(timeout=120)
                self.assertIn(p.returncode, (0, 130), stderr.decode())
                self.assertEqual([f for f in os.listdir(tmp) if f != "all.csv"], [], f"no temporary file at {delay}s")
                if os.path.exists(out):
                    with open(out, "rb") as f:
                        self.assertEqual(f.read().count(b"\n"), 450_913, f"whole file at {delay}s")
                else:
                    self.assertEqual(p.returncode, 130)

    def test_exit_codes_0_1_2(self):
        self.assertEqual(run(["-c", "tables"])[0], 0)
        self.assertEqual(run(["-c", "crime_rates | sortt rate"])[0], 1)
        self.assertEqual(run(["--no-such-option"])[0], 2)

    def test_sigterm_in_the_shell_exits_143_with_history_kept(self):
        with tempfile.TemporaryDirectory(prefix="peel-term-") as tmp:
            history = os.path.join(tmp, "history")
            pid, fd = pty.fork()
            if pid == 0:
                os.execve(PEEL, [PEEL, "--no-rc", "--history-file", history], dict(ENV, TERM="xterm", LC_ALL="C.UTF-8"))
            try:
                buf = b""
                def wait_for(pattern, timeout=20):
                    nonlocal buf
                    end = time.time() + timeout
                    while time.time() < end:
                        r, _, _ = select.select([fd], [], [], 0.1)
                        if r:
                            try:
                                buf += os.read(fd, 65536)
                            except OSError:
                                break
                        if re.search(pattern, buf.decode(errors="replace")):
                            return
                    self.fail(f"never saw {pattern!r} in {buf[-500:]!r}")
                wait_for(r"peel> ")
                os.write(fd, b"crime_rates | top 1 | select crime_type\r")
                wait_for(r"Recorded crime \(excluding fraud\)")
                wait_for(r"peel> ")
                os.kill(pid, signal.SIGTERM)
                _, status = os.waitpid(pid, 0)
                self.assertEqual(os.waitstatus_to_exitcode(status), 143)
                with open(history, encoding="utf-8", errors="replace") as f:
                    self.assertIn("crime_rates | top 1 | select crime_type", f.read().replace("\\040", " "))
            finally:
                os.close(fd)


class KillNine(unittest.TestCase):
    def test_kill_9_during_history_saves_leaves_a_whole_history_file(self):
        """The shell saves history after every command (temporary file, then rename). Killed at
        any moment, the history file is the old one or the new one, never a torn one."""
        with tempfile.TemporaryDirectory(prefix="peel-hist-") as tmp:
            history = os.path.join(tmp, "history")
            # 1,000 long entries: each save writes about 2 MB, so kills land inside writes.
            with open(history, "w") as f:
                f.write("_HiStOrY_V2_\n")
                for i in range(1000):
                    f.write(f"crime_rates\\040|\\040where\\040rate\\040>\\040{i}\\040" + "x" * 2000 + "\n")
            for delay in (0.05, 0.15, 0.3, 0.5, 0.8, 1.2):
                pid, fd = pty.fork()
                if pid == 0:
                    os.execve(PEEL, [PEEL, "--no-rc", "--history-file", history], dict(ENV, TERM="xterm", LC_ALL="C.UTF-8"))
                start = time.time()
                n = 0
                while time.time() - start < delay:
                    os.write(fd, f"tables {n}\r".encode())  # each an error, each remembered and saved
                    n += 1
                    r, _, _ = select.select([fd], [], [], 0.01)
                    if r:
                        try:
                            os.read(fd, 65536)
                        except OSError:
                            break
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                os.close(fd)
                with open(history, "rb") as f:
                    data = f.read()
                lines = data.split(b"\n")
                self.assertEqual(lines[0], b"_HiStOrY_V2_", f"header intact after kill at {delay}s")
                self.assertTrue(data.endswith(b"\n"), f"last entry complete after kill at {delay}s")
                self.assertEqual(len(lines) - 2, 1000, f"1,000 entries (capped) after kill at {delay}s")


class LargeFiles(unittest.TestCase):
    def test_a_file_past_the_row_limit_stops_before_it_is_parsed(self):
        """50,000,001 rows (a 200 KB gzip of `1,2` lines): refused with the limit named, before any
        row is parsed, so the load costs the decompressed bytes and no more."""
        import gzip
        with tempfile.TemporaryDirectory(prefix="peel-rows-") as tmp:
            path = os.path.join(tmp, "rows.csv.gz")
            with gzip.open(path, "wb", compresslevel=1) as f:
                f.write(b"a,b\n")
                block = b"1,2\n" * 1_000_000
                for _ in range(50):
                    f.write(block)
                f.write(b"1,2\n")
            rc, _, err = run(["-c", f'load "{path}" as r'])
            self.assertEqual(rc, 1, err)
            self.assertIn("rows.csv.gz: error: the file has more than 50,000,000 rows, peel's limit for one table", err)

    def test_a_gzip_padded_to_gigabytes_or_full_of_zeros_is_refused_without_the_memory(self):
        """A gzip file padded (sparsely) past 4 GiB once made peel reserve six times its size and
        abort; the 32-bit input count of zlib trapped. A gigabyte of zeros (a 4.7 MB "bomb") is
        refused at the first NUL, after one chunk, not after expanding the whole gigabyte."""
        import gzip
        import resource
        with tempfile.TemporaryDirectory(prefix="peel-gz-") as tmp:
            padded = os.path.join(tmp, "padded.csv.gz")
            with open(padded, "wb") as f:
                f.write(gzip.compress(b"a,b\n1,2\n"))
            os.truncate(padded, 4_400_000_000)
            rc, _, err = run(["-c", f'load "{padded}" as p'])
            self.assertEqual(rc, 1, err)
            self.assertIn("padded.csv.gz: error: the gzip data is corrupt", err)
            bomb = os.path.join(tmp, "zeros.csv.gz")
            with gzip.open(bomb, "wb", compresslevel=1) as f:
                f.write(b"a,b\n1,2\n")
                zeros = bytes(1 << 24)
                for _ in range(64):
                    f.write(zeros)
            before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            rc, _, err = run(["-c", f'load "{bomb}" as z'])
            self.assertEqual(rc, 1, err)
            self.assertIn("zeros.csv.gz:3: error: the file contains NUL bytes", err)
            peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            if peak_kb > before:
                self.assertLess(peak_kb, 512 * 1024, "the bomb was not expanded in full")

    def test_large_plain_and_gzip_files_read_the_same_as_python_reads_them(self):
        """A 2,000,000-row file (about 40 MB, synthetic) goes through the parallel reader, which
        hands back pages of the mapped file as it goes; the same file gzip-compressed is read from
        memory. Both must give exactly the sums Python computes."""
        import gzip
        with tempfile.TemporaryDirectory(prefix="peel-big-") as tmp:
            path = os.path.join(tmp, "synthetic.csv")
            n = 2_000_000
            with open(path, "w") as f:
                f.write("key,group,value\n")
                for i in range(n):
                    f.write(f"k{i % 1000},g{i % 7},{(i * 7919) % 100003}\n")
            with open(path, "rb") as f, gzip.open(path + ".gz", "wb", compresslevel=1) as g:
                shutil.copyfileobj(f, g)
            expected = {}
            for i in range(n):
                expected[f"g{i % 7}"] = expected.get(f"g{i % 7}", 0) + (i * 7919) % 100003
            want = sorted((k, v) for k, v in expected.items())
            for name in (path, path + ".gz"):
                rc, out, err = run(["--format", "csv", "-c", f'load "{name}" as t; t | summarise sum(value) as total by group | sort group'])
                self.assertEqual(rc, 0, err)
                rows = [line.split(",") for line in out.splitlines()[1:]]
                self.assertEqual([(g, int(v)) for g, v in rows], want, name)


class FilesPeelMustNotTouch(unittest.TestCase):
    def test_loading_a_file_leaves_it_unchanged(self):
        with tempfile.TemporaryDirectory(prefix="peel-ro-") as tmp:
            path = os.path.join(tmp, "data.csv")
            shutil.copy(os.path.join(ROOT, "Tests/GoldenTests/Fixtures/mixed-missing.csv"), path)
            os.utime(path, (1_000_000_000, 1_000_000_000))
            before = (sha(path), os.stat(path).st_mtime, os.stat(path).st_size)
            rc, _, err = run(["-c", f'load "{path}" as d; d | summarise count'])
            self.assertEqual(rc, 0, err)
            self.assertEqual((sha(path), os.stat(path).st_mtime, os.stat(path).st_size), before)
            self.assertEqual(sorted(os.listdir(tmp)), ["data.csv"])

    def test_export_over_a_symlink_replaces_the_link_not_its_target(self):
        with tempfile.TemporaryDirectory(prefix="peel-link-") as tmp:
            victim = os.path.join(tmp, "victim.txt")
            with open(victim, "w") as f:
                f.write("keep me\n")
            link = os.path.join(tmp, "out.csv")
            os.symlink(victim, link)
            rc, _, err = run(["-c", f'crime_rates | export "{link}"'])
            self.assertEqual(rc, 0, err)
            with open(victim) as f:
                self.assertEqual(f.read(), "keep me\n", "the file the link pointed at is untouched")
            self.assertFalse(os.path.islink(link))
            with open(link) as f:
                self.assertTrue(f.read().startswith("force,"))

    def test_output_appends_each_result_to_the_file_it_made(self):
        """`output "FILE"` replaces the file with the first result, then adds each later result to
        its end (the same file, never rewritten: a long session costs no more per result), and the
        file holds exactly what the screen would have shown."""
        with tempfile.TemporaryDirectory(prefix="peel-out-") as tmp:
            log = os.path.join(tmp, "log.txt")
            with open(log, "w") as f:
                f.write("old text\n")
            script = os.path.join(tmp, "s.peel")
            commands = ["crime_rates | top 2 | select crime_type, rate", "tables", "outcomes | top 3 | select outcome"]
            with open(script, "w") as f:
                f.write(f'output "{log}"\n' + "\n".join(commands[:1]) + "\n")
            rc, _, err = run([script])
            self.assertEqual(rc, 0, err)
            with open(script, "w") as f:
                f.write(f'output "{log}"\n' + "\n".join(commands) + "\n")
            p = subprocess.Popen([PEEL, "--no-rc", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, env=ENV)
            p.communicate(timeout=60)
            self.assertEqual(p.returncode, 0)
            rc, screen, err = run(["-c", "; ".join(commands)])
            self.assertEqual(rc, 0, err)
            with open(log) as f:
                self.assertEqual(f.read(), screen, "the file holds what the screen shows, old text replaced")
            with open(script, "w") as f:
                f.write(f'output "{log}" append\n' + commands[0] + "\n")
            rc, _, err = run([script])
            self.assertEqual(rc, 0, err)
            with open(log) as f:
                text = f.read()
            self.assertTrue(text.startswith(screen), "append keeps what the file held")
            self.assertGreater(len(text), len(screen))
            self.assertEqual([f for f in os.listdir(tmp) if ".peel-tmp" in f], [], "no temporary file left")

    def test_unreadable_file_gives_a_located_error(self):
        with tempfile.TemporaryDirectory(prefix="peel-perm-") as tmp:
            os.chmod(tmp, 0o755)
            path = os.path.join(tmp, "secret.csv")
            with open(path, "w") as f:
                f.write("a,b\n1,2\n")
            os.chmod(path, 0o600)
            args = [PEEL, "--no-rc", "-c", f'load "{path}"']
            env = ENV
            if os.geteuid() == 0:
                # Root reads any file, so peel runs as `nobody`, for whom the file is unreadable.
                prefix, env = as_nobody(self, tmp)
                args = [*prefix, "--no-rc", "-c", f'load "{path}"']
            else:
                os.chmod(path, 0)
            p = subprocess.run(args, capture_output=True, cwd="/", env=env, timeout=60)
            err = p.stderr.decode()
            self.assertEqual(p.returncode, 1, err)
            self.assertRegex(err, r"<command>:1:6: error: cannot read '.*secret\.csv': permission denied")
            self.assertIn("help: ask the file's owner for read access", err)

    def test_script_that_is_not_utf8_gets_a_located_error(self):
        with tempfile.TemporaryDirectory(prefix="peel-enc-") as tmp:
            path = os.path.join(tmp, "latin1.peel")
            with open(path, "wb") as f:
                f.write(b'tables\ncrime_rates | where force = "Caf\xe9"\n')
            rc, out, err = run([path])
            self.assertEqual(rc, 1)
            self.assertEqual(out, "", "nothing runs from a script that cannot be read as UTF-8")
            self.assertRegex(err, r"latin1\.peel:2:33: error: the script holds text that is not valid UTF-8")

    def test_no_source_file_starts_other_programs(self):
        """No command runs external programs or a shell: none of the ways to start one appears,
        except the one place the interactive shell opens the user's pager ($PAGER, else less) for
        a result taller than the window."""
        pattern = re.compile(r"\b(Process\(|NSTask|posix_spawn|popen\(|system\(|execv|execl|(?<!\.)fork\(\))")
        hits = []
        for base, _, files in os.walk(os.path.join(ROOT, "Sources")):
            if "Fuzz" in base:
                continue
            for name in files:
                if name.endswith((".swift", ".c", ".h")):
                    with open(os.path.join(base, name), encoding="utf-8") as f:
                        for i, line in enumerate(f, 1):
                            pager = name == "StdioSink.swift" and "popen(command()" in line
                            if pattern.search(line) and not line.strip().startswith("//") and not pager:
                                hits.append(f"{name}:{i}: {line.strip()}")
        self.assertEqual(hits, [])


class HistoryFiles(unittest.TestCase):
    """The history file is the user's: peel uses it only when it is a history, adds to it without
    losing another shell's entries, and says once (on stderr) when it cannot use it."""

    def test_a_file_that_is_not_a_history_is_left_alone_and_said_once(self):
        with tempfile.TemporaryDirectory(prefix="peel-hist-") as tmp:
            notes = os.path.join(tmp, "notes.txt")
            with open(notes, "wb") as f:
                f.write(b"my notes\nline two\n")
            shell = PtyShell(self, notes)
            shell.run("tables | top 1 | select table", r"crime_rates")
            shell.run("crime_rates | top 1 | select crime_type", r"Recorded crime")
            self.assertEqual(shell.close(), 0)
            with open(notes, "rb") as f:
                self.assertEqual(f.read(), b"my notes\nline two\n", "the file is not replaced")
            err = shell.err.decode()
            self.assertEqual(err.count("is not a peel history file"), 1, err)
            self.assertIn(f"peel: warning: history is not saved: '{notes}' is not a peel history file", err)
            self.assertEqual(sorted(os.listdir(tmp)), ["notes.txt"])

    def test_two_shells_on_one_history_file_keep_both_sessions_commands(self):
        with tempfile.TemporaryDirectory(prefix="peel-hist-") as tmp:
            history = os.path.join(tmp, "history")
            a = PtyShell(self, history)
            b = PtyShell(self, history)
            a.run("tables | top 1 | select table", r"crime_rates")
            b.run("crime_rates | top 1 | select crime_type", r"Recorded crime")
            a.run("outcomes | top 1 | select outcome", r"Charged/Summonsed")
            self.assertEqual(b.close(), 0)
            self.assertEqual(a.close(), 0)
            self.assertEqual(history_entries(history), ["tables | top 1 | select table", "crime_rates | top 1 | select crime_type",
                                                        "outcomes | top 1 | select outcome"])
            self.assertEqual(oct(os.stat(history).st_mode & 0o777), "0o600", "a new history is private")
            self.assertEqual(sorted(os.listdir(tmp)), ["history"], "no temporary or lock file is left")

    def test_a_save_waits_for_another_shells_lock_on_the_folder(self):
        with tempfile.TemporaryDirectory(prefix="peel-hist-") as tmp:
            history = os.path.join(tmp, "history")
            shell = PtyShell(self, history)
            folder = os.open(tmp, os.O_RDONLY)
            try:
                fcntl.flock(folder, fcntl.LOCK_EX)  # as another shell does while it saves
                # The line is saved before it runs, so the shell waits here (up to two seconds).
                os.write(shell.master, b"tables | top 1 | select table\r")
                time.sleep(1.0)
                self.assertFalse(os.path.exists(history), "nothing is written while the folder is locked")
            finally:
                fcntl.flock(folder, fcntl.LOCK_UN)
                os.close(folder)
            shell.wait_for(r"crime_rates")
            shell.wait_prompt()
            self.assertEqual(history_entries(history), ["tables | top 1 | select table"], "saved once the lock is free")
            self.assertEqual(shell.close(), 0)

    def test_a_directory_or_an_unwritable_history_is_said_once_and_the_shell_goes_on(self):
        with tempfile.TemporaryDirectory(prefix="peel-hist-") as tmp:
            folder = os.path.join(tmp, "state")
            os.mkdir(folder)
            shell = PtyShell(self, folder)
            shell.run("tables | top 1 | select table", r"crime_rates")
            shell.run("crime_rates | top 1 | select crime_type", r"Recorded crime")
            self.assertEqual(shell.close(), 0)
            err = shell.err.decode()
            self.assertEqual(err.count("warning"), 1, err)
            self.assertIn(f"peel: warning: history is not saved: '{folder}' is a directory", err)
            self.assertEqual(os.listdir(folder), [])

            # A history file peel may not write, and a new one in a folder it may not write.
            locked = os.path.join(tmp, "locked")
            os.mkdir(locked)
            history = os.path.join(locked, "history")
            with open(history, "w") as f:
                f.write("_HiStOrY_V2_\nold\\040entry\n")
            command, env = [PEEL], ENV
            if os.geteuid() == 0:
                command, env = as_nobody(self, tmp)
                command = command[:]
                os.chmod(locked, 0o755)
                os.chmod(history, 0o644)
            else:
                os.chmod(history, 0o444)
                os.chmod(locked, 0o555)
            try:
                for path, reason in ((history, f"cannot write '{history}': Permission denied"),
                                     (os.path.join(locked, "new"), f"cannot create files in the folder {locked}: Permission denied")):
                    shell = PtyShell(self, path, command=command, env=env, cwd="/")
                    shell.run("history", r"1  old entry" if path == history else r"1  history")
                    shell.run("tables | top 1 | select table", r"crime_rates")
                    self.assertEqual(shell.close(), 0)
                    err = shell.err.decode()
                    self.assertEqual(err.count("warning"), 1, err)
                    self.assertIn(f"peel: warning: history is not saved: {reason}", err)
                with open(history) as f:
                    self.assertEqual(f.read(), "_HiStOrY_V2_\nold\\040entry\n")
                self.assertEqual(sorted(os.listdir(locked)), ["history"])
            finally:
                os.chmod(locked, 0o755)

    def test_a_history_on_a_device_or_a_pipe_is_written_through_never_replaced(self):
        with tempfile.TemporaryDirectory(prefix="peel-hist-") as tmp:
            fifo = os.path.join(tmp, "fifo")
            os.mkfifo(fifo)
            reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
            try:
                shell = PtyShell(self, fifo)
                shell.run("tables | top 1 | select table", r"crime_rates")
                self.assertEqual(shell.close(), 0)
                self.assertEqual(os.read(reader, 65536), b"tables\\040|\\040top\\0401\\040|\\040select\\040table\n")
            finally:
                os.close(reader)
            self.assertTrue(stat.S_ISFIFO(os.stat(fifo).st_mode), "still a named pipe")
            self.assertEqual(shell.err, b"")
            device = os.path.join(tmp, "null")
            try:
                os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # a /dev/null of the test's own
            except PermissionError:
                self.skipTest("making a device node needs root (the pipe was tested)")
            shell = PtyShell(self, device)
            shell.run("tables | top 1 | select table", r"crime_rates")
            self.assertEqual(shell.close(), 0)
            self.assertTrue(stat.S_ISCHR(os.stat(device).st_mode), "still a device")
            self.assertEqual(shell.err, b"")
            self.assertEqual(sorted(os.listdir(tmp)), ["fifo", "null"])

    def test_a_history_file_with_a_254_character_name_is_saved(self):
        with tempfile.TemporaryDirectory(prefix="peel-hist-") as tmp:
            history = os.path.join(tmp, "h" * 254)
            shell = PtyShell(self, history)
            shell.run("tables | top 1 | select table", r"crime_rates")
            self.assertEqual(shell.close(), 0)
            self.assertEqual(shell.err, b"")
            self.assertEqual(history_entries(history), ["tables | top 1 | select table"])


class FilesPeelWrites(unittest.TestCase):
    """export, save, output and `peel report -o` over the user's files and special files."""

    def test_export_append_keeps_the_files_bytes_and_ends_its_last_line(self):
        with tempfile.TemporaryDirectory(prefix="peel-app-") as tmp:
            rows = os.path.join(tmp, "rows.csv")
            with open(rows, "w") as f:
                f.write("force,rate\nLeicestershire,58.0\n")
            path = os.path.join(tmp, "f.csv")
            old = b"force,rate\nCaf\xe9 Town,2.5\nKent,1.0"  # Latin-1, and no final newline
            with open(path, "wb") as f:
                f.write(old)
            rc, out, err = run(["-c", f'load "{rows}" as t; t | export "{path}" append'])
            self.assertEqual(rc, 0, err)
            with open(path, "rb") as f:
                self.assertEqual(f.read(), old + b"\nLeicestershire,58.0\n")
            # The same for `output "FILE" append`, whose first result goes after the file's text.
            log = os.path.join(tmp, "log.txt")
            with open(log, "wb") as f:
                f.write(b"caf\xe9 notes")
            rc, out, err = run(["-c", f'output "{log}" append; crime_rates | top 1 | select crime_type'])
            self.assertEqual(rc, 0, err)
            with open(log, "rb") as f:
                data = f.read()
            self.assertTrue(data.startswith(b"caf\xe9 notes\n"), data[:40])
            self.assertIn(b"Recorded crime", data)

    def test_export_append_refuses_a_file_with_another_header(self):
        with tempfile.TemporaryDirectory(prefix="peel-app-") as tmp:
            path = os.path.join(tmp, "f.csv")
            with open(path, "w") as f:
                f.write("a,b\n1,2\n")
            rc, out, err = run(["-c", f'crime_rates | export "{path}" append'])
            self.assertEqual(rc, 1)
            self.assertIn("<command>:1:22: error: cannot append to", err)
            self.assertIn("its header is not this table's", err)
            self.assertIn("help: the file's header:   a,b\n", err)
            self.assertIn("      this table's header: force,crime_type,", err)
            self.assertIn("^~~~", err)
            with open(path) as f:
                self.assertEqual(f.read(), "a,b\n1,2\n")

    def test_a_replaced_file_keeps_its_mode_and_owner(self):
        with tempfile.TemporaryDirectory(prefix="peel-mode-") as tmp:
            names = {"e.csv": 0o600, "s.peel": 0o640, "o.txt": 0o604, "r.md": 0o600}
            for name, mode in names.items():
                path = os.path.join(tmp, name)
                with open(path, "w") as f:
                    f.write("old\n")
                os.chmod(path, mode)
                if os.geteuid() == 0:
                    os.chown(path, 65534, 65534)
            j = lambda n: os.path.join(tmp, n)
            rc, _, err = run(["-c", f'crime_rates | export "{j("e.csv")}"; save "{j("s.peel")}"; output "{j("o.txt")}"; tables'])
            self.assertEqual(rc, 0, err)
            script = j("a.peel")
            with open(script, "w") as f:
                f.write("tables\n")
            p = subprocess.run([PEEL, "report", script, "-o", j("r.md")], capture_output=True, cwd=ROOT, env=ENV, timeout=60)
            self.assertEqual(p.returncode, 0, p.stderr.decode())
            for name, mode in names.items():
                st = os.stat(j(name))
                self.assertGreater(st.st_size, 4, f"{name} was rewritten")
                self.assertEqual(oct(st.st_mode & 0o777), oct(mode), name)
                if os.geteuid() == 0:
                    self.assertEqual((st.st_uid, st.st_gid), (65534, 65534), name)
            if os.geteuid() != 0:
                self.skipTest("the mode was kept; keeping another user's ownership needs root")

    def test_a_254_character_file_name_is_written(self):
        with tempfile.TemporaryDirectory(prefix="peel-long-") as tmp:
            stem = os.path.join(tmp, "x" * 250)
            rc, out, err = run(["-c", f'crime_rates | export "{stem}.csv"; save "{stem}.peel"; output "{stem}.txt"; tables'])
            self.assertEqual(rc, 0, err)
            self.assertEqual(sorted(os.listdir(tmp)), sorted("x" * 250 + e for e in (".csv", ".peel", ".txt")), "no temporary file left")

    def test_export_to_a_named_pipe_writes_through_and_never_replaces_it(self):
        with tempfile.TemporaryDirectory(prefix="peel-fifo-") as tmp:
            fifo = os.path.join(tmp, "fifo")
            os.mkfifo(fifo)
            rc, _, err = run(["-c", f'crime_rates | export "{fifo}" as csv'])  # nobody reads it yet
            self.assertEqual(rc, 1)
            self.assertIn("error: cannot write", err)
            self.assertIn("it is a named pipe (FIFO) and no program is reading it", err)
            reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
            try:
                rc, out, err = run(["-c", f'crime_rates | top 2 | select force | export "{fifo}" as csv'])
                self.assertEqual(rc, 0, err)
                self.assertEqual(os.read(reader, 65536), b"force\nLeicestershire\nEngland and Wales\n")
            finally:
                os.close(reader)
            # A reader that stops early: an error (EPIPE), not a death by SIGPIPE.
            reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
            p = subprocess.Popen([PEEL, "--no-rc", "-c", f'recorded_crime | export "{fifo}" as csv'],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, env=ENV)
            try:
                first, end = b"", time.time() + 60
                while not first and time.time() < end:  # (no writer yet reads as end of file)
                    select.select([reader], [], [], 0.1)
                    try:
                        first = os.read(reader, 100)
                    except BlockingIOError:
                        pass
                    if not first:
                        time.sleep(0.05)
                self.assertTrue(first.startswith(b"financial_year,"), first)
            finally:
                os.close(reader)
            _, err = p.communicate(timeout=60)
            self.assertEqual(p.returncode, 1, err.decode())
            self.assertIn(f"error: cannot write '{fifo}': Broken pipe", err.decode())
            self.assertTrue(stat.S_ISFIFO(os.stat(fifo).st_mode))
            self.assertEqual(os.listdir(tmp), ["fifo"])

    def test_export_to_a_device_or_an_fd_writes_through_and_other_special_files_are_refused(self):
        rows = "crime_rates | top 2 | select force"
        for name in ("/proc/self/fd/1", "/dev/fd/1", "/dev/stdout"):
            # The session's format when the name has no extension. (Checked in this order: a peel
            # that renamed over /dev/stdout as root would replace it, so the safe names go first.)
            rc, out, err = run(["--format", "csv", "-c", f'{rows} | export "{name}"'])
            self.assertEqual(rc, 0, err)
            self.assertEqual(out, "force\nLeicestershire\nEngland and Wales\n")
            self.assertEqual(err, f"wrote 2 rows to {name} (csv)\n")  # in a data format, words go to stderr
        self.assertTrue(os.path.islink("/dev/stdout"))
        with tempfile.TemporaryDirectory(prefix="peel-dev-") as tmp:
            # An open regular file reached through /proc: writing there would write over it.
            kept = os.path.join(tmp, "kept.txt")
            with open(kept, "w") as f:
                f.write("keep me\n")
            fd = os.open(kept, os.O_RDWR)
            try:
                p = subprocess.run([PEEL, "--no-rc", "-c", f'{rows} | export "/proc/self/fd/{fd}" as csv'], pass_fds=[fd],
                                   capture_output=True, cwd=ROOT, env=ENV, timeout=60)
            finally:
                os.close(fd)
            self.assertEqual(p.returncode, 1)
            self.assertIn(f"error: cannot write '/proc/self/fd/{fd}': it is an open file reached through /proc", p.stderr.decode())
            with open(kept) as f:
                self.assertEqual(f.read(), "keep me\n")
            sock_path = os.path.join(tmp, "sock")
            sock = socket.socket(socket.AF_UNIX)
            sock.bind(sock_path)
            try:
                rc, _, err = run(["-c", f'{rows} | export "{sock_path}" as csv'])
            finally:
                sock.close()
            self.assertEqual(rc, 1)
            self.assertIn(f"<command>:1:45: error: cannot write '{sock_path}': it is a socket, not a file", err)
            self.assertTrue(stat.S_ISSOCK(os.stat(sock_path).st_mode))
            null, full = os.path.join(tmp, "null"), os.path.join(tmp, "full")
            try:
                os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # the test's own /dev/null and /dev/full
                os.mknod(full, stat.S_IFCHR | 0o666, os.makedev(1, 7))
            except PermissionError:
                self.skipTest("making device nodes needs root (pipes and /proc were tested)")
            rc, out, err = run(["-c", f'{rows} | export "{null}"; {rows} | export "{full}" as csv'])
            self.assertEqual(rc, 1)
            self.assertIn(f"wrote 2 rows to {null} (text)", out)
            self.assertIn(f"error: cannot write '{full}': No space left on device", err)
            self.assertTrue(stat.S_ISCHR(os.stat(null).st_mode) and stat.S_ISCHR(os.stat(full).st_mode), "still devices")
            self.assertEqual(sorted(os.listdir(tmp)), ["full", "kept.txt", "null", "sock"])

    def test_the_file_size_limit_gives_an_error_not_a_kill(self):
        """Past `ulimit -f` a write fails (EFBIG) instead of SIGXFSZ killing peel: a located
        error, no temporary file, the old file kept and the earlier output printed."""
        with tempfile.TemporaryDirectory(prefix="peel-fsize-") as tmp:
            path = os.path.join(tmp, "big.csv")
            with open(path, "w") as f:
                f.write("old\n")
            script = os.path.join(tmp, "s.peel")
            with open(script, "w") as f:
                f.write(f'crime_rates | top 1 | select crime_type\noutcomes | export "{path}"\n')
            limit = lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))
            p = subprocess.run([PEEL, "--no-rc", script], capture_output=True, cwd=ROOT, env=ENV, timeout=60, preexec_fn=limit)
            err = p.stderr.decode()
            self.assertEqual(p.returncode, 1, err)
            self.assertIn("Recorded crime", p.stdout.decode(), "the first command's output")
            self.assertIn(f"s.peel:2:19: error: cannot write '{path}': File too large", err)
            self.assertIn("help: the file size limit (ulimit -f) was reached: nothing was written", err)
            with open(path) as f:
                self.assertEqual(f.read(), "old\n")
            self.assertEqual(sorted(os.listdir(tmp)), ["big.csv", "s.peel"])

    def test_a_second_signal_keeps_the_output_of_finished_commands(self):
        """The second SIGTERM ends peel at once (_exit): what finished before is already out."""
        for attempt in range(3):
            p = subprocess.Popen([PEEL, "--no-rc", "-c", "crime_rates | top 1 | select crime_type; outcomes_detail | summarise count"],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, env=ENV)
            time.sleep(1.0)  # the first result is out; the 450,912-row load is under way
            p.send_signal(signal.SIGTERM)
            p.send_signal(signal.SIGTERM)
            out, err = p.communicate(timeout=60)
            if p.returncode == 0:
                continue  # the load finished before the signals arrived
            self.assertEqual(p.returncode, 143, err.decode())
            self.assertIn(b"Recorded crime", out)
            return
        self.skipTest("the load finished before the signals arrived")


if __name__ == "__main__":
    unittest.main()
