#!/usr/bin/env python3
"""Exports one worksheet of a real publisher workbook to a JSON fixture for SheetTableTests.

Cell values come from python-calamine (floats, str, datetime, bool, '' for empty). For .xlsx files the
number format of each numeric cell is read with openpyxl, so that a cell formatted `0.0%` becomes a
percent cell with 1 decimal and `#,##0` a number with 0 decimals (General: no decimals), as the .xlsx
reader reports them. calamine gives neither formats nor merges for .ods files: their numbers are
recorded as General and no merges are listed.

JSON: {"file", "sheet", "rows": [[cell, ...], ...], "merges": [[firstRow, firstCol, lastRow, lastCol], ...]}
(0-based, inclusive), each cell null (empty) or one of
  {"n": number, "d": decimals or null}, {"p": fraction, "d": decimals or null},
  {"s": text}, {"b": bool}, {"t": days since 1970-01-01}, {"e": error text}.
Trailing empty rows and trailing empty cells of each row are left out.

usage: export_sheet.py WORKBOOK SHEET OUT.json
"""
import datetime
import json
import re
import sys

from python_calamine import CalamineWorkbook


def format_info(fmt):
    """(is_percent, decimals or None) from an Excel number format string."""
    if fmt is None or fmt == "General":
        return False, None
    section = fmt.split(";")[0]
    section = re.sub(r'"[^"]*"', "", section)      # quoted literals
    section = re.sub(r"\\.", "", section)           # escaped characters
    section = re.sub(r"\[[^\]]*\]", "", section)    # colours, conditions
    percent = "%" in section
    m = re.search(r"\.([0#?]+)", section)
    decimals = len(m.group(1)) if m else 0
    if not re.search(r"[0#?]", section):
        return percent, None
    return percent, decimals


def main():
    path, sheet_name, out = sys.argv[1], sys.argv[2], sys.argv[3]
    wb = CalamineWorkbook.from_path(path)
    sheet = wb.get_sheet_by_name(sheet_name)
    rows = sheet.to_python(skip_empty_area=False)
    # to_python starts at the first used cell; shift so that row/column indices are the sheet's own.
    start_row, start_col = sheet.start if sheet.start else (0, 0)
    formats = {}
    if path.lower().endswith(".xlsx"):
        import openpyxl
        ws = openpyxl.load_workbook(path)[sheet_name]
        for r in ws.iter_rows():
            for c in r:
                if isinstance(c.value, (int, float)) and not isinstance(c.value, bool):
                    formats[(c.row - 1, c.column - 1)] = format_info(c.number_format)
    out_rows = [[None] * start_col for _ in range(start_row)] if start_row else []
    epoch = datetime.date(1970, 1, 1)
    for i, row in enumerate(rows):
        cells = [None] * start_col
        for j, v in enumerate(row):
            r, c = start_row + i, start_col + j
            if v == "" or v is None:
                cells.append(None)
            elif isinstance(v, bool):
                cells.append({"b": v})
            elif isinstance(v, (int, float)):
                pct, dec = formats.get((r, c), (False, None))
                cells.append({"p" if pct else "n": float(v), "d": dec})
            elif isinstance(v, datetime.datetime):
                cells.append({"t": (v.date() - epoch).days})
            elif isinstance(v, datetime.date):
                cells.append({"t": (v - epoch).days})
            elif isinstance(v, str):
                cells.append({"e": v} if re.fullmatch(r"#[A-Z0-9/!?]+[!?]?", v) and v in
                             ("#DIV/0!", "#N/A", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!") else {"s": v})
            else:
                cells.append({"s": str(v)})
        while cells and cells[-1] is None:
            cells.pop()
        out_rows.append(cells)
    while out_rows and not out_rows[-1]:
        out_rows.pop()
    merges = [[a[0], a[1], b[0], b[1]] for a, b in (sheet.merged_cell_ranges or [])]
    merges.sort()
    doc = {"file": path.split("/")[-1], "sheet": sheet_name, "rows": out_rows, "merges": merges}
    with open(out, "w") as f:
        json.dump(doc, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
