"""The rate command on the real binary, checked against scipy computed here, live.

A synthetic (made-up) CSV of counts 0, 1, 2, 10, 100, 12345 and 2,000,000 over assorted
denominators is written to a temporary folder; `rate ... | format csv` is run through peel, and
every rate, lower and upper limit is compared with count / denominator * per and Garwood's
interval chi2.ppf(0.025, 2k)/2 and chi2.ppf(0.975, 2k+2)/2 (Byar's formula for `byar`). CSV output
carries each number in full (the shortest decimal that reads back as the same double), so the
comparison is to 1e-9 relative.

Run: PEEL_BIN=$PWD/.build/debug/peel PEEL_DATA=$PWD/datasets python3 Tests/Interactive/test_stats.py
"""
import csv
import io
import math
import os
import subprocess
import tempfile
import unittest

from scipy import stats

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PEEL = os.environ.get("PEEL_BIN", os.path.join(ROOT, ".build/debug/peel"))

# force, events, population: synthetic, made up for this test.
ROWS = [
    ("Northshire", 0, 1500),
    ("Southshire", 1, 250),
    ("Eastshire", 2, 98765),
    ("Westshire", 10, 4321),
    ("Midshire", 100, 1000),
    ("Uppershire", 12345, 1234567),
    ("Lowershire", 2000000, 55000000),
]


def peel(command, env=None):
    e = dict(os.environ, PEEL_DATA=os.environ.get("PEEL_DATA", os.path.join(ROOT, "datasets")))
    e.pop("PEEL_HISTORY", None)
    e.update(env or {})
    p = subprocess.run([PEEL, "-c", command], capture_output=True, env=e, cwd=ROOT, timeout=120)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def garwood(k):
    lower = stats.chi2.ppf(0.025, 2 * k) / 2 if k > 0 else 0.0
    return lower, stats.chi2.ppf(0.975, 2 * k + 2) / 2


def byar(k):
    z = stats.norm.ppf(0.975)
    lower = k * (1 - 1 / (9 * k) - z / (3 * math.sqrt(k))) ** 3 if k > 0 else 0.0
    k1 = k + 1
    return lower, k1 * (1 - 1 / (9 * k1) + z / (3 * math.sqrt(k1))) ** 3


