"""The largest worksheet cut into pieces, so that typing its rows overlaps parsing them.

calamine parses a worksheet whole before it hands over the first row: for the 168 MB follow-up
sheet of the 10,000-customer sample that is ~2 s in which nothing downstream can start, and the
whole sheet's cells sit in memory at once. ``split_sheet`` cuts the sheet's XML at row start tags
into pieces of about ``PIECE_BYTES`` and makes each piece a small workbook of its own: the sheet's
own head up to ``<sheetData>``, the piece's rows, a closing, plus the workbook's styles, shared
strings and date system. So a piece reads exactly as that stretch of the original sheet reads: the
same strings, the same date formats, every cell at its real row (rows keep their ``r`` numbers).

A cut is made only where it is certain to be the start of a row: the sheet's ``<sheetData>`` is
unprefixed, no comment, CDATA section or processing instruction follows it (where ``<row`` could
be text), and every cut is at a ``<row `` start tag that carries its ``r`` number. A sheet that
cannot be cut gives None: the caller parses it whole. So does a workbook with a large
shared-strings table: every piece would parse the whole table again.

The pieces are made at once (one ISA-L inflation, fast deflation of each piece) and the XML is
dropped: what waits for calamine is ~1/6 of the sheet's size.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile

from defusedxml import ElementTree as SafeET

from ..deflate import crc32, fastest_compressor, inflate_entry
from .package import DEFAULT_WORKBOOK, entry_index, find_entry, layout, relationships, resolve

PIECE_BYTES = 16 << 20  # XML per piece: ~0.2 s of calamine, small next to the whole sheet
MAX_SHARED_STRINGS = 2 << 20  # a larger table would be parsed again for every piece
_SHEET_DATA = b"<sheetData>"
_SHEET_DATA_END = b"</sheetData>"
_ROOT = re.compile(rb"<(?:([A-Za-z_][\w.-]*):)?worksheet[\s>]")
_ROW_NUMBER = re.compile(rb"\sr\s*=\s*[\"']\d+[\"']")
_ROW_START = b"<row "
# the workbook's parts a sheet's values depend on, where calamine looks for them
_COPIED = {"/styles": "xl/styles.xml", "/sharedStrings": "xl/sharedStrings.xml"}
_MAIN_NS = (
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "http://purl.oclc.org/ooxml/spreadsheetml/main",
)
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_PIECE = "xl/worksheets/piece.xml"


def split_sheet(data: bytes, sheet_name: str) -> list[bytes] | None:
    """The sheet ``sheet_name`` of the package ``data`` as one-sheet workbooks, one per piece, in
    row order; None when it cannot be cut (see the module docstring)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            parts = layout(zf)
            part = parts.sheets.get(sheet_name)
            if part is None or parts.workbook_rels is None:
                return None
            common = _common_parts(zf, parts.workbook, parts.workbook_rels)
            if common is None:
                return None
            xml = inflate_entry(zf, data, part)
        cut = _cuts(xml)
        if cut is None:
            return None
        head, closing, cuts = cut
        view = memoryview(xml)
        packages = []
        for k, (start, end) in enumerate(zip(cuts, [*cuts[1:], len(xml)], strict=True)):
            sheet: list[bytes | memoryview] = [head if k else b"", view[start:end], closing if end < len(xml) else b""]
            entries: list[tuple[str, list[bytes | memoryview]]] = [(n, [c]) for n, c in common.items()]
            packages.append(_zip([*entries, (_PIECE, sheet)]))
    except Exception:  # noqa: BLE001 - whatever went wrong, the whole-sheet parse reports it properly
        return None
    return packages


def _cuts(xml: bytes) -> tuple[bytes, bytes, list[int]] | None:
    """The head, the closing that ends a piece, and where the pieces start (the first at 0)."""
    at = xml.find(_SHEET_DATA)
    if at < 0:
        return None
    root = _ROOT.search(xml, 0, at)
    body = at + len(_SHEET_DATA)
    end = xml.rfind(_SHEET_DATA_END)
    if root is None or end < body or _markup_after(xml, body):
        return None
    closing = _SHEET_DATA_END + b"</" + (root.group(1) + b":" if root.group(1) else b"") + b"worksheet>"
    cuts = [0]
    look = body + PIECE_BYTES
    while look < end:
        row = xml.find(_ROW_START, look, end)
        if row < 0:
            break
        tag_end = xml.find(b">", row, end)
        if tag_end < 0 or not _ROW_NUMBER.search(xml, row, tag_end):
            return None
        cuts.append(row)
        look = row + PIECE_BYTES
    return (xml[:body], closing, cuts) if len(cuts) > 1 else None


