"""The patcher's row fast paths and the cases that must fall back to the cell-by-cell walk.

Each case patches one small worksheet twice: as enrich does (fast paths on) and with every fast path
switched off (the walk alone). The cells a user sees (address, style, value, order) must come out
as written, and both runs must give the same bytes.
"""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest

from xlcrm.writing.cellxml import CellContext
from xlcrm.writing.patch_sheet import KEEP, CellWrite, SheetPatch, _Patcher, patch_sheet

NS = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
CTX = CellContext(False, lambda i: None)


def sheet(rows: bytes, prefix: bytes = b"") -> bytes:
    p = prefix
    ns = NS.replace(b"xmlns=", b"xmlns:" + p[:-1] + b"=") if p else NS
    return (
        b"<"
        + p
        + b"worksheet "
        + ns
        + b"><"
        + p
        + b"sheetData>"
        + rows
        + b"</"
        + p
        + b"sheetData></"
        + p
        + b"worksheet>"
    )


def run(xml: bytes, writes: dict[int, dict[int, CellWrite]]) -> tuple[bytes, bool]:
    patch = SheetPatch(cells={r: dict(c) for r, c in writes.items()})
    out = io.BytesIO()
    changed = patch_sheet(io.BytesIO(xml), out, patch, CTX)
    return out.getvalue(), changed


def both(xml: bytes, writes: dict[int, dict[int, CellWrite]], monkeypatch: pytest.MonkeyPatch) -> bytes:
    """The fast result, after checking it equals the walk's."""
    fast = run(xml, writes)
    with monkeypatch.context() as m:
        m.setattr(_Patcher, "_appended", lambda *a: None)
        m.setattr(_Patcher, "_row_by_cells", lambda *a: None)
        m.setattr(_Patcher, "_fast_rows", lambda self, rd, last: last)
        walk = run(xml, writes)
    assert fast == walk
    return fast[0]


def text(value: str) -> CellWrite:
    return CellWrite(value)


STYLE_7: Callable[[int], int] = lambda base: 7  # noqa: E731


def inline(ref: str, value: str, prefix: str = "") -> bytes:
    p = prefix
    return f'<{p}c r="{ref}" t="inlineStr"><{p}is><{p}t xml:space="preserve">{value}</{p}t></{p}is></{p}c>'.encode()


