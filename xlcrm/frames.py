"""``xlcrm.frames``: a workbook as one typed pandas DataFrame per sheet kind (SPEC §7).

For analysts in Jupyter: the records exactly as ``enrich`` sees them, with the computed columns
filled from the same derive layer. pandas is imported only here, and only when called.

Columns: ``row`` (the original Excel row number), every field of the sheet kind by its English key
in schema order, then ``ok`` (False for rows validation rejects; their computed columns are blank).
Dtypes: dates and datetimes ``datetime64``, integers ``Int64``, money / numbers / scores /
percentages ``float64``, enums and computed vocabularies ``category`` in the schema's order, text
``string``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .derive import derive
from .model import SheetData
from .reading.source import Source
from .schema import DATA_SHEETS, Field, FieldType, SheetKind
from .schema.sheets import (
    CAMPAIGN_STATES,
    FOLLOWUP_STATUSES,
    LOOP_STATUSES,
    NEXT_ACTION_STATUSES,
    RFM_SEGMENTS,
    RISK_LEVELS,
    SLA_STATUSES,
    TASK_OVERDUE,
    TIERS,
    VALUE_SEGMENTS,
    YES_NO,
)
from .validation import CheckedBook, check_book

if TYPE_CHECKING:
    import pandas as pd

# computed text columns whose values come from a fixed vocabulary (sheet key, field key) → order
COMPUTED_VOCABULARIES: dict[tuple[str, str], tuple[str, ...]] = {
    ("customers", "rfm_segment"): tuple(RFM_SEGMENTS.values()),
    ("customers", "value_segment"): VALUE_SEGMENTS,
    ("customers", "tier"): TIERS,
    ("customers", "followup_status"): FOLLOWUP_STATUSES,
    ("customers", "churn_risk"): RISK_LEVELS,
    ("followups", "customer_tier"): TIERS,
    ("followups", "recorded_in_time"): YES_NO,
    ("followups", "next_action_status"): NEXT_ACTION_STATUSES,
    ("feedback", "sla_status"): SLA_STATUSES,
    ("feedback", "loop_status"): LOOP_STATUSES,
    ("campaigns", "state"): CAMPAIGN_STATES,
    ("tasks", "overdue"): TASK_OVERDUE,
}
_FLOATS = {FieldType.MONEY, FieldType.NUMBER, FieldType.SCORE, FieldType.PERCENT}
_DATES = {FieldType.DATE, FieldType.DATETIME}


def _read(source: Source, as_of: date, config: str | PathLike[str] | None) -> CheckedBook:
    """The one place that reads the workbook (and its config): checked, rejected rows marked."""
    return check_book(source, as_of, Path(config) if config is not None else None)


def _as_datetime(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    return None


def _column(pd: Any, kind: SheetKind, f: Field, values: list[Any]) -> Any:
    """One typed column (a pandas Series) for field ``f``."""
    vocabulary = f.enum or COMPUTED_VOCABULARIES.get((kind.key, f.key))
    if vocabulary:
        return pd.Series(pd.Categorical(values, categories=list(vocabulary)))
    if f.type in _DATES:
        return pd.Series([_as_datetime(v) for v in values], dtype="datetime64[us]")
    if f.type == FieldType.INT:
        return pd.Series(
            [int(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None for v in values], dtype="Int64"
        )
    if f.type in _FLOATS:
        return pd.Series(
            [float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None for v in values],
            dtype="float64",
        )
    return pd.Series([None if v is None else str(v) for v in values], dtype="string")


def _frame(pd: Any, kind: SheetKind, sheet: SheetData | None, computed: Mapping[int, Mapping[str, Any]]) -> Any:
    rows = sheet.rows if sheet is not None else []
    # what enrich would leave in each row: the staff's values, then IDs, fills and computed columns
    merged = [{**row.values, **computed.get(row.number, {})} for row in rows]
    data: dict[str, Any] = {"row": pd.Series([r.number for r in rows], dtype="int64")}
    for f in kind.fields:
        data[f.key] = _column(pd, kind, f, [m.get(f.key) for m in merged])
    data["ok"] = pd.Series([not r.rejected for r in rows], dtype="bool")
    return pd.DataFrame(data)


def frames(source: Source, *, as_of: date, config: str | PathLike[str] | None = None) -> dict[str, pd.DataFrame]:
    """One typed DataFrame per sheet kind (``customers``, ``followups``, ``feedback``,
    ``campaigns``, ``tasks``) of the workbook ``source`` (a path, bytes or a binary file object),
    computed at ``as_of``.

    ``config`` is an ``xlcrm.toml`` to use (otherwise, for a path, one beside the workbook); the
    workbook's 配置 sheet applies as in ``enrich``. A missing sheet gives an empty frame with every
    column. Example: ``frames("团队.xlsx", as_of=date(2026, 11, 20))["followups"].groupby("channel").size()``.
    """
    import pandas as pd

    checked = _read(source, as_of, config)
    derived = derive(checked.book, checked.config, as_of)
    return {
        kind.key: _frame(pd, kind, checked.book.sheets.get(kind.key), derived.values.get(kind.key, {}))
        for kind in DATA_SHEETS
    }
