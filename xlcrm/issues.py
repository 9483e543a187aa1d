"""Data problems as values: ``Issue`` (one located problem) and ``FileReport`` (one file's issues)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time
from typing import Any

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, (date, time)):
        return value.isoformat()
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


@dataclass(frozen=True)
class Issue:
    """One problem, located: ``sheet`` is the sheet name in the file, ``cell`` an A1 address
    (None for sheet- or workbook-level problems); ``field`` is the English field key (SPEC: keys
    are what JSON uses)."""

    severity: str
    code: str
    message: str
    sheet: str | None = None
    cell: str | None = None
    row: int | None = None
    column: str | None = None
    field: str | None = None
    value: Any = None

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["value"] = _jsonable(self.value)
        return {k: d[k] for k in ("severity", "code", "sheet", "cell", "row", "column", "field", "value", "message")}

    @property
    def sort_key(self) -> tuple[Any, ...]:
        col = self.column or ""
        return (self.row or 0, len(col), col, SEVERITY_ORDER.get(self.severity, 3), self.code)


@dataclass
class FileReport:
    """Everything ``validate`` found in one file."""

    path: str
    issues: list[Issue] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(1 for i in self.issues if i.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for i in self.issues if i.severity == "warning")

    @property
    def infos(self) -> int:
        return sum(1 for i in self.issues if i.severity == "info")

    def ok(self, strict: bool = False) -> bool:
        return self.errors == 0 and (not strict or self.warnings == 0)

    def flatten(self) -> list[tuple[str | None, str | None, str, str]]:
        """Compact ``(sheet, cell, code, severity)`` tuples, handy in tests."""
        return [(i.sheet, i.cell, i.code, i.severity) for i in self.issues]

    def to_dict(self, strict: bool = False) -> dict[str, Any]:
        return {
            "path": self.path,
            "ok": self.ok(strict),
            "errors": self.errors,
            "warnings": self.warnings,
            "issues": [i.to_dict() for i in self.issues],
        }


def located(
    sheet: Any,
    row: int | None,
    field_key: str | None,
    code: str,
    message: str,
    *,
    value: Any = None,
    severity: str | None = None,
) -> Issue:
    """An ``Issue`` at the cell of ``field_key`` in ``row`` of ``sheet`` (a ``model.SheetData``).

    ``severity`` defaults to the code's usual one (schema.CODES). Without a row, or for a field
    the sheet lacks, the issue has no cell.
    """
    from .model import column_letter  # local: model imports schema only; keep issues light
    from .schema import CODES

    col = sheet.columns.get(field_key) if field_key else None
    return Issue(
        severity=severity or CODES[code].severity,
        code=code,
        message=message,
        sheet=sheet.name,
        cell=f"{column_letter(col)}{row}" if (col and row) else None,
        row=row,
        column=column_letter(col) if col else None,
        field=field_key,
        value=value,
    )
