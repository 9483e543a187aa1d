"""``xlcrm report``: consolidate workbooks, build contexts, render files, print a summary.

Exit codes (SPEC §5): 0 when every report was written (or left alone without ``--force``), also
when some rows were left out for errors (each report says so in its 数据说明); 1 when a workbook
was skipped whole (unusable or structurally broken), workbooks conflict, or a report failed; 2 for
a usage problem (raised as ``UsageError``).

Options read here that the argument parser may add: ``overrides`` (``--set KEY=VALUE`` as a dict)
and ``all`` (``--all``: review campaigns that are not finished too); both are optional.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ..derive import Derived, derive
from ..errors import UsageError
from ..i18n import tr
from ..output import printable_lines, write
from .consolidate import Consolidated, consolidate
from .jobs import PlannedReport, campaign_reports, campaigns_to_review, monthly_reports, target_paths
from .monthly import Period, shift_month
from .render import Outcome, Output, RenderJob, render_job, warm_up
from .templates import find_template

FORMATS = ("md", "docx")
_PERIOD = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")


def parse_formats(text: str | None) -> tuple[str, ...]:
    """``md``, ``docx`` or ``md,docx`` (any order, spaces allowed) → formats in a fixed order."""
    parts = [p.strip().lower() for p in (text or "").split(",") if p.strip()]
    if not parts or any(p not in FORMATS for p in parts):
        raise UsageError(
            detail=tr(
                "--format 只能是 md、docx 或 md,docx（收到 {v}）",
                "--format must be md, docx or md,docx (got {v})",
                v=text,
            )
        )
    return tuple(f for f in FORMATS if f in parts)


def parse_period(text: str | None, as_of: date) -> Period:
    """``YYYY-MM`` → (year, month); default the month of as-of."""
    if not text:
        return as_of.year, as_of.month
    match = _PERIOD.match(text)
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise UsageError(
            detail=tr(
                "--period 应为 YYYY-MM，例如 2026-11（收到 {v}）",
                "--period must be YYYY-MM, e.g. 2026-11 (got {v})",
                v=text,
            )
        )
    return int(match.group(1)), int(match.group(2))


def _check_options(args: argparse.Namespace) -> None:
    if args.kind == "campaign" and args.by:
        raise UsageError(detail=tr("--by manager 只用于 --kind monthly", "--by manager needs --kind monthly"))
    if args.kind == "monthly" and args.campaign:
        raise UsageError(detail=tr("--campaign 只用于 --kind campaign", "--campaign needs --kind campaign"))
    if args.jobs is not None and args.jobs < 1:
        raise UsageError(detail=tr("--jobs 至少为 1", "--jobs must be at least 1"))


def _say(text: str) -> None:
    sys.stderr.write(printable_lines(text) + "\n")  # a cell's control characters shown escaped
    sys.stderr.flush()


def _report_consolidation(merged: Consolidated, on_conflict: str | None) -> bool:
    """Print skipped workbooks, left-out rows and conflicts; False when the run must stop."""
    for skipped in merged.skipped:
        _say(skipped.message())
    for rows in merged.left_out:
        _say(rows.note())
    if merged.conflicts:
        for conflict in merged.conflicts:
            _say(conflict.message())
        if on_conflict is None:
            _say(
                tr(
                    "存在 {n} 处编号冲突，未生成任何报告。请统一各工作簿中的记录，或加 --on-conflict first|last 指定保留哪一份。",
                    "{n} ID conflicts; no report was written. Reconcile the workbooks or use --on-conflict first|last.",
                    n=len(merged.conflicts),
                )
            )
            return False
        keep = tr("第一个", "first") if on_conflict == "first" else tr("最后一个", "last")
        _say(
            tr(
                "按 --on-conflict {o} 处理：保留{k}工作簿中的记录。",
                "Resolved with --on-conflict {o}: kept the {k}.",
                o=on_conflict,
                k=keep,
            )
        )
    if not merged.sources:
        _say(tr("没有可用的工作簿，未生成任何报告。", "No usable workbook; no report was written."))
        return False
    return True


def _plan(
    args: argparse.Namespace, merged: Consolidated, derived: Derived, as_of: date, period: Period | None
) -> list[PlannedReport]:
    if args.kind == "campaign":
        reports = campaign_reports(derived, as_of, args.campaign, _include_all(args), merged.config)
    else:
        assert period is not None
        reports = monthly_reports(
            derived,
            period,
            as_of,
            args.by == "manager",
            lambda day: derive(merged.book, merged.config, day),
            merged.config,
        )
    notes = merged.data_notes()
    for report in reports:
        report.context["data_notes"] = notes
        report.context["footnotes"] = _footnotes(derived, _years_shown(args.kind, report, derived, period))
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


def _include_all(args: argparse.Namespace) -> bool:
    return bool(getattr(args, "all", False))


@dataclass
class _Tally:
    """Counts reports, not files: a campaign's md and docx are one report."""

    written: int = 0
    skipped: int = 0
    failed: list[Outcome] = field(default_factory=list)

    def add(self, outcomes: list[Outcome]) -> None:
        bad = [o for o in outcomes if not o.ok]
        for outcome in bad:
            self.failed.append(outcome)
            _say(tr("生成失败：{p}（{m}）", "Failed: {p} ({m})", p=outcome.path, m=outcome.message))
        self.written += not bad


