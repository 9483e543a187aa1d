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

The pieces are made at once, the sheet's XML streaming through (a piece at a time in memory), each
piece deflated by ISA-L at level 1: what waits for calamine is ~1/6 of the sheet's size (far
less for a sheet of empty formatted rows).
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
from typing import IO

from defusedxml import ElementTree as SafeET

from ..deflate import LOCAL_HEADER, RawInflater, compress_fast, crc32, open_entry
from .package import (
    DEFAULT_WORKBOOK,
    NS_MAIN,
    NS_REL,
    entry_index,
    find_entry,
    relationships,
    resolve,
    sheet_part,
    xml_attr,
)

PIECE_BYTES = 16 << 20  # XML per piece: ~0.2 s of calamine, small next to the whole sheet
MAX_SHARED_STRINGS = 2 << 20  # a larger table would be parsed again for every piece
_SHEET_DATA = b"<sheetData>"
_SHEET_DATA_END = b"</sheetData>"
_ROOT = re.compile(rb"<(?:([A-Za-z_][\w.-]*):)?worksheet[\s>]")
_ROW_NUMBER = re.compile(rb"\sr\s*=\s*[\"']\d+[\"']")
_ROW_START = b"<row "
_READ = 4 << 20  # few, large reads: each inflation call gives up the interpreter lock
# the workbook's parts a sheet's values depend on, where calamine looks for them
_COPIED = {"/styles": "xl/styles.xml", "/sharedStrings": "xl/sharedStrings.xml"}
_REL = NS_REL[0]
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_PIECE = "xl/worksheets/piece.xml"


