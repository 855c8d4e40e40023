#!/usr/bin/env python3
"""How peel's load and queries grow with the file, beside DuckDB: T1 (load + count) and T4 (load +
22 queries) at each size, median wall seconds (hyperfine, whole process) and peak resident memory
(/usr/bin/time -v), and peel's answers checked against DuckDB's for T4.

  bench_scaling.py HARNESS_DIR PEEL SIZE...     e.g. .bench .build/release/peel 100k 1M 5M 10M 20M

Sizes up to 5M are the shared generator's files (gen_outcomes.py N). Its key space holds about 8.7M
rows, so 10M and 20M are made from 5M-row samples with seeds 1 (the default), 2, 3 and 4, one after
another (header once): the same shape, with each key up to four times. Knob: RUNS (default 3).
"""
import json
import os
import re
import subprocess
import sys

here = os.path.dirname(os.path.abspath(__file__))


def rows_of(size):
    s = size.lower()
    return int(float(s[:-1]) * (1000 if s.endswith("k") else 1000000)) if s[-1] in "km" else int(s)


def data_file(hdir, size):
    path = os.path.join(hdir, "data", "outcomes_%s.csv" % size)
    if os.path.exists(path) and os.path.getsize(path) > 0:
        return path
    n = rows_of(size)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if n <= 5000000:
        subprocess.run([sys.executable, os.path.join(hdir, "gen_outcomes.py"), str(n), path], check=True)
        return path
    parts = (n + 4999999) // 5000000
    with open(path + ".tmp", "wb") as out:
        for k in range(parts):
            part = os.path.join(hdir, "data", "part_5M_s%d.csv" % (k + 1))
            args = [sys.executable, os.path.join(hdir, "gen_outcomes.py"), "5000000", part] + ([] if k == 0 else [str(k + 1)])
            subprocess.run(args, check=True)
            with open(part, "rb") as f:
                if k > 0:
                    f.readline()
                while True:
                    b = f.read(1 << 24)
                    if not b:
                        break
                    out.write(b)
            os.remove(part)
    os.rename(path + ".tmp", path)
    return path


def measure(cmd, runs, out_json, out_time, out_stdout):
    subprocess.run(["/usr/bin/time", "-v", "-o", out_time, "sh", "-c", cmd + " > " + out_stdout + " 2>/dev/null"], check=True)
    subprocess.run(["hyperfine", "--style", "none", "--warmup", "1", "--runs", str(runs), "--export-json", out_json, cmd],
                   check=True, stdout=subprocess.DEVNULL)
    median = json.load(open(out_json))["results"][0]["median"]
    peak = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", open(out_time).read()).group(1)) / 1024
    return median, peak


def main():
    hdir, peel, sizes = sys.argv[1], sys.argv[2], sys.argv[3:]
    sys.path.insert(0, hdir)
    runs = int(os.environ.get("RUNS", "3"))
    rows = []
    for size in sizes:
        data = data_file(hdir, size)
        d = os.path.join(hdir, "results", "scaling", size)
        os.makedirs(d, exist_ok=True)
        subprocess.run([sys.executable, os.path.join(hdir, "make_scripts.py"), data, os.path.join(d, "scripts")], check=True,
                       stdout=subprocess.DEVNULL)
        subprocess.run([sys.executable, os.path.join(here, "bench_peel.py"), "scripts", hdir, data, os.path.join(d, "peel")], check=True)
        subprocess.run(["cat", data], stdout=subprocess.DEVNULL, check=True)  # warm the page cache
        r = {"size": size, "bytes": os.path.getsize(data)}
        for t in (1, 4):
            r["peel%d" % t] = measure("%s --format tsv %s/peel/peel_t%d.peel" % (peel, d, t), runs,
                                      "%s/peel_T%d.json" % (d, t), "%s/peel_T%d.time" % (d, t), "%s/peel_T%d.tsv" % (d, t))
            r["duckdb%d" % t] = measure("duckdb -batch < %s/scripts/duckdb_t%d.sql" % (d, t), runs,
                                        "%s/duckdb_T%d.json" % (d, t), "%s/duckdb_T%d.time" % (d, t), "%s/duckdb_T%d.out" % (d, t))
        subprocess.run([sys.executable, os.path.join(here, "bench_peel.py"), "convert", hdir, "T4", "%s/peel_T4.tsv" % d,
                        "%s/peel_T4.out" % d], check=True)
        r["agree"] = compare("%s/peel_T4.out" % d, "%s/duckdb_T4.out" % d)
        rows.append(r)
        print("%s done: %s" % (size, r), file=sys.stderr)
    print("| rows | file MB | peel T1 s | DuckDB T1 s | peel T4 s | DuckDB T4 s | T4 peel/DuckDB | peel MB (T4) | DuckDB MB (T4) | peel MB / file MB | T4 answers |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for r in rows:
        mb = r["bytes"] / 1e6
        print("| %s | %.0f | %.3f | %.3f | %.3f | %.3f | %.2f | %.0f | %.0f | %.2f | %s |" % (
            r["size"], mb, r["peel1"][0], r["duckdb1"][0], r["peel4"][0], r["duckdb4"][0], r["peel4"][0] / r["duckdb4"][0],
            r["peel4"][1], r["duckdb4"][1], r["peel4"][1] * 1.048576 / mb, "equal" if r["agree"] else "DIFFER"))


def compare(a, b):
    """The harness's own comparison (check_outputs.py): '## qNN' blocks, rows in any order,
    numbers to 0.011."""
    import check_outputs as co
    x, y = co.parse(a), co.parse(b)
    return set(x) == set(y) and all(co.same_rows(x[k], y[k]) for k in x)


if __name__ == "__main__":
    main()
