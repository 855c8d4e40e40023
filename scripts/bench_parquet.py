#!/usr/bin/env python3
"""Parquet loading, peel beside DuckDB, on the shared harness's synthetic outcomes data.

  scripts/bench_parquet.py [SIZE]     SIZE = 100k | 1M | 5M (default 5M)

Takes outcomes_SIZE.csv from .bench/data (scripts/bench makes it; if it is not there, the
harness's gen_outcomes.py in ../shared/bench, or PEEL_BENCH_HARNESS, makes it), converts it to
Parquet with the DuckDB CLI (SNAPPY, DuckDB's default, and ZSTD), and times a T1-like task, load
and count the rows, in a fresh process each run: peel (release build; PEEL_BIN to choose another)
loading the .parquet and the .csv, and DuckDB reading the .parquet into a table and counting it. Prints the median wall time of
RUNS runs (default 3) and the peak memory (/usr/bin/time -v) of each, and checks the counts agree.
No test depends on these times.
"""
import os, re, shutil, statistics, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SIZE = sys.argv[1] if len(sys.argv) > 1 else "5M"
RUNS = int(os.environ.get("RUNS", "3"))
HARNESS = os.environ.get("PEEL_BENCH_HARNESS", os.path.join(ROOT, "..", "shared", "bench"))


def rows_of(size):
    m = re.fullmatch(r"(\d+)([kM]?)", size)
    if not m:
        sys.exit("bench_parquet: SIZE is like 100k, 1M or 5M")
    return int(m.group(1)) * {"": 1, "k": 1000, "M": 1000000}[m.group(2)]


def duckdb():
    exe = shutil.which("duckdb")
    if exe is None:
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--disable-pip-version-check", "duckdb-cli"], check=True)
        exe = shutil.which("duckdb")
    return exe


def peak_and_output(cmd):
    """One run under /usr/bin/time -v: (peak resident MiB, stdout)."""
    p = subprocess.run(["/usr/bin/time", "-v"] + cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit("bench_parquet: %s failed:\n%s" % (" ".join(cmd), p.stderr[-2000:]))
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr)
    return (int(m.group(1)) / 1024 if m else float("nan")), p.stdout


def median_seconds(cmd):
    times = []
    for _ in range(RUNS):
        t = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=True)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main():
    data_dir = os.path.join(ROOT, ".bench", "data")
    os.makedirs(data_dir, exist_ok=True)
    csv_path = os.path.join(data_dir, "outcomes_%s.csv" % SIZE)
    if not os.path.exists(csv_path):
        gen = os.path.join(HARNESS, "gen_outcomes.py")
        if not os.path.exists(gen):
            sys.exit("bench_parquet: no %s and no harness at %s (set PEEL_BENCH_HARNESS)" % (csv_path, HARNESS))
        print("== generating %s" % csv_path, file=sys.stderr)
        subprocess.run([sys.executable, gen, str(rows_of(SIZE)), csv_path], check=True)
    db = duckdb()
    peel = os.environ.get("PEEL_BIN")
    if not peel:
        print("== building peel (release)", file=sys.stderr)
        subprocess.run(["swift", "build", "-c", "release", "--package-path", ROOT, "--product", "peel"], check=True,
                       stdout=subprocess.DEVNULL)
        peel = os.path.join(ROOT, ".build", "release", "peel")
    files = {}
    for codec in ["snappy", "zstd"]:
        out = os.path.join(data_dir, "outcomes_%s_%s.parquet" % (SIZE, codec))
        if not os.path.exists(out) or os.path.getmtime(out) < os.path.getmtime(csv_path):
            print("== converting to %s with DuckDB (%s)" % (os.path.basename(out), codec), file=sys.stderr)
            subprocess.run([db, "-c", "COPY (SELECT * FROM read_csv('%s')) TO '%s' (FORMAT parquet, COMPRESSION %s)" % (csv_path, out, codec)],
                           check=True, stdout=subprocess.DEVNULL)
        files[codec] = out
    env_peel = lambda path: [peel, "--format", "tsv", "--no-rc", "-c", 'load "%s" as t; t | summarise count' % path]
    cases = [("peel, CSV", env_peel(csv_path))]
    for codec, path in files.items():
        cases.append(("peel, Parquet %s" % codec, env_peel(path)))
        # DuckDB would answer count(*) from the footer alone: it reads every column into a table first, as peel does.
        cases.append(("DuckDB, Parquet %s" % codec, [db, "-csv", "-c", "CREATE TABLE t AS SELECT * FROM '%s'; SELECT count(*) FROM t" % path]))
    print("%s rows (%s; Parquet %s MiB snappy, %s MiB zstd), median of %d runs:" % (
        f"{rows_of(SIZE):,}", os.path.basename(csv_path),
        round(os.path.getsize(files["snappy"]) / 2**20, 1), round(os.path.getsize(files["zstd"]) / 2**20, 1), RUNS))
    print("%-26s %10s %12s   %s" % ("", "seconds", "peak MiB", "count"))
    for name, cmd in cases:
        mem, out = peak_and_output(cmd)
        counts = re.findall(r"^\d+$", out, re.M)
        print("%-26s %10.2f %12.0f   %s" % (name, median_seconds(cmd), mem, counts[-1] if counts else out.strip()[-40:]))


if __name__ == "__main__":
    main()
