"""What a report batch is asked for, checked before any workbook is read (SPEC §5 ``report``).

A wrong choice is a ``UsageError`` (exit 2) whose message names the command-line option, since
that is where most requests come from; the library takes the same values as keyword arguments.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from ..choices import pick_choices
from ..errors import UsageError
from ..i18n import tr
from .monthly import Period

FORMATS = ("md", "docx")
KINDS = ("campaign", "monthly")
_PERIOD = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")


def parse_formats(text: str | Sequence[str] | None) -> tuple[str, ...]:
    """``md``, ``docx`` or ``md,docx`` (any order, spaces allowed; also a sequence of names) →
    formats in a fixed order."""
    raw = text if isinstance(text, str) or text is None else ",".join(text)
    chosen = pick_choices(raw, FORMATS)
    if chosen is None:
        raise UsageError(
            detail=tr(
                "--format 只能是 md、docx 或 md,docx（收到 {v}）",
                "--format must be md, docx or md,docx (got {v})",
                v=raw,
            )
        )
    return chosen


def parse_period(text: str | Period | None, as_of: date) -> Period:
    """``YYYY-MM`` (or a (year, month) pair) → (year, month); default the month of as-of."""
    if not text:
        return as_of.year, as_of.month
    if isinstance(text, tuple):
        text = f"{text[0]}-{text[1]}"
    match = _PERIOD.match(text)
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise UsageError(
            detail=tr(
                "--period 应为 YYYY-MM，例如 2026-11（收到 {v}）",
                "--period must be YYYY-MM, e.g. 2026-11 (got {v})",
                v=text,
            )
        )
    return int(match.group(1)), int(match.group(2))


def check_options(kind: str, campaign: str | None, by_manager: bool, jobs: int | None) -> None:
    """Combinations that make no sense are refused before any work starts."""
    if kind not in KINDS:
        raise UsageError(detail=tr("--kind 只能是 campaign 或 monthly", "--kind must be campaign or monthly"))
    if kind == "campaign" and by_manager:
        raise UsageError(detail=tr("--by manager 只用于 --kind monthly", "--by manager needs --kind monthly"))
    if kind == "monthly" and campaign:
        raise UsageError(detail=tr("--campaign 只用于 --kind campaign", "--campaign needs --kind campaign"))
    if jobs is not None and jobs < 1:
        raise UsageError(detail=tr("--jobs 至少为 1", "--jobs must be at least 1"))