CASES: list[tuple[str, bytes, dict[int, dict[int, CellWrite]], bytes]] = [
    (
        "appended after the last cell",
        b'<row r="2"><c r="A2"><v>1</v></c></row>',
        {2: {3: text("x"), 4: CellWrite(None)}},
        b'<row r="2"><c r="A2"><v>1</v></c>' + inline("C2", "x") + b"</row>",
    ),
    (
        "appended after a self-closing last cell",
        b'<row r="2"><c r="A2" s="3"/></row>',
        {2: {2: CellWrite(2.5)}},
        b'<row r="2"><c r="A2" s="3"/><c r="B2"><v>2.5</v></c></row>',
    ),
    (
        "spans widened (general path)",
        b'<row r="2" spans="1:1"><c r="A2"><v>1</v></c></row>',
        {2: {3: text("x")}},
        b'<row r="2" spans="1:3"><c r="A2"><v>1</v></c>' + inline("C2", "x") + b"</row>",
    ),
    (
        "style-only write of a missing cell (general path)",
        b'<row r="2"><c r="A2"><v>1</v></c></row>',
        {2: {3: CellWrite(KEEP, style=STYLE_7)}},
        b'<row r="2"><c r="A2"><v>1</v></c><c r="C2" s="7"/></row>',
    ),
    (
        "a new cell between existing ones",
        b'<row r="2"><c r="A2"><v>1</v></c><c r="D2"><v>4</v></c></row>',
        {2: {2: text("b"), 3: CellWrite(None), 5: text("e")}},
        b'<row r="2"><c r="A2"><v>1</v></c>'
        + inline("B2", "b")
        + b'<c r="D2"><v>4</v></c>'
        + inline("E2", "e")
        + b"</row>",
    ),
    (
        "several new cells before one existing cell, then a replacement and an append",
        b'<row r="2"><c r="A2"><v>1</v></c><c r="E2"><v>5</v></c><c r="G2"><v>7</v></c></row>',
        {2: {2: text("b"), 3: CellWrite(None), 4: text("d"), 5: CellWrite(50.0), 6: text("f"), 8: text("h")}},
        b'<row r="2"><c r="A2"><v>1</v></c>'
        + inline("B2", "b")
        + inline("D2", "d")
        + b'<c r="E2"><v>50</v></c>'
        + inline("F2", "f")
        + b'<c r="G2"><v>7</v></c>'
        + inline("H2", "h")
        + b"</row>",
    ),
    (
        "an existing cell replaced, a blank one emptied",
        b'<row r="2"><c r="A2" s="2"><v>1</v></c><c r="B2"><v>9</v></c><c r="C2"><v>3</v></c></row>',
        {2: {1: CellWrite(5.0), 2: CellWrite(None)}},
        b'<row r="2"><c r="A2" s="2"><v>5</v></c><c r="B2"/><c r="C2"><v>3</v></c></row>',
    ),
    (
        "staff input kept unless blank",
        b'<row r="2"><c r="A2"><v>1</v></c><c r="C2"><v>3</v></c></row>',
        {2: {1: CellWrite(5.0, only_if_blank=True), 2: CellWrite("new", only_if_blank=True)}},
        b'<row r="2"><c r="A2"><v>1</v></c>' + inline("B2", "new") + b'<c r="C2"><v>3</v></c></row>',
    ),
    (
        "last cell without an address (walk: addresses made explicit)",
        b'<row r="2"><c r="A2"><v>1</v></c><c><v>2</v></c></row>',
        {2: {4: text("d")}},
        b'<row r="2"><c r="A2"><v>1</v></c><c r="B2"><v>2</v></c>' + inline("D2", "d") + b"</row>",
    ),
    (
        "a cell without an address before the target (walk)",
        b'<row r="2"><c r="A2"/><c><v>2</v></c><c r="D2"/></row>',
        {2: {3: text("c")}},
        b'<row r="2"><c r="A2"/><c r="B2"><v>2</v></c>' + inline("C2", "c") + b'<c r="D2"/></row>',
    ),
    (
        "something after the last cell (general path: new cells go right after it)",
        b'<row r="2"><c r="A2"><v>1</v></c> </row>',
        {2: {2: text("b")}},
        b'<row r="2"><c r="A2"><v>1</v></c>' + inline("B2", "b") + b" </row>",
    ),
    (
        "a row without cells but with content",
        b'<row r="2"> </row>',
        {2: {1: text("a")}},
        b'<row r="2">' + inline("A2", "a") + b" </row>",
    ),
    (
        "an empty row",
        b'<row r="2"></row><row r="3"/>',
        {2: {1: text("a")}, 3: {2: text("b")}},
        b'<row r="2">' + inline("A2", "a") + b'</row><row r="3">' + inline("B3", "b") + b"</row>",
    ),
    (
        "r not the first attribute of the row",
        b'<row ht="20" customHeight="1" r="2"><c r="A2"><v>1</v></c></row>',
        {2: {2: text("b")}},
        b'<row ht="20" customHeight="1" r="2"><c r="A2"><v>1</v></c>' + inline("B2", "b") + b"</row>",
    ),
    (
        "columns out of order (walk)",
        b'<row r="2"><c r="C2"><v>3</v></c><c r="A2"><v>1</v></c><c r="E2"/></row>',
        {2: {4: text("d")}},
        b'<row r="2"><c r="C2"><v>3</v></c><c r="A2"><v>1</v></c>' + inline("D2", "d") + b'<c r="E2"/></row>',
    ),
    (
        "the row's style is the base of a new cell",
        b'<row r="2" s="4" customFormat="1"><c r="A2"><v>1</v></c></row>',
        {2: {2: CellWrite(1.0, style=lambda base: base + 10)}},
        b'<row r="2" s="4" customFormat="1"><c r="A2"><v>1</v></c><c r="B2" s="14"><v>1</v></c></row>',
    ),
    (
        "spans widened for an appended cell (as Excel writes rows)",
        b'<row r="2" spans="1:1" x14ac:dyDescent="0.25"><c r="A2"><v>1</v></c></row>',
        {2: {3: text("c")}},
        b'<row r="2" spans="1:3" x14ac:dyDescent="0.25"><c r="A2"><v>1</v></c>' + inline("C2", "c") + b"</row>",
    ),
    (
        "a cell inserted between two, spans kept",
        b'<row r="2" spans="1:3"><c r="A2"/><c r="C2" s="1"><v>3</v></c></row>',
        {2: {2: text("b"), 3: CellWrite(4.0), 5: text("e")}},
        b'<row r="2" spans="1:5"><c r="A2"/>'
        + inline("B2", "b")
        + b'<c r="C2" s="1"><v>4</v></c>'
        + inline("E2", "e")
        + b"</row>",
    ),
    (
        "an empty extLst after the last cell (general path)",
        b'<row r="2"><c r="A2"><v>1</v></c><extLst/></row>',
        {2: {2: text("b")}},
        b'<row r="2"><c r="A2"><v>1</v></c>' + inline("B2", "b") + b"<extLst/></row>",
    ),
    (
        "whitespace between cells, a target in the middle",
        b'<row r="2"><c r="A2"/> <c r="C2"/></row>',
        {2: {2: text("b")}},
        b'<row r="2"><c r="A2"/> ' + inline("B2", "b") + b'<c r="C2"/></row>',
    ),
    (
        "rows without targets between patched ones, one row out of order",
        b'<row r="2"><c r="A2"/></row><row r="3"><c r="A3"/></row><row r="5"><c r="A5"/></row>'
        b'<row r="4"><c r="A4"/></row>',
        {2: {2: text("x")}, 5: {2: text("y")}, 4: {2: text("z")}},
        b'<row r="2"><c r="A2"/>'
        + inline("B2", "x")
        + b'</row><row r="3"><c r="A3"/></row><row r="4">'
        + inline("B4", "z")
        + b'</row><row r="5"><c r="A5"/>'
        + inline("B5", "y")
        + b'</row><row r="4"><c r="A4"/></row>',
    ),
    (
        "rows around, missing rows inserted in order",
        b'<row r="2"><c r="A2"><v>1</v></c></row><row r="5"><c r="A5"><v>5</v></c></row>',
        {3: {1: text("x")}, 5: {2: text("y")}, 7: {1: text("z")}},
        b'<row r="2"><c r="A2"><v>1</v></c></row><row r="3">'
        + inline("A3", "x")
        + b'</row><row r="5"><c r="A5"><v>5</v></c>'
        + inline("B5", "y")
        + b'</row><row r="7">'
        + inline("A7", "z")
        + b"</row>",
    ),
]


