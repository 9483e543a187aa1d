"""The largest sheet read in pieces (``xlcrm/reading/pieces.py``): typing its rows overlaps parsing
them, and what comes out must be exactly what reading the sheet whole gives. The pieces are made
small here so a short book is cut many times; each odd case is read both ways and compared."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree
from odd_books import AS_OF, Package, _to_shared_strings, build_base, column_of, merge, q, set_number, shift_columns
from test_reading_stream import _grow_followups, _read_summary

from xlcrm.reading import engine, pieces
from xlcrm.reading.engine import HEAD_ROWS, iter_raw_sheets, read_raw_sheets
from xlcrm.validation import validate_file

ROWS = HEAD_ROWS + 900
PIECE = 48 << 10  # ~40 rows a piece: a 1,900-row sheet is cut into dozens


@pytest.fixture(scope="module")
def base_long(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pieces")
    pkg = Package(build_base(folder))
    pkg.edit_sheet("跟进记录", lambda ws: _grow_followups(ws, ROWS))
    return pkg.save(folder / "long.xlsx")


def _pieces_on(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Cut the largest sheet from any size, into small pieces; records each piece parsed ("piece")
    and each parse of the whole sheet ("whole": the fallback, which would hide a bad piece)."""
    monkeypatch.setattr(engine, "SEPARATE_PARSE", 0)
    monkeypatch.setattr(engine, "PIECES_PARSE", 0)
    monkeypatch.setattr(pieces, "PIECE_BYTES", PIECE)
    parsed: list[str] = []
    piece, whole = engine._parse_piece, engine._parse_alone

    def counted_piece(package: bytes):  # type: ignore[no-untyped-def]
        parsed.append("piece")
        return piece(package)

    def counted_whole(*args):  # type: ignore[no-untyped-def]
        parsed.append("whole")
        return whole(*args)

    monkeypatch.setattr(engine, "_parse_piece", counted_piece)
    monkeypatch.setattr(engine, "_parse_alone", counted_whole)
    return parsed