def _jobs(
    reports: list[PlannedReport],
    formats: tuple[str, ...],
    templates: dict[str, Path],
    folder: Path,
    force: bool,
    tally: _Tally,
) -> list[RenderJob]:
    targets = {fmt: target_paths(reports, folder, fmt) for fmt in formats}
    jobs = []
    for index, report in enumerate(reports):
        outputs = []
        for fmt in formats:
            target = targets[fmt][index]
            if target.exists() and not force:
                _say(
                    tr(
                        "已存在，跳过：{p}（加 --force 覆盖）",
                        "Exists, skipped: {p} (use --force to overwrite)",
                        p=target,
                    )
                )
                continue
            outputs.append(Output(fmt, target, templates[fmt]))
        if outputs:
            jobs.append(RenderJob(report.context, tuple(outputs)))
        else:
            tally.skipped += 1
    return jobs


def _show_progress() -> bool:
    return sys.stderr.isatty() and not os.environ.get("CI")


@contextmanager
def _progress(total: int) -> Iterator[Any]:
    """A rich progress bar on a terminal (not in CI); a no-op advance function otherwise."""
    if not _show_progress() or total == 0:
        yield lambda: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn(tr("生成报告", "Reports")), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("report", total=total)
        yield lambda: progress.advance(task)


def _start_pool(workers: int) -> ProcessPoolExecutor | None:
    """With ``--jobs N`` > 1, start the workers at once: each imports matplotlib and the Word
    libraries (``warm_up``) while this process reads and consolidates the workbooks."""
    if workers <= 1:
        return None
    pool = ProcessPoolExecutor(max_workers=workers)
    for _ in range(workers):
        pool.submit(warm_up)
    return pool


def _render(jobs: list[RenderJob], pool: ProcessPoolExecutor | None, tally: _Tally) -> None:
    with _progress(len(jobs)) as advance:
        if pool is None or len(jobs) <= 1:
            for job in jobs:
                tally.add(render_job(job))
                advance()
            return
        with pool:
            futures = {pool.submit(render_job, job): job for job in jobs}
            for future in as_completed(futures):
                try:
                    tally.add(future.result())
                except Exception as exc:  # noqa: BLE001 - a worker died; its files count as failed
                    tally.add(
                        [Outcome(o.target, False, f"{type(exc).__name__}: {exc}") for o in futures[future].outputs]
                    )
                advance()


def _summary(tally: _Tally, merged: Consolidated, folder: Path, unreviewed: int) -> str:
    failed_reports = len({o.path.with_suffix("") for o in tally.failed})
    line = tr(
        "报告：已生成 {n} 份，跳过 {m} 份，失败 {k} 份（输出文件夹：{d}）",
        "Reports: {n} written, {m} skipped, {k} failed (output folder: {d})",
        n=tally.written,
        m=tally.skipped,
        k=failed_reports,
        d=folder,
    )
    if merged.skipped:
        line += tr(
            "；未计入的工作簿：{w}", "; workbooks left out: {w}", w="、".join(s.path.name for s in merged.skipped)
        )
    rows = sum(r.rows for r in merged.left_out)
    if rows:
        line += tr("；有错误未计入的行：{r} 行", "; rows left out for errors: {r}", r=rows)
    if unreviewed:
        line += tr(
            "；{u} 个未结束的活动未复盘（加 --all 生成中期报告）",
            "; {u} unfinished campaigns not reviewed (--all adds them)",
            u=unreviewed,
        )
    return line + "\n"


def run_report(args: argparse.Namespace, as_of: date) -> int:
    """The ``report`` command (SPEC §5, §6); returns the exit code."""
    formats = parse_formats(args.format)
    _check_options(args)
    period = parse_period(args.period, as_of) if args.kind == "monthly" else None
    templates = {fmt: find_template(args.kind, fmt, args.template_dir) for fmt in formats}
    pool = _start_pool(args.jobs or 1)
    try:
        return _run(args, as_of, formats, period, templates, pool)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)


def _run(
    args: argparse.Namespace,
    as_of: date,
    formats: tuple[str, ...],
    period: Period | None,
    templates: dict[str, Path],
    pool: ProcessPoolExecutor | None,
) -> int:
    merged = consolidate(args.paths, as_of, args.config, args.on_conflict, getattr(args, "overrides", None))
    if not _report_consolidation(merged, args.on_conflict):
        return 1
    derived = derive(merged.book, merged.config, as_of)
    for warning in derived.warnings:
        _say(warning)
    reports = _plan(args, merged, derived, as_of, period)
    unreviewed = 0
    if args.kind == "campaign" and not args.campaign:
        unreviewed = len(derived.campaigns) - len(campaigns_to_review(derived, None, _include_all(args)))
    folder = Path(args.output)
    tally = _Tally()
    jobs = _jobs(reports, formats, templates, folder, bool(args.force), tally)
    if jobs:
        folder.mkdir(parents=True, exist_ok=True)
    _render(jobs, pool, tally)
    write(printable_lines(_summary(tally, merged, folder, unreviewed)))
    return 1 if merged.skipped or tally.failed else 0
