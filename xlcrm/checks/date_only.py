"""``value.date_only`` (SPEC §2 "Date-only times", §3.2): a completion time typed as a date only.

解决时间 and 录入日期 typed without a time are taken as the end of that day (23:59:59) for every
duration and SLA, so the row can never count as handled in time unless it provably was; the
warning tells the staff member to add the time.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from ..config import Config
from ..i18n import tr
from ..instants import is_date_only
from ..issues import Issue, located
from ..model import Book
from ._common import data_sheets, show


def check_date_only(book: Book, config: Config | None, as_of: date) -> Iterator[Issue]:
    """One warning per completion-time cell holding a date without a time."""
    for sheet in data_sheets(book):
        for f in sheet.kind.fields:
            if not f.completion or f.key not in sheet.columns:
                continue
            for row in sheet.rows:
                value = row.values.get(f.key)
                if value is None or not is_date_only(value):
                    continue
                yield located(
                    sheet,
                    row.number,
                    f.key,
                    "value.date_only",
                    tr(
                        "“{h}”只填了日期（{v}），按当天 24:00 计算时效。请补上具体时间，如 {v} 16:30。",
                        '"{h}" holds a date only ({v}); it counts as the end of that day for every duration. '
                        "Add the time, e.g. {v} 16:30.",
                        h=f.header,
                        v=show(value),
                    ),
                    value=value,
                    severity="warning",
                )
