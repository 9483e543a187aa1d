"""``computed.stale`` (SPEC §3.2): computed cells that no longer match their inputs.

validate recomputes every computed column exactly as enrich would and compares it with the value
stored in the file, for cells that are not blank (the workbook was enriched before). One warning
per sheet and column, at the first stale cell, with the count and the first few addresses: a
manager sees at a glance that a submitted workbook's tiers or due dates are out of date.
"""

from __future__ import annotations

import math
from datetime import date, datetime, time
from typing import Any

from ..i18n import tr
from ..issues import Issue, located
from ..model import Book
from ..schema import DATA_SHEETS
from .result import Derived

_SHOWN = 3  # addresses named in the message


def _instant(value: date) -> datetime:
    return value if isinstance(value, datetime) else datetime.combine(value, time())


def same_as_written(stored: Any, computed: Any) -> bool:
    """True when the stored cell shows what enrich would write now (dates to the second,
    numbers to float precision, text trimmed)."""
    if computed is None:
        return False
    if isinstance(computed, date) and isinstance(stored, date):
        return abs((_instant(stored) - _instant(computed)).total_seconds()) < 1
    if isinstance(computed, (int, float)) and not isinstance(computed, bool):
        if isinstance(stored, (int, float)) and not isinstance(stored, bool):
            return math.isclose(float(stored), float(computed), rel_tol=1e-9, abs_tol=1e-9)
        return False
    return isinstance(stored, str) and stored.strip() == str(computed).strip()


def stale_issues(book: Book, derived: Derived) -> list[Issue]:
    """One ``computed.stale`` warning per sheet and computed column with out-of-date cells.

    Rejected rows are left out: their errors are reported already, and enrich blanks them.
    """
    issues: list[Issue] = []
    for kind in DATA_SHEETS:
        sheet = book.sheets.get(kind.key)
        values = derived.values.get(kind.key, {})
        if sheet is None:
            continue
        stale: dict[str, list[int]] = {}
        for row in sheet.rows:
            if row.rejected or not row.stored:
                continue
            now = values.get(row.number, {})
            for key, stored in row.stored.items():
                if not same_as_written(stored, now.get(key)):
                    stale.setdefault(key, []).append(row.number)
        for f in kind.computed_fields:
            rows = stale.get(f.key)
            if not rows:
                continue
            cells = "、".join(sheet.cell(f.key, r) or "" for r in rows[:_SHOWN])
            more = tr(" 等", " …") if len(rows) > _SHOWN else ""
            issues.append(
                located(
                    sheet,
                    rows[0],
                    f.key,
                    "computed.stale",
                    tr(
                        "“{h}”有 {n} 个单元格与当前数据不一致（{cells}{more}）：工作簿在计算之后又被修改过，"
                        "或统计日已变。运行 xlcrm enrich 即可更新。",
                        '"{h}": {n} cells no longer match the data ({cells} {more}); the workbook was edited after '
                        "enrich, or the as-of date moved on. Run xlcrm enrich to refresh them.",
                        h=f.header,
                        n=len(rows),
                        cells=cells,
                        more=more,
                    ),
                    value=row_value(sheet, rows[0], f.key),
                )
            )
    return issues


def row_value(sheet: Any, number: int, key: str) -> Any:
    """The stored value of one computed cell (for the issue's ``value``)."""
    row = next((r for r in sheet.rows if r.number == number), None)
    value = row.stored.get(key) if row else None
    return value.isoformat() if isinstance(value, date) else value
