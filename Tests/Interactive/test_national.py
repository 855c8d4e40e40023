"""England and Wales made from the force rows, checked against an independent computation.

The bundled offence-level outcomes file is summed here with Python's csv module; the pooled
national share, each force's rank and band (Annex A), the exact binomial test and the funnel limits
(exact binomial with Spiegelhalter's interpolation) are computed with scipy, and every row of peel's
`compare each` must agree. The same for a rate per 1,000 population (exact Poisson).
"""
import csv
import gzip
import io
import math
import os
import subprocess
import unittest

from scipy import stats

PEEL = os.environ.get("PEEL_BIN", ".build/debug/peel")
DATA = os.environ.get("PEEL_DATA", "datasets")
TERRITORIAL = None


def peel_csv(pipeline):
    out = subprocess.run([PEEL, "-c", pipeline + " | format csv"], capture_output=True, text=True,
                         env=dict(os.environ, PEEL_DATA=DATA), timeout=600)
    if out.returncode != 0:
        raise AssertionError(out.stderr)
    return list(csv.DictReader(io.StringIO(out.stdout)))


def territorial():
    with open(os.path.join(DATA, "forces.csv"), newline="") as f:
        return {r["force"] for r in csv.DictReader(f) if r.get("kind", "force") == "force"}


def position(x, values):
    """Competition rank from the top and the Annex A band of that shared position."""
    n = len(values)
    rank = 1 + sum(1 for v in values if v > x)
    tied = sum(1 for v in values if v == x) > 1
    if rank <= n / 4:
        band = "one of the highest"
    elif n + 1 - rank <= n / 4:
        band = "one of the lowest"
    else:
        band = "broadly in line"
    suffix = {1: "st", 2: "nd", 3: "rd"}.get(rank % 10 if rank % 100 not in (11, 12, 13) else 0, "th")
    return ("=" if tied else "") + f"{rank}{suffix} highest of {n}", band


def doubled(lower_tail, upper_tail):
    return min(1.0, 2 * min(lower_tail, upper_tail))


def interpolated_limit(dist, n, level_p):
    """Spiegelhalter (2005) A.1.1: r_p, the p-quantile, less the interpolation alpha, over n."""
    r = dist.ppf(level_p)
    below = dist.cdf(r - 1) if r > 0 else 0.0
    alpha = (dist.cdf(r) - level_p) / (dist.cdf(r) - below)
    return (r - alpha) / n


def limits_words(x, n, target, binomial):
    dist = stats.binom(n, target) if binomial else stats.poisson(n * target)
    v = x / n
    lo95, hi95 = interpolated_limit(dist, n, 0.025), interpolated_limit(dist, n, 0.975)
    lo998, hi998 = interpolated_limit(dist, n, 0.001), interpolated_limit(dist, n, 0.999)
    if v > hi998:
        return "above the 99.8% limit"
    if v < lo998:
        return "below the 99.8% limit"
    if v > hi95:
        return "above the 95% limit"
    if v < lo95:
        return "below the 95% limit"
    return "within the limits"


class PooledCharged(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        counts = {}
        with gzip.open(os.path.join(DATA, "outcomes_offence_level_2017_18.csv.gz"), "rt", newline="") as f:
            for row in csv.DictReader(f):
                try:
                    o = int(row["offences"])
                except ValueError:
                    continue  # NA: missing, not zero
                c = counts.setdefault(row["force_name"], [0, 0])
                c[1] += o
                if row["outcome_type"] == "1":
                    c[0] += o
        cls.counts = counts
        cls.forces = territorial()
        cls.rows = peel_csv("outcomes_detail | add charged = if(outcome_type = 1, offences, 0) | summarise sum(charged) as charged, "
                            "sum(offences) as offences by force | add share = pct(charged, offences) | compare each")

    def test_the_national_share_is_pooled_over_the_43_forces(self):
        self.assertEqual(len(self.forces), 43)
        self.assertIn("British Transport Police", self.counts)
        x = sum(self.counts[f][0] for f in self.forces)
        n = sum(self.counts[f][1] for f in self.forces)
        self.assertEqual((x, n), (479704, 4818517))
        self.assertEqual(len(self.rows), 43)
        for r in self.rows:
            self.assertAlmostEqual(float(r["England and Wales (%)"]), x / n * 100, places=9)
        self.assertEqual(f"{x / n * 100:.2f}", "9.96")

    def test_every_force_rank_band_test_and_limits(self):
        x = sum(self.counts[f][0] for f in self.forces)
        n = sum(self.counts[f][1] for f in self.forces)
        target = x / n
        shares = {f: self.counts[f][0] / self.counts[f][1] * 100 for f in self.forces}
        for r in self.rows:
            f = r["force"]
            a, b = self.counts[f]
            self.assertAlmostEqual(float(r["share (%)"]), shares[f], places=9, msg=f)
            pos, band = position(shares[f], list(shares.values()))
            self.assertEqual(r["position"], pos, f)
            self.assertEqual(r["band"], band, f)
            d = stats.binom(b, target)
            p = doubled(d.cdf(a), d.sf(a - 1))
            self.assertLess(abs(float(r["p"]) - p), 1e-9 + 1e-6 * p, f)
            self.assertEqual(r["limits"], limits_words(a, b, target, binomial=True), f)
        leics = next(r for r in self.rows if r["force"] == "Leicestershire")
        self.assertEqual((f"{float(leics['share (%)']):.2f}", leics["position"], leics["band"]),
                         ("9.52", "32nd highest of 43", "broadly in line"))


class PooledRate(unittest.TestCase):
    def test_a_catalogue_rate_pools_and_tests_with_poisson(self):
        with open(os.path.join(DATA, "recorded_crime_totals_2017_18.csv"), newline="") as f:
            src = {r["force_name"]: r for r in csv.DictReader(f)}
        usable = {k: (int(v["total_recorded_offences"]), float(v["population_hoc_2019"]))
                  for k, v in src.items() if v["total_recorded_offences"] and v["population_hoc_2019"]}
        x = sum(a for a, _ in usable.values())
        n = sum(b for _, b in usable.values())
        rows = peel_csv("recorded_crime_totals | compare each on approx_rate_per_1000_pop")
        self.assertEqual(len(rows), 43)
        national = [c for c in rows[0] if c.startswith("England and Wales")][0]
        for r in rows:
            self.assertAlmostEqual(float(r[national]), x / n * 1000, places=9)
            if r["force"] not in usable:
                self.assertEqual(r["p"], "")
                continue
            a, b = usable[r["force"]]
            d = stats.poisson(b * x / n)
            p = doubled(d.cdf(a), d.sf(a - 1))
            self.assertLess(abs(float(r["p"]) - p), 1e-9 + 1e-6 * p, r["force"])
            self.assertEqual(r["limits"], limits_words(a, b, x / n, binomial=False), r["force"])


if __name__ == "__main__":
    unittest.main()
