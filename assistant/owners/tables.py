"""Reading an uploaded table (CSV as Excel or WPS saves it, or XLSX) into rows by header."""

from __future__ import annotations

import csv
import io
from pathlib import Path


class TableError(ValueError):
    """A file that is not a table we can read; the message (one line, Chinese) says what to do."""


_OLE = b"\xd0\xcf\x11\xe0"  # the start of a legacy .xls (and any other OLE2) file


def decode_table_text(raw: bytes) -> str:
    """The text of a CSV as Excel or WPS saves it: UTF-8 (with or without BOM), UTF-16 (with BOM),
    GBK/GB18030. Raises TableError for bytes that are none of these, or not text at all."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = raw.decode("utf-16")
    else:
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise TableError("无法识别文件的编码：请另存为 UTF-8 或 GBK 编码的 CSV，或 .xlsx 文件")
    if "\x00" in text:
        raise TableError("文件内容不是文本表格：请上传 CSV 或 .xlsx 文件")
    return text


def read_table(path: str | Path) -> list[tuple[int, dict[str, str]]]:
    """Rows of a CSV (UTF-8, UTF-16 or GBK, as Excel saves it) or XLSX file as (line number,
    {header: cell}); line 1 is the header row. Raises TableError for a file it cannot read."""
    path = Path(path)
    with open(path, "rb") as f:
        start = f.read(8)
    if start.startswith(_OLE):
        raise TableError("这是旧版 Excel（.xls）文件：请在 Excel 或 WPS 中另存为 .xlsx 或 CSV 后再导入")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from zipfile import BadZipFile

        from openpyxl import load_workbook

        try:
            sheet = load_workbook(path, read_only=True, data_only=True).active
            rows = [(i, ["" if v is None else str(v) for v in row])
                    for i, row in enumerate(sheet.iter_rows(values_only=True), 1)]
        except (BadZipFile, KeyError, OSError, ValueError) as e:
            raise TableError("文件不是有效的 Excel（.xlsx）表格，可能已损坏") from e
    elif path.suffix.lower() in (".csv", ".txt"):
        reader = csv.reader(io.StringIO(decode_table_text(path.read_bytes())))
        try:
            rows = [(reader.line_num, row) for row in reader]
        except csv.Error as e:
            raise TableError("文件不是有效的 CSV 表格") from e
    elif path.suffix.lower() == ".xls":
        raise TableError("文件扩展名是 .xls 但内容不是 Excel 表格：请上传 CSV 或 .xlsx 文件")
    else:
        raise TableError(f"不支持的文件类型 {path.suffix or '（无扩展名）'}：请用 .csv 或 .xlsx")
    rows = [(i, [c.strip() for c in row]) for i, row in rows if any(c.strip() for c in row)]
    if not rows:
        return []
    header = rows[0][1]
    return [(i, dict(zip(header, row, strict=False))) for i, row in rows[1:]]
