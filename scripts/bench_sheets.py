#!/usr/bin/env python3
"""scripts/bench sheets: load the Home Office outcomes table (450,912 rows, bundled) from .xlsx and
.ods with peel beside python-calamine (Rust) and pandas (openpyxl for .xlsx, odf for .ods), in one run.

The workbooks are made here from the bundled CSV (so no one else's file is measured): the .xlsx by
openpyxl (write-only mode), the .ods by LibreOffice (libreoffice-calc-nogui, headless) from the
.xlsx. They are kept in .bench/sheets/ (ignored by git). Each tool runs as its own process; the
table shows the median wall time of RUNS runs and the peak resident memory (/usr/bin/time -v), and
the target: peel at most calamine's time, peak memory below 2x the table's CSV size.
"""
import csv, gzip, json, os, statistics, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORK = os.path.join(ROOT, ".bench", "sheets")
PEEL = os.environ.get("PEEL_BIN", os.path.join(ROOT, ".build/release/peel"))
RUNS = int(os.environ.get("RUNS", "3"))
SRC = os.path.join(ROOT, "datasets", "outcomes_offence_level_2017_18.csv.gz")


def make_workbooks():
    os.makedirs(WORK, exist_ok=True)
    csv_path = os.path.join(WORK, "outcomes.csv")
    if not os.path.exists(csv_path):
        with gzip.open(SRC, "rb") as f, open(csv_path, "wb") as out:
            out.write(f.read())
    xlsx = os.path.join(WORK, "outcomes.xlsx")
    if not os.path.exists(xlsx):
        import openpyxl
        wb = openpyxl.Workbook(write_only=True)
        ws = wb.create_sheet("outcomes")
        with open(csv_path, newline="", encoding="utf-8") as f:
            r = csv.reader(f)
            header = next(r)
            ws.append(header)
            for row in r:
                ws.append([int(v) if v.lstrip("-").isdigit() and not (len(v) > 1 and v[0] == "0") else (None if v in ("", "NA") else v) for v in row])
        wb.save(xlsx + ".tmp")
        os.replace(xlsx + ".tmp", xlsx)
    ods = os.path.join(WORK, "outcomes.ods")
    if not os.path.exists(ods):
        subprocess.run(["soffice", "--headless", "--convert-to", "ods", "--outdir", WORK, xlsx], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=3600)
    return csv_path, xlsx, ods


def measure(cmd):
    """Median wall seconds over RUNS and the peak RSS (MB) of the first run."""
    times, peak = [], None
    for i in range(RUNS):
        t0 = time.perf_counter()
        p = subprocess.run(["/usr/bin/time", "-v"] + cmd, capture_output=True, text=True)
        times.append(time.perf_counter() - t0)
        if p.returncode != 0:
            return None, None, p.stderr.strip().splitlines()[-1] if p.stderr.strip() else "failed"
        for line in p.stderr.splitlines():
            if "Maximum resident set size" in line:
                kb = int(line.split(":")[1])
                peak = kb / 1024 if peak is None else max(peak, kb / 1024)
    return statistics.median(times), peak, None


def main():
    csv_path, xlsx, ods = make_workbooks()
    csv_mb = os.path.getsize(csv_path) / 1e6
    py = sys.executable
    tools = {
        "peel": lambda f: [PEEL, "-c", 'load "%s" as t; t | summarise count()' % f],
        "calamine": lambda f: [py, "-c", "import python_calamine as c,sys; s=c.CalamineWorkbook.from_path(sys.argv[1]).get_sheet_by_index(0).to_python(); print(len(s))", f],
        "pandas": lambda f: [py, "-c", "import pandas as pd,sys; print(len(pd.read_excel(sys.argv[1], engine=sys.argv[2])))", f, "openpyxl" if f.endswith(".xlsx") else "odf"],
    }
    results = {}
    print("file     tool        seconds   peak MB   (CSV %.0f MB; targets: peel <= calamine, peak < %.0f MB)" % (csv_mb, 2 * csv_mb))
    for f in (xlsx, ods):
        for name, make in tools.items():
            if name == "pandas" and os.environ.get("SKIP_PANDAS"):
                continue
            secs, peak, err = measure(make(f))
            results[(os.path.basename(f), name)] = (secs, peak)
            ext = os.path.splitext(f)[1]
            if err:
                print("%-8s %-10s  failed: %s" % (ext, name, err))
            else:
                print("%-8s %-10s %8.2f %9.0f" % (ext, name, secs, peak))
    with open(os.path.join(WORK, "results.json"), "w") as out:
        json.dump({"%s %s" % k: v for k, v in results.items()}, out, indent=1)


if __name__ == "__main__":
    main()
