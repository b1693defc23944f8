"""Minimal workbooks (.xlsx, .xlsb, .xls, .ods) written by hand, so the tests need no writer:
text cells, number cells, and number cells formatted as dates, on either of Excel's
date systems (``date1904``: old Mac Excel's)."""

from __future__ import annotations

import datetime as _dt
import struct
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple, TypeAlias

__all__ = ["WRITERS", "DateCell", "ErrorCell", "ods", "xls", "xlsb", "xlsx"]

_NS = "http://schemas.openxmlformats.org"
_RELATION = f"{_NS}/officeDocument/2006/relationships"


class DateCell(NamedTuple):
    """A number cell formatted as a date (Excel's built-in format 14): the workbook's
    reader gives the day it counts to on the workbook's date system."""

    serial: int


class ErrorCell(NamedTuple):
    """An .xlsx error cell (``t="e"``): a formula Excel could not compute, which it
    shows, and writes into a CSV it saves, as ``shown`` (``#NAME?``)."""

    shown: str
    formula: str = ""


Rows: TypeAlias = Sequence[Sequence[str | float | DateCell]]
"""A sheet's rows: text, numbers and dates (`DateCell`)."""
XlsxRows: TypeAlias = Sequence[Sequence[str | float | DateCell | ErrorCell]]
"""An .xlsx sheet's rows: errors too (`ErrorCell`)."""


def _column(i: int) -> str:
    name = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        name = chr(65 + r) + name
    return name


def _escaped(v: str) -> str:
    return v.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _cell(ref: str, value: str | float | DateCell | ErrorCell) -> str:
    if isinstance(value, ErrorCell):
        formula = f"<f>{_escaped(value.formula)}</f>" if value.formula else ""
        return f'<c r="{ref}" t="e">{formula}<v>{_escaped(value.shown)}</v></c>'
    if isinstance(value, DateCell):
        return f'<c r="{ref}" s="1"><v>{value.serial}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{_escaped(value)}</t></is></c>'


def xlsx(
    path: Path, rows: XlsxRows, *, date1904: bool = False, origin: tuple[int, int] = (0, 0)
) -> None:
    """Write ``rows`` as the first sheet of a workbook at ``path``, from the cell
    ``origin`` (row and column from 0: A1 by default)."""
    top, left = origin
    sheet_rows = "".join(
        f'<row r="{r + 1 + top}">'
        + "".join(_cell(f"{_column(c + left)}{r + 1 + top}", v) for c, v in enumerate(row))
        + "</row>"
        for r, row in enumerate(rows)
    )
    _package(
        path,
        "xml",
        {
            "workbook": "application/vnd.openxmlformats-officedocument.spreadsheetml."
            "sheet.main+xml",
            "worksheet": "application/vnd.openxmlformats-officedocument.spreadsheetml."
            "worksheet+xml",
            "styles": "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml",
        },
        book=(
            f'<workbook xmlns="{_NS}/spreadsheetml/2006/main" xmlns:r="{_RELATION}">'
            + ('<workbookPr date1904="1"/>' if date1904 else "")
            + '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        styles=(
            f'<styleSheet xmlns="{_NS}/spreadsheetml/2006/main"><cellXfs count="2">'
            '<xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>'
        ),
        sheet=(
            f'<worksheet xmlns="{_NS}/spreadsheetml/2006/main"><sheetData>{sheet_rows}'
            "</sheetData></worksheet>"
        ),
    )


