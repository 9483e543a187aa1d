"""One function per CLI command: call the library, print the result, return the exit code."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from .i18n import tr
from .output import format_json, format_text, printable, printable_lines, use_color, write


def run_init(path: Path, sample: int | None, seed: int, as_of: date, force: bool) -> int:
    from .writing.template import write_standard_workbook

    rows = None
    if sample:
        from .sample import generate_sample

        rows = generate_sample(sample, seed, as_of, with_history=True)
    write_standard_workbook(path, rows, force=force)
    if sample:
        from .schema import SHEETS_BY_KEY

        # sheet names as staff see them in the workbook, not the English keys
        counts = (
            "，".join(f"{SHEETS_BY_KEY[k].name} {len(v)}" for k, v in rows.items() if k in SHEETS_BY_KEY)
            if rows
            else ""
        )
        write(
            tr(
                "已生成标准工作簿（含 {n} 个示例客户，统计日 {d}；{c}）：{p}\n",
                "Wrote the standard workbook with {n} sample customers (as of {d}; {c}): {p}\n",
                n=sample,
                d=as_of.isoformat(),
                c=counts,
                p=path,
            )
        )
    else:
        write(tr("已生成标准工作簿：{p}\n", "Wrote the standard workbook: {p}\n", p=path))
    return 0


def run_validate(
    paths: list[Path],
    as_of: date,
    fmt: str,
    annotate: Path | None,
    strict: bool,
    config: Path | None,
    overrides: dict[str, str] | None = None,
) -> int:
    from .batch import validate_files

    batch = validate_files(paths, as_of=as_of, config=config, overrides=overrides, annotate_to=annotate)
    for outcome in batch.files:
        if outcome.error is not None:
            if len(paths) == 1:
                raise outcome.error  # the one file given is unusable: its message and exit code
            sys.stderr.write(f"xlcrm: {printable_lines(outcome.message)}\n")
        elif outcome.annotated is not None:
            sys.stderr.write(
                tr("已写入标注副本：{p}\n", "Annotated copy written: {p}\n", p=printable(outcome.annotated))
            )
    if fmt == "json":
        write(format_json(batch.reports, strict))
    else:
        write(format_text(batch.reports, strict, color=use_color(sys.stdout)))
    if batch.unusable:
        return 2
    return 0 if batch.ok(strict) else 1


def _values_in_order(sheet_key: str, field_key: str) -> tuple[str, ...]:
    """A field's values in the schema's order: its enum, or for a computed column its vocabulary."""
    from .schema import SHEETS_BY_KEY
    from .schema.sheets import FOLLOWUP_STATUSES, RISK_LEVELS, SLA_STATUSES, TIERS

    computed = {
        ("customers", "tier"): TIERS,
        ("customers", "churn_risk"): RISK_LEVELS,
        ("customers", "followup_status"): FOLLOWUP_STATUSES,
        ("feedback", "sla_status"): SLA_STATUSES,
    }
    return SHEETS_BY_KEY[sheet_key].field(field_key).enum or computed.get((sheet_key, field_key), ())


def _counts_line(label: str, counter: dict[str, int], sheet_key: str, field_key: str) -> str:
    """``label：高 2，中 5，低 9`` with the values in the schema's order (values outside it last)."""
    order = {v: i for i, v in enumerate(_values_in_order(sheet_key, field_key))}
    keys = sorted(counter, key=lambda k: (order.get(k, len(order)), str(k)))
    items = "，".join(f"{printable(k)} {counter[k]}" for k in keys)
    return f"  {label}：{items or '—'}"


