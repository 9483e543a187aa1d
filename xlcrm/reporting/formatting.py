"""Display forms of derived values for report contexts: percentages, numbers, dates, blanks.

Contexts hold text ready to print, so the Markdown and Word templates show the same figures.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

BLANK = "—"
_TENTH = Decimal("0.1")
_CENT = Decimal("0.01")


def _half_up(value: float, step: Decimal) -> Decimal:
    return Decimal(repr(float(value))).quantize(step, rounding=ROUND_HALF_UP)


def pct(value: float | None) -> str:
    """1.2 → ``120.0%``; blank → ``—`` (rates are blank when the denominator is 0)."""
    if value is None:
        return BLANK
    # scale in decimal: 0.6665 * 100 in binary floating point is 66.64999…
    scaled = Decimal(repr(float(value))) * 100
    return f"{scaled.quantize(_TENTH, rounding=ROUND_HALF_UP)}%"


def num(value: float | int | None) -> str:
    """Whole numbers without decimals (``15``), others with one (``82.5``)."""
    if value is None:
        return BLANK
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{_half_up(value, _TENTH):,}"


def mean1(value: float | None) -> str:
    """A mean (满意度均分, 处理时长): always one decimal, ``77.0`` beside ``77.8``."""
    if value is None:
        return BLANK
    return f"{_half_up(value, _TENTH):,.1f}"


def money(value: float | None) -> str:
    """``5,000.00`` (元)."""
    if value is None:
        return BLANK
    return f"{_half_up(value, _CENT):,}"


def day(value: date | datetime | None) -> str:
    """``2026-11-20``."""
    if value is None:
        return BLANK
    return (value.date() if isinstance(value, datetime) else value).isoformat()


def stamp(value: date | datetime | None) -> str:
    """``2026-11-20 09:30`` for datetimes, the date alone for dates."""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return day(value)


def text(value: Any) -> str:
    """Staff text as it was typed (``—`` when blank); escaping is the template's job."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return BLANK
    return str(value)


def counted(values: Iterable[Any], order: Sequence[str] = (), blank_label: str = "未填写") -> list[dict[str, str]]:
    """Rows ``{label, count, share}`` for a tally: the ``order`` labels first (zeros included),
    then any other value by frequency; blank values under ``blank_label``."""
    tally = Counter(blank_label if v is None or v == "" else str(v) for v in values)
    total = sum(tally.values())
    labels = list(order) + [k for k, _ in tally.most_common() if k not in order]
    return [
        {"label": label, "count": str(tally.get(label, 0)), "share": pct(tally[label] / total) if total else BLANK}
        for label in labels
        if label in order or tally.get(label)
    ]


def chart_numbers(rows: list[dict[str, Any]]) -> tuple[list[str], list[int]]:
    """Labels and counts of ``counted`` rows, for a chart."""
    return [r["label"] for r in rows], [int(str(r["count"]).replace(",", "")) for r in rows]


WORD_LIST_LIMIT = 20  # rows of a long list printed in the Word report; Markdown has them all


def capped(rows: list[dict[str, Any]], title: str, limit: int = WORD_LIST_LIMIT) -> dict[str, Any]:
    """The first ``limit`` rows (already sorted most urgent first) and the count, for Word tables:
    ``{rows, total, shown, more, title, all}``; ``all`` goes to the .xlsx appendix when cut."""
    return {
        "rows": rows[:limit],
        "total": len(rows),
        "shown": min(len(rows), limit),
        "more": len(rows) > limit,
        "title": title,
        "all": rows,
    }
