"""``validate``: read a workbook, run every check, return a ``FileReport`` (SPEC §5 validate)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .allocator import give_back
from .checks import mark_rejected, run_checks
from .collector import collector_paused
from .config import Config, build_config, find_config_file, read_toml
from .derive import Derived, derive
from .derive.calendar_use import uncovered_working_day_years
from .derive.stale import stale_issues
from .derive.workdays import fallback_message
from .issues import FileReport, Issue
from .model import Book
from .reading import ReadResult, read_book_data
from .reading.source import Source, is_path, source_data
from .schema import DATA_SHEETS

# Errors that make enrich refuse a workbook (and a report skip it): its structure is not usable.
STRUCTURAL_CODES = ("sheet.missing", "header.missing", "header.duplicate", "value.duplicate")


@dataclass
class CheckedBook:
    """A read and checked workbook: the book (rejected rows marked), its issues and its config."""

    read: ReadResult
    report: FileReport
    config: Config
    derived: Derived | None = None  # computed when the book holds computed values to compare

    @property
    def book(self) -> Book:
        return self.read.book


def order_issues(book: Book, issues: list[Issue]) -> list[Issue]:
    """Workbook-level problems first, then by sheet in workbook order, then row and column."""
    sheet_rank = {name: i for i, name in enumerate(book.sheet_names)}
    canonical = {k.name: len(sheet_rank) + i for i, k in enumerate(DATA_SHEETS)}

    def key(issue: Issue) -> tuple[object, ...]:
        rank = sheet_rank.get(issue.sheet or "", canonical.get(issue.sheet or "", -1))
        return (rank, *issue.sort_key)

    return sorted(issues, key=key)


def config_file_for(source: object, config_file: Path | str | None = None) -> Path | None:
    """The file wrapper's config discovery (SPEC §4): the given file, else an ``xlcrm.toml`` beside
    a workbook given by its path; bytes and file objects have no folder, so no file is looked for."""
    if config_file is not None:
        return Path(config_file)
    return find_config_file(Path(source), None) if is_path(source) else None  # type: ignore[arg-type]


def load_config(book: Book, config_file: Path | None, overrides: dict | None = None) -> Config:
    """Defaults ← the ``xlcrm.toml`` ``config_file`` (the file wrapper finds one beside the
    workbook, ``config_file_for``) ← 配置 sheet ← command line."""
    toml = read_toml(config_file) if config_file else None
    return build_config(toml, book.config_rows, overrides, toml_source=str(config_file) if config_file else "")


def calendar_issues(book: Book, config: Config) -> list[Issue]:
    """``calendar.fallback`` (SPEC §2.10): one workbook-level warning naming the guessed years."""
    years = uncovered_working_day_years(book, config)
    if not years:
        return []
    return [Issue("warning", "calendar.fallback", fallback_message(years))]


def check_book(
    source: Source,
    as_of: date,
    config_file: Path | None = None,
    overrides: dict[str, str] | None = None,
    *,
    name: str | None = None,
    with_stale: bool = True,
) -> CheckedBook:
    """Read ``source`` (a path, bytes or a binary file object, read once) and run every check;
    rows with errors are marked rejected. For a path, an ``xlcrm.toml`` beside it is used unless
    ``config_file`` is given; ``name`` is what messages and the report call the workbook.

    ``overrides`` are ``--set KEY=VALUE`` pairs (SPEC §4), the last and strongest config layer.
    ``with_stale=False`` skips the ``computed.stale`` comparison (a warning, and a whole derive):
    for callers that only need the kept rows, such as the reports, which derive anyway."""
    data, label = source_data(source, name)
    return check_data(data, as_of, config_file_for(source, config_file), overrides, label, with_stale=with_stale)


def check_data(
    data: bytes,
    as_of: date,
    config_file: Path | None,
    overrides: dict[str, str] | None,
    name: str,
    *,
    with_stale: bool = True,
    derived: bool = False,
) -> CheckedBook:
    """The core of ``check_book``: the workbook's bytes, an explicit config file (or None), no
    file system beyond that config file. ``derived=True`` (enrich) also derives: see
    ``check_and_derive``."""
    with collector_paused():  # millions of objects without cycles (see xlcrm/collector.py)
        read = read_book_data(data, name)
        give_back()  # the parsing buffers just freed (see xlcrm/allocator.py)
        config = load_config(read.book, config_file, overrides)
        if derived:
            return check_and_derive(read, as_of, config, name)
        return check_read(read, as_of, config, name, with_stale=with_stale)


def check_read(
    read: ReadResult, as_of: date, config: Config, name: str, *, with_stale: bool = True, lookups: bool = True
) -> CheckedBook:
    """Run every check on a workbook already read (from a file or a live Excel book); rows with
    errors are marked rejected. ``name`` is what the report calls the workbook. ``lookups``: see
    ``derive`` (the derive of a book enriched before, to find its stale computed cells)."""
    issues = read.issues + run_checks(read.book, as_of, config)
    mark_rejected(read.book, issues)
    issues += calendar_issues(read.book, config)
    derived = None
    if with_stale and any(row.stored for sheet in read.book.sheets.values() for row in sheet.rows):
        # enriched before: are its computed cells current?
        derived = derive(read.book, config, as_of, lookups=lookups)
        issues += stale_issues(read.book, derived)
    report = FileReport(name, order_issues(read.book, issues))
    return CheckedBook(read, report, config, derived)


def check_and_derive(read: ReadResult, as_of: date, config: Config, name: str) -> CheckedBook:
    """``check_read`` and ``derive``, for enrich: ``derived`` (without lookups: enrich writes the
    values only) is set unless the book has structural errors (then enrich refuses it and nothing
    is derived).

    The checks run here, before the derive, not in a helper process beside it: a forked helper
    reads every row of the book, and in CPython reading an object writes its reference count, so
    the helper ended up with a private copy of nearly the whole book (about 150 MiB on the
    10,000-customer sample) to save the half second the checks take (docs/decisions.md)."""
    checked = check_read(read, as_of, config, name, lookups=False)
    if checked.derived is None and not structural_errors(checked.report.issues):
        checked.derived = derive(read.book, config, as_of, lookups=False)
    return checked


def structural_errors(issues: list[Issue]) -> list[Issue]:
    """The errors that make enrich refuse a workbook (``STRUCTURAL_CODES``)."""
    return [i for i in issues if i.severity == "error" and i.code in STRUCTURAL_CODES]


def validate_file(
    path: Path, as_of: date, config_file: Path | None = None, overrides: dict[str, str] | None = None
) -> FileReport:
    """Every problem in the workbook at ``path``, located and ordered (the file wrapper: the path
    checks, one read of the file, an ``xlcrm.toml`` beside it)."""
    return check_book(path, as_of, config_file, overrides).report
