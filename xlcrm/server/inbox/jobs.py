"""Report jobs: queued by a request, run by the worker process (``xlcrm.server.worker``)."""

from __future__ import annotations

import os
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import DatabaseError, transaction
from django.utils import timezone

from . import library, services, storage
from .models import DONE, FAILED, QUEUED, RUNNING, ReportJob
from .periods import parse_period

FORMATS = ("md", "docx")


def parse_request(body: dict[str, Any]) -> dict[str, Any] | str:
    """Check ``{"kind", "period", "by_manager", "formats"}``; a Chinese message when wrong."""
    kind = body.get("kind", "monthly")
    if kind not in ("monthly", "campaign"):
        return "报告类型 kind 只能是 monthly（月度复盘）或 campaign（活动复盘）。"
    period = parse_period(str(body.get("period") or ""))
    if period is None:
        return "月份 period 格式不对，应为 YYYY-MM，例如 2026-11。"
    formats = body.get("formats", ["md", "docx"])
    if isinstance(formats, str):
        formats = [f.strip() for f in formats.split(",")]
    if not isinstance(formats, list) or not formats or any(f not in FORMATS for f in formats):
        return "格式 formats 只能是 md、docx 或两者。"
    by_manager = body.get("by_manager", False)
    if not isinstance(by_manager, bool):
        return "by_manager 应为 true 或 false。"
    if by_manager and kind != "monthly":
        return "按客户经理分别生成只适用于月度复盘。"
    return {
        "kind": kind,
        "period": period,
        "by_manager": by_manager,
        "formats": ",".join(f for f in FORMATS if f in formats),
    }


def queue(user: User, *, kind: str, period: str, by_manager: bool, formats: str) -> ReportJob:
    """A new queued job; the worker process picks it up."""
    return ReportJob.objects.create(created_by=user, kind=kind, period=period, by_manager=by_manager, formats=formats)


def job_dir(job: ReportJob) -> Path:
    return Path(settings.REPORTS_DIR) / str(job.pk)


def zip_path(job: ReportJob) -> Path:
    return Path(settings.REPORTS_DIR) / f"{job.pk}.zip"


def zip_name(job: ReportJob) -> str:
    label = "月度复盘" if job.kind == "monthly" else "活动复盘"
    return f"{label}_{job.period}_任务{job.pk}.zip"


def claim_next() -> ReportJob | None:
    """Take the oldest queued job (one worker at a time may claim it)."""
    with transaction.atomic():
        job = ReportJob.objects.filter(status=QUEUED).order_by("id").first()
        if job is None:
            return None
        claimed = ReportJob.objects.filter(pk=job.pk, status=QUEUED).update(status=RUNNING, started_at=timezone.now())
    if not claimed:
        return None
    job.refresh_from_db()
    return job


def requeue_orphans() -> int:
    """Jobs left running by a worker that died are run again (reports are rewritten whole)."""
    return ReportJob.objects.filter(status=RUNNING).update(status=QUEUED, done=0)


def run(job: ReportJob, as_of: date | None = None) -> ReportJob:
    """Run ``job``: the period's latest submitted versions → report files → one zip."""
    from .periods import today

    subs = services.latest_submitted(job.period)
    folder = job_dir(job)
    sources = _named_sources(subs)
    job.sources = [{"id": s.pk, "user": s.user.get_username(), "version": s.version} for s in subs]
    job.save(update_fields=["sources"])
    if not sources:
        return _finish(job, FAILED, [], f"{job.period} 还没有员工提交工作簿，无法生成报告。")

    per_report = len(job.formats.split(","))  # done / total count report files, as at the end

    def progress(done: int, total: int) -> None:
        # Best effort: a lost progress update must not fail the batch.
        try:
            ReportJob.objects.filter(pk=job.pk).update(done=done * per_report, total=total * per_report)
        except DatabaseError:
            pass

    try:
        files, log = library.run_report_batch(
            sources,
            kind=job.kind,
            period=job.period,
            by_manager=job.by_manager,
            formats=job.formats.split(","),
            out_dir=folder,
            as_of=as_of or today(),
            on_progress=progress,
        )
    except Exception as exc:  # noqa: BLE001 - a failing batch is reported on the job, the worker lives on
        return _finish(job, FAILED, [], f"生成报告时出错：{type(exc).__name__}: {exc}")
    names = [path.relative_to(folder).as_posix() for path in files]
    with zipfile.ZipFile(zip_path(job), "w", zipfile.ZIP_DEFLATED) as archive:
        for path, name in zip(files, names, strict=True):
            archive.write(path, name)
    reports = [n for n in names if is_report(n)]
    log = log.replace(str(folder.parent) + os.sep, "")  # name files, not the server's folders
    return _finish(job, DONE if reports else FAILED, names, log or ("没有可生成的报告。" if not reports else ""))


def is_report(name: str) -> bool:
    """A report file itself (not a chart image beside it)."""
    return "/" not in name and name.endswith((".md", ".docx"))


def _named_sources(subs: list) -> dict[str, Path]:
    """The stored files by readable names (reports name their source workbooks), read in place."""
    return {f"{sub.user.profile.name}_{sub.period}_v{sub.version}.xlsx": storage.file_path(sub.sha256) for sub in subs}


def _finish(job: ReportJob, status: str, files: list[str], log: str) -> ReportJob:
    job.status, job.files, job.log = status, files, log
    job.done = len([f for f in files if is_report(f)])
    job.total = job.done
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "files", "log", "done", "total", "finished_at"])
    return job


def agenda_for(user: User, as_of: date) -> dict[str, Any] | None:
    """§8 agenda JSON: a staff member's from their latest submitted workbook, the team's for a
    manager."""
    if not library.AGENDA_AVAILABLE:
        return None
    period = as_of.strftime("%Y-%m")
    mine = None if user.profile.is_manager else user
    subs = services.latest_submitted(period, mine)
    paths = [storage.file_path(s.sha256) for s in subs]
    return library.agenda(paths, as_of=as_of, person=None if mine is None else user.profile.name)