def _both_ways(path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[object, object, list[str]]:
    """The typed read of ``path`` with the sheet parsed whole, then in pieces (and what was parsed)."""
    monkeypatch.setattr(engine, "PIECES_PARSE", 1 << 62)
    whole = _read_summary(path)
    parsed = _pieces_on(monkeypatch)
    return whole, _read_summary(path), parsed


def _edited(base: Path, tmp_path: Path, change: Callable[[Package], None]) -> Path:
    pkg = Package(base)
    change(pkg)
    return pkg.save(tmp_path / "book.xlsx")


def _every_seventh_row_gone(pkg: Package) -> None:
    def drop(ws: etree._Element) -> None:
        data = ws.find(q("sheetData"))
        for row in list(data):
            if int(row.get("r")) > 2 and int(row.get("r")) % 7 == 0:
                data.remove(row)  # blank rows inside the sheet: some fall just before a cut

    pkg.edit_sheet("跟进记录", drop)


def _merged_far_down(pkg: Package) -> None:
    pkg.edit_sheet("跟进记录", lambda ws: merge(ws, f"H{ROWS - 5}:I{ROWS - 4}"))


def _dates_from_1904(pkg: Package) -> None:
    part = pkg.workbook_part()
    text = pkg.parts[part].decode()
    if "<workbookPr" in text:
        text = re.sub(r"<workbookPr\b", '<workbookPr date1904="1"', text, count=1)
    else:
        text = re.sub(r"(<workbook\b[^>]*>)", r'\1<workbookPr date1904="1"/>', text, count=1)
    pkg.parts[part] = text.encode()


def _shared_strings(pkg: Package) -> None:
    _to_shared_strings(pkg, "xl/sharedStrings.xml", "sharedStrings.xml")


def _two_columns_right(pkg: Package) -> None:
    pkg.edit_sheet("跟进记录", lambda ws: shift_columns(ws, 2))


@pytest.mark.parametrize(
    "change",
    [None, _every_seventh_row_gone, _merged_far_down, _dates_from_1904, _shared_strings, _two_columns_right],
    ids=["plain", "blank rows", "merged cells far down", "1904 dates", "shared strings", "starting at column C"],
)
def test_a_sheet_read_in_pieces_reads_as_read_whole(
    base_long: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: Callable[[Package], None] | None
) -> None:
    path = _edited(base_long, tmp_path, change) if change else base_long
    whole, in_pieces, parsed = _both_ways(path, monkeypatch)
    assert parsed.count("piece") > 10 and "whole" not in parsed  # really cut, many times, every piece read
    assert in_pieces == whole
    followups = next(s for s in whole[0] if s[0] == "followups")  # type: ignore[index]
    assert len(followups[4]) > ROWS * 0.8  # the rows are there, typed


def test_raw_rows_of_the_pieces_are_the_whole_sheets_rows(base_long: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _edited(base_long, Path(base_long).parent, _every_seventh_row_gone)
    monkeypatch.setattr(engine, "PIECES_PARSE", 1 << 62)
    whole = {s.name: s.rows for s in read_raw_sheets(path.read_bytes())}
    _pieces_on(monkeypatch)
    cut = {s.name: s.rows for s in read_raw_sheets(path.read_bytes())}

    def trimmed(rows: list[list[object]]) -> list[list[object]]:  # a piece's rows are as wide as the piece
        out = []
        for row in rows:
            row = list(row)
            while row and row[-1] == "":
                row.pop()
            out.append(row)
        return out

    assert {k: trimmed(v) for k, v in cut.items()} == {k: trimmed(v) for k, v in whole.items()}


def test_a_date_no_engine_can_hold_in_a_later_piece(base_long: Path, tmp_path: Path, monkeypatch, capfd) -> None:  # type: ignore[no-untyped-def]
    target = ROWS - 100

    def overflow(pkg: Package) -> None:
        pkg.edit_sheet("跟进记录", lambda ws: set_number(ws, f"{column_of(ws, '跟进时间')}{target}", "-INF"))

    path = _edited(base_long, tmp_path, overflow)
    parsed = _pieces_on(monkeypatch)
    capfd.readouterr()
    report = validate_file(path, AS_OF)
    _, err = capfd.readouterr()
    assert parsed.count("piece") > 10
    assert "panic" not in err.lower() and "thread" not in err.lower()  # no Rust text for staff
    hits = [i for i in report.issues if i.sheet == "跟进记录" and i.row == target and i.severity == "error"]
    assert [(i.code, i.field, i.value) for i in hits] == [("value.type", "at", "-INF")]
    assert not any(i.code in ("sheet.unreadable", "sheet.missing") for i in report.issues)


@pytest.mark.parametrize("where", ["comment", "processing instruction"])
def test_a_sheet_that_cannot_be_cut_with_certainty_is_read_whole(
    base_long: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    markup = b'<!-- <row r="3"> -->' if where == "comment" else b'<?note <row r="3"> ?>'

    def annotate(pkg: Package) -> None:
        part = pkg.sheet_parts()["跟进记录"]
        xml = pkg.parts[part]
        at = xml.index(b"<row ", len(xml) // 2)
        pkg.parts[part] = xml[:at] + markup + xml[at:]

    path = _edited(base_long, tmp_path, annotate)
    assert pieces.split_sheet(path.read_bytes(), "跟进记录") is None
    whole, in_pieces, parsed = _both_ways(path, monkeypatch)
    assert parsed == ["whole"] and in_pieces == whole


def test_a_large_shared_strings_table_leaves_the_sheet_whole(
    base_long: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _edited(base_long, tmp_path, _shared_strings)
    monkeypatch.setattr(pieces, "PIECE_BYTES", PIECE)
    assert pieces.split_sheet(path.read_bytes(), "跟进记录") is not None
    monkeypatch.setattr(pieces, "MAX_SHARED_STRINGS", 1024)
    assert pieces.split_sheet(path.read_bytes(), "跟进记录") is None


def test_rows_out_of_order_across_pieces_are_read_again_whole(
    base_long: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def shuffle(pkg: Package) -> None:
        def move_first_data_row_to_the_end(ws: etree._Element) -> None:
            data = ws.find(q("sheetData"))
            row = next(r for r in data if r.get("r") == "5")
            data.remove(row)
            data.append(copy.deepcopy(row))  # row 5 written after row 1,901: Excel repairs such a file

        pkg.edit_sheet("跟进记录", move_first_data_row_to_the_end)

    path = _edited(base_long, tmp_path, shuffle)
    whole, in_pieces, parsed = _both_ways(path, monkeypatch)
    assert parsed.count("piece") >= 1 and parsed[-1] == "whole"  # noticed in pieces, read again whole
    assert in_pieces == whole
    followups = next(s for s in whole[0] if s[0] == "followups")  # type: ignore[index]
    assert 5 in [number for number, _, _ in followups[4]]  # row 5 is there, where it belongs
    report = validate_file(path, AS_OF)
    assert not any(i.code in ("sheet.unreadable", "sheet.missing") for i in report.issues)


def test_stopping_early_leaves_no_thread_waiting(base_long: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parsed = _pieces_on(monkeypatch)
    monkeypatch.setattr(engine, "PIECES_AHEAD", 2)
    names, sheets = iter_raw_sheets(base_long.read_bytes())
    for raw in sheets:
        if raw.name == "跟进记录":
            break
    sheets.close()  # returns: the piece threads stopped (they would block the shutdown otherwise)
    assert "跟进记录" in names and 0 < parsed.count("piece") < 30 and "whole" not in parsed


def test_a_piece_that_cannot_be_read_leaves_the_rest_to_a_whole_parse(
    base_long: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole, _, _ = _both_ways(base_long, monkeypatch)
    parsed = _pieces_on(monkeypatch)
    piece = engine._parse_piece

    def third_fails(package: bytes):  # type: ignore[no-untyped-def]
        if parsed.count("piece") == 3:
            raise ValueError("a piece calamine cannot read")
        return piece(package)

    monkeypatch.setattr(engine, "_parse_piece", third_fails)
    in_pieces = _read_summary(base_long)
    assert parsed.count("piece") >= 3 and parsed[-1] == "whole"  # the rest came from a whole parse
    assert in_pieces == whole
