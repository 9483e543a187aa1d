"""xlsx → neutral ``Book`` + reading issues (structure and §3 value coercion).

``read_book`` (any ``Source``) and ``read_book_data`` (bytes already read) are the entry points the
rest of xlcrm uses to read a workbook.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import islice
from pathlib import Path
from typing import Any

from ..errors import CorruptFileError
from ..i18n import tr
from ..issues import Issue
from ..model import Book, SheetData, Snapshot, a1
from ..schema import (
    CONFIG,
    DATA_SHEETS,
    FILLS_SHEET_NAME,
    HELP_SHEET_NAME,
    HISTORY_SHEET_NAME,
    MARKS_SHEET_NAME,
    RESULTS_SHEET_NAME,
    SheetKind,
    fold_name,
)
from .coerce import render_text
from .engine import RawSheet, RowsOutOfOrder, UnreadableSheet, iter_raw_sheets
from .fills import mark_refreshable, read_fills
from .recognize import HEADER_SCAN_ROWS, best_kind_by_headers, find_header, find_late_header, kind_by_name
from .rows import merged_issues, type_rows
from .safety import check_input_bytes
from .source import DEFAULT_NAME, Source, source_data
from .xmlparts import uncached_formula_cells

__all__ = ["ReadResult", "Source", "read_book", "read_book_data", "read_raw_book"]

_HIDDEN_SHEETS = {fold_name(HISTORY_SHEET_NAME), fold_name(FILLS_SHEET_NAME)}
_OWN_SHEETS = {
    fold_name(n) for n in (HELP_SHEET_NAME, HISTORY_SHEET_NAME, FILLS_SHEET_NAME, RESULTS_SHEET_NAME, MARKS_SHEET_NAME)
}


@dataclass
class ReadResult:
    """A read workbook: the ``Book``, the reading issues, and structural facts writers need."""

    book: Book
    issues: list[Issue] = field(default_factory=list)

    @property
    def structural_errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error" and i.code.startswith(("sheet.", "header."))]


def _sheet_issue(
    severity: str, code: str, sheet: str | None, msg: str, cell: str | None = None, row: int | None = None
) -> Issue:
    column = cell.rstrip("0123456789") if cell else None
    return Issue(severity, code, msg, sheet=sheet, cell=cell, row=row, column=column)


def _kinds_by_name(names: Sequence[str]) -> dict[str, int]:
    """Kind key → position of the first sheet named for it (xlcrm's own sheets are never data)."""
    out: dict[str, int] = {}
    for pos, sheet_name in enumerate(names):
        if fold_name(sheet_name) in _OWN_SHEETS:
            continue
        kind = kind_by_name(sheet_name)
        if kind is not None and kind.key not in out:
            out[kind.key] = pos
    return out


def _header_issues(kind: SheetKind, raw: RawSheet, header: Any) -> list[Issue]:
    issues: list[Issue] = []
    late = None if header else find_late_header(kind, raw.rows)
    if late is not None:
        return [
            _sheet_issue(
                "error",
                "header.missing",
                raw.name,
                tr(
                    "工作表“{s}”在前 {n} 行中找不到表头（第 {row} 行像是表头）。请删除表头上方多余的行，使表头位于前 {n} 行内。",
                    "Sheet '{s}': no header row among the first {n} rows (row {row} looks like the header). "
                    "Delete the rows above it so the header is within the first {n} rows.",
                    s=raw.name,
                    n=HEADER_SCAN_ROWS,
                    row=late,
                ),
            )
        ]
    columns = header.columns if header else {}
    for f in kind.fields:
        if f.required and not f.computed and f.key not in columns:
            issues.append(
                _sheet_issue(
                    "error",
                    "header.missing",
                    raw.name,
                    tr(
                        "工作表“{s}”缺少必需的列“{h}”。请按标准模板（xlcrm init）补上该列。",
                        "Sheet '{s}' lacks the required column '{h}'. Add it as in the standard workbook.",
                        s=raw.name,
                        h=f.header,
                    ),
                )
            )
    if not header:
        return issues
    for key, col in header.duplicates:
        cell = a1(header.row, col)
        issues.append(
            _sheet_issue(
                "error",
                "header.duplicate",
                raw.name,
                tr(
                    "列“{h}”出现了两次（{cell}），请删除或改名其中一列。",
                    "Column '{h}' appears twice ({cell}); remove or rename one.",
                    h=kind.field(key).header,
                    cell=cell,
                ),
                cell,
                header.row,
            )
        )
    for text, col in header.unknown:
        cell = a1(header.row, col)
        issues.append(
            _sheet_issue(
                "info",
                "header.unknown",
                raw.name,
                tr(
                    "无法识别的列“{t}”，已保留但不参与校验和计算。", "Unknown column '{t}' is kept and ignored.", t=text
                ),
                cell,
                header.row,
            )
        )
    return issues


def _config_rows(raw: RawSheet, header: Any) -> list[tuple[str, Any]]:
    if not header or "param" not in header.columns:
        return []
    pc, vc = header.columns["param"] - 1, header.columns.get("value", 0) - 1
    rows = []
    for cells in islice(raw.all_rows(), header.row, None):
        key = render_text(cells[pc]) if pc < len(cells) else None
        if key:
            value = cells[vc] if 0 <= vc < len(cells) else None
            rows.append((key, value if value != "" else None))
    return [(k, v) for k, v in rows if v is not None]


def _history(raw: RawSheet) -> list[Snapshot]:
    snaps = []
    for cells in islice(raw.all_rows(), 1, None):
        cells = list(cells) + [""] * (5 - len(cells))
        when, cid = cells[0], render_text(cells[1])
        if isinstance(when, datetime):
            when = when.date()
        if not isinstance(when, date) or not cid:
            continue
        snaps.append(Snapshot(when, cid, render_text(cells[2]), render_text(cells[3]), render_text(cells[4])))
    return snaps


def _unreadable_sheets(name: str, raws: list[RawSheet]) -> list[Issue]:
    """A sheet whose part cannot be parsed: fatal when it is one xlcrm reads, else ignored (info)."""
    issues = []
    for raw in raws:
        if raw.error is None:
            continue
        if kind_by_name(raw.name) is not None or fold_name(raw.name) == fold_name(HISTORY_SHEET_NAME):
            raise CorruptFileError(
                path=name,
                detail=tr("工作表“{s}”无法读取：{r}", "sheet '{s}' is unreadable: {r}", s=raw.name, r=raw.error),
            )
        issues.append(
            _sheet_issue(
                "info",
                "sheet.unknown",
                raw.name,
                tr(
                    "工作表“{s}”无法读取（{r}）；xlcrm 不需要读取这张表，已忽略。",
                    "Sheet '{s}' is unreadable ({r}); xlcrm does not need it and ignores it.",
                    s=raw.name,
                    r=raw.error,
                ),
            )
        )
    return issues


def read_book(source: Source, name: str | None = None) -> ReadResult:
    """Read and type a workbook (a path, bytes or a binary file object, see ``source.Source``);
    unusable input raises ``InputFileError`` subclasses whose messages call it ``name`` (default:
    the path as typed, or ``workbook.xlsx``)."""
    data, label = source_data(source, name)
    return read_book_data(data, label)


def read_book_data(data: bytes, name: str) -> ReadResult:
    """Read and type the workbook whose package is ``data``; messages call it ``name``.

    Sheets stream: each is typed as calamine hands it over, the next one being parsed meanwhile,
    and its raw cells are gone before the next is typed."""
    check_input_bytes(data, name)
    # The formula scan is mostly zlib, which releases the GIL, as does calamine: run them side by side.
    with ThreadPoolExecutor(max_workers=1) as pool:
        scan = pool.submit(uncached_formula_cells, data)
        try:
            names, sheets = iter_raw_sheets(data, name, last=_named_for_a_kind)
        except BaseException:
            scan.cancel()
            raise
        with closing(sheets):
            return read_raw_book(sheets, scan.result, name, sheet_names=names)


def _named_for_a_kind(names: list[str], sheet_name: str) -> bool:
    """Whether ``sheet_name`` is recognised by its name (then it may be typed after the others:
    only sheets recognised by their headers depend on the order)."""
    kind = kind_by_name(sheet_name)
    return kind is not None and _kinds_by_name(names).get(kind.key) == names.index(sheet_name)


def read_raw_book(
    raws: Iterable[RawSheet],
    uncached: dict[str, set[tuple[int, int]]] | Callable[[], dict[str, set[tuple[int, int]]]] | None = None,
    name: str | Path | None = None,
    *,
    sheet_names: Sequence[str] | None = None,
) -> ReadResult:
    """Recognise and type sheets read as raw cells (from a file, or from a live Excel book).

    ``raws`` may stream (a generator, with ``sheet_names`` given up front): each sheet is typed as
    it comes. ``uncached`` maps a sheet name to its formula cells (row, column) without a cached
    value (or is a function giving that map, asked once a sheet needs it); ``name`` is what
    messages call the workbook (its path, when it has one)."""
    if sheet_names is None:
        raws = list(raws)
        sheet_names = [r.name for r in raws]
    label = str(name) if name is not None else DEFAULT_NAME
    found_uncached: list[dict[str, set[tuple[int, int]]]] = []

    def uncached_in(sheet_name: str) -> set[tuple[int, int]]:
        if not found_uncached:
            found_uncached.append((uncached() if callable(uncached) else uncached) or {})
        return found_uncached[0].get(sheet_name, set())

    book = Book(sheet_names=list(sheet_names))
    named = _kinds_by_name(sheet_names)
    typed: dict[str, tuple[SheetData | None, list[Issue]]] = {}  # kind key → sheet, its issues
    unreadable: list[RawSheet] = []
    unknown: list[RawSheet] = []
    config_rows: list[tuple[str, Any]] = []
    position = {n: i for i, n in enumerate(sheet_names)}
    for i, raw in enumerate(raws):
        pos = position.get(raw.name, i)  # a streamed book may hand its largest sheet over last
        kind = None
        while True:
            if raw.error is not None:  # its kind is free for a sheet recognised by its headers
                for key in [k for k, p in named.items() if p == pos]:
                    del named[key]
                break
            try:
                kind = _read_one(book, raw, pos, named, typed, uncached_in, config_rows)
            except RowsOutOfOrder as exc:  # read in pieces, its rows were out of order: again, whole
                _forget(raw.name, named, typed)
                raw = exc.again()
                continue
            except UnreadableSheet as exc:  # broke off part way: as if it could not be parsed at all
                raw.error, kind = exc.reason, None
                _forget(raw.name, named, typed)
            break
        if raw.error is None and kind is None and not _is_own(raw.name):
            unknown.append(raw)
        if raw.error is not None:
            unreadable.append(raw)
        raw.rest = None  # rows of a streamed sheet not taken (unknown sheets) are not read on
    issues = _unreadable_sheets(label, unreadable)
    for kind in DATA_SHEETS:
        if kind.key not in typed:
            issues.append(
                _sheet_issue(
                    "error",
                    "sheet.missing",
                    kind.name,
                    tr(
                        "缺少工作表“{s}”。请使用标准模板（xlcrm init），或把对应的工作表改名为“{s}”。",
                        "The sheet '{s}' is missing. Use the standard workbook or rename the sheet to '{s}'.",
                        s=kind.name,
                    ),
                )
            )
            continue
        sheet, sheet_issues = typed[kind.key]
        if sheet is not None:
            book.sheets[kind.key] = sheet
        issues += sheet_issues
    if "config" in typed:
        book.config_rows = config_rows
        sheet = typed["config"][0]
        if sheet is not None:
            book.sheets["config"] = sheet
    mark_refreshable(book)
    for raw in unknown:
        issues.append(
            _sheet_issue(
                "info",
                "sheet.unknown",
                raw.name,
                tr("无法识别的工作表“{s}”，已忽略。", "Unknown sheet '{s}' is ignored.", s=raw.name),
            )
        )
    return ReadResult(book, issues)


def _is_own(sheet_name: str) -> bool:
    return fold_name(sheet_name) in _OWN_SHEETS


def _forget(sheet_name: str, named: dict[str, int], typed: dict[str, tuple[SheetData | None, list[Issue]]]) -> None:
    """Drop what a sheet that broke off part way had been recognised as."""
    for key, (sheet, _) in list(typed.items()):
        if sheet is not None and sheet.name == sheet_name:
            del typed[key]
            named.pop(key, None)


def _read_one(
    book: Book,
    raw: RawSheet,
    pos: int,
    named: dict[str, int],
    typed: dict[str, tuple[SheetData | None, list[Issue]]],
    uncached_in: Callable[[str], set[tuple[int, int]]],
    config_rows: list[tuple[str, Any]],
) -> SheetKind | None:
    """Recognise one sheet and type it (xlcrm's own sheets: read what they hold); the kind it was
    recognised as, None for an own or unknown sheet."""
    folded = fold_name(raw.name)
    if raw.visible and folded in _HIDDEN_SHEETS:
        book.own_name_clashes.append(raw.name)  # a staff sheet: neither read nor overwritten
        return None
    if folded == fold_name(HISTORY_SHEET_NAME):
        book.history = _history(raw)
        return None
    if folded == fold_name(FILLS_SHEET_NAME):
        book.fills = read_fills(list(raw.all_rows()))
        return None
    if folded in _OWN_SHEETS:
        return None
    kind = kind_by_name(raw.name)
    header: Any
    if kind is not None and named.get(kind.key) == pos:
        header = find_header(kind, raw.rows)
    else:
        # a sheet whose name is unknown (or taken): the headers say which of the kinds no sheet is named for
        candidates = [k for k in DATA_SHEETS if k.key not in named and k.key not in typed]
        hit = best_kind_by_headers(raw.rows, candidates)
        if not hit:
            return None
        kind, header = hit
    if kind.key == "config":
        typed["config"] = (SheetData(CONFIG, raw.name, header.row, dict(header.columns)) if header else None, [])
        config_rows += _config_rows(raw, header)
        return kind
    issues = _header_issues(kind, raw, header)
    if not header:
        typed[kind.key] = (SheetData(kind, raw.name, 1, {}), issues)
        return kind
    sheet, row_issues = type_rows(kind, raw.name, raw.all_rows(), header, uncached_in(raw.name))
    typed[kind.key] = (sheet, issues + row_issues + merged_issues(sheet, raw.merged))
    return kind