def split_sheet(data: bytes, sheet_name: str) -> list[bytes] | None:
    """The sheet ``sheet_name`` of the package ``data`` as one-sheet workbooks, one per piece, in
    row order; None when it cannot be cut (see the module docstring)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            found = sheet_part(zf, sheet_name)
            if found is None:
                return None
            parts, part = found
            assert parts.workbook_rels is not None
            common = _common_parts(zf, parts.workbook, parts.workbook_rels)
            if common is None:
                return None
            with open_entry(zf, data, part) as src:
                return _split(src, _Zipper(common))
    except Exception:  # noqa: BLE001 - whatever went wrong, the whole-sheet parse reports it properly
        return None


class _Unsure(Exception):
    """The sheet cannot be cut with certainty."""


def _split(src: IO[bytes] | RawInflater, zipper: _Zipper) -> list[bytes]:
    """The pieces' workbooks, the sheet's XML streamed from ``src`` (never held whole)."""
    buf = bytearray()
    while (at := buf.find(_SHEET_DATA)) < 0:
        chunk = src.read(_READ)
        if not chunk or len(buf) > PIECE_BYTES:
            raise _Unsure
        buf += chunk
    root = _ROOT.search(buf, 0, at)
    if root is None:
        raise _Unsure
    checked = at + len(_SHEET_DATA)  # the rows start here; markup was looked for up to ``checked``
    head = bytes(buf[:checked])
    closing = _SHEET_DATA_END + b"</" + (root.group(1) + b":" if root.group(1) else b"") + b"worksheet>"
    look = checked + PIECE_BYTES  # the first piece may be cut from here on
    packages: list[bytes] = []
    while True:
        if _markup_after(buf, checked):
            raise _Unsure
        checked = len(buf)
        while len(buf) > look:  # cut at the first row start past ``look``
            row = buf.find(_ROW_START, look)
            if row < 0:
                look = len(buf) - len(_ROW_START)
                break
            tag_end = buf.find(b">", row)
            if tag_end < 0:
                look = row  # the tag goes on in the next read
                break
            if not _ROW_NUMBER.search(buf, row, tag_end):
                raise _Unsure
            packages.append(zipper.package(head if packages else b"", buf, row, closing))
            del buf[:row]  # cheap: a bytearray drops its front without moving the rest
            checked -= row
            look = PIECE_BYTES
        chunk = src.read(_READ)
        if not chunk:
            break
        buf += chunk
    if buf.rfind(_SHEET_DATA_END) < 0:
        raise _Unsure  # no </sheetData> after the last row: calamine will say what is wrong
    packages.append(zipper.package(head if packages else b"", buf, len(buf), b""))
    return packages


def _markup_after(xml: bytes | bytearray, start: int) -> bool:
    """Whether a comment, CDATA section, declaration or processing instruction (``<!``, ``<?``)
    starts at or after ``start`` (looked for by their rare second byte: far faster)."""
    for second in (b"!", b"?"):
        at = xml.find(second, start)
        while at >= 0:
            if xml[at - 1] == 0x3C:  # "<"
                return True
            at = xml.find(second, at + 1)
    return False


_CENTRAL = struct.Struct("<4s6H3L5H2L")
_END = struct.Struct("<4s4H2LH")


class _Zipper:
    """A piece's workbook: the shared parts stored, the sheet deflated in one call. Each call into
    a compressor gives up the interpreter lock, and getting it back while the main thread types
    rows costs up to the switch interval: few, large calls."""

    def __init__(self, common: dict[str, bytes]) -> None:
        self._local: list[bytes] = []
        self._central: list[bytes] = []
        for name, content in common.items():
            self._local, self._central = self._entry(name, content, content, 0, crc32(content))

    def _entry(
        self, name: str, content: bytes, packed: bytes, method: int, crc: int
    ) -> tuple[list[bytes], list[bytes]]:
        """The local and central records with one more entry (new lists)."""
        raw = name.encode()
        offset = sum(len(b) for b in self._local)
        local = LOCAL_HEADER.pack(b"PK\x03\x04", 20, 0, method, 0, 0x21, crc, len(packed), len(content), len(raw), 0)
        central = _CENTRAL.pack(
            b"PK\x01\x02", 20, 20, 0, method, 0, 0x21, crc, len(packed), len(content), len(raw), 0, 0, 0, 0, 0, offset
        )
        return [*self._local, local + raw, packed], [*self._central, central + raw]

    def package(self, head: bytes, buf: bytearray, end: int, closing: bytes) -> bytes:
        """The shared parts and ``head`` + ``buf[:end]`` + ``closing`` as the piece's worksheet,
        deflated at ISA-L level 1 (~1 GB/s, 6:1 on sheet XML): calamine copies the whole
        package it is handed, byte by byte, which costs more than inflating a small one."""
        with memoryview(buf) as view:
            rows = view[:end]
            try:
                sheet = b"".join((head, rows, closing))
            finally:
                rows.release()
        local, central = self._entry(_PIECE, sheet, compress_fast(sheet), 8, crc32(sheet))
        directory = b"".join(central)
        size = sum(len(b) for b in local)
        end_record = _END.pack(b"PK\x05\x06", 0, 0, len(central), len(central), len(directory), size, 0)
        return b"".join([*local, directory, end_record])


def _common_parts(zf: zipfile.ZipFile, workbook: str, workbook_rels: str) -> dict[str, bytes] | None:
    """The parts every piece's workbook shares: one sheet, the original's styles, shared strings
    and date system. None when the shared strings are too many to parse once per piece."""
    date1904 = ""
    for el in SafeET.fromstring(zf.read(workbook)).iter():
        if el.tag in {f"{{{ns}}}workbookPr" for ns in NS_MAIN}:
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
        rels.append(f'<Relationship Id="c{len(parts)}" Type="{xml_attr(typ)}" Target="/{copy_to}"/>')
    rels.append("</Relationships>")
    pr = f'<workbookPr date1904="{xml_attr(date1904)}"/>' if date1904 else ""
    parts[DEFAULT_WORKBOOK] = (
        f'{_XML}<workbook xmlns="{NS_MAIN[0]}" xmlns:r="{_REL}">{pr}'
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
