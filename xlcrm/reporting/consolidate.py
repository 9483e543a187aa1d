"""Several submitted workbooks → one ``Book`` for the reports (SPEC §5 ``report``).

Each workbook is read and checked on its own, with its own config (``xlcrm.toml`` beside it or
``--config``, its 配置 sheet, then ``--set`` overrides), exactly as ``enrich`` would: rows with
row-level errors are left out and counted (``LeftOutRows``); a workbook is skipped whole only when
it is unusable or structurally broken (missing sheet or column, duplicate IDs). The kept rows are
merged by sheet kind. The same own ID in two workbooks is the same record when
its input content is identical (kept once) and a *conflict* otherwise: both files and cells are
named and, unless the caller chose ``first`` or ``last``, the run must stop. Task rows have no own
ID: identical ones are kept once.

Merged rows are renumbered (2, 3, …) so row numbers stay unique inside the merged book, which the
derive layer keys on; ``Consolidated.origin`` maps them back to the file and cell they came from.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ..config import Config
from ..errors import ConfigError, FileMissingError, InputFileError, UsageError
from ..i18n import tr
from ..model import Book, Row, SheetData, Snapshot
from ..schema import DATA_SHEETS, SheetKind
from ..validation import CheckedBook, check_book, structural_errors
from .notes import Conflict, LeftOutRows, Origin, SkippedWorkbook, left_out_rows

__all__ = [
    "Conflict",
    "Consolidated",
    "LeftOutRows",
    "Origin",
    "SkippedWorkbook",
    "collect_workbooks",
    "consolidate",
    "left_out_rows",
    "merge_books",
]

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
LOCK_PREFIX = "~$"
# files xlcrm itself writes beside a workbook: enrich backups and validate's annotated copies
OWN_COPY_MARKERS = (".bak-", ".校验标注.")

ON_CONFLICT_CHOICES = ("first", "last")


@dataclass
class Consolidated:
    """The merged book of the valid workbooks, with what was skipped and what conflicted."""

    book: Book
    config: Config
    sources: list[Path] = field(default_factory=list)
    skipped: list[SkippedWorkbook] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    origin: dict[tuple[str, int], Origin] = field(default_factory=dict)
    left_out: list[LeftOutRows] = field(default_factory=list)
    config_differs: bool = False

    def data_notes(self) -> list[str]:
        """The 数据说明 of every report: which workbooks were used, what was left out and why."""
        names = "、".join(p.name for p in self.sources)
        notes = [
            tr("本报告汇总了 {n} 个工作簿：{f}。", "Consolidated {n} workbooks: {f}.", n=len(self.sources), f=names)
        ]
        notes += [s.note() for s in self.skipped]
        notes += [r.note() for r in self.left_out]
        if not self.skipped and not self.left_out:
            notes.append(
                tr("所有记录均已计入，没有因错误而略去的行。", "Every row was used; none was left out for errors.")
            )
        if self.config_differs:
            notes.append(
                tr(
                    "各工作簿的配置（阈值）不同，统计按 {f} 的配置计算。",
                    "Workbooks have different settings; {f}'s were used.",
                    f=self.sources[0].name,
                )
            )
        return notes


def is_workbook_file(path: Path) -> bool:
    """An .xlsx/.xlsm that is not an Excel lock file, an enrich backup or an annotated copy."""
    name = path.name
    if path.suffix.lower() not in WORKBOOK_SUFFIXES or name.startswith(LOCK_PREFIX):
        return False
    return not any(marker in name for marker in OWN_COPY_MARKERS)


def collect_workbooks(paths: Iterable[Path]) -> list[Path]:
    """Files as given, folders expanded to their workbooks (sorted by name, not recursive)."""
    found: list[Path] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            inside = sorted((p for p in path.iterdir() if p.is_file() and is_workbook_file(p)), key=lambda p: p.name)
            if not inside:
                raise UsageError(detail=tr("文件夹 {p} 中没有 .xlsx 工作簿", "no .xlsx workbook in folder {p}", p=path))
            found.extend(inside)
        elif path.is_file():
            found.append(path)
        else:
            raise FileMissingError(path=path)
    unique: dict[Path, Path] = {}
    for p in found:
        unique.setdefault(p.resolve(), p)
    return list(unique.values())


def _id_key(kind: SheetKind) -> str | None:
    own = kind.own_id
    return own.key if own else None


@dataclass
class _Merger:
    """Merges the rows of one sheet kind across workbooks, detecting conflicts."""

    kind: SheetKind
    on_conflict: str | None
    rows: list[tuple[Row, Origin]] = field(default_factory=list)
    by_id: dict[Any, int] = field(default_factory=dict)
    seen_content: set[tuple[Any, ...]] = field(default_factory=set)
    conflicts: list[Conflict] = field(default_factory=list)

    def __post_init__(self) -> None:
        # looked up once per sheet kind, not once per row
        self._id_key = _id_key(self.kind)
        self._inputs = tuple(f.key for f in self.kind.input_fields)

    def _content(self, row: Row) -> tuple[Any, ...]:
        # computed columns are ignored: two workbooks enriched on different days are still the same
        values = row.values
        return tuple(values.get(key) for key in self._inputs)

    def add(self, row: Row, origin: Origin) -> None:
        id_key = self._id_key
        own_id = row.values.get(id_key) if id_key else None
        if own_id is None:
            # tasks (no own ID) are deduplicated by content; a blank own ID is a new record
            if id_key is None:
                content = self._content(row)
                if content in self.seen_content:
                    return
                self.seen_content.add(content)
            self.rows.append((row, origin))
            return
        index = self.by_id.get(own_id)
        if index is None:
            self.by_id[own_id] = len(self.rows)
            self.rows.append((row, origin))
            return
        kept, kept_origin = self.rows[index]
        if self._content(kept) == self._content(row):
            return
        self.conflicts.append(Conflict(self.kind.name, str(own_id), kept_origin, origin))
        if self.on_conflict == "last":
            self.rows[index] = (row, origin)


def merge_books(
    checked: Sequence[tuple[Path, Book]], on_conflict: str | None
) -> tuple[Book, list[Conflict], dict[tuple[str, int], Origin]]:
    """Merge the data sheets and histories of ``checked`` books (in order)."""
    merged = Book()
    conflicts: list[Conflict] = []
    origins: dict[tuple[str, int], Origin] = {}
    for kind in DATA_SHEETS:
        merger = _Merger(kind, on_conflict)
        for path, book in checked:
            sheet = book.sheets.get(kind.key)
            if sheet is None:
                continue
            column = sheet.columns.get(_id_key(kind) or kind.fields[0].key)
            for row in sheet.valid_rows:
                merger.add(row, Origin(path, sheet.name, row.number, column))
        conflicts.extend(merger.conflicts)
        columns = {f.key: i for i, f in enumerate(kind.fields, start=1)}
        rows = []
        for number, (row, origin) in enumerate(merger.rows, start=2):
            # the checked books are dropped after the merge: their value dicts are not copied
            rows.append(Row(number=number, values=row.values, raw=row.raw))
            origins[(kind.key, number)] = origin
        merged.sheets[kind.key] = SheetData(kind=kind, name=kind.name, header_row=1, columns=columns, rows=rows)
        merged.sheet_names.append(kind.name)
    merged.history = _merge_history(book.history for _, book in checked)
    return merged, conflicts, origins


def _merge_history(histories: Iterable[list[Snapshot]]) -> list[Snapshot]:
    seen: dict[Snapshot, None] = {}
    for history in histories:
        for snap in history:
            seen.setdefault(snap, None)
    return list(seen)


# A workbook given as data: the name reports and messages call it, and its bytes or binary file.
NamedData = tuple[str, Any]


def _check_book(
    label: Path, source: Path | Any, as_of: date, config_file: Path | None, overrides: dict[str, str] | None
) -> CheckedBook:
    """Read and check one workbook; the computed-cell comparison (``computed.stale``) is skipped:
    it is a warning, and the reports derive the merged book anyway. Data (bytes or a binary file)
    is read as it is, under its own name (no ``xlcrm.toml`` beside it: a config comes from
    ``config_file`` or the 配置 sheet)."""
    return check_book(source, as_of, config_file, overrides, name=str(label), with_stale=False)


def _check(
    label: Path,
    source: Path | Any,
    as_of: date,
    config_file: Path | None,
    overrides: dict[str, str] | None,
    alone: bool,
) -> CheckedBook | SkippedWorkbook:
    try:
        return _check_book(label, source, as_of, config_file, overrides)
    except (InputFileError, ConfigError) as exc:  # one unusable file among several: report the rest
        if "path" in exc.fields and source is not label:
            exc.fields["path"] = label  # name the workbook as the caller did, not where it is kept
        if alone:
            raise
        return SkippedWorkbook(label, 0, exc.message)


def _inputs(paths: Sequence[Path | NamedData]) -> list[tuple[Path, Path | Any]]:
    """(label, source) per workbook: files and folders expanded (``collect_workbooks``), named
    data as given; the order is kept."""
    found: list[tuple[Path, Path | Any]] = []
    seen: set[Path] = set()  # a file named twice (itself and inside a folder given) counts once
    for item in paths:
        if isinstance(item, tuple):
            name, source = item
            found.append((Path(name), Path(source) if isinstance(source, (str, os.PathLike)) else source))
            continue
        for path in collect_workbooks([item]):
            if path.resolve() not in seen:
                seen.add(path.resolve())
                found.append((path, path))
    return found


def _structural(checked: CheckedBook) -> int:
    return len(structural_errors(checked.report.issues))  # what makes enrich refuse a workbook


def consolidate(
    paths: Sequence[Path | NamedData],
    as_of: date,
    config_file: Path | None = None,
    on_conflict: str | None = None,
    overrides: dict[str, str] | None = None,
) -> Consolidated:
    """Check every workbook under ``paths`` and merge their kept rows (see the module docstring).

    Each workbook is checked with its own config (``config_file`` and ``overrides`` apply to
    all); the merged figures use the first kept workbook's. An unusable file stops the run when it
    is the only input. ``paths`` may also hold ``(name, data)`` pairs: a workbook's bytes, binary
    file or path, called ``name`` in messages and reports.
    """
    if on_conflict is not None and on_conflict not in ON_CONFLICT_CHOICES:
        raise UsageError(detail=f"--on-conflict {on_conflict}")
    files = _inputs(paths)
    valid: list[tuple[Path, CheckedBook]] = []
    skipped: list[SkippedWorkbook] = []
    left_out: list[LeftOutRows] = []
    for path, source in files:
        result = _check(path, source, as_of, config_file, overrides, alone=len(files) == 1)
        if isinstance(result, SkippedWorkbook):
            skipped.append(result)
        elif _structural(result):
            skipped.append(SkippedWorkbook(path, _structural(result)))
        else:
            valid.append((path, result))
            left_out.extend(left_out_rows(path, result.report.issues))
    book, conflicts, origins = merge_books([(p, c.book) for p, c in valid], on_conflict)
    config = valid[0][1].config if valid else Config()
    differs = any(c.config != config for _, c in valid[1:])
    return Consolidated(book, config, [p for p, _ in valid], skipped, conflicts, origins, left_out, differs)
