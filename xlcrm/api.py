"""The library (SPEC §7): everything the CLI does is one call, on a path, bytes or a binary file.

    import xlcrm
    report = xlcrm.validate(open("团队.xlsx", "rb").read(), as_of=date(2026, 11, 20))
    result = xlcrm.enrich(io.BytesIO(data), as_of=date(2026, 11, 20))
    result.data  # the enriched workbook as bytes

Front ends (CLI, inbox, Excel adapter) call these functions and never reach below them.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

from .issues import FileReport
from .reading.source import Source, is_path, source_data, source_name

__all__ = ["Source", "agenda", "annotate", "enrich", "open_bytes", "validate"]


def validate(
    source: Source,
    *,
    as_of: date,
    config: Path | str | None = None,
    overrides: dict[str, Any] | None = None,
    name: str | None = None,
) -> FileReport:
    """Every problem in the workbook, located and ordered (SPEC §5 validate, §7).

    ``config`` is an ``xlcrm.toml`` path (for a path source, one beside the workbook is found
    too); ``overrides`` are ``--set``-style key/value pairs; ``name`` is what the report and any
    error message call the workbook (default: the path as typed, a file object's name, or
    ``workbook.xlsx``)."""
    from .validation import check_book

    return check_book(source, as_of, Path(config) if config else None, overrides, name=name).report


def annotate(
    source: Source,
    report: FileReport | None = None,
    *,
    as_of: date | None = None,
    config: Path | str | None = None,
    overrides: dict[str, Any] | None = None,
    name: str | None = None,
) -> bytes:
    """The annotated copy as bytes: problem cells marked, a first sheet 校验结果 (SPEC §5).

    Without ``report`` the workbook is validated first (``as_of`` then required), from the same
    one read of the source."""
    from .validation import check_data, config_file_for
    from .writing.annotate import annotate_bytes

    if report is None and as_of is None:
        raise TypeError("annotate() needs a report or as_of")
    data, label = source_data(source, name)
    if report is None:
        assert as_of is not None
        report = check_data(data, as_of, config_file_for(source, config), overrides, label).report
    return annotate_bytes(data, report)


def enrich(
    source: Source,
    *,
    as_of: date,
    config: Path | str | None = None,
    overrides: dict[str, Any] | None = None,
    name: str | None = None,
) -> Any:
    """Enrich a workbook in memory: the result's ``.data`` is the new workbook as bytes (the
    source is not modified, no file is written). For files in place, with lock check, backup and
    atomic replace, use ``xlcrm.enrichment.enrich_workbook``."""
    from .enrichment import enrich_data
    from .validation import config_file_for

    data, label = source_data(source, name)
    return enrich_data(data, as_of, config_file_for(source, config), overrides, label)


def open_bytes(data: bytes) -> io.BytesIO:
    """A binary file object over ``data`` (for callers that hold bytes and want a file)."""
    return io.BytesIO(data)


def agenda(
    sources: Source | list[Source],
    *,
    as_of: date,
    days: int | None = None,
    config: Path | str | None = None,
    overrides: dict[str, Any] | None = None,
    person: str | None = None,
) -> dict[str, Any]:
    """The agenda (SPEC §8) of one or several workbooks as its JSON object
    ``{"as_of", "days", "people": [{"name", "sections": {...}}]}``; ``person`` keeps only that
    person's items (a display name, matched as 客户经理 / 跟进人 / 责任人 / 负责人 are read)."""
    from .agenda.render import agenda_dict
    from .agenda.source import load_agenda
    from .reading.coerce import fold_person

    items = sources if isinstance(sources, list) else [sources]
    paths: list[Path] = []
    held: dict[Path, bytes] = {}
    for i, item in enumerate(items):
        if is_path(item):
            paths.append(Path(item))  # type: ignore[arg-type]
            continue
        label = Path(source_name(item, f"workbook{i}.xlsx" if not hasattr(item, "name") else None))
        if label in held or label in paths:
            label = Path(f"workbook{i}.xlsx")
        held[label] = source_data(item)[0]
        paths.append(label)
    run = load_agenda(paths, as_of, days, Path(config) if config else None, overrides, held)
    if run.agenda is None:
        return {"as_of": as_of.isoformat(), "days": days, "people": [], "messages": [*run.skipped, *run.conflicts]}
    result = agenda_dict(run.agenda)
    if person is not None:
        wanted = fold_person(person.strip())
        result["people"] = [p for p in result["people"] if fold_person(str(p["name"])) == wanted]
    return result


from typing import TYPE_CHECKING  # noqa: E402

if TYPE_CHECKING:  # the names below, for type checkers only (importing them loads the report stack)
    from collections.abc import Callable, Sequence

    from .batch import Sources
    from .reporting.batch import ReportBatch


def report(
    sources: Sources,
    *,
    kind: str,
    as_of: date,
    period: str | tuple[int, int] | None = None,
    campaign: str | None = None,
    by_manager: bool = False,
    all_campaigns: bool = False,
    formats: str | Sequence[str] = ("md", "docx"),
    out_dir: Path | str | None = None,
    jobs: int = 1,
    config: Path | str | None = None,
    overrides: dict[str, Any] | None = None,
    template_dir: Path | str | None = None,
    on_conflict: str | None = None,
    force: bool = False,
    on_progress: Callable[[int, int], None] | None = None,
) -> ReportBatch:
    """Review reports (SPEC §5 ``report``, §6) of one or several workbooks → ``ReportBatch``.

    ``sources``: a path (file or folder), bytes or binary file, a list of them, or a mapping
    name → source (the name is what reports and messages call that workbook). ``kind``
    ``campaign`` (one report per campaign to review; ``campaign`` picks one, ``all_campaigns``
    adds unfinished ones) or ``monthly`` (``period`` ``YYYY-MM``, default the as-of month;
    ``by_manager`` adds one per 客户经理). With ``out_dir`` the files are written there (existing
    ones left alone unless ``force``); without it every document comes back as bytes by file
    name. ``on_progress(done, total)`` is called with 0 when rendering starts and as each report
    is done, also with ``jobs`` > 1 (worker processes)."""
    from .batch import named_sources
    from .reporting.run import run_reports

    inputs: list[Path | tuple[str, Any]] = []
    for name, source in named_sources(sources):
        # a path named by itself may be a folder (its workbooks); anything else is one named workbook
        plain = is_path(source) and name == str(source)
        inputs.append(Path(source) if plain else (name, source))  # type: ignore[arg-type]
    return run_reports(
        inputs,
        kind=kind,
        as_of=as_of,
        period=period,
        campaign=campaign,
        by_manager=by_manager,
        all_campaigns=all_campaigns,
        formats=formats,
        out_dir=Path(out_dir) if out_dir is not None else None,
        jobs=jobs,
        config=Path(config) if config else None,
        overrides=overrides,
        template_dir=Path(template_dir) if template_dir else None,
        on_conflict=on_conflict,
        force=force,
        on_progress=on_progress,
    )
