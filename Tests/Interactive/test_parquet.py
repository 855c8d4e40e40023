"""Parquet files, checked against readers and writers no one here wrote: pyarrow and the DuckDB CLI.

pyarrow writes files of every type peel reads, with each codec, with dictionaries on and off, in
data pages of version 1 and 2, with nulls and several row groups; peel loads each and exports it
as CSV, and every value must equal pyarrow's (a null, an empty field). The other way, peel exports
.parquet files with each codec, and pyarrow and DuckDB must read the values peel had, with a null
wherever peel had a missing value. Files peel refuses (nested columns, INT96, LZ4, damaged files)
must give an error naming the file, never a crash.
"""
import csv, datetime, decimal, io, math, os, shutil, subprocess, sys, tempfile, unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PEEL = os.environ.get("PEEL_BIN", os.path.join(ROOT, ".build/debug/peel"))

try:
    import pyarrow as pa, pyarrow.parquet as pq
except ImportError:  # scripts/test installs it; a bare run installs it here
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--disable-pip-version-check", "pyarrow"], check=False)
    import pyarrow as pa, pyarrow.parquet as pq

DUCKDB = shutil.which("duckdb")
if DUCKDB is None:
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--disable-pip-version-check", "duckdb-cli"], check=False)
    DUCKDB = shutil.which("duckdb")


def peel(script, cwd):
    e = dict(os.environ, PEEL_DATA=os.path.join(ROOT, "datasets"))
    e.pop("PEEL_HISTORY", None)
    p = subprocess.run([PEEL, "-c", script], capture_output=True, env=e, cwd=cwd, timeout=120)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def read_csv(path):
    with open(path, newline="") as f:
        return list(csv.reader(f))


US = 1_000_000
ROWS = 23


def sample_table():
    """Every type peel reads, 23 rows, with nulls in every column."""
    def nulls(values, every=5):
        return [None if i % every == 2 else v for i, v in enumerate(values)]
    n = range(ROWS)
    cols = {
        "i8": pa.array(nulls([(-1) ** i * i for i in n]), pa.int8()),
        "i16": pa.array(nulls([i * 1000 - 9000 for i in n]), pa.int16()),
        "i32": pa.array(nulls([i * 100_000_000 - 1_000_000_000 for i in n]), pa.int32()),
        "i64": pa.array(nulls([(i - 11) * 400_000_000_000_000_000 for i in n]), pa.int64()),
        "u8": pa.array(nulls([255 - i for i in n]), pa.uint8()),
        "u16": pa.array(nulls([65535 - i for i in n]), pa.uint16()),
        "u32": pa.array(nulls([4_294_967_295 - i for i in n]), pa.uint32()),
        "u64": pa.array(nulls([18_400_000_000_000_000_000 + i * 1_000_000 for i in n]), pa.uint64()),
        "f32": pa.array(nulls([i * 1.25 - 3 for i in n]), pa.float32()),
        "f64": pa.array(nulls([i / 8 for i in n]), pa.float64()),
        "text": pa.array(nulls(["force %d, \"quoted\" é" % (i % 4) for i in n])),
        "unique": pa.array(nulls(["row %d" % i for i in n])),
        "cat": pa.array(nulls(["b", "a", "c"] * 7 + ["a", "b"])).dictionary_encode(),
        "flag": pa.array(nulls([i % 3 == 0 for i in n]), pa.bool_()),
        "day": pa.array(nulls([datetime.date(1960, 1, 1) + datetime.timedelta(days=900 * i) for i in n]), pa.date32()),
        "dec_small": pa.array(nulls([decimal.Decimal(i * 137 - 1000).scaleb(-2) for i in n]), pa.decimal128(7, 2)),
        "dec_big": pa.array(nulls([decimal.Decimal(i * 123456789 - 10**9).scaleb(-3) for i in n]), pa.decimal128(20, 3)),
        "ts_ms": pa.array(nulls([1_500_000_000_000 + i * 3_723_456 for i in n]), pa.timestamp("ms")),
        "ts_us": pa.array(nulls([-86_400 * US * 400 + i * 86_400 * US for i in n]), pa.timestamp("us")),  # every one at midnight
        "ts_ns": pa.array(nulls([1_600_000_000_123_456_789 + i * 1_000_000_001 for i in n]), pa.timestamp("ns")),
    }
    return pa.table(cols)


