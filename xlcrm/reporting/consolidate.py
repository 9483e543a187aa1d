"""Several submitted workbooks → one ``Book`` for the reports (SPEC §5 ``report``).

Each workbook is read and checked on its own; one with validation errors is skipped (and named).
The valid ones are merged by sheet kind. The same own ID in two workbooks is the same record when
its input content is identical (kept once) and a *conflict* otherwise: both files and cells are
named and, unless the caller chose ``first`` or ``last``, the run must stop. Task rows have no own
ID: identical ones are kept once.

Merged rows are renumbered (2, 3, …) so row numbers stay unique inside the merged book, which the
derive layer keys on; ``Consolidated.origin`` maps them back to the file and cell they came from.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ..config import Config
from ..errors import FileMissingError, InputFileError, UsageError
from ..i18n import tr
from ..model import Book, Row, SheetData, Snapshot
from ..schema import DATA_SHEETS, SheetKind
from ..validation import CheckedBook, check_book

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
LOCK_PREFIX = "~$"
# files xlcrm itself writes beside a workbook: enrich backups and validate's annotated copies
OWN_COPY_MARKERS = (".bak-", ".校验标注.")

ON_CONFLICT_CHOICES = ("first", "last")


@dataclass(frozen=True)
class Origin:
    """Where a merged row came from: file, sheet name in that file, Excel row, its ID cell."""

    path: Path
    sheet: str
    row: int
    cell: str | None

    def label(self) -> str:
        """``a.xlsx 客户信息!A5`` (the row number when the sheet has no ID column)."""
        where = self.cell or f"{self.row}"
        return f"{self.path.name} {self.sheet}!{where}"


@dataclass(frozen=True)
class Conflict:
    """One own ID with different input content in two workbooks."""

    sheet: str
    id_value: str
    first: Origin
    second: Origin

    def message(self) -> str:
        return tr(
            "{s} 编号 {i} 在两个工作簿中内容不同：{a} 与 {b}",
            "{s} ID {i} differs between workbooks: {a} vs {b}",
            s=self.sheet, i=self.id_value, a=self.first.label(), b=self.second.label(),
        )


@dataclass(frozen=True)
class SkippedWorkbook:
    """A workbook left out of the reports: validation errors, or unusable (``reason``)."""

    path: Path
    errors: int
    reason: str = ""

    def message(self) -> str:
        if self.reason:
            return tr("已跳过 {p}：{r}", "Skipped {p}: {r}", p=self.path, r=self.reason)
        return tr(
            "已跳过 {p}：有 {n} 个错误，请先运行 xlcrm validate \"{p}\" 修正后重新提交",
            "Skipped {p}: {n} errors; run xlcrm validate \"{p}\" and fix them first",
            p=self.path, n=self.errors,
        )


@dataclass
class Consolidated:
    """The merged book of the valid workbooks, with what was skipped and what conflicted."""

    book: Book
    config: Config
    sources: list[Path] = field(default_factory=list)
    skipped: list[SkippedWorkbook] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    origin: dict[tuple[str, int], Origin] = field(default_factory=dict)


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


def _input_content(kind: SheetKind, row: Row) -> tuple[Any, ...]:
    # computed columns are ignored: two workbooks enriched on different days are still the same
    return tuple(row.values.get(f.key) for f in kind.input_fields)


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

    def add(self, row: Row, origin: Origin) -> None:
        id_key = _id_key(self.kind)
        content = _input_content(self.kind, row)
        own_id = row.values.get(id_key) if id_key else None
        if own_id is None:
            # tasks (no own ID) are deduplicated by content; a blank own ID is a new record
            if id_key is None and content in self.seen_content:
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
        if _input_content(self.kind, kept) == content:
            return
        self.conflicts.append(Conflict(self.kind.name, str(own_id), kept_origin, origin))
        if self.on_conflict == "last":
            self.rows[index] = (row, origin)


def _origin(path: Path, sheet: SheetData, row: Row) -> Origin:
    id_key = _id_key(sheet.kind)
    cell = sheet.cell(id_key, row.number) if id_key else sheet.cell(sheet.kind.fields[0].key, row.number)
    return Origin(path, sheet.name, row.number, cell)


def merge_books(checked: Sequence[tuple[Path, Book]], on_conflict: str | None) -> tuple[Book, list[Conflict], dict[tuple[str, int], Origin]]:
    """Merge the data sheets and histories of ``checked`` books (in order)."""
    merged = Book(path=None)
    conflicts: list[Conflict] = []
    origins: dict[tuple[str, int], Origin] = {}
    for kind in DATA_SHEETS:
        merger = _Merger(kind, on_conflict)
        for path, book in checked:
            sheet = book.sheets.get(kind.key)
            if sheet is None:
                continue
            for row in sheet.valid_rows:
                merger.add(row, _origin(path, sheet, row))
        conflicts.extend(merger.conflicts)
        columns = {f.key: i for i, f in enumerate(kind.fields, start=1)}
        rows = []
        for number, (row, origin) in enumerate(merger.rows, start=2):
            rows.append(Row(number=number, values=dict(row.values), raw=dict(row.raw)))
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


def _check(path: Path, as_of: date, config_file: Path | None, alone: bool) -> CheckedBook | SkippedWorkbook:
    try:
        return check_book(path, as_of, config_file)
    except InputFileError as exc:  # one unreadable file among several: report the rest
        if alone:
            raise
        return SkippedWorkbook(path, 0, exc.message)


def consolidate(
    paths: Sequence[Path],
    as_of: date,
    config_file: Path | None = None,
    on_conflict: str | None = None,
) -> Consolidated:
    """Check every workbook under ``paths`` and merge the valid ones (see the module docstring).

    The thresholds are those of the first valid workbook (its ``xlcrm.toml`` and 配置 sheet);
    ``config_file`` applies to all. An unusable file stops the run when it is the only input.
    """
    if on_conflict is not None and on_conflict not in ON_CONFLICT_CHOICES:
        raise UsageError(detail=f"--on-conflict {on_conflict}")
    files = collect_workbooks(paths)
    valid: list[tuple[Path, CheckedBook]] = []
    skipped: list[SkippedWorkbook] = []
    for path in files:
        result = _check(path, as_of, config_file, alone=len(files) == 1)
        if isinstance(result, SkippedWorkbook):
            skipped.append(result)
        elif result.report.errors:
            skipped.append(SkippedWorkbook(path, result.report.errors))
        else:
            valid.append((path, result))
    book, conflicts, origins = merge_books([(p, c.book) for p, c in valid], on_conflict)
    config = valid[0][1].config if valid else Config()
    return Consolidated(book, config, [p for p, _ in valid], skipped, conflicts, origins)
