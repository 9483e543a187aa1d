"""The report batch (SPEC §5 ``report``, §6): consolidate workbooks, plan the reports, build their
contexts once, render them (in worker processes with ``jobs`` > 1), and say what happened as a
``ReportBatch``. ``xlcrm.report`` is this function; the CLI and the inbox only print or store
what it returns."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from datetime import date
from pathlib import Path
from typing import Any

from ..collector import collector_paused
from ..derive import Derived, derive
from ..errors import UsageError
from .batch import EXISTS, FAILED, STOP_CONFLICTS, STOP_NO_WORKBOOK, WRITTEN, Report, ReportBatch
from .consolidate import Consolidated, NamedData, consolidate
from .jobs import PlannedReport, campaign_reports, campaigns_to_review, monthly_reports, target_names
from .monthly import Period, shift_month
from .options import check_options, parse_formats, parse_period
from .render import Outcome, Output, RenderJob, chart_key, render_job, render_jobs, warm_up
from .templates import find_template

Progress = Callable[[int, int], None]


def run_reports(
    inputs: Sequence[Path | NamedData],
    *,
    kind: str,
    as_of: date,
    period: str | Period | None = None,
    campaign: str | None = None,
    by_manager: bool = False,
    all_campaigns: bool = False,
    formats: str | Sequence[str] = ("md", "docx"),
    out_dir: Path | None = None,
    jobs: int = 1,
    config: Path | None = None,
    overrides: dict[str, Any] | None = None,
    template_dir: Path | None = None,
    on_conflict: str | None = None,
    force: bool = False,
    on_progress: Progress | None = None,
) -> ReportBatch:
    """Write (or, without ``out_dir``, render in memory) the reports of ``inputs``; see
    ``xlcrm.report`` for the arguments."""
    fmts = parse_formats(formats)
    check_options(kind, campaign, by_manager, jobs)
    month = parse_period(period, as_of) if kind == "monthly" else None
    templates = {fmt: find_template(kind, fmt, template_dir) for fmt in fmts}
    pool = _start_pool(jobs, tuple(templates.items()))
    try:
        with collector_paused():
            merged = consolidate(inputs, as_of, config, on_conflict, overrides)
        base = ReportBatch(
            kind,
            out_dir,
            workbooks=tuple(merged.sources),
            skipped=tuple(merged.skipped),
            left_out=tuple(merged.left_out),
            conflicts=tuple(merged.conflicts),
            on_conflict=on_conflict,
        )
        if merged.conflicts and on_conflict is None:
            return _replace(base, stopped=STOP_CONFLICTS)
        if not merged.sources:
            return _replace(base, stopped=STOP_NO_WORKBOOK)
        with collector_paused():
            derived = derive(merged.book, merged.config, as_of)
            planned = _plan(kind, campaign, by_manager, all_campaigns, merged, derived, as_of, month)
        unreviewed = 0
        if kind == "campaign" and not campaign:
            unreviewed = len(derived.campaigns) - len(campaigns_to_review(derived, None, all_campaigns))
        reports = _render(kind, planned, fmts, templates, out_dir, force, pool, on_progress)
        return _replace(base, reports=tuple(reports), warnings=tuple(derived.warnings), unreviewed=unreviewed)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)


def _replace(batch: ReportBatch, **changes: Any) -> ReportBatch:
    from dataclasses import replace

    return replace(batch, **changes)


def _plan(
    kind: str,
    campaign: str | None,
    by_manager: bool,
    all_campaigns: bool,
    merged: Consolidated,
    derived: Derived,
    as_of: date,
    period: Period | None,
) -> list[PlannedReport]:
    if kind == "campaign":
        reports = campaign_reports(derived, as_of, campaign, all_campaigns, merged.config)
    else:
        assert period is not None
        reports = monthly_reports(
            derived, period, as_of, by_manager, lambda day: derive(merged.book, merged.config, day), merged.config
        )
    notes = merged.data_notes()
    for report in reports:
        report.context["data_notes"] = notes
        report.context["footnotes"] = _footnotes(derived, _years_shown(kind, report, derived, period))
    return reports


def _years_shown(kind: str, report: PlannedReport, derived: Derived, period: Period | None) -> set[int]:
    """Years whose working days a report's figures may rest on: a campaign's 复盘截止日期 (and its
    end), a month's deadlines (that month and the next)."""
    if kind == "campaign":
        camp = derived.campaigns.get(report.name_parts[1], {})
        return {d.year for d in (camp.get("review_due"), camp.get("end")) if d is not None}
    assert period is not None
    return {period[0], shift_month(period, 1)[0]}


def _footnotes(derived: Derived, years: set[int]) -> list[str]:
    """The calendar warnings (``Derived.warnings``) that concern ``years``: a report says that a
    working day was guessed only when its own figures used one."""
    return [w for w in derived.warnings if any(str(year) in w for year in years)]