def _package(
    path: Path,
    ext: str,
    types: dict[str, str],
    *,
    book: str | bytes,
    styles: str | bytes,
    sheet: str | bytes,
) -> None:
    """Write an Office Open XML package of one sheet: the workbook, its styles and the
    sheet as parts ``xl/workbook.<ext>``, ``xl/styles.<ext>`` and
    ``xl/worksheets/sheet1.<ext>`` of the content types ``types`` gives, with the
    content types and relationships that tie them together."""
    parts = {
        "workbook": f"xl/workbook.{ext}",
        "worksheet": f"xl/worksheets/sheet1.{ext}",
        "styles": f"xl/styles.{ext}",
    }
    files: dict[str, str | bytes] = {
        "[Content_Types].xml": (
            f'<Types xmlns="{_NS}/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package'
            '.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            + "".join(
                f'<Override PartName="/{name}" ContentType="{types[part]}"/>'
                for part, name in parts.items()
            )
            + "</Types>"
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{_NS}/package/2006/relationships"><Relationship Id="rId1" '
            f'Type="{_RELATION}/officeDocument" Target="{parts["workbook"]}"/></Relationships>'
        ),
        f"xl/_rels/workbook.{ext}.rels": (
            f'<Relationships xmlns="{_NS}/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{_RELATION}/worksheet" '
            f'Target="worksheets/sheet1.{ext}"/>'
            f'<Relationship Id="rId2" Type="{_RELATION}/styles" Target="styles.{ext}"/>'
            "</Relationships>"
        ),
        parts["workbook"]: book,
        parts["styles"]: styles,
        parts["worksheet"]: sheet,
    }
    with zipfile.ZipFile(path, "w") as zf:
        for name, content in files.items():
            zf.writestr(name, content)


# ------------------------------------------------------------------------- .xlsb
# [MS-XLSB]: a zip like an .xlsx whose parts are runs of binary records, each a type
# (1-2 bytes) and a size (1-4 bytes), 7 bits a byte, the high bit saying more follow.


def _number(value: int, most: int) -> bytes:
    out = bytearray()
    for _ in range(most):
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)
    raise ValueError("too large for its record field")


def _brt(kind: int, data: bytes = b"") -> bytes:
    return _number(kind, 2) + _number(len(data), 4) + data


