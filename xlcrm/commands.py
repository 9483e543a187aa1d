"""One function per CLI command: call the library, print the result, return the exit code."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from .errors import XlcrmError
from .i18n import tr
from .output import format_json, format_text, use_color, write


def run_init(path: Path, sample: int | None, seed: int, as_of: date, force: bool) -> int:
    from .writing.template import write_standard_workbook

    rows = None
    if sample:
        from .sample import generate_sample

        rows = generate_sample(sample, seed, as_of)
    write_standard_workbook(path, rows, force=force)
    if sample:
        counts = "，".join(f"{k} {len(v)}" for k, v in rows.items()) if rows else ""
        write(tr("已生成标准工作簿（含 {n} 个示例客户，统计日 {d}；{c}）：{p}\n",
                 "Wrote the standard workbook with {n} sample customers (as of {d}; {c}): {p}\n",
                 n=sample, d=as_of.isoformat(), c=counts, p=path))
    else:
        write(tr("已生成标准工作簿：{p}\n", "Wrote the standard workbook: {p}\n", p=path))
    return 0


def _annotate_target(out: Path, source: Path, several: bool) -> Path:
    if several or out.is_dir():
        return out / f"{source.stem}.校验标注{source.suffix or '.xlsx'}"
    return out


def run_validate(paths: list[Path], as_of: date, fmt: str, annotate: Path | None, strict: bool,
                 config: Path | None) -> int:
    from .validate import validate_file
    from .writing.annotate import write_annotated

    reports = []
    unusable = 0
    for path in paths:
        try:
            report = validate_file(path, as_of, config)
        except XlcrmError as exc:
            if len(paths) == 1:
                raise
            unusable += 1  # one unusable file among several: say so, check the others
            sys.stderr.write(f"xlcrm: {exc.message}\n")
            continue
        reports.append(report)
        if annotate is not None:
            target = _annotate_target(annotate, path, len(paths) > 1)
            write_annotated(path, report, target)
            sys.stderr.write(tr("已写入标注副本：{p}\n", "Annotated copy written: {p}\n", p=target))
    if fmt == "json":
        write(format_json(reports, strict))
    else:
        write(format_text(reports, strict, color=use_color(sys.stdout)))
    if unusable:
        return 2
    return 0 if all(r.ok(strict) for r in reports) else 1


def _counts_line(label: str, counter: object) -> str:
    items = "，".join(f"{k} {v}" for k, v in sorted(counter.items()))  # type: ignore[attr-defined]
    return f"  {label}：{items or '—'}"


def enrich_summary(result: object) -> str:
    """The Chinese (or English) summary printed after ``enrich``."""
    from .enrich import EnrichResult

    assert isinstance(result, EnrichResult)
    lines = [tr("已完成计算：{p}", "Enriched: {p}", p=result.target)]
    rows = "，".join(f"{name} {n} 行" if not _en() else f"{name} {n} rows" for name, n in result.rows_per_sheet().items())
    lines.append(tr("  数据行：{r}", "  rows: {r}", r=rows))
    lines.append(tr("  补全编号：{n} 个", "  IDs filled: {n}", n=len(result.derived.filled_ids)))
    lines.append(_counts_line(tr("客户分层", "tiers"), result.counts("customers", "tier")))
    lines.append(_counts_line(tr("流失风险", "churn risk"), result.counts("customers", "churn_risk")))
    lines.append(_counts_line(tr("跟进状态", "follow-up status"), result.counts("customers", "followup_status")))
    lines.append(_counts_line(tr("反馈时效", "feedback SLA"), result.counts("feedback", "sla_status")))
    rejected = result.rejected
    if rejected:
        lines.append(tr("  因错误未计算的行：{n} 行（计算列留空，请运行 xlcrm validate 修正）：",
                        "  rows skipped for errors: {n} (computed cells left blank; run xlcrm validate):", n=len(rejected)))
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
    return "\n".join(lines) + "\n"


def _en() -> bool:
    from .i18n import lang

    return lang() == "en"


def run_enrich(path: Path, output: Path | None, as_of: date, config: Path | None, backup: bool) -> int:
    from .enrich import enrich_workbook

    result = enrich_workbook(path, as_of, output, config, backup)
    write(enrich_summary(result))
    return 0
