"""Row-level checks of a read workbook (SPEC §1, §3): pure functions of the typed ``Book``.

The reader already reports structure (sheets, headers), merged cells and cells it could not read
(``value.type``, ``value.enum``, text dates/numbers, uncached formulas); the checks here never
report such a cell again: a typed value of None with a non-blank raw value is "already reported",
neither blank nor filled.

Each check is ``(book, config, as_of) -> Iterable[Issue]``, one module per concern:
``required`` (value.required, id.pending), ``formats`` (value.format), ``ranges`` (value.range),
``unique`` (value.duplicate), ``refs`` (ref.missing, ref.mismatch), ``order`` (order),
``state`` (state), ``consistency`` (consistency, value.too_short).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from ..config import Config
from ..issues import Issue
from ..model import Book
from ._common import Check, data_sheets
from .consistency import check_consistency
from .date_only import check_date_only
from .formats import check_formats
from .order import check_order
from .ranges import check_ranges
from .refs import check_refs
from .required import check_required
from .state import check_state
from .unique import check_unique

CHECKS: tuple[Check, ...] = (
    check_required,
    check_formats,
    check_ranges,
    check_unique,
    check_refs,
    check_order,
    check_state,
    check_consistency,
    check_date_only,
)


def run_checks(book: Book, as_of: date, config: Config | None = None) -> list[Issue]:
    """Every check over ``book``, issues sorted by sheet (schema order), row, column, severity, code."""
    issues: list[Issue] = []
    for check in CHECKS:
        issues.extend(check(book, config, as_of))
    sheet_order = {s.name: i for i, s in enumerate(data_sheets(book))}
    issues.sort(key=lambda i: (sheet_order.get(i.sheet or "", len(sheet_order)), *i.sort_key))
    return issues


def mark_rejected(book: Book, issues: Iterable[Issue]) -> set[tuple[str, int]]:
    """Set ``rejected`` on every row with at least one ERROR issue (matched by sheet name and row
    number; issues without a row, e.g. a missing header, reject nothing). Returns the
    ``(sheet name, row number)`` pairs that were rejected."""
    bad = {(i.sheet, i.row) for i in issues if i.severity == "error" and i.row is not None}
    marked: set[tuple[str, int]] = set()
    if not bad:
        return marked
    for sheet in book.sheets.values():
        name = sheet.name
        for row in sheet.rows:
            if (name, row.number) in bad:
                row.rejected = True
                marked.add((name, row.number))
    return marked


__all__ = [
    "CHECKS",
    "Check",
    "check_consistency",
    "check_date_only",
    "check_formats",
    "check_order",
    "check_ranges",
    "check_refs",
    "check_required",
    "check_state",
    "check_unique",
    "mark_rejected",
    "run_checks",
]
