"""``enrich``: fill blank IDs and every computed column, safely (SPEC §5 enrich).

Order of events: refuse an open workbook → read and check → refuse structural errors → refuse
content the writer would drop → derive → write into a temp file → back up → atomic rename.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from .derive import Derived, derive
from .errors import ContentLossError, OwnSheetNameError, StructureError
from .issues import Issue
from .validation import CheckedBook, check_book
from .writing.enrich_writer import apply_to_workbook, load_for_update
from .writing.preserve import unpreservable_content
from .writing.safe_save import atomic_write, make_backup, refuse_if_open

STRUCTURAL_CODES = ("sheet.missing", "header.missing", "header.duplicate", "value.duplicate")


@dataclass
class EnrichResult:
    """What an enrich run did, for the summary."""

    target: Path
    backup: Path | None
    checked: CheckedBook
    derived: Derived
    lost: list[str] = field(default_factory=list)

    @property
    def rejected(self) -> list[Issue]:
        """The first error of every row left out for errors."""
        seen: set[tuple[str | None, int | None]] = set()
        out = []
        for issue in self.checked.report.issues:
            if issue.severity == "error" and issue.row and (issue.sheet, issue.row) not in seen:
                seen.add((issue.sheet, issue.row))
                out.append(issue)
        return out

    def rows_per_sheet(self) -> dict[str, int]:
        return {s.name: len(s.rows) for k, s in self.checked.book.sheets.items() if k != "config"}

    def counts(self, sheet_key: str, field_key: str) -> Counter[str]:
        values = self.derived.values.get(sheet_key, {})
        return Counter(v[field_key] for v in values.values() if v.get(field_key))


def structural_errors(issues: list[Issue]) -> list[Issue]:
    return [i for i in issues if i.severity == "error" and i.code in STRUCTURAL_CODES]


def enrich_workbook(path: Path, as_of: date, output: Path | None = None, config_file: Path | None = None,
                    backup: bool = True, allow_loss: bool = False, now: datetime | None = None,
                    overrides: dict[str, str] | None = None) -> EnrichResult:
    """Enrich the workbook at ``path`` in place (or into ``output``); see the module docstring."""
    path = Path(path)
    target = Path(output) if output else path
    refuse_if_open(path)
    if target != path and target.exists():
        refuse_if_open(target)
    checked = check_book(path, as_of, config_file, overrides)
    structural = structural_errors(checked.report.issues)
    if structural:
        detail = "\n".join(f"  {i.sheet or ''}{'!' + i.cell if i.cell else ''} {i.code} {i.message}" for i in structural[:20])
        raise StructureError(path=str(path), detail=detail)
    if checked.book.own_name_clashes:
        raise OwnSheetNameError(path=str(path), sheet=checked.book.own_name_clashes[0])
    lost = unpreservable_content(path)
    if lost and not allow_loss and output is None:
        raise ContentLossError(path=str(path), detail="、".join(lost))
    derived = checked.derived or derive(checked.book, checked.config, as_of)
    wb = load_for_update(path)
    apply_to_workbook(wb, checked.book, derived.updates(), derived.snapshots, derived.fills)
    backup_file = make_backup(path, now or datetime.now()) if backup and target == path else None
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(target, lambda tmp: wb.save(tmp))
    return EnrichResult(target, backup_file, checked, derived, lost)
