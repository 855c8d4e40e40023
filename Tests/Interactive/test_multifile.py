#!/usr/bin/env python3
"""load of many files at once, on the real binary: the 12 City of London monthly street files of
2019 (real data.police.uk files, Tests/GoldenTests/Fixtures/multifile) by a pattern and as a zip
archive that Python's zipfile writes (an independent zip writer), checked against row counts that
Python's csv module makes. Only the standard library is used.
"""
import csv
import io
import os
import struct
import subprocess
import tempfile
import time
import unittest
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PEEL = os.environ.get("PEEL_BIN", os.path.join(ROOT, ".build/debug/peel"))
ENV = dict(os.environ, PEEL_DATA=os.environ.get("PEEL_DATA", os.path.join(ROOT, "datasets")))
ENV.pop("PEEL_HISTORY", None)
FIXTURES = os.path.join(ROOT, "Tests/GoldenTests/Fixtures/multifile")
MONTHS = ["2019-%02d-city-of-london-street.csv" % m for m in range(1, 13)]
# The larger forces' January files, beside the repository when the shared reference data is there.
REFERENCE = os.path.join(os.path.dirname(ROOT), "shared/reference-data/datapoliceuk-street-csv")


def peel(commands, cwd=ROOT):
    p = subprocess.run([PEEL, "--no-rc", "--format", "csv", "-c", commands], capture_output=True, cwd=cwd, env=ENV, timeout=300)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def records(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        return sum(1 for _ in csv.reader(f)) - 1


def counts(out):
    """The rows of `summarise count by source_file` in CSV (a load's summary goes to stderr when
    the results are CSV, so stdout is only the table)."""
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["source_file", "count"], rows[:2]
    return [(r[0], int(r[1])) for r in rows[1:] if r]


class MultiFile(unittest.TestCase):
    def test_twelve_months_by_pattern_and_by_zip(self):
        expected = [(m, records(os.path.join(FIXTURES, m))) for m in MONTHS]
        self.assertEqual(sum(n for _, n in expected), 10032)
        pattern = os.path.join(FIXTURES, "2019-*-city-of-london-street.csv")
        rc, out, err = peel('load "%s" as street; street | summarise count by source_file' % pattern)
        self.assertEqual(rc, 0, err)
        self.assertTrue(err.startswith("loaded street from 12 files matching %s: 10032 rows, 13 columns: source_file (text); Crime ID" % pattern), err)
        self.assertNotIn("note:", err, "the files have one header")
        self.assertEqual(counts(out), expected)
        with tempfile.TemporaryDirectory() as tmp:
            archive = os.path.join(tmp, "2019.zip")
            with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
                for m in reversed(MONTHS):
                    z.write(os.path.join(FIXTURES, m), m[:7] + "/" + m)
                z.writestr("README.txt", "not data")
            rc, out, err = peel('load "%s" as z; z | summarise count by source_file' % archive)
            self.assertEqual(rc, 0, err)
            self.assertEqual(counts(out), [("2019.zip:%s/%s" % (m[:7], m), n) for m, n in expected])
            # Picking entries by a pattern on their path.
            rc, out, err = peel('load "%s" files "2019-1?/*" as q4; q4 | summarise count by source_file' % archive)
            self.assertEqual(rc, 0, err)
            self.assertEqual(counts(out), [("2019.zip:%s/%s" % (m[:7], m), n) for m, n in expected[9:]])
            # The archive cut short: a located error, and no table.
            with open(archive, "rb") as f:
                data = f.read()
            cut = os.path.join(tmp, "cut.zip")
            with open(cut, "wb") as f:
                f.write(data[: len(data) * 3 // 4])
            rc, out, err = peel('load "%s" as cut' % cut)
            self.assertEqual(rc, 1)
            self.assertIn("%s: error: is not a readable zip archive" % cut, err)

    def test_zip_bombs_are_refused_and_nothing_is_loaded(self):
        """70 MiB of zeros deflated (zlib, level 9) to about 68 KiB: more than 1,000 to 1 and past
        ZipFile's 64 MiB floor, so refused by its stated size; the same archive with both headers
        claiming 100 bytes is refused while it inflates, once the output passes the ratio. (That nothing is kept after a failed
        load is checked in MultiFileTests.)"""
        size = 70 << 20
        with tempfile.TemporaryDirectory() as tmp:
            honest = os.path.join(tmp, "bomb.zip")
            with zipfile.ZipFile(honest, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
                z.writestr("zeros.csv", bytes(size))
            info = zipfile.ZipFile(honest).infolist()[0]
            self.assertEqual(info.file_size, size)
            self.assertGreater(info.file_size, 1000 * info.compress_size, "past the ratio rule")
            with open(honest, "rb") as f:
                data = bytearray(f.read())
            local, central = 0, data.find(b"PK\x01\x02")
            self.assertEqual(data[0:4], b"PK\x03\x04")
            for at in (local + 22, central + 24):
                self.assertEqual(struct.unpack_from("<I", data, at)[0], size)
                struct.pack_into("<I", data, at, 100)
            lying = os.path.join(tmp, "lying.zip")
            with open(lying, "wb") as f:
                f.write(data)
            for path in (honest, lying):
                rc, out, err = peel('load "%s" as bomb' % path)
                self.assertEqual((rc, out), (1, ""))
                self.assertIn("%s: error: zeros.csv: expands to more than " % path, err)
                self.assertIn("(a zip bomb?)", err)

    def test_all_fifteen_reference_files_load_quickly(self):
        """The 12 City of London months and three large forces' January files (about 12 MB)."""
        if not os.path.isdir(REFERENCE):
            self.skipTest("the shared reference data is not beside the repository")
        files = sorted(f for f in os.listdir(REFERENCE) if f.endswith("-street.csv"))
        self.assertEqual(len(files), 15)
        expected = [(f, records(os.path.join(REFERENCE, f))) for f in files]
        with tempfile.TemporaryDirectory() as tmp:
            start = time.monotonic()
            rc, out, err = peel('load "%s/*-street.csv" as street; street | summarise count by source_file' % REFERENCE, cwd=tmp)
            took = time.monotonic() - start
        self.assertEqual(rc, 0, err)
        self.assertEqual(counts(out), expected)
        # A debug build is several times slower than release, where this takes well under a second.
        self.assertLess(took, 30)


if __name__ == "__main__":
    unittest.main()
