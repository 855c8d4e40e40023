"""Makes the synthetic Parquet fixtures beside this script with pyarrow (pip install pyarrow).

Made-up values, a few hundred bytes each: a table of forces, periods and counts with nulls
(snappy, dictionary-encoded, two row groups); a file with a nested (list) column; one compressed
with LZ4; and a text file under a .parquet name.
"""
import os
import pyarrow as pa, pyarrow.parquet as pq

here = os.path.dirname(os.path.abspath(__file__))
forces = pa.table({
    "force": ["Leicestershire", "Kent", "Avon and Somerset", "British Transport Police", "Kent", "Leicestershire"],
    "year": ["2016/17", "2016/17", "2016/17", "2016/17", "2017/18", "2017/18"],
    "offences": pa.array([1200, 3400, None, 150, 3550, 1310], pa.int64()),
    "rate": pa.array([12.5, 20.25, None, 3.0, 21.75, 13.0], pa.float64()),
    "checked": pa.array(["2018-01-05", None, "2018-02-11", "2018-03-30", "2019-01-07", "2019-01-08"]).cast(pa.date32()),
})
pq.write_table(forces, os.path.join(here, "synthetic-forces.parquet"), compression="snappy", row_group_size=4)
pq.write_table(pa.table({"force": ["Kent", "Essex"], "tags": [[1, 2], [3]]}), os.path.join(here, "synthetic-nested.parquet"))
pq.write_table(pa.table({"n": [1, 2, 3]}), os.path.join(here, "synthetic-lz4.parquet"), compression="lz4")
with open(os.path.join(here, "synthetic-text.parquet"), "w") as f:
    f.write("force,offences\nKent,3400\n")