def _wide(text: str) -> bytes:
    raw = text.encode("utf-16-le")
    return struct.pack("<I", len(raw) // 2) + raw


def _xlsb_cell(col: int, value: str | float | DateCell) -> bytes:
    if isinstance(value, DateCell):
        return _brt(0x05, struct.pack("<IId", col, 1, value.serial))  # BrtCellReal, style 1
    if isinstance(value, int | float):
        return _brt(0x05, struct.pack("<IId", col, 0, value))
    return _brt(0x06, struct.pack("<II", col, 0) + _wide(value))  # BrtCellSt


def xlsb(path: Path, rows: Rows, *, date1904: bool = False) -> None:
    """Write ``rows`` as the first sheet of an Excel binary workbook at ``path``."""
    width = max((len(row) for row in rows), default=1)
    sheet = (
        _brt(0x81)  # BrtBeginSheet
        + _brt(0x94, struct.pack("<IIII", 0, max(len(rows) - 1, 0), 0, width - 1))  # BrtWsDim
        + _brt(0x91)  # BrtBeginSheetData
        + b"".join(
            _brt(0x00, struct.pack("<IIHHBI", r, 0, 300, 0, 0, 0))  # BrtRowHdr
            + b"".join(_xlsb_cell(c, v) for c, v in enumerate(row))
            for r, row in enumerate(rows)
        )
        + _brt(0x92)  # BrtEndSheetData
        + _brt(0x82)  # BrtEndSheet
    )
    book = (
        _brt(0x83)  # BrtBeginBook
        + _brt(0x99, struct.pack("<II", int(date1904), 0) + _wide(""))  # BrtWbProp
        + _brt(0x8F)  # BrtBeginBundleShs
        + _brt(0x9C, struct.pack("<II", 0, 1) + _wide("rId1") + _wide("Sheet1"))  # BrtBundleSh
        + _brt(0x90)  # BrtEndBundleShs
        + _brt(0x9D, bytes(26))  # BrtCalcProp
        + _brt(0x84)  # BrtEndBook
    )
    styles = (
        _brt(0x269, struct.pack("<I", 2))  # BrtBeginCellXFs
        + _brt(0x2F, struct.pack("<HH", 0, 0) + bytes(12))  # BrtXF, General
        + _brt(0x2F, struct.pack("<HH", 0, 14) + bytes(12))  # BrtXF, a date (format 14)
        + _brt(0x26A)  # BrtEndCellXFs
    )
    _package(
        path,
        "bin",
        {
            "workbook": "application/vnd.ms-excel.sheet.binary.macroEnabled.main",
            "worksheet": "application/vnd.ms-excel.worksheet",
            "styles": "application/vnd.ms-excel.styles",
        },
        book=book,
        styles=styles,
        sheet=sheet,
    )


# -------------------------------------------------------------------------- .xls
# [MS-XLS] BIFF8 records (a 2-byte type and a 2-byte size) in the "Workbook" stream of
# an [MS-CFB] compound file: 512-byte sectors, one FAT sector, one directory sector,
# the stream padded to 4,096 bytes so that it lives in ordinary sectors.

_SECTOR = 512
_END_OF_CHAIN = 0xFFFFFFFE
_FREE = 0xFFFFFFFF
_FAT_SECTOR = 0xFFFFFFFD


def _biff(kind: int, data: bytes = b"") -> bytes:
    if len(data) > 8224:
        raise ValueError("a BIFF8 record holds at most 8,224 bytes")
    return struct.pack("<HH", kind, len(data)) + data


def _xls_cell(row: int, col: int, value: str | float | DateCell) -> bytes:
    if isinstance(value, DateCell):
        return _biff(0x0203, struct.pack("<HHHd", row, col, 1, value.serial))  # NUMBER, XF 1
    if isinstance(value, int | float):
        return _biff(0x0203, struct.pack("<HHHd", row, col, 0, value))
    raw = value.encode("utf-16-le")
    return _biff(0x0204, struct.pack("<HHHHB", row, col, 0, len(raw) // 2, 1) + raw)  # LABEL


def _directory_entry(name: str, kind: int, child: int, start: int, size: int) -> bytes:
    raw = name.encode("utf-16-le")
    return (
        raw.ljust(64, b"\0")
        + struct.pack("<HBB", len(raw) + 2 if name else 0, kind, 1)
        + struct.pack("<III", _FREE, _FREE, child)
        + bytes(16 + 4 + 16)  # CLSID, state bits, two times
        + struct.pack("<IQ", start, size)
    )


def xls(path: Path, rows: Rows, *, date1904: bool = False, mini: bool = False) -> None:
    """Write ``rows`` as the first sheet of an Excel 97-2003 workbook at ``path``;
    with ``mini``, its stream unpadded in the compound file's mini stream (64-byte
    sectors inside the root entry's stream), as some writers store a small one."""
    bof = struct.pack("<HHHHII", 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 6)
    xf = struct.pack("<HH", 0, 0) + bytes(16), struct.pack("<HH", 0, 14) + bytes(16)
    name = "Sheet1".encode("utf-16-le")

    def globals_(sheet_at: int) -> bytes:
        return (
            _biff(0x0809, bof)
            + _biff(0x0042, struct.pack("<H", 1200))  # CODEPAGE: UTF-16
            + _biff(0x0022, struct.pack("<H", int(date1904)))  # Date1904
            + b"".join(_biff(0x00E0, x) for x in xf)
            + _biff(0x0085, struct.pack("<IBBBB", sheet_at, 0, 0, len(name) // 2, 1) + name)
            + _biff(0x000A)  # EOF
        )

    width = max((len(row) for row in rows), default=1)
    sheet = (
        _biff(0x0809, struct.pack("<HHHHII", 0x0600, 0x0010, 0x0DBB, 0x07CC, 0, 6))
        + _biff(0x0200, struct.pack("<IIHHH", 0, len(rows), 0, width, 0))  # DIMENSIONS
        + b"".join(_xls_cell(r, c, v) for r, row in enumerate(rows) for c, v in enumerate(row))
        + _biff(0x000A)
    )
    stream = globals_(len(globals_(0))) + sheet
    if mini:
        if len(stream) >= 4096:
            raise ValueError("a stream of 4,096 bytes or more is never in the mini stream")
        size, minis = len(stream), -(-len(stream) // 64)
        container = stream.ljust(-(-minis * 64 // _SECTOR) * _SECTOR, b"\0")
        mini_fat = [*range(1, minis), _END_OF_CHAIN] + [_FREE] * (_SECTOR // 4 - minis)
        # sector 0 the FAT, 1 the directory, 2 the mini FAT, 3 on the mini stream
        count = len(container) // _SECTOR
        fat = [_FAT_SECTOR, _END_OF_CHAIN, _END_OF_CHAIN, *range(4, count + 3), _END_OF_CHAIN]
        body = struct.pack(f"<{_SECTOR // 4}I", *mini_fat) + container
        root = _directory_entry("Root Entry", 5, 1, 3, len(container))
        workbook = _directory_entry("Workbook", 2, _FREE, 0, size)
        mini_fat_at, mini_fat_count = 2, 1
    else:
        stream = stream.ljust(max(4096, -(-len(stream) // _SECTOR) * _SECTOR), b"\0")
        count = len(stream) // _SECTOR
        fat = [_FAT_SECTOR, _END_OF_CHAIN, *range(3, count + 2), _END_OF_CHAIN]
        body = stream
        root = _directory_entry("Root Entry", 5, 1, _END_OF_CHAIN, 0)
        workbook = _directory_entry("Workbook", 2, _FREE, 2, len(stream))
        mini_fat_at, mini_fat_count = _END_OF_CHAIN, 0
    if len(fat) > _SECTOR // 4:
        raise ValueError("too many rows for one FAT sector")
    fat += [_FREE] * (_SECTOR // 4 - len(fat))
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + bytes(16)
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + bytes(6)
        + struct.pack(
            "<IIIIIIIII", 0, 1, 1, 0, 4096, mini_fat_at, mini_fat_count, _END_OF_CHAIN, 0
        )
        + struct.pack("<109I", 0, *[_FREE] * 108)
    )
    directory = root + workbook + _directory_entry("", 0, _FREE, 0, 0) * 2
    path.write_bytes(header + struct.pack(f"<{_SECTOR // 4}I", *fat) + directory + body)


# -------------------------------------------------------------------------- .ods
# OpenDocument: a zip of XML parts, the "mimetype" first and stored; the 1904 system
# is a null date of 1904-01-01 in content.xml's calculation settings.

_ODF = "urn:oasis:names:tc:opendocument:xmlns"


def _ods_cell(value: str | float | DateCell, date1904: bool) -> str:
    if isinstance(value, DateCell):
        day0 = _dt.date(1904, 1, 1) if date1904 else _dt.date(1899, 12, 30)
        day = (day0 + _dt.timedelta(days=value.serial)).isoformat()
        return f'<table:table-cell office:value-type="date" office:date-value="{day}"/>'
    if isinstance(value, int | float):
        return f'<table:table-cell office:value-type="float" office:value="{value}"/>'
    return (
        '<table:table-cell office:value-type="string">'
        f"<text:p>{_escaped(value)}</text:p></table:table-cell>"
    )


def ods(path: Path, rows: Rows, *, date1904: bool = False) -> None:
    """Write ``rows`` as the first sheet of an OpenDocument spreadsheet at ``path``."""
    table_rows = "".join(
        "<table:table-row>" + "".join(_ods_cell(v, date1904) for v in row) + "</table:table-row>"
        for row in rows
    )
    settings = (
        '<table:calculation-settings><table:null-date table:date-value="1904-01-01"/>'
        "</table:calculation-settings>"
        if date1904
        else ""
    )
    content = (
        f'<office:document-content xmlns:office="{_ODF}:office:1.0" '
        f'xmlns:table="{_ODF}:table:1.0" xmlns:text="{_ODF}:text:1.0" office:version="1.2">'
        f"<office:body><office:spreadsheet>{settings}"
        f'<table:table table:name="Sheet1">{table_rows}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        f'<manifest:manifest xmlns:manifest="{_ODF}:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/'
        'vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path='
        '"content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
    )
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        zf.writestr("content.xml", content, zipfile.ZIP_DEFLATED)


WRITERS = {".xlsx": xlsx, ".xlsb": xlsb, ".xls": xls, ".ods": ods}
"""Each writer by the suffix of the file it writes."""