def clock(v, per_second):
    seconds, frac = divmod(v, per_second)
    day, rest = divmod(seconds, 86400)
    d = datetime.date(1970, 1, 1) + datetime.timedelta(days=day)
    out = "%s %02d:%02d:%02d" % (d.isoformat(), rest // 3600, rest // 60 % 60, rest % 60)
    if frac:
        digits = {1000: 3, US: 6, 1000 * US: 9}[per_second]
        out += "." + ("%0*d" % (digits, frac)).rstrip("0")
    return out


def expected(table):
    """What peel's CSV must hold for each column: strings, or floats to compare closely."""
    out = {}
    for name in table.column_names:
        col = table.column(name)
        t = col.type
        if pa.types.is_timestamp(t):
            per = {"ms": 1000, "us": US, "ns": 1000 * US}[t.unit]
            raw = col.cast(pa.int64()).to_pylist()
            midnight = all(v % (86400 * per) == 0 for v in raw if v is not None)
            vals = []
            for v in raw:
                if v is None: vals.append("")
                elif midnight: vals.append((datetime.date(1970, 1, 1) + datetime.timedelta(days=v // (86400 * per))).isoformat())
                else: vals.append(clock(v, per))
            out[name] = vals
            continue
        vals = []
        for v in col.to_pylist():
            if v is None: vals.append("")
            elif isinstance(v, bool): vals.append("true" if v else "false")
            elif isinstance(v, float): vals.append(v)
            elif isinstance(v, decimal.Decimal): vals.append(str(v))
            elif isinstance(v, datetime.date): vals.append(v.isoformat())
            else: vals.append(str(v))
        out[name] = vals
    return out


class PyarrowToPeel(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="peel-parquet-")

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def check_file(self, path, table):
        rc, out, err = peel('load "%s" as t; t | export "out.csv"' % path, self.dir)
        self.assertEqual(rc, 0, err)
        rows = read_csv(os.path.join(self.dir, "out.csv"))
        header, body = rows[0], rows[1:]
        self.assertEqual(header, table.column_names)
        self.assertEqual(len(body), table.num_rows)
        want = expected(table)
        compared = 0
        for j, name in enumerate(header):
            for i, row in enumerate(body):
                w, got = want[name][i], row[j]
                if isinstance(w, float):
                    self.assertAlmostEqual(float(got), w, delta=1e-6 * max(1, abs(w)), msg="%s row %d" % (name, i))
                elif name == "u64" and w:
                    # Past Int64.max: read as a decimal, whole (a double, so within its precision).
                    self.assertAlmostEqual(float(got), float(w), delta=2048, msg="%s row %d" % (name, i))
                else:
                    self.assertEqual(got, w, "%s row %d in %s" % (name, i, path))
                compared += 1
        return out, compared

    def test_every_type_codec_dictionary_and_page_version(self):
        table = sample_table()
        total = 0
        for codec in ["none", "snappy", "gzip", "zstd"]:
            for dictionary in [True, False]:
                for version in ["1.0", "2.0"]:
                    name = "t-%s-%s-%s.parquet" % (codec, "dict" if dictionary else "plain", version)
                    path = os.path.join(self.dir, name)
                    pq.write_table(table, path, compression=codec, use_dictionary=dictionary, data_page_version=version,
                                   row_group_size=7)
                    with self.subTest(file=name):
                        self.assertGreater(pq.ParquetFile(path).num_row_groups, 1)
                        out, n = self.check_file(path, table)
                        self.assertIn("from 4 row groups", out)
                        total += n
        self.assertEqual(total, 16 * ROWS * table.num_columns)

    def test_small_pages_and_decimals_as_integers(self):
        table = sample_table().select(["i32", "text", "dec_small", "dec_big", "f64"])
        path = os.path.join(self.dir, "pages.parquet")
        pq.write_table(table, path, data_page_size=64, write_batch_size=3, store_decimal_as_integer=True, compression="snappy")
        self.assertEqual(pq.ParquetFile(path).schema.column(2).physical_type, "INT32")  # dec_small
        self.check_file(path, table)

    def test_delta_and_byte_stream_split_encodings(self):
        table = sample_table()
        encodings = {"i8": "DELTA_BINARY_PACKED", "i32": "DELTA_BINARY_PACKED", "i64": "DELTA_BINARY_PACKED", "u32": "DELTA_BINARY_PACKED",
                     "u64": "DELTA_BINARY_PACKED", "ts_ns": "DELTA_BINARY_PACKED", "day": "DELTA_BINARY_PACKED",
                     "text": "DELTA_LENGTH_BYTE_ARRAY", "unique": "DELTA_BYTE_ARRAY", "f32": "BYTE_STREAM_SPLIT", "f64": "BYTE_STREAM_SPLIT"}
        for version in ["1.0", "2.0"]:
            path = os.path.join(self.dir, "delta-%s.parquet" % version)
            pq.write_table(table, path, use_dictionary=False, column_encoding=encodings, data_page_version=version, row_group_size=10,
                           compression="zstd")
            meta = pq.ParquetFile(path).metadata.row_group(0)
            used = {meta.column(i).path_in_schema: meta.column(i).encodings for i in range(meta.num_columns)}
            self.assertIn("DELTA_BYTE_ARRAY", used["unique"])
            self.assertIn("DELTA_BINARY_PACKED", used["i64"])
            self.assertIn("BYTE_STREAM_SPLIT", used["f64"])
            with self.subTest(version=version):
                self.check_file(path, table)
        # Many values, so that blocks and miniblocks of every width are crossed.
        big = pa.table({"n": pa.array([(i * 7919) % 100003 - 50000 if i % 11 else None for i in range(5000)], pa.int64()),
                        "s": pa.array(["prefix-%06d-%s" % (i // 3, "x" * (i % 5)) for i in range(5000)])})
        path = os.path.join(self.dir, "delta-big.parquet")
        pq.write_table(big, path, use_dictionary=False, column_encoding={"n": "DELTA_BINARY_PACKED", "s": "DELTA_BYTE_ARRAY"})
        self.check_file(path, big)

    def test_duckdb_files(self):
        if DUCKDB is None:
            self.skipTest("the DuckDB CLI (pip duckdb-cli) could not be installed")
        select = ("SELECT range AS i, CASE WHEN range % 3 = 0 THEN NULL ELSE range * 1.5 END AS d, 'x' || (range % 7) AS s, "
                  "'unique ' || range AS u, DATE '2020-01-01' + range::INT AS dt, (range / 3)::DECIMAL(10, 2) AS dec FROM range(3000)")
        for version in ["V1", "V2"]:
            path = os.path.join(self.dir, "duck-%s.parquet" % version)
            p = subprocess.run([DUCKDB, "-c", "COPY (%s) TO '%s' (FORMAT parquet, PARQUET_VERSION %s)" % (select, path, version)],
                               capture_output=True, timeout=60)
            self.assertEqual(p.returncode, 0, p.stderr.decode())
            with self.subTest(version=version):
                self.check_file(path, pq.read_table(path))

    def test_types_as_peel_sees_them(self):
        path = os.path.join(self.dir, "types.parquet")
        pq.write_table(sample_table(), path)
        rc, out, err = peel('load "%s" as t' % path, self.dir)
        self.assertEqual(rc, 0, err)
        for col, kind in [("i64", "integer"), ("u32", "integer"), ("u64", "decimal"), ("f64", "decimal"), ("text", "text"),
                          ("flag", "text"), ("day", "date"), ("dec_small", "decimal"), ("ts_us", "date"), ("ts_ms", "text")]:
            self.assertIn("%s (%s, 5 missing)" % (col, kind), out)
        self.assertIn("note: ts_ms holds times of day", out)
        self.assertIn("note: u64 holds whole numbers past", out)

    def test_required_columns_and_empty_table(self):
        schema = pa.schema([pa.field("n", pa.int64(), nullable=False), pa.field("s", pa.string(), nullable=False)])
        path = os.path.join(self.dir, "req.parquet")
        pq.write_table(pa.table({"n": [1, 2, 3], "s": ["x", "y", "x"]}, schema=schema), path)
        self.check_file(path, pa.table({"n": [1, 2, 3], "s": ["x", "y", "x"]}))
        empty = os.path.join(self.dir, "empty.parquet")
        pq.write_table(pa.table({"n": pa.array([], pa.int64())}), empty)
        rc, out, err = peel('load "%s" as e' % empty, self.dir)
        self.assertEqual(rc, 0, err)
        self.assertIn("0 rows, 1 column", out)

    def test_refused_files_name_the_file_and_what(self):
        cases = []
        nested = os.path.join(self.dir, "nested.parquet")
        pq.write_table(pa.table({"id": [1, 2], "tags": [[1, 2], [3]]}), nested)
        cases.append((nested, ["column 'tags'", "nested"]))
        struct = os.path.join(self.dir, "struct.parquet")
        pq.write_table(pa.table({"id": [1], "s": [{"a": 1, "b": "x"}]}), struct)
        cases.append((struct, ["column 's'", "nested"]))
        int96 = os.path.join(self.dir, "int96.parquet")
        pq.write_table(pa.table({"t": pa.array([1, 2], pa.timestamp("us"))}), int96, use_deprecated_int96_timestamps=True)
        cases.append((int96, ["column 't'", "INT96"]))
        for codec in ["lz4", "brotli"]:
            p = os.path.join(self.dir, codec + ".parquet")
            pq.write_table(pa.table({"n": [1, 2, 3]}), p, compression=codec)
            cases.append((p, ["LZ4" if codec == "lz4" else "BROTLI", "column 'n'"]))
        text = os.path.join(self.dir, "text.parquet")
        with open(text, "w") as f:
            f.write("a,b\n1,2\n")
        cases.append((text, ["is not a Parquet file"]))
        good = os.path.join(self.dir, "good.parquet")
        pq.write_table(sample_table(), good, compression="snappy")
        data = open(good, "rb").read()
        cut = os.path.join(self.dir, "cut.parquet")
        with open(cut, "wb") as f:
            f.write(data[: len(data) // 2])
        cases.append((cut, ["cut short"]))
        for path, words in cases:
            with self.subTest(file=os.path.basename(path)):
                rc, out, err = peel('load "%s" as x' % path, self.dir)
                self.assertEqual(rc, 1, out + err)
                self.assertIn(os.path.basename(path), err)
                for w in words:
                    self.assertIn(w, err)

    def test_damaged_files_never_crash(self):
        good = os.path.join(self.dir, "good.parquet")
        pq.write_table(sample_table().select(["i32", "text", "f64", "day"]), good, compression="snappy", row_group_size=10)
        data = bytearray(open(good, "rb").read())
        bad = os.path.join(self.dir, "bad.parquet")
        # Every 7th byte flipped, one at a time, and cuts at many lengths: an error or a table, never a signal.
        for k in list(range(4, len(data) - 4, 7)) + [-9, -10, -11, -12]:
            d = bytearray(data)
            d[k] ^= 0xFF
            with open(bad, "wb") as f:
                f.write(d)
            rc, out, err = peel('load "%s" as x' % bad, self.dir)
            self.assertIn(rc, (0, 1), "byte %d flipped: rc %d %s" % (k, rc, err[-300:]))
            if rc == 1:
                self.assertIn("bad.parquet", err)


def peel_sample(dirname):
    """A CSV of integers, decimals, text, dates and periods with missing values, as peel loads it."""
    path = os.path.join(dirname, "src.csv")
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["area", "year", "count", "rate", "day", "note"])
        for i in range(40):
            w.writerow([
                ["North", "South", "East"][i % 3], "%d/%02d" % (2010 + i % 5, (11 + i % 5) % 100),
                "" if i % 7 == 3 else str(i * 37 - 200), "" if i % 6 == 1 else "%.1f" % (i * 1.7),
                "" if i % 9 == 4 else (datetime.date(2015, 1, 1) + datetime.timedelta(days=40 * i)).isoformat(),
                "" if i % 4 == 0 else 'text "%d", here' % i])
    return path


class PeelToOthers(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="peel-parquet-")

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def peel_files(self):
        peel_sample(self.dir)
        script = 'load "src.csv" as s; s | export "want.csv"'
        for codec in ["zstd", "snappy", "none"]:
            script += '; s | export "s-%s.parquet" codec %s' % (codec, codec)
        rc, out, err = peel(script, self.dir)
        self.assertEqual(rc, 0, err)
        self.assertIn("year (financial year)", out)
        return read_csv(os.path.join(self.dir, "want.csv"))

    def compare(self, want, header, rows, where):
        self.assertEqual(header, want[0])
        self.assertEqual(len(rows), len(want) - 1)
        nulls = 0
        for i, (w, g) in enumerate(zip(want[1:], rows)):
            for j, name in enumerate(header):
                if w[j] == "":
                    self.assertIsNone(g[j], "%s: %s row %d should be null" % (where, name, i))
                    nulls += 1
                elif name in ("count", "rate"):
                    self.assertAlmostEqual(float(g[j]), float(w[j]), places=9, msg="%s: %s row %d" % (where, name, i))
                else:
                    self.assertEqual(str(g[j]), w[j], "%s: %s row %d" % (where, name, i))
        self.assertGreater(nulls, 20)

    def test_pyarrow_reads_peels_files(self):
        want = self.peel_files()
        for codec in ["zstd", "snappy", "none"]:
            t = pq.read_table(os.path.join(self.dir, "s-%s.parquet" % codec))
            self.assertEqual(str(t.schema.field("count").type), "int64")
            self.assertEqual(str(t.schema.field("rate").type), "double")
            self.assertEqual(str(t.schema.field("day").type), "date32[day]")
            self.assertEqual(str(t.schema.field("year").type), "string")
            self.assertEqual(pq.ParquetFile(os.path.join(self.dir, "s-%s.parquet" % codec)).metadata.row_group(0).column(0).compression,
                             {"zstd": "ZSTD", "snappy": "SNAPPY", "none": "UNCOMPRESSED"}[codec])
            cols = [t.column(n).to_pylist() for n in t.column_names]
            rows = [[c[i] for c in cols] for i in range(t.num_rows)]
            rows = [[v.isoformat() if isinstance(v, datetime.date) else v for v in r] for r in rows]
            self.compare(want, t.column_names, rows, "pyarrow " + codec)

    def test_duckdb_reads_peels_files(self):
        if DUCKDB is None:
            self.skipTest("the DuckDB CLI (pip duckdb-cli) could not be installed")
        want = self.peel_files()
        for codec in ["zstd", "snappy", "none"]:
            p = subprocess.run([DUCKDB, "-csv", "-nullvalue", "<NULL>", "-c", "SELECT * FROM 's-%s.parquet'" % codec],
                               capture_output=True, cwd=self.dir, timeout=60)
            self.assertEqual(p.returncode, 0, p.stderr.decode())
            got = list(csv.reader(io.StringIO(p.stdout.decode())))
            rows = [[None if v == "<NULL>" else v for v in r] for r in got[1:]]
            self.compare(want, got[0], rows, "duckdb " + codec)
            types = subprocess.run([DUCKDB, "-csv", "-c", "SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM 's-%s.parquet')" % codec],
                                   capture_output=True, cwd=self.dir, timeout=60).stdout.decode()
            for line in ["count,BIGINT", "rate,DOUBLE", "day,DATE", "area,VARCHAR"]:
                self.assertIn(line, types)

    def test_round_trip_keeps_types_scales_and_periods(self):
        want = self.peel_files()
        rc, out, err = peel('load "s-zstd.parquet" as back; back | export "back.csv"', self.dir)
        self.assertEqual(rc, 0, err)
        self.assertIn("year (financial year)", out)
        self.assertIn("rate (decimal", out)
        self.assertEqual(read_csv(os.path.join(self.dir, "back.csv")), want)

    def test_refused_export_options(self):
        peel_sample(self.dir)
        for script, words in [('load "src.csv" as s; s | export "x.parquet" append', "append cannot add to a Parquet file"),
                              ('load "src.csv" as s; s | export "x.parquet" as csv', "always written as Parquet"),
                              ('load "src.csv" as s; s | export "x.parquet" codec lz4', "'lz4' is not a codec"),
                              ('load "src.csv" as s; s | export "x.csv" codec zstd', "is not one")]:
            rc, out, err = peel(script, self.dir)
            self.assertEqual(rc, 1, script)
            self.assertIn(words, err)
            self.assertFalse(os.path.exists(os.path.join(self.dir, "x.parquet")))


if __name__ == "__main__":
    unittest.main(verbosity=1)
