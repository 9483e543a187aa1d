"""``enrich``: fill blank IDs and every computed column, safely (SPEC §5 enrich, §5.1).

Order of events: refuse an open workbook → read the file once → check → refuse structural errors
→ derive → patch the package in memory → when something changed: back up (from the bytes read) →
write a temp file → atomic rename. ``enrich_data`` is the core on bytes (``xlcrm.enrich``);
``enrich_workbook`` is the file wrapper around it. Whatever else the workbook holds is kept as it is (the patching writer touches only
xlcrm's cells and hidden sheets), so enrich never refuses for content.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import IO

from .collector import collector_paused
from .derive import Derived, derive
from .errors import InputFileError, OwnSheetNameError, StructureError
from .issues import Issue
from .reading.source import DEFAULT_NAME, read_file_bytes
from .schema import FILLS_SHEET_NAME, HISTORY_SHEET_NAME
from .validation import CheckedBook, check_data, config_file_for, structural_errors
from .writing.enrich_writer import fill_rows, history_rows, write_enriched
from .writing.patcher import Into
from .writing.safe_save import atomic_file, make_backup, refuse_if_open


@dataclass
class EnrichResult:
    """What an enrich run did, for the summary. ``changed`` is False when the workbook already
    held every value (nothing was written, no backup made); ``warnings`` are the writer's.
    ``derived`` holds the computed values, filled IDs, snapshots, fills and warnings, not the
    lookup records reports read (``derive(lookups=False)``: enrich writes values only)."""

    target: Path | None  # the file written (None for ``enrich_data``: bytes only)
    backup: Path | None
    checked: CheckedBook
    derived: Derived
    changed: bool = True
    warnings: list[str] = field(default_factory=list)
    data: bytes = b""

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


def enrich_data(
    data: bytes,
    as_of: date,
    config_file: Path | None = None,
    overrides: dict[str, str] | None = None,
    name: str = DEFAULT_NAME,
    *,
    into: Into | None = None,
) -> EnrichResult:
    """The core of enrich: the workbook's bytes in, the new workbook's bytes out (``.data``; the
    bytes as they were when ``changed`` is False). No file is read but ``config_file``, none is
    written. Refuses structural errors (``StructureError``) and a staff sheet named like xlcrm's
    hidden ones; messages call the workbook ``name``. ``into`` (the file wrapper): the new
    workbook is written into the stream it returns instead (``WorkbookPatcher.build``)."""
    with collector_paused():  # millions of objects without cycles (see xlcrm/collector.py)
        return _enrich_data(data, as_of, config_file, overrides, name, into)


def _enrich_data(
    data: bytes, as_of: date, config_file: Path | None, overrides: dict[str, str] | None, name: str, into: Into | None
) -> EnrichResult:
    checked = check_data(data, as_of, config_file, overrides, name, derived=True)
    structural = structural_errors(checked.report.issues)
    if structural:
        detail = "\n".join(
            f"  {i.sheet or ''}{'!' + i.cell if i.cell else ''} {i.code} {i.message}" for i in structural[:20]
        )
        raise StructureError(path=name, detail=detail)
    if checked.book.own_name_clashes:
        raise OwnSheetNameError(path=name, sheet=checked.book.own_name_clashes[0])
    derived = checked.derived or derive(checked.book, checked.config, as_of, lookups=False)
    hidden = {
        HISTORY_SHEET_NAME: history_rows(checked.book.history, derived.snapshots),
        FILLS_SHEET_NAME: fill_rows(derived.fills),
    }
    try:
        written = write_enriched(data, checked.book, derived.sheet_updates(), hidden, into=into)
    except InputFileError as exc:  # the writer does not know the workbook's name
        exc.fields["path"] = name
        raise
    return EnrichResult(None, None, checked, derived, written.changed, written.warnings, written.data)


def enrich_workbook(
    path: Path,
    as_of: date,
    output: Path | None = None,
    config_file: Path | None = None,
    backup: bool = True,
    now: datetime | None = None,
    overrides: dict[str, str] | None = None,
) -> EnrichResult:
    """Enrich the workbook at ``path`` in place (or into ``output``); see the module docstring.

    The file wrapper around ``enrich_data``: refuses an open workbook, reads the file once, finds
    an ``xlcrm.toml`` beside it, writes the backup from the bytes it read and replaces the file
    atomically. The new workbook is streamed into the temp file, never held whole in memory
    (``.data`` stays empty)."""
    path = Path(path)
    target = Path(output) if output else path
    refuse_if_open(path)
    if target != path and target.exists():
        refuse_if_open(target)
    data = read_file_bytes(path)
    made: list[Path] = []
    with contextlib.ExitStack() as stack:

        def into(changed: bool) -> IO[bytes] | None:
            """Once every part is ready: the backup, then the temp file to write into."""
            if not changed and target == path:
                return None  # nothing to write, no backup
            if backup and target == path:
                made.append(make_backup(path, now or datetime.now(), data))
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = stack.enter_context(atomic_file(target))  # renamed over target when all went well
            return stack.enter_context(open(tmp, "wb"))

        result = enrich_data(data, as_of, config_file_for(path, config_file), overrides, str(path), into=into)
    result.target = target
    result.backup = made[0] if made else None
    return result