@pytest.mark.parametrize("rows, writes, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_fast_paths_write_what_the_walk_writes(
    rows: bytes, writes: dict[int, dict[int, CellWrite]], expected: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert both(sheet(rows), writes, monkeypatch) == sheet(expected)


def test_prefixed_worksheet(monkeypatch: pytest.MonkeyPatch) -> None:
    rows = b'<x:row r="2"><x:c r="A2"><x:v>1</x:v></x:c></x:row>'
    expected = b'<x:row r="2"><x:c r="A2"><x:v>1</x:v></x:c>' + inline("B2", "b", "x:") + b"</x:row>"
    assert both(sheet(rows, b"x:"), {2: {2: text("b")}}, monkeypatch) == sheet(expected, b"x:")


def test_nothing_to_write_leaves_the_bytes_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    xml = sheet(b'<row r="2"><c r="A2"><v>1</v></c></row>')
    writes = {2: {1: CellWrite(1.0), 3: CellWrite(None)}}
    out = run(xml, writes)
    assert out == (xml, False)
    assert both(xml, writes, monkeypatch) == xml


def test_the_common_row_takes_the_splice(monkeypatch: pytest.MonkeyPatch) -> None:
    """Computed columns at the right of a plain row never reach the general row path."""

    def general(*a: object) -> bytes:
        raise AssertionError("general path used")

    monkeypatch.setattr(_Patcher, "_patch_row", general)
    rows = b'<row r="2"><c r="A2" s="1"><v>1</v></c></row><row r="3"><c r="A3"/></row>'
    out, changed = run(sheet(rows), {2: {2: text("b")}, 3: {2: CellWrite(None), 3: CellWrite(3.0)}})
    assert changed
    assert out == sheet(
        b'<row r="2"><c r="A2" s="1"><v>1</v></c>'
        + inline("B2", "b")
        + b'</row><row r="3"><c r="A3"/><c r="C3"><v>3</v></c></row>'
    )


@pytest.mark.parametrize("big", [False, True])
def test_threaded_deflate_and_read_ahead_keep_every_byte(big: bool) -> None:
    import zlib

    from xlcrm.writing.package import Deflated, ReadAhead

    data = b"".join(b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (i, i, i * 7) for i in range(1, 120_000))
    with ReadAhead(io.BytesIO(data), size=1 << 16) as src:
        chunks = []
        while chunk := src.read():
            chunks.append(chunk)
    assert b"".join(chunks) == data
    plain, threaded = Deflated(big, threaded=False), Deflated(big, threaded=True)
    for d in (plain, threaded):
        for i in range(0, len(data), 5000):
            d.write(data[i : i + 5000])
        d.finish()
        d.data.seek(0)
        assert zlib.decompress(d.data.read(), -15) == data
        assert (d.crc, d.size) == (zlib.crc32(data), len(data))
        d.close()


def test_a_sheet_without_data_rows_is_left_as_it_is(make_workbook, blank_rows) -> None:  # type: ignore[no-untyped-def]
    """No row to compute: the sheet is not rewritten, not even to append missing computed headers."""
    import zipfile

    from conftest import AS_OF
    from openpyxl import load_workbook

    from xlcrm.enrichment import enrich_workbook
    from xlcrm.schema import TASKS
    from xlcrm.writing.patcher import WorkbookPatcher

    rows = blank_rows()
    rows["tasks"] = []
    path = make_workbook(rows)
    wb = load_workbook(path)
    computed = {f.header for f in TASKS.computed_fields}
    for cell in wb[TASKS.name][1]:
        if cell.value in computed:
            cell.value = None
    wb.save(path)
    entry = WorkbookPatcher(path).entry(TASKS.name)
    assert entry is not None and entry.part is not None
    with zipfile.ZipFile(path) as zf:
        before = zf.read(entry.part)
    result = enrich_workbook(path, AS_OF, backup=False)
    assert result.changed  # the other sheets got their computed values
    with zipfile.ZipFile(path) as zf:
        assert zf.read(entry.part) == before


def test_a_big_broken_sheet_is_a_clear_error_and_leaves_no_worker(make_workbook, blank_rows, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A sheet big enough for the worker threads, cut off before ``</sheetData>``."""
    import threading
    import zipfile

    from xlcrm.errors import CorruptFileError
    from xlcrm.writing.patcher import THREADED_PART, WorkbookPatcher

    path = make_workbook(blank_rows())
    entry = WorkbookPatcher(path).entries[0]
    assert entry.part is not None
    with zipfile.ZipFile(path) as zf:
        head = zf.read(entry.part).split(b"</sheetData>")[0]
        rows = b"".join(b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (i, i, i) for i in range(100, 90_000))
        assert len(head + rows) > THREADED_PART
        broken = tmp_path / "broken.xlsx"
        with zipfile.ZipFile(broken, "w", zipfile.ZIP_DEFLATED) as out:
            for info in zf.infolist():
                out.writestr(info, head + rows if info.filename == entry.part else zf.read(info.filename))
    patcher = WorkbookPatcher(broken)
    patcher.sheet(entry.name).put(95_000, 2, CellWrite("x"))
    with pytest.raises(CorruptFileError, match="sheetData"):
        patcher.build()
    assert not [t for t in threading.enumerate() if t.name.startswith("xlcrm-")]


def _dimension_by_every_write(head: bytes, patch: SheetPatch) -> bytes:
    """The sheet's ``<dimension>`` grown the slow way: every row's writes worked out."""
    from xlcrm.writing.cellxml import column_letters, split_ref
    from xlcrm.writing.patch_sheet import _DIMENSION
    from xlcrm.writing.xmlbytes import get_attr, set_attr

    m = _DIMENSION.search(head)
    written = [
        (r, c) for r, cols in patch.items() for c, w in cols.items() if w.value is KEEP or w.value not in (None, "")
    ]
    if m is None or not written:
        return head
    ref = get_attr(m.group(0), "ref") or "A1"
    parts = [split_ref(p) for p in ref.split(":")]
    rows = [p[0] for p in parts if p] + [r for r, _ in written]
    cols = [p[1] for p in parts if p] + [c for _, c in written]
    if parts[0] == (1, 1) and len(parts) == 1:
        rows, cols = [r for r, _ in written] + [1], [c for _, c in written] + [1]
    new = f"{column_letters(min(cols))}{min(rows)}:{column_letters(max(cols))}{max(rows)}"
    return head if new == ref else head[: m.start()] + set_attr(m.group(0), "ref", new) + head[m.end() :]


@pytest.mark.parametrize("ref", ["A1", "A1:C4", "L2:L3", "A1:Z999"])
@pytest.mark.parametrize(
    "values",
    [
        {},
        {2: {"tier": None, "name": None}},
        {3: {"tier": "A", "name": None}, 9: {"tier": None, "name": "x"}, 5: {"tier": "", "name": ""}},
        {0: {"tier": "A"}, 2_000_000: {"tier": "B"}, 7: {"name": "y", "other": "z"}},
        {4: {"tier": None}, 6: {"tier": "C"}, 2: {"tier": None}},
        {11: {"name": "m"}, 4: {"tier": "B", "name": "n"}, 8: {"tier": "C"}, 13: {"tier": None}},
    ],
    ids=["nothing", "only blanks", "mixed", "out of range and unknown fields", "unordered rows", "a block"],
)
def test_the_dimension_grows_as_if_every_row_were_worked_out(ref: str, values: dict) -> None:  # type: ignore[type-arg]
    """``<dimension>`` is grown from the planned writes' bounds (no writes worked out per row): the
    same reference as working out every row's writes, explicit writes (one under a blank planned
    write) included."""
    from xlcrm.writing.enrich_writer import _RowWrites
    from xlcrm.writing.patch_sheet import _grow_dimension

    head = f'<worksheet><dimension ref="{ref}"/>'.encode()
    patch = SheetPatch()
    patch.put(1, 12, CellWrite("表头"))  # a header cell written explicitly
    patch.put(3, 12, CellWrite("staff"))  # under a planned blank write when row 3 plans one
    patch.planned = _RowWrites(values, {"tier": (12, True, None), "name": (2, False, None)}, set())
    assert _grow_dimension(head, patch) == _dimension_by_every_write(head, patch)
