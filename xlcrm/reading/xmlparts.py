"""What calamine cannot tell: formula cells that have no cached value (SPEC §3).

Reads the worksheet XML parts directly, streaming, so a 150 MB sheet is not held in memory. A
sheet with no ``<f`` tag at all (the usual case) costs one decompression pass and nothing else.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from xml.etree.ElementTree import ParseError, iterparse  # safe here: safety.check_input_file refused DOCTYPEs

from ..deflate import open_entry
from .package import PackageError, layout

_NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_CELL_REF = re.compile(r"([A-Z]+)(\d+)")
_CHUNK = 1 << 20
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")


def sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → zip entry of its part (e.g. ``xl/worksheets/sheet1.xml``), found through
    ``_rels/.rels`` and the workbook's relationships, part names compared case-insensitively."""
    return layout(zf).sheets


def _has_formula(zf: zipfile.ZipFile, part: str, data: bytes | None = None) -> bool:
    tail = b""
    with open_entry(zf, data, part) as fh:
        while chunk := fh.read(_CHUNK):
            if _formula_tag_in(tail + chunk[:16]) or _formula_tag_in(chunk):
                return True
            tail = chunk[-16:]
    return False


def _formula_tag_in(text: bytes) -> bool:
    """Whether ``<f`` (or ``<x:f``) starts a tag in ``text``. Looked for by its "f", a byte that is
    rare in sheet XML outside formulas (memchr speed, where a search for "<f" crawls through
    every "<"); the regex confirms each candidate."""
    at = text.find(b"f")
    while at >= 0:
        if at and text[at - 1] in b"<:" and _FORMULA_TAG.match(text, text.rfind(b"<", 0, at)):
            return True
        at = text.find(b"f", at + 1)
    return False


def _uncached_in_part(zf: zipfile.ZipFile, part: str) -> set[tuple[int, int]]:
    found: set[tuple[int, int]] = set()
    with zf.open(part) as fh:
        for _, elem in iterparse(fh, events=("end",)):
            if elem.tag != f"{{{_NS_MAIN}}}c":
                if elem.tag == f"{{{_NS_MAIN}}}row":
                    elem.clear()
                continue
            f = elem.find(f"{{{_NS_MAIN}}}f")
            if f is not None:
                v = elem.find(f"{{{_NS_MAIN}}}v")
                is_ = elem.find(f"{{{_NS_MAIN}}}is")
                if (v is None or v.text in (None, "")) and is_ is None:
                    m = _CELL_REF.fullmatch(elem.get("r", ""))
                    if m:
                        found.add((int(m.group(2)), _col_index(m.group(1))))
            elem.clear()
    return found


def _col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def uncached_formula_cells(data: bytes, names: list[str] | None = None) -> dict[str, set[tuple[int, int]]]:
    """For each named sheet (every sheet when ``names`` is None) of the package ``data``, the
    1-based (row, column) of formula cells without a cached value."""
    result: dict[str, set[tuple[int, int]]] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        try:
            parts = sheet_parts(zf)
        except (KeyError, PackageError):
            return result  # the engine reports an unreadable package
        for name in parts if names is None else names:
            part = parts.get(name)
            if not part:
                continue
            try:
                cells = _uncached_in_part(zf, part) if _has_formula(zf, part, data) else set()
            except (ParseError, zipfile.BadZipFile, zlib.error, EOFError, OSError):
                continue  # an unparsable part: the engine decides whether that sheet matters
            if cells:
                result[name] = cells
    return result