def _start_pool(workers: int, templates: tuple[tuple[str, Path], ...]) -> ProcessPoolExecutor | None:
    """With ``jobs`` > 1, start the workers at once: each imports matplotlib and the Word
    libraries and compiles the templates (``warm_up``) while this process reads and consolidates
    the workbooks."""
    if workers <= 1:
        return None
    pool = ProcessPoolExecutor(max_workers=workers)
    for _ in range(workers):
        pool.submit(warm_up, templates)
    return pool


def _outputs(
    planned: list[PlannedReport], fmts: tuple[str, ...], templates: dict[str, Path], out_dir: Path | None, force: bool
) -> list[tuple[list[Output], list[Path]]]:
    """Per report: the outputs to render and the files left alone because they exist."""
    names = {fmt: target_names(planned, fmt) for fmt in fmts}
    result = []
    for index in range(len(planned)):
        outputs, existing = [], []
        for fmt in fmts:
            name = names[fmt][index]
            if Path(name).name != name:  # report_filename yields one path component; guard the promise
                raise UsageError(detail=f"unsafe report name {name!r}")
            target = out_dir / name if out_dir is not None else Path(name)
            if out_dir is not None and target.exists() and not force:
                existing.append(target)
                continue
            outputs.append(Output(fmt, target, templates[fmt]))
        result.append((outputs, existing))
    return result


def _render(
    kind: str,
    planned: list[PlannedReport],
    fmts: tuple[str, ...],
    templates: dict[str, Path],
    out_dir: Path | None,
    force: bool,
    pool: ProcessPoolExecutor | None,
    on_progress: Progress | None,
) -> list[Report]:
    plan = _outputs(planned, fmts, templates, out_dir, force)
    jobs = {
        i: RenderJob(planned[i].context, tuple(outs), out_dir is not None) for i, (outs, _) in enumerate(plan) if outs
    }
    if jobs and out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
    outcomes = _run_jobs(jobs, pool, on_progress)
    stems = [Path(name).stem for name in target_names(planned, fmts[0])]
    return [_report(kind, stems[i], planned[i], plan[i][1], outcomes.get(i)) for i in range(len(planned))]


def _run_jobs(
    jobs: dict[int, RenderJob], pool: ProcessPoolExecutor | None, on_progress: Progress | None
) -> dict[int, list[Outcome]]:
    """Every job's outcomes; ``on_progress(done, total)`` first with 0, then as each report is done."""
    total, results = len(jobs), {}
    tell = on_progress or (lambda done, total: None)
    if total:
        tell(0, total)
    if pool is None or total <= 1:
        for index, job in jobs.items():
            results[index] = render_job(job)
            tell(len(results), total)
        return results
    futures = {pool.submit(render_jobs, [jobs[i] for i in group]): group for group in _sharing_groups(jobs)}
    for future in as_completed(futures):
        group = futures[future]
        try:
            outcomes = future.result()
        except Exception as exc:  # noqa: BLE001 - a worker died; its files count as failed
            outcomes = [
                [Outcome(o.target, False, f"{type(exc).__name__}: {exc}") for o in jobs[i].outputs] for i in group
            ]
        for index, outcome in zip(group, outcomes, strict=True):
            results[index] = outcome
            tell(len(results), total)
    return results


GROUP_LIMIT = 6  # reports per worker task: small enough to keep the workers evenly busy


def _sharing_groups(jobs: dict[int, RenderJob]) -> list[list[int]]:
    """Reports in worker tasks: a report joins the latest task that draws one of its charts (a
    worker draws a chart once and reuses it), up to ``GROUP_LIMIT`` reports a task. The biggest
    tasks come first, so the last ones to finish are short and no worker waits long at the end."""
    groups: list[list[int]] = []
    home: dict[str, int] = {}
    for index, job in jobs.items():
        keys = [chart_key(spec) for spec in job.context.get("charts", {}).values() if not spec.get("empty")]
        target = next((home[k] for k in keys if k in home and len(groups[home[k]]) < GROUP_LIMIT), None)
        if target is None:
            target = len(groups)
            groups.append([])
        groups[target].append(index)
        home.update(dict.fromkeys(keys, target))
    return sorted(groups, key=len, reverse=True)


def _report(
    kind: str, stem: str, planned: PlannedReport, existing: list[Path], outcomes: list[Outcome] | None
) -> Report:
    outcomes = outcomes or []
    failures = tuple((o.path, o.message) for o in outcomes if not o.ok)
    status = FAILED if failures else (WRITTEN if outcomes else EXISTS)
    ctx = planned.context
    return Report(
        kind,
        str(ctx.get("title", "")),
        str(ctx.get("subject", "")),
        stem,
        status,
        files=tuple(p for o in outcomes for p in o.files),
        documents={name: data for o in outcomes for name, data in o.documents.items()},
        existing=tuple(existing),
        failures=failures,
    )
