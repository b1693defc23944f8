"""Minimal Excel workbooks (.xlsx) written by hand, so the tests need no writer:
text cells, number cells, and number cells formatted as dates, on either of Excel's
date systems (``date1904``: old Mac Excel's)."""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

__all__ = ["DateCell", "xlsx"]

_NS = "http://schemas.openxmlformats.org"


class DateCell(NamedTuple):
    """A number cell formatted as a date (Excel's built-in format 14): the workbook's
    reader gives the day it counts to on the workbook's date system."""

    serial: int


def _column(i: int) -> str:
    name = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        name = chr(65 + r) + name
    return name


def _escaped(v: str) -> str:
    return v.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _cell(ref: str, value: str | float | DateCell) -> str:
    if isinstance(value, DateCell):
        return f'<c r="{ref}" s="1"><v>{value.serial}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{_escaped(value)}</t></is></c>'


def xlsx(
    path: Path,
    rows: Sequence[Sequence[str | float | DateCell]],
    *,
    date1904: bool = False,
) -> None:
    """Write ``rows`` as the first sheet of a workbook at ``path``."""
    sheet_rows = "".join(
        f'<row r="{r + 1}">'
        + "".join(_cell(f"{_column(c)}{r + 1}", v) for c, v in enumerate(row))
        + "</row>"
        for r, row in enumerate(rows)
    )
    part = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    relation = f"{_NS}/officeDocument/2006/relationships"
    files = {
        "[Content_Types].xml": (
            f'<Types xmlns="{_NS}/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package'
            '.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{part}.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{part}.worksheet+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{part}.styles+xml"/></Types>'
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{_NS}/package/2006/relationships"><Relationship Id="rId1" '
            f'Type="{relation}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{_NS}/spreadsheetml/2006/main" xmlns:r="{relation}">'
            + ('<workbookPr date1904="1"/>' if date1904 else "")
            + '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{_NS}/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{relation}/worksheet" '
            'Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{relation}/styles" Target="styles.xml"/>'
            "</Relationships>"
        ),
        "xl/styles.xml": (
            f'<styleSheet xmlns="{_NS}/spreadsheetml/2006/main"><cellXfs count="2">'
            '<xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>'
        ),
        "xl/worksheets/sheet1.xml": (
            f'<worksheet xmlns="{_NS}/spreadsheetml/2006/main"><sheetData>{sheet_rows}'
            "</sheetData></worksheet>"
        ),
    }
    with zipfile.ZipFile(path, "w") as zf:
        for name, content in files.items():
            zf.writestr(name, content)
