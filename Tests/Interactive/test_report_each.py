"""peel report --each: one report per force, an index linking them, the same bytes whatever --jobs."""
import os
import re
import subprocess
import tempfile
import unittest

from markdown_it import MarkdownIt

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PEEL = os.environ.get("PEEL_BIN", os.path.join(ROOT, ".build/debug/peel"))
PROFILE = os.path.join(ROOT, "scripts/analyses/force-profile.peel")
MD = MarkdownIt("commonmark").enable("table")


def peel(*args):
    env = dict(os.environ, PEEL_DATA=os.path.join(ROOT, "datasets"))
    p = subprocess.run([PEEL, *args], capture_output=True, env=env, cwd=ROOT, timeout=300)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def territorial_forces():
    """The 43 forces, read from the bundled table with Python's csv module (not peel)."""
    import csv
    with open(os.path.join(ROOT, "datasets/forces.csv"), encoding="utf-8") as f:
        return [r["force"] for r in csv.DictReader(f) if r.get("kind", "force") == "force"]


def files(folder):
    out = {}
    for name in sorted(os.listdir(folder)):
        with open(os.path.join(folder, name), "rb") as f:
            out[name] = f.read()
    return out


class AllForces:
    """The 43-force run's files, kept for the list test to compare with (tests run in name order)."""
    result = None


class ReportEach(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="peel-each-")

    def tearDown(self):
        self.tmp.cleanup()

    def run_each(self, folder, each, jobs="1", expect=0):
        out = os.path.join(self.tmp.name, folder)
        rc, stdout, err = peel("report", PROFILE, "--each", each, "-o", out, "--date", "2026-01-01", "--jobs", jobs)
        self.assertEqual(rc, expect, err)
        return out, err

    def check_report(self, text, force):
        tokens = MD.parse(text)
        h1 = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open" and t.tag == "h1"]
        self.assertEqual(len(h1), 1)
        self.assertTrue(h1[0].startswith("A profile of one force"), h1[0])
        # Every command of force-profile.peel gives a table but the chart (which gives text).
        self.assertEqual(len([t for t in tokens if t.type == "table_open"]), 8)
        self.assertIn('- Parameters: `force = "%s"`' % force, text)
        self.assertRegex(text, r"Fingerprint \(SHA-256 of the script and the data files read\): `[0-9a-f]{64}`\n$")
        # Rows of every table have as many cells as the header.
        header = cells = None
        in_head = False
        for t in tokens:
            if t.type == "thead_open":
                in_head, cells = True, 0
            elif t.type in ("th_open", "td_open"):
                cells += 1
            elif t.type == "tr_open" and not in_head:
                cells = 0
            elif t.type == "tr_close":
                if in_head:
                    header, in_head = cells, False
                else:
                    self.assertEqual(cells, header)

    def index_links(self, text):
        tokens = MD.parse(text)
        links = []
        for t in tokens:
            for c in t.children or []:
                if c.type == "link_open":
                    links.append(c.attrs["href"])
        return links

    def test_0_all_forces_jobs_2(self):
        forces = territorial_forces()
        self.assertEqual(len(forces), 43)
        out, _ = self.run_each("all", "force=all", jobs="2")
        got = files(out)
        AllForces.result = got
        self.assertEqual(len(got), 44)
        self.assertIn("index.md", got)
        index = got["index.md"].decode()
        links = self.index_links(index)
        self.assertEqual(len(links), 43)
        self.assertEqual(sorted(links), sorted(n for n in got if n != "index.md"))
        for name in links:
            self.assertRegex(name, r"^force-profile-[a-z0-9-]+\.md$")
        for force, name in zip(forces, links):
            text = got[name].decode()
            self.check_report(text, force)
            fp = re.search(r"`([0-9a-f]{64})`\n$", text).group(1)
            self.assertIn(fp, index)
        self.assertIn("force-profile-kent.md", got)
        self.assertIn("force-profile-devon-and-cornwall.md", got)

    def test_a_list_gives_the_same_bytes_with_one_job(self):
        """A list of forces, one job: the index keeps the list's order, and each report is byte for
        byte the one the 43-force run with two jobs wrote (so --jobs and the run do not change it)."""
        each = 'force=("Kent","Essex","Dyfed-Powys")'
        one, _ = self.run_each("one", each, jobs="1")
        got = files(one)
        self.assertEqual(sorted(got), ["force-profile-dyfed-powys.md", "force-profile-essex.md", "force-profile-kent.md", "index.md"])
        self.assertEqual(self.index_links(got["index.md"].decode()), ["force-profile-kent.md", "force-profile-essex.md", "force-profile-dyfed-powys.md"])
        self.check_report(got["force-profile-kent.md"].decode(), "Kent")
        every = AllForces.result
        if every is None:
            self.skipTest("the 43-force run did not run first")
        for name in ["force-profile-kent.md", "force-profile-essex.md", "force-profile-dyfed-powys.md"]:
            self.assertEqual(got[name], every[name], name)

    def test_unknown_force_named(self):
        out = os.path.join(self.tmp.name, "bad")
        rc, _, err = peel("report", PROFILE, "--each", 'force=("Kent","Kentt")', "-o", out, "--date", "2026-01-01")
        self.assertEqual(rc, 2)
        self.assertIn("'Kentt' is not a territorial force", err)
        self.assertIn("did you mean 'Kent'", err)
        self.assertFalse(os.path.exists(out), "nothing written")

    def test_output_file_refused(self):
        path = os.path.join(self.tmp.name, "file.md")
        with open(path, "w") as f:
            f.write("keep me")
        rc, _, err = peel("report", PROFILE, "--each", "force=all", "-o", path)
        self.assertEqual(rc, 2)
        self.assertIn("is not a folder", err)
        with open(path) as f:
            self.assertEqual(f.read(), "keep me")

    def test_bad_jobs_and_missing_folder(self):
        rc, _, err = peel("report", PROFILE, "--each", "force=all", "-o", os.path.join(self.tmp.name, "x"), "--jobs", "0")
        self.assertEqual(rc, 2)
        self.assertIn("--jobs '0'", err)
        rc, _, err = peel("report", PROFILE, "--each", "force=all")
        self.assertEqual(rc, 2)
        self.assertIn("give a folder with -o DIR", err)


if __name__ == "__main__":
    unittest.main()