def _markup_after(xml: bytes, start: int) -> bool:
    """Whether a comment, CDATA section, declaration or processing instruction (``<!``, ``<?``)
    starts at or after ``start`` (looked for by their rare second byte: far faster)."""
    for second in (b"!", b"?"):
        at = xml.find(second, start)
        while at >= 0:
            if xml[at - 1] == 0x3C:  # "<"
                return True
            at = xml.find(second, at + 1)
    return False


_LOCAL = struct.Struct("<4s5H3L2H")
_CENTRAL = struct.Struct("<4s6H3L5H2L")
_END = struct.Struct("<4s4H2LH")


def _zip(entries: list[tuple[str, list[bytes | memoryview]]]) -> bytes:
    """A zip of the entries, each given as the pieces of its bytes, deflated by ISA-L at its fastest
    level (~1 GB/s, 6:1 on sheet XML): calamine copies the whole package it is handed, byte by
    byte, which costs more than inflating a small one."""
    out: list[bytes | memoryview] = []
    central: list[bytes] = []
    offset = 0
    for name, pieces in entries:
        raw = name.encode()
        crc = size = 0
        deflate = fastest_compressor()
        packed = []
        for piece in pieces:
            crc = crc32(piece, crc)
            size += len(piece)
            packed.append(deflate.compress(piece))
        packed.append(deflate.flush())
        packed_size = sum(len(p) for p in packed)
        out.append(_LOCAL.pack(b"PK\x03\x04", 20, 0, 8, 0, 0x21, crc, packed_size, size, len(raw), 0) + raw)
        out += packed
        central.append(
            _CENTRAL.pack(b"PK\x01\x02", 20, 20, 0, 8, 0, 0x21, crc, packed_size, size, len(raw), 0, 0, 0, 0, 0, offset)
            + raw
        )
        offset += _LOCAL.size + len(raw) + packed_size
    directory = b"".join(central)
    out.append(directory)
    out.append(_END.pack(b"PK\x05\x06", 0, 0, len(entries), len(entries), len(directory), offset, 0))
    return b"".join(out)


def _common_parts(zf: zipfile.ZipFile, workbook: str, workbook_rels: str) -> dict[str, bytes] | None:
    """The parts every piece's workbook shares: one sheet, the original's styles, shared strings
    and date system. None when the shared strings are too many to parse once per piece."""
    date1904 = ""
    for el in SafeET.fromstring(zf.read(workbook)).iter():
        if el.tag in {f"{{{ns}}}workbookPr" for ns in _MAIN_NS}:
            date1904 = el.get("date1904", "")
    names = entry_index(zf)
    parts: dict[str, bytes] = {}
    rels = [f'{_XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">']
    rels.append(f'<Relationship Id="p" Type="{_REL}/worksheet" Target="/{_PIECE}"/>')
    for _, typ, target, mode in relationships(zf, workbook_rels):
        copy_to = _COPIED.get(typ[typ.rfind("/") :])
        entry = find_entry(names, resolve(workbook, target))
        if mode == "External" or copy_to is None or entry is None or copy_to in parts:
            continue
        if copy_to.endswith("sharedStrings.xml") and zf.getinfo(entry).file_size > MAX_SHARED_STRINGS:
            return None
        parts[copy_to] = zf.read(entry)
        rels.append(f'<Relationship Id="c{len(parts)}" Type="{_attr(typ)}" Target="/{copy_to}"/>')
    rels.append("</Relationships>")
    pr = f'<workbookPr date1904="{_attr(date1904)}"/>' if date1904 else ""
    parts[DEFAULT_WORKBOOK] = (
        f'{_XML}<workbook xmlns="{_MAIN_NS[0]}" xmlns:r="{_REL}">{pr}'
        '<sheets><sheet name="piece" sheetId="1" r:id="p"/></sheets></workbook>'
    ).encode()
    parts["xl/_rels/workbook.xml.rels"] = "".join(rels).encode()
    parts["_rels/.rels"] = (
        f'{_XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ).encode()
    parts["[Content_Types].xml"] = (
        f'{_XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>'
    ).encode()
    return parts


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
