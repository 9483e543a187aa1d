"""Sheets are read as a stream (each typed as calamine hands it over, never held whole as Python
lists): the rows must be exactly what a whole read gives, also for a sheet that does not start at
A1 and for one whose reading breaks off far down (a number no date can hold, past the rows read
ahead for the header)."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import python_calamine as pc
from lxml import etree
from odd_books import (
    AS_OF,
    Package,
    build_base,
    column_of,
    last_row,
    q,
    set_number,
    shift_columns,
    shift_rows,
)

from xlcrm.reading import read_book
from xlcrm.reading.engine import HEAD_ROWS, iter_raw_sheets, read_raw_sheets
from xlcrm.validation import validate_file


def _grow_followups(ws: etree._Element, rows: int) -> None:
    """Copy the follow-up rows (without their IDs) until the sheet has ``rows`` data rows."""
    data = ws.find(q("sheetData"))
    template = [r for r in data if int(r.get("r")) > 1]
    number = last_row(ws)
    while number < rows + 1:
        for src in template:
            number += 1
            row = copy.deepcopy(src)
            row.set("r", str(number))
            for c in list(row):
                letters = "".join(ch for ch in c.get("r") if ch.isalpha())
                c.set("r", f"{letters}{number}")
                if letters == "A":  # 跟进编号: left blank (enrich would number it), never a duplicate
                    row.remove(c)
            data.append(row)
            if number >= rows + 1:
                break


@pytest.fixture(scope="module")
def long_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("stream")
    pkg = Package(build_base(folder))
    pkg.edit_sheet("跟进记录", lambda ws: _grow_followups(ws, HEAD_ROWS + 600))
    return pkg.save(folder / "long.xlsx")


def _whole(path: Path) -> dict[str, list[list[object]]]:
    wb = pc.CalamineWorkbook.from_path(str(path))
    try:
        return {n: wb.get_sheet_by_name(n).to_python(skip_empty_area=False) for n in wb.sheet_names}
    finally:
        wb.close()


def test_streamed_rows_are_the_whole_read(long_book: Path) -> None:
    streamed = {s.name: s.rows for s in read_raw_sheets(long_book.read_bytes())}
    assert streamed == _whole(long_book)
    assert len(streamed["跟进记录"]) > HEAD_ROWS + 500


def test_a_sheet_starting_below_and_right_of_a1_streams_as_read_whole(tmp_path: Path) -> None:
    pkg = Package(build_base(tmp_path))

    def move(ws: etree._Element) -> None:
        shift_rows(ws, 3)  # the header on row 4, and nothing in rows 1-3 nor in columns A-B
        shift_columns(ws, 2)

    pkg.edit_sheet("反馈处理", move)
    path = pkg.save(tmp_path / "moved.xlsx")
    names, sheets = iter_raw_sheets(path.read_bytes())
    got = {s.name: list(s.all_rows()) for s in sheets}
    assert list(got) == names
    whole = _whole(path)
    assert got == whole
    assert whole["反馈处理"][0] == [""] * len(whole["反馈处理"][0])  # really starts below A1
    assert whole["反馈处理"][3][:3] == ["", "", "反馈编号"]  # and right of it
    book = read_book(path).book
    assert book.sheets["feedback"].header_row == 4 and len(book.sheets["feedback"].rows) > 0


def test_a_date_no_engine_can_hold_far_down_a_long_sheet(long_book: Path, tmp_path: Path, capfd) -> None:
    pkg = Package(long_book)
    target = HEAD_ROWS + 400

    def overflow(ws: etree._Element) -> None:
        set_number(ws, f"{column_of(ws, '跟进时间')}{target}", "-INF")

    pkg.edit_sheet("跟进记录", overflow)
    path = pkg.save(tmp_path / "overflow.xlsx")
    capfd.readouterr()
    report = validate_file(path, AS_OF)
    out, err = capfd.readouterr()
    assert "panic" not in err.lower() and "thread" not in err.lower()  # no Rust text for staff
    hits = [i for i in report.issues if i.sheet == "跟进记录" and i.row == target and i.severity == "error"]
    assert [(i.code, i.field, i.value) for i in hits] == [("value.type", "at", "-INF")]
    assert not any(i.code == "sheet.unreadable" or i.code == "sheet.missing" for i in report.issues)
    book = read_book(path).book
    assert len(book.sheets["followups"].rows) == HEAD_ROWS + 600  # every row, the ones after it too


def _read_summary(path: Path) -> tuple[object, ...]:
    result = read_book(path)
    book = result.book
    return (
        [
            (k, s.name, s.header_row, s.columns, [(r.number, r.values, dict(r.raw)) for r in s.rows])
            for k, s in book.sheets.items()
        ],
        book.sheet_names,
        [(i.code, i.sheet, i.cell) for i in result.issues],
    )


@pytest.mark.parametrize("rename", [False, True], ids=["named", "recognised by its headers"])
def test_the_largest_sheet_parsed_on_its_own_reads_the_same(
    long_book: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rename: bool
) -> None:
    from xlcrm.reading import engine

    path = long_book
    if rename:  # a sheet found by its headers keeps its place in the order
        pkg = Package(long_book)
        wb_part = pkg.workbook_part()
        pkg.parts[wb_part] = pkg.parts[wb_part].replace("跟进记录".encode(), "跟进明细".encode())
        path = pkg.save(tmp_path / "renamed.xlsx")
    monkeypatch.setattr(engine, "SEPARATE_PARSE", 1 << 62)
    alone = _read_summary(path)
    order: list[str] = []
    original = engine._sheets

    def sheets(*args):  # type: ignore[no-untyped-def]
        for raw in original(*args):
            order.append(raw.name)
            yield raw

    monkeypatch.setattr(engine, "SEPARATE_PARSE", 0)
    monkeypatch.setattr(engine, "_sheets", sheets)
    assert _read_summary(path) == alone
    followups = "跟进明细" if rename else "跟进记录"
    assert (order[-1] == followups) is (not rename)
