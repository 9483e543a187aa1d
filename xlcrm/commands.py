"""One function per CLI command: call the library, print the result, return the exit code."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

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
    for path in paths:
        report = validate_file(path, as_of, config)
        reports.append(report)
        if annotate is not None:
            target = _annotate_target(annotate, path, len(paths) > 1)
            write_annotated(path, report, target)
            sys.stderr.write(tr("已写入标注副本：{p}\n", "Annotated copy written: {p}\n", p=target))
    if fmt == "json":
        write(format_json(reports, strict))
    else:
        write(format_text(reports, strict, color=use_color(sys.stdout)))
    return 0 if all(r.ok(strict) for r in reports) else 1
