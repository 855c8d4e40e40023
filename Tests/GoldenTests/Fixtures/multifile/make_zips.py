"""Makes the zip fixtures of Tests/GoldenTests/Fixtures/multifile (run from that folder; the
committed files are its output). Every archive but the truncated one holds synthetic data only.

- synthetic-folders.zip: two synthetic street files in month folders (as data.police.uk lays out
  its downloads), an outcomes file, a README and macOS metadata (__MACOSX/…/._x.csv), which load
  leaves out.
- synthetic-no-csv.zip: a README, a folder and a workbook: no CSV entry.
- synthetic-bad-csv.zip: a good CSV and one whose third line has too few fields.
- synthetic-bomb.zip: one entry of 4 MiB of zeros whose headers claim 200 MiB: more than 1,000
  times its compressed size and past ZipFile's 64 MiB floor, so ZipFile.read refuses it as a
  zip bomb before inflating anything.
- 2019-city-of-london-street-truncated.zip: the real January and February 2019 City of London
  files (beside this script) zipped, then cut to half the archive's length, so its zip directory
  is gone.
"""
import struct
import zipfile

MIXED = "synthetic-mixed/"


def deflated(name):
    return zipfile.ZipFile(name, "w", zipfile.ZIP_DEFLATED)


def entry(z, path, data):
    # A fixed date so the archives are the same each time they are made.
    info = zipfile.ZipInfo(path, date_time=(2019, 2, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_STORED if path.endswith("/") else zipfile.ZIP_DEFLATED
    z.writestr(info, data)


def read(path):
    with open(path, "rb") as f:
        return f.read()


with deflated("synthetic-folders.zip") as z:
    entry(z, "README.txt", b"Synthetic data for peel's tests.\n")
    entry(z, "2019-02/", b"")
    entry(z, "2019-02/synthetic-2019-02-street.csv", read(MIXED + "synthetic-2019-02-street.csv"))
    entry(z, "2019-01/", b"")
    entry(z, "2019-01/synthetic-2019-01-street.csv", read(MIXED + "synthetic-2019-01-street.csv"))
    entry(z, "2019-01/synthetic-2019-01-outcomes.csv", b"Crime ID,Month,Outcome type\na1,2019-01,Under investigation\n")
    entry(z, "__MACOSX/2019-01/._synthetic-2019-01-street.csv", b"\x00\x05\x16\x07 not a CSV")

with deflated("synthetic-no-csv.zip") as z:
    entry(z, "README.txt", b"Nothing to load here.\n")
    entry(z, "data/", b"")
    entry(z, "data/notes.xlsx", b"PK not really a workbook")

with deflated("synthetic-bad-csv.zip") as z:
    entry(z, "good.csv", b"force,a,b\nKent,1,2\n")
    entry(z, "inner/bad.csv", b"force,a,b\nKent,1,2\nEssex,3\n")

# The bomb: a real deflated entry, then both headers' uncompressed sizes set to 200 MiB.
with deflated("synthetic-bomb.zip") as z:
    entry(z, "bomb.csv", bytes(4 << 20))
data = bytearray(read("synthetic-bomb.zip"))
claim = 200 << 20
assert data[0:4] == b"PK\x03\x04"
struct.pack_into("<I", data, 22, claim)  # local file header: uncompressed size
central = data.find(b"PK\x01\x02")
struct.pack_into("<I", data, central + 24, claim)  # central directory header: uncompressed size
with open("synthetic-bomb.zip", "wb") as f:
    f.write(data)

with deflated("whole.zip") as z:
    for month in ("2019-01", "2019-02"):
        name = month + "-city-of-london-street.csv"
        entry(z, month + "/" + name, read(name))
whole = read("whole.zip")
with open("2019-city-of-london-street-truncated.zip", "wb") as f:
    f.write(whole[: len(whole) // 2])

__import__("os").remove("whole.zip")
