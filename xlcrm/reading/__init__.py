"""xlsx → neutral ``Book`` + reading issues (structure and §3 value coercion).

``read_book`` (any ``Source``) and ``read_book_data`` (bytes already read) are the entry points the
rest of xlcrm uses to read a workbook.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime
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
from .engine import RawSheet, read_raw_sheets
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


def _assign_kinds(raws: list[RawSheet]) -> tuple[dict[str, tuple[RawSheet, Any]], list[RawSheet]]:
    assigned: dict[str, tuple[RawSheet, Any]] = {}
    leftover: list[RawSheet] = []
    for raw in raws:
        if fold_name(raw.name) in _OWN_SHEETS:
            continue
        kind = kind_by_name(raw.name)
        if kind is not None and kind.key not in assigned:
            assigned[kind.key] = (raw, find_header(kind, raw.rows))
        else:
            leftover.append(raw)
    unknown: list[RawSheet] = []
    for raw in leftover:
        candidates = [k for k in DATA_SHEETS if k.key not in assigned]
        hit = best_kind_by_headers(raw.rows, candidates)
        if hit:
            assigned[hit[0].key] = (raw, hit[1])
        else:
            unknown.append(raw)
    return assigned, unknown


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
    for cells in raw.rows[header.row :]:
        key = render_text(cells[pc]) if pc < len(cells) else None
        if key:
            value = cells[vc] if 0 <= vc < len(cells) else None
            rows.append((key, value if value != "" else None))
    return [(k, v) for k, v in rows if v is not None]


def _history(raw: RawSheet) -> list[Snapshot]:
    snaps = []
    for cells in raw.rows[1:]:
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
    """Read and type the workbook whose package is ``data``; messages call it ``name``."""
    check_input_bytes(data, name)
    # The formula scan is mostly zlib, which releases the GIL, as does calamine: run them side by side.
    with ThreadPoolExecutor(max_workers=1) as pool:
        scan = pool.submit(uncached_formula_cells, data)
        raws = read_raw_sheets(data, name)
        uncached = scan.result()
    return read_raw_book(raws, uncached, name)


def read_raw_book(
    raws: list[RawSheet], uncached: dict[str, set[tuple[int, int]]] | None = None, name: str | Path | None = None
) -> ReadResult:
    """Recognise and type sheets already read as raw cells (from a file, or from a live Excel book).

    ``uncached`` maps a sheet name to its formula cells (row, column) without a cached value; ``name`` is what
    messages call the workbook (its path, when it has one)."""
    uncached = uncached or {}
    book = Book(sheet_names=[r.name for r in raws])
    issues = _unreadable_sheets(str(name) if name is not None else DEFAULT_NAME, raws)
    raws = [r for r in raws if r.error is None]
    assigned, unknown = _assign_kinds(raws)
    for raw in raws:
        if raw.visible and fold_name(raw.name) in _HIDDEN_SHEETS:
            book.own_name_clashes.append(raw.name)  # a staff sheet: neither read nor overwritten
        elif fold_name(raw.name) == fold_name(HISTORY_SHEET_NAME):
            book.history = _history(raw)
        elif fold_name(raw.name) == fold_name(FILLS_SHEET_NAME):
            book.fills = read_fills(raw.rows)
    for kind in DATA_SHEETS:
        if kind.key not in assigned:
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
        raw, header = assigned[kind.key]
        issues += _header_issues(kind, raw, header)
        if not header:
            book.sheets[kind.key] = SheetData(kind, raw.name, 1, {})
            continue
        sheet, row_issues = type_rows(kind, raw.name, raw.rows, header, uncached.get(raw.name, set()))
        book.sheets[kind.key] = sheet
        issues += row_issues + merged_issues(sheet, raw.merged)
    if "config" in assigned:
        raw, header = assigned["config"]
        book.config_rows = _config_rows(raw, header)
        if header:
            book.sheets["config"] = SheetData(CONFIG, raw.name, header.row, dict(header.columns))
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
