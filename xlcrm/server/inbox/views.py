"""The staff and manager pages (Chinese, server-rendered, HTMX for the report progress)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from . import api, jobs, library, services, storage
from .errors import MESSAGES, page_error
from .models import KINDS, ReportJob
from .periods import current_period, parse_period, today

View = Callable[..., HttpResponse]


def manager_required(view: View) -> View:
    """Signed in (else the log-in page) and a manager (else 403)."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.profile.is_manager:
            return page_error(request, 403, MESSAGES["auth.forbidden"])
        return view(request, *args, **kwargs)

    return wrapper


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return redirect("team" if request.user.profile.is_manager else "mine")


def _history(request: HttpRequest) -> list[Any]:
    return list(services.visible_submissions(request.user).filter(user=request.user)[:200])


@login_required
@require_http_methods(["GET", "POST"])
def mine(request: HttpRequest) -> HttpResponse:
    """Upload a workbook for a period, and the history of my versions."""
    context: dict[str, Any] = {"period": current_period(), "history": _history(request)}
    if request.method == "GET":
        return render(request, "inbox/mine.html", context)
    period = parse_period(request.POST.get("period"))
    upload = request.FILES.get("file")
    problem, status = None, 400
    if period is None:
        problem = MESSAGES["period.invalid"]
    elif upload is None:
        problem = "请选择要上传的 .xlsx 文件。"
    elif upload.size > settings.MAX_UPLOAD_BYTES:
        problem, status = MESSAGES["file.too_large"].format(mb=settings.MAX_UPLOAD_BYTES // (1024 * 1024)), 413
    if problem is None and period is not None and upload is not None:
        try:
            sub = services.create_submission(
                request.user, upload.read(), upload.name or "workbook.xlsx", period, today(), auto_submit=False
            )
        except library.Unusable as exc:
            problem, status = exc.message, 422
        else:
            return redirect("submission", pk=sub.pk)
    context.update(problem=problem, period=period or current_period())
    return render(request, "inbox/mine.html", context, status=status)


def _visible_or_404(request: HttpRequest, pk: int) -> Any:
    sub = services.visible_submissions(request.user).filter(pk=pk).first()
    if sub is None:
        raise Http404
    return sub


@login_required
def submission(request: HttpRequest, pk: int) -> HttpResponse:
    """The result page: counts, problems by sheet and code, downloads, 提交."""
    sub = _visible_or_404(request, pk)
    return render(
        request,
        "inbox/submission.html",
        {
            "sub": sub,
            "groups": services.grouped_issues(sub.report),
            "infos": sum(1 for i in sub.report.get("issues", []) if i.get("severity") == "info"),
            "mine": sub.user_id == request.user.pk,
        },
    )


@login_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    sub = _visible_or_404(request, pk)
    if sub.user_id != request.user.pk:
        raise Http404
    if not services.submit(sub):
        return page_error(request, 409, MESSAGES["submission.has_errors"].format(n=sub.errors))
    return redirect("submission", pk=sub.pk)


@login_required
def download(request: HttpRequest, pk: int, which: str) -> HttpResponse:
    sub = _visible_or_404(request, pk)
    if which == "annotated":
        if not sub.annotated_sha256:
            raise Http404
        return api._download(sub.annotated_sha256, library.annotated_name(sub.original_name))
    return api._download(sub.sha256, sub.original_name)


@login_required
def agenda(request: HttpRequest) -> HttpResponse:
    """我的待办 / 团队待办 (SPEC §8), from the latest submitted workbooks."""
    result = jobs.agenda_for(request.user, today())
    people = library.agenda_tables(result) if result else []
    return render(request, "inbox/agenda.html", {"agenda": result, "people": people})


@manager_required
def team(request: HttpRequest) -> HttpResponse:
    """The period's table: every staff member's latest version and status."""
    period = parse_period(request.GET.get("period")) or current_period()
    rows = services.period_table(period)
    counts = {s: sum(1 for r in rows if r.status == s) for s in ("已提交", "有错误", "未提交")}
    return render(
        request,
        "inbox/team.html",
        {"period": period, "rows": rows, "counts": counts, "jobs": ReportJob.objects.all()[:10], "kinds": KINDS},
    )


@manager_required
@require_POST
def report_new(request: HttpRequest) -> HttpResponse:
    body = {
        "kind": request.POST.get("kind"),
        "period": request.POST.get("period"),
        "by_manager": request.POST.get("by_manager") == "on",
        "formats": request.POST.getlist("formats"),
    }
    parsed = jobs.parse_request(body)
    if isinstance(parsed, str):
        return page_error(request, 400, parsed)
    job = jobs.queue(request.user, **parsed)
    return redirect("report", pk=job.pk)


@manager_required
def report(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(ReportJob, pk=pk)
    template = "inbox/report_progress.html" if request.headers.get("HX-Request") else "inbox/report.html"
    reports = [f for f in job.files if jobs.is_report(f)]
    count = len({f.rsplit(".", 1)[0] for f in reports})  # a report's .md and .docx are one report
    return render(request, template, {"job": job, "reports": reports, "report_count": count})


@manager_required
def report_file(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    job = get_object_or_404(ReportJob, pk=pk)
    if name not in job.files:  # only names the job recorded: no path from the URL reaches the disk
        raise Http404
    return FileResponse((jobs.job_dir(job) / name).open("rb"), as_attachment=True, filename=name)


@manager_required
def report_zip(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(ReportJob, pk=pk, status="done")
    return FileResponse(
        jobs.zip_path(job).open("rb"), as_attachment=True, filename=jobs.zip_name(job), content_type="application/zip"
    )


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        from .errors import json_error

        return json_error(404, "not_found")
    return page_error(request, 404, MESSAGES["not_found"])


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        from .errors import json_error

        return json_error(500, "server.error")
    return page_error(request, 500, MESSAGES["server.error"])


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return page_error(request, 403, "没有权限执行此操作。")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return page_error(request, 403, "表单已过期或来源不明（CSRF 校验失败）。请刷新页面后重试。")


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return page_error(request, 400, "请求无效。")


_ = storage  # stored files are reached through api._download
