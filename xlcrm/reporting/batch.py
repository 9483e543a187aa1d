"""What a report batch produced (``xlcrm.report``, SPEC §5 ``report``, §7): the reports and their
files (or documents in memory), the workbooks left out and why, conflicts, and the messages and
summary line every front end shows as they are."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..i18n import tr
from .notes import Conflict, LeftOutRows, SkippedWorkbook

WRITTEN, EXISTS, FAILED = "written", "exists", "failed"
STOP_CONFLICTS, STOP_NO_WORKBOOK = "conflicts", "no_workbook"


@dataclass(frozen=True)
class Report:
    """One report: ``kind`` (campaign / monthly), ``title`` (活动复盘报告 / 月度维护复盘) and
    ``subject`` (the campaign, or the month and manager), its file ``name`` without extension, and
    ``status``: ``written``, ``exists`` (every file already there, left alone without ``force``) or
    ``failed``. ``files`` are the files written (reports, chart images, Word appendix);
    ``documents`` the same as bytes by their name in the output folder (``out_dir=None``)."""

    kind: str
    title: str
    subject: str
    name: str
    status: str
    files: tuple[Path, ...] = ()
    documents: Mapping[str, bytes] = field(default_factory=dict)
    existing: tuple[Path, ...] = ()  # files left alone because they exist (no ``force``)
    failures: tuple[tuple[Path, str], ...] = ()  # (file, reason)


@dataclass(frozen=True)
class ReportBatch:
    """The outcome of ``xlcrm.report``. ``stopped`` is ``conflicts`` or ``no_workbook`` when no
    report could be made; ``ok`` is False when a workbook was left out whole, workbooks
    conflicted, or a report failed (the CLI's exit code 1)."""

    kind: str
    out_dir: Path | None
    reports: tuple[Report, ...] = ()
    workbooks: tuple[Path, ...] = ()  # the workbooks used
    skipped: tuple[SkippedWorkbook, ...] = ()
    left_out: tuple[LeftOutRows, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    on_conflict: str | None = None
    warnings: tuple[str, ...] = ()  # e.g. working days guessed for a year no calendar covers
    unreviewed: int = 0  # unfinished campaigns not reviewed (without ``all_campaigns``)
    stopped: str = ""

    @property
    def written(self) -> int:
        return sum(1 for r in self.reports if r.status == WRITTEN)

    @property
    def skipped_reports(self) -> int:
        return sum(1 for r in self.reports if r.status == EXISTS)

    @property
    def failed(self) -> int:
        return sum(1 for r in self.reports if r.status == FAILED)

    @property
    def ok(self) -> bool:
        return not self.stopped and not self.skipped and not self.failed

    @property
    def files(self) -> list[Path]:
        """Every file written, reports and what they link to."""
        return [path for report in self.reports for path in report.files]

    @property
    def documents(self) -> dict[str, bytes]:
        """Every document rendered in memory, by file name (``out_dir=None``)."""
        return {name: data for report in self.reports for name, data in report.documents.items()}

    def messages(self) -> list[str]:
        """What the user must be told, in order (the CLI prints these to stderr)."""
        lines = [s.message() for s in self.skipped] + [r.note() for r in self.left_out]
        lines += [c.message() for c in self.conflicts]
        if self.conflicts and self.on_conflict is None:
            lines.append(
                tr(
                    "存在 {n} 处编号冲突，未生成任何报告。请统一各工作簿中的记录，或加 --on-conflict first|last 指定保留哪一份。",
                    "{n} ID conflicts; no report was written. Reconcile the workbooks or use --on-conflict first|last.",
                    n=len(self.conflicts),
                )
            )
            return lines
        if self.conflicts:
            keep = tr("第一个", "first") if self.on_conflict == "first" else tr("最后一个", "last")
            lines.append(
                tr(
                    "按 --on-conflict {o} 处理：保留{k}工作簿中的记录。",
                    "Resolved with --on-conflict {o}: kept the {k}.",
                    o=self.on_conflict,
                    k=keep,
                )
            )
        if self.stopped == STOP_NO_WORKBOOK:
            lines.append(tr("没有可用的工作簿，未生成任何报告。", "No usable workbook; no report was written."))
            return lines
        lines += self.warnings
        for report in self.reports:
            lines += [
                tr("已存在，跳过：{p}（加 --force 覆盖）", "Exists, skipped: {p} (use --force to overwrite)", p=p)
                for p in report.existing
            ]
        for report in self.reports:
            lines += [tr("生成失败：{p}（{m}）", "Failed: {p} ({m})", p=p, m=m) for p, m in report.failures]
        return lines

    def summary(self) -> str:
        """The summary line (empty when the batch stopped before any report)."""
        if self.stopped:
            return ""
        line = tr(
            "报告：已生成 {n} 份，跳过 {m} 份，失败 {k} 份（输出文件夹：{d}）",
            "Reports: {n} written, {m} skipped, {k} failed (output folder: {d})",
            n=self.written,
            m=self.skipped_reports,
            k=self.failed,
            d=self.out_dir if self.out_dir is not None else tr("无，文档在内存中", "none, documents in memory"),
        )
        if self.skipped:
            line += tr(
                "；未计入的工作簿：{w}", "; workbooks left out: {w}", w="、".join(s.path.name for s in self.skipped)
            )
        rows = sum(r.rows for r in self.left_out)
        if rows:
            line += tr("；有错误未计入的行：{r} 行", "; rows left out for errors: {r}", r=rows)
        if self.unreviewed:
            line += tr(
                "；{u} 个未结束的活动未复盘（加 --all 生成中期报告）",
                "; {u} unfinished campaigns not reviewed (--all adds them)",
                u=self.unreviewed,
            )
        return line
