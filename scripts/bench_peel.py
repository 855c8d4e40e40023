#!/usr/bin/env python3
"""peel's side of the peer benchmark (../shared/bench): the same tasks T1-T4 as peel scripts,
and the conversion of peel's TSV output into the harness's '## qNN' / 'key|value' form, so
check_outputs.py can compare peel's answers with sqlite3's.

  bench_peel.py scripts HARNESS_DIR DATA.csv OUTDIR   write peel_t1..t4.peel
  bench_peel.py convert HARNESS_DIR TASK RAW.tsv OUT    peel TSV output -> harness form
  bench_peel.py queries HARNESS_DIR DATA.csv PEEL       each of T4's 22 queries after one load:
                                                        (load + the query 10 times) - (load alone),
                                                        / 10, best of 3, in milliseconds
  bench_peel.py verbs PEEL                              rank, join, pivot, sort and compare each on
                                                        the bundled outcomes_detail (450,912 rows):
                                                        (read + verb) - (read alone), best of 3
"""
import os
import sys


def harness(path):
    sys.path.insert(0, path)
    import make_scripts  # noqa: E402  (the harness's own query definitions)
    return make_scripts


def lit(v):
    return '"' + str(v).replace('"', '""') + '"'


def where(filters):
    parts = []
    for col, op, val in filters:
        if op == "=":
            parts.append("%s = %s" % (col, lit(val)))
        elif op == "prefix":
            parts.append("%s ~ %s" % (col, lit(val)))  # the harness's prefixes occur only at the start
        elif op == ">=":
            parts.append("%s >= %d" % (col, val))
        elif op == "in":
            parts.append("%s in (%s)" % (col, ", ".join(lit(v) for v in val)))
    return " and ".join(parts)


def groupby(q):
    name, filters, keys = q
    return "t | where %s | summarise sum(outcome_count) as total by %s | sort total desc, %s\n" % (
        where(filters), ", ".join(keys), ", ".join(keys))


T3 = ('t | add charged = if(outcome_type = "Charged/Summonsed", outcome_count, 0)'
      ' | summarise sum(charged) as charged, sum(outcome_count) as total by force_name'
      ' | add force_pct = round(pct(charged, total), 2)'
      ' | add ew_pct = round(pct(total(charged), total(total)), 2)'
      ' | add diff_pp = round(pct(charged, total) - pct(total(charged), total(total)), 2)'
      ' | sort diff_pp desc, force_name | select force_name, force_pct, ew_pct, diff_pp\n')


def scripts(hdir, data, out):
    ms = harness(hdir)
    os.makedirs(out, exist_ok=True)
    load = 'load "%s" as t\n' % data
    allq = [ms.T2] + ms.EXTRA
    texts = {
        1: load + "t | summarise count\n",
        2: load + groupby(ms.T2),
        3: load + T3,
        4: load + groupby(ms.T2) + T3 + "".join(groupby(q) for q in ms.EXTRA),
    }
    for t, text in texts.items():
        with open(os.path.join(out, "peel_t%d.peel" % t), "w") as f:
            f.write(text)


def convert(hdir, task, raw, out):
    ms = harness(hdir)
    names = {"T1": [], "T2": ["q01"], "T3": ["q02"], "T4": ["q01", "q02"] + [q[0] for q in ms.EXTRA]}[task]
    with open(raw) as f:
        lines = [l.rstrip("\n") for l in f if l.strip()]
    blocks, cur = [], None
    for l in lines:
        # Each result starts with its header line (column names, tab separated).
        if l.startswith("count") or l.startswith("force_name\tforce_pct") or l.endswith("\ttotal") or l == "total":
            cur = []
            blocks.append(cur)
        else:
            cur.append(l.replace("\t", "|"))
    with open(out, "w") as f:
        if task == "T1":
            f.write(blocks[0][0] + "\n")
            return
        for name, rows in zip(names, blocks):
            f.write("## %s\n" % name)
            for r in rows:
                f.write(r + "\n")


def best_time(peel, text, runs=3):
    import subprocess
    import tempfile
    import time
    with tempfile.NamedTemporaryFile("w", suffix=".peel", delete=False) as f:
        f.write(text)
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run([peel, "--format", "tsv", f.name], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - t0)
    os.unlink(f.name)
    return min(times)


VERBS = [
    ("rank", "outcomes_detail | rank offences | top 3 | select force, offences, rank\n"),
    ("join", "outcomes_detail | join forces on force | summarise count\n"),
    ("pivot", "outcomes_detail | pivot financial_quarter values offences | summarise count\n"),
    ("sort", "outcomes_detail | sort offences desc, force, offence_description | top 3 | select force, offences\n"),
    ("compare each", "outcomes_detail | compare each | top 3 | select force, offences\n"),
]


def verbs(peel):
    base = best_time(peel, "outcomes_detail | summarise count\n")
    print("| verb on outcomes_detail (450,912 rows) | s after the read |")
    print("|---|---:|")
    for name, text in VERBS:
        print("| %s | %.3f |" % (name, max(0.0, best_time(peel, text, 1 if name == "compare each" else 3) - base)))
    print("\nread alone (gzip, quoted: the general reader): %.3f s" % base)


def queries(hdir, data, peel):
    import subprocess
    import tempfile
    import time
    ms = harness(hdir)
    load = 'load "%s" as t\n' % data
    qs = [("q01", groupby(ms.T2)), ("q02", T3)] + [(q[0], groupby(q)) for q in ms.EXTRA]

    def best(text):
        with tempfile.NamedTemporaryFile("w", suffix=".peel", delete=False) as f:
            f.write(text)
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            subprocess.run([peel, "--format", "tsv", f.name], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
            times.append(time.perf_counter() - t0)
        os.unlink(f.name)
        return min(times)

    base = best(load + "t | summarise count\n")
    print("| query | ms after the load |")
    print("|---|---:|")
    for name, q in qs:
        each = (best(load + q * 10) - base) / 10 * 1000
        print("| %s | %.1f |" % (name, max(0.0, each)))
    print("\nload alone: %.3f s" % base)


if __name__ == "__main__":
    if sys.argv[1] == "queries":
        queries(*sys.argv[2:5])
    elif sys.argv[1] == "verbs":
        verbs(sys.argv[2])
    elif sys.argv[1] == "scripts":
        scripts(*sys.argv[2:5])
    else:
        convert(*sys.argv[2:6])