def enrich_summary(result: object) -> str:
    """The Chinese (or English) summary printed after ``enrich``."""
    from .enrichment import EnrichResult

    assert isinstance(result, EnrichResult)
    if not getattr(result, "changed", True):
        done = tr(
            "无需更新（计算结果与工作簿中已有的一致，未写入任何文件，也未生成备份）：{p}",
            "Nothing to update (the workbook already holds these results; no file written, no backup): {p}",
            p=result.target,
        )
        notes = [tr("  警告：{w}", "  warning: {w}", w=w) for w in result.warnings]
        return "\n".join(printable(line) for line in [done, *notes]) + "\n"
    lines = [tr("已完成计算：{p}", "Enriched: {p}", p=result.target)]
    rows = "，".join(
        f"{name} {n} 行" if not _en() else f"{name} {n} rows" for name, n in result.rows_per_sheet().items()
    )
    lines.append(tr("  数据行：{r}", "  rows: {r}", r=rows))
    lines.append(tr("  补全编号：{n} 个", "  IDs filled: {n}", n=len(result.derived.filled_ids)))
    lines.append(_counts_line(tr("客户分层", "tiers"), result.counts("customers", "tier"), "customers", "tier"))
    lines.append(
        _counts_line(tr("流失风险", "churn risk"), result.counts("customers", "churn_risk"), "customers", "churn_risk")
    )
    lines.append(
        _counts_line(
            tr("跟进状态", "follow-up status"),
            result.counts("customers", "followup_status"),
            "customers",
            "followup_status",
        )
    )
    lines.append(
        _counts_line(tr("反馈时效", "feedback SLA"), result.counts("feedback", "sla_status"), "feedback", "sla_status")
    )
    rejected = result.rejected
    if rejected:
        lines.append(
            tr(
                "  因错误未计算的行：{n} 行（计算列留空，请运行 xlcrm validate 修正）：",
                "  rows skipped for errors: {n} (computed cells left blank; run xlcrm validate):",
                n=len(rejected),
            )
        )
        for issue in rejected[:30]:
            lines.append(f"    {issue.sheet}!{issue.cell or issue.row} {issue.code} {issue.message}")
        if len(rejected) > 30:
            lines.append(tr("    ……另有 {n} 行", "    … {n} more", n=len(rejected) - 30))
    for warning in result.derived.warnings:
        lines.append(tr("  注意：{w}", "  note: {w}", w=warning))
    for warning in result.warnings:
        lines.append(tr("  警告：{w}", "  warning: {w}", w=warning))
    if result.backup:
        lines.append(tr("  原文件已备份到：{b}", "  backup of the original: {b}", b=result.backup))
    return "\n".join(printable(line) for line in lines) + "\n"


def _en() -> bool:
    from .i18n import lang

    return lang() == "en"


def run_enrich(
    path: Path,
    output: Path | None,
    as_of: date,
    config: Path | None,
    backup: bool,
    overrides: dict[str, str] | None = None,
) -> int:
    from .enrichment import enrich_workbook

    result = enrich_workbook(path, as_of, output, config, backup, overrides=overrides)
    write(enrich_summary(result))
    return 0


def run_report(
    paths: list[Path],
    as_of: date,
    *,
    kind: str,
    period: str | None,
    campaign: str | None,
    by_manager: bool,
    all_campaigns: bool,
    formats: str,
    output: Path,
    jobs: int | None,
    config: Path | None,
    overrides: dict[str, str] | None,
    template_dir: Path | None,
    on_conflict: str | None,
    force: bool,
) -> int:
    """``xlcrm report`` (SPEC §5): one ``xlcrm.report`` call, its messages on stderr, the summary on
    stdout; exit 0, or 1 when a workbook was left out, workbooks conflict or a report failed."""
    from .api import report

    with _progress_bar() as on_progress:
        batch = report(
            paths,
            kind=kind,
            as_of=as_of,
            period=period,
            campaign=campaign,
            by_manager=by_manager,
            all_campaigns=all_campaigns,
            formats=formats,
            out_dir=output,
            jobs=1 if jobs is None else jobs,
            config=config,
            overrides=overrides,
            template_dir=template_dir,
            on_conflict=on_conflict,
            force=force,
            on_progress=on_progress,
        )
    for line in batch.messages():
        sys.stderr.write(printable_lines(line) + "\n")  # a cell's control characters shown escaped
    if batch.summary():
        write(printable_lines(batch.summary() + "\n"))
    return 0 if batch.ok else 1


@contextmanager
def _progress_bar() -> Iterator[Callable[[int, int], None]]:
    """A rich progress bar on a terminal (not in CI), started when the batch says how many reports
    it renders; a no-op elsewhere."""
    if not sys.stderr.isatty() or os.environ.get("CI"):
        yield lambda done, total: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn(tr("生成报告", "Reports")), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("report", total=None)

        def advance(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        yield advance