class RateCommand(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.path = os.path.join(cls.tmp.name, "synthetic-rates.csv")
        with open(cls.path, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["force", "events", "population"])
            w.writerows(ROWS)
            # A missing count, a zero denominator, a negative count and a non-whole count.
            w.writerow(["Nowhere", "", 1000])
            w.writerow(["Emptyshire", 5, 0])
            w.writerow(["Minusshire", -3, 1000])
            w.writerow(["Halfshire", 2.5, 1000])

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def run_rate(self, args):
        rc, out, err = peel('load "%s" as t; t | rate events of population %s | format csv' % (self.path, args))
        self.assertEqual(rc, 0, err)
        # `load` reports what it read before the table; the CSV starts at its header.
        rows = list(csv.DictReader(io.StringIO(out[out.index("force,events,population"):])))
        self.assertEqual(len(rows), len(ROWS) + 4, out)
        return rows, err

    def check(self, rows, per, unit, interval):
        for (force, k, n), row in zip(ROWS, rows):
            self.assertEqual(row["force"], force)
            lo, hi = interval(k)
            for name, expected in (("rate", k / n * per), ("lower", lo / n * per), ("upper", hi / n * per)):
                got = float(row["%s (%s)" % (name, unit)])
                self.assertLessEqual(abs(got - expected), 1e-9 * max(abs(expected), 1e-300), "%s %s: %r vs %r" % (force, name, got, expected))
        # The rows that cannot have a rate have missing values (empty in CSV), not zeros.
        for row in rows[len(ROWS):]:
            for name in ("rate", "lower", "upper"):
                self.assertEqual(row["%s (%s)" % (name, unit)], "", row)

    def test_exact_per_1000_is_the_default(self):
        rows, _ = self.run_rate("")
        self.check(rows, 1000, "per 1,000", garwood)

    def test_exact_per_100000(self):
        rows, _ = self.run_rate("per 100000 exact")
        self.check(rows, 100_000, "per 100,000", garwood)

    def test_byar(self):
        rows, _ = self.run_rate("byar per 1000")
        self.check(rows, 1000, "per 1,000", byar)

    def test_any_whole_per(self):
        rows, _ = self.run_rate("per 10")
        self.check(rows, 10, "per 10", garwood)

    def test_the_note_counts_the_rows_without_a_rate(self):
        rc, out, err = peel('load "%s" as t; t | rate events of population' % self.path)
        self.assertEqual(rc, 0, err)
        text = " ".join(out.split())
        self.assertIn("exact Poisson (Garwood) 95% interval of events per 1,000 population; population is taken as exact", text)
        self.assertIn("4 rows have no rate (Nowhere, Emptyshire, Minusshire, Halfshire)", text)
        self.assertIn("1 with a missing events or population", text)
        self.assertIn("1 with population 0 or less", text)
        self.assertIn("2 with events not a whole number of 0 or more", text)

    def test_refuses_existing_rate_columns(self):
        rc, _, err = peel('load "%s" as t; t | rate events of population | rate events of population' % self.path)
        self.assertEqual(rc, 1)
        self.assertIn("already has columns called 'rate', 'lower' and 'upper'", err)


# force, count in 2014/15, count in 2015/16, population in 2014/15, in 2015/16: synthetic, made up.
CHANGES = [
    ("Bigshire", 39850, 36100, 1765000, 1780000),
    ("Zeroshire", 0, 3, 905, 910),
    ("Fallshire", 12, 0, 4000, 4100),
    ("Sameshire", 5, 5, 1000, 1000),
    ("Upshire", 100, 130, 20000, 26000),
    ("Oneshire", 1, 0, 50, 50),
    ("Hugeshire", 2000000, 2001000, 55000000, 55100000),
]


class ChangeOnCounts(unittest.TestCase):
    """`change` on counts: p against scipy's exact binomial test (b given a + b; with populations,
    p0 = the later population over both, two-sided by doubling the smaller tail), z against
    2(sqrt(b) - sqrt(a)) computed here, change_pct and the rates per 1,000."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.path = os.path.join(cls.tmp.name, "synthetic-counts.csv")
        with open(cls.path, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["force", "year", "incidents", "population"])
            for force, a, b, pa, pb in CHANGES:
                w.writerow([force, "2014/15", a, pa])
                w.writerow([force, "2015/16", b, pb])

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def run_change(self, extra):
        rc, out, err = peel('load "%s" as t; t | change incidents %sover year from "2014/15" to "2015/16" | format csv'
                            % (self.path, extra))
        self.assertEqual(rc, 0, err)
        rows = list(csv.DictReader(io.StringIO(out[out.index("force,"):])))
        self.assertEqual([r["force"] for r in rows], [c[0] for c in CHANGES])
        return rows

    def close(self, got, expected, what):
        self.assertLessEqual(abs(float(got) - expected), 1e-9 * max(abs(expected), 1e-300), "%s: %s vs %r" % (what, got, expected))

    def test_counts_against_scipy(self):
        for (force, a, b, _, _), row in zip(CHANGES, self.run_change("")):
            self.assertEqual(int(row["change"]), b - a)
            # With p0 = 1/2 the binomial is symmetric, so scipy's two-sided test is the doubled tail.
            self.close(row["p"], stats.binomtest(b, a + b, 0.5).pvalue if a + b > 0 else 1.0, force + " p")
            self.close(row["z"], 2 * (math.sqrt(b) - math.sqrt(a)), force + " z")
            if a > 0:
                self.close(row["change_pct (%)"], (b - a) / a * 100, force + " change_pct")
            else:
                self.assertEqual(row["change_pct (%)"], "", "no percent change from zero")

    def test_per_population_against_scipy(self):
        for (force, a, b, pa, pb), row in zip(CHANGES, self.run_change("per population ")):
            p0 = pb / (pa + pb)
            n = a + b
            tail = min(stats.binom.cdf(b, n, p0), stats.binom.sf(b - 1, n, p0))
            self.close(row["p"], min(1.0, 2 * tail), force + " p")
            self.close(row["2014/15 (per 1,000)"], a / pa * 1000, force + " rate a")
            self.close(row["2015/16 (per 1,000)"], b / pb * 1000, force + " rate b")
            self.close(row["change (per 1,000)"], b / pb * 1000 - a / pa * 1000, force + " change")


if __name__ == "__main__":
    unittest.main()
