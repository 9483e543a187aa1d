"""The derive layer's output contract (pandera-style, checked on every run).

The rules fill plain per-row records step by step; a rule that forgets a computed column or
misspells its key would otherwise write a silently blank column. ``contract_errors`` proves that
every valid record of every sheet carries every computed field of the schema, exactly under its
key, with a value of the field's type (or None = blank); enum values must be allowed ones.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ..schema import DATA_SHEETS, Field, FieldType

_NUMBER = (int, float)
_TYPES: dict[FieldType, tuple[type, ...]] = {
    FieldType.DATE: (date,),
    FieldType.DATETIME: (datetime,),
    FieldType.INT: (int,),
    FieldType.NUMBER: _NUMBER,
    FieldType.MONEY: _NUMBER,
    FieldType.SCORE: _NUMBER,
    FieldType.PERCENT: _NUMBER,
    FieldType.TEXT: (str,),
    FieldType.ENUM: (str,),
    FieldType.ID: (str,),
}


class DeriveContractError(RuntimeError):
    """A rule did not produce a computed column as the schema declares it (a bug, not bad data)."""


def _wrong(f: Field, value: Any) -> str | None:
    if value is None:
        return None
    want = _TYPES.get(f.type, (object,))
    if isinstance(value, bool) or not isinstance(value, want):
        return f"{type(value).__name__} is not {f.type.value}"
    if f.type is FieldType.DATE and isinstance(value, datetime):
        return "datetime is not date"
    if f.enum and value not in f.enum:
        return f"{value!r} is not one of {'/'.join(f.enum)}"
    return None


def _exact(f: Field) -> tuple[frozenset[type], frozenset[str] | None]:
    """The value types that need no closer look (subclasses take ``_wrong``), and the enum."""
    want = _TYPES.get(f.type, ())
    exact = frozenset(t for t in want if t is not datetime or f.type is FieldType.DATETIME)
    if f.type is FieldType.DATE:
        exact = frozenset({date})
    return exact, (frozenset(f.enum) if f.enum else None)


def contract_errors(records: dict[str, list[dict[str, Any]]]) -> list[str]:
    """Every breach of the contract, as ``sheet.field row N: reason`` (empty when all hold)."""
    errors: list[str] = []
    for kind in DATA_SHEETS:
        plan = [(f, f.key, *_exact(f)) for f in kind.computed_fields]
        for rec in records.get(kind.key, []):
            for f, key, exact, enum in plan:
                if key not in rec:
                    errors.append(f"{kind.key}.{key} row {rec.get('row')}: not produced")
                    continue
                value = rec[key]
                if value is None or (type(value) in exact and (enum is None or value in enum)):
                    continue  # the common case, decided without _wrong
                problem = _wrong(f, value)
                if problem:
                    errors.append(f"{kind.key}.{key} row {rec.get('row')}: {problem}")
            if len(errors) > 20:
                return errors
    return errors
