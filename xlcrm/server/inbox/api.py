"""The HTTP API (SPEC §9): JSON, ``Authorization: Bearer <token>``, Chinese error messages."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from . import jobs, library, services, storage, tokens
from .errors import json_error
from .models import ReportJob, Submission
from .periods import current_period, parse_day, parse_period, today

View = Callable[..., HttpResponse]


def _json(data: Any, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})


def api_view(methods: tuple[str, ...], manager_only: bool = False) -> Callable[[View], View]:
    """Token authentication (401), role check (403) and allowed methods (405) for an endpoint.

    Token requests carry no cookies, so CSRF does not apply to them."""

    def decorate(view: View) -> View:
        @csrf_exempt
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            header = request.META.get("HTTP_AUTHORIZATION", "")
            scheme, _, token = header.partition(" ")
            user = tokens.user_for(token.strip()) if scheme.lower() == "bearer" else None
            if user is None:
                response = json_error(401, "auth.required")
                response["WWW-Authenticate"] = 'Bearer realm="xlcrm"'
                return response
            if request.method not in methods:
                return json_error(405, "method.not_allowed")
            if manager_only and not user.profile.is_manager:
                return json_error(403, "auth.forbidden")
            request.user = user
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


def _upload(request: HttpRequest) -> tuple[bytes, str] | JsonResponse:
    upload = request.FILES.get("file")
    if upload is None:
        return json_error(400, "file.missing")
    if upload.size > settings.MAX_UPLOAD_BYTES:
        return json_error(413, "file.too_large", mb=settings.MAX_UPLOAD_BYTES // (1024 * 1024))
    return upload.read(), upload.name or "workbook.xlsx"


@api_view(("POST",))
def validate(request: HttpRequest) -> HttpResponse:
    """``POST /api/v1/validate``: the §5 JSON object of one file; nothing is stored."""
    as_of = parse_day(request.POST["as_of"]) if request.POST.get("as_of") else today()
    if as_of is None:
        return json_error(400, "as_of.invalid")
    got = _upload(request)
    if isinstance(got, JsonResponse):
        return got
    data, name = got
    try:
        checked = library.check(data, name, as_of, with_annotated=False)
    except library.Unusable as exc:
        return json_error(422, "file.unusable", message=exc.message)
    return _json(checked.report)


@api_view(("GET", "POST"))
def submissions(request: HttpRequest) -> HttpResponse:
    """``POST``: a new version (201, submitted when it has no errors); ``GET``: the visible list."""
    if request.method == "GET":
        qs = services.visible_submissions(request.user)
        if "period" in request.GET:
            period = parse_period(request.GET["period"])
            if period is None:
                return json_error(400, "period.invalid")
            qs = qs.filter(period=period)
        return _json({"submissions": [s.to_dict() for s in qs]})
    period = parse_period(request.POST.get("period")) if request.POST.get("period") else current_period()
    if period is None:
        return json_error(400, "period.invalid")
    got = _upload(request)
    if isinstance(got, JsonResponse):
        return got
    data, name = got
    try:
        sub = services.create_submission(request.user, data, name, period, today(), auto_submit=True)
    except library.Unusable as exc:
        return json_error(422, "file.unusable", message=exc.message)
    return _json(
        {k: sub.to_dict()[k] for k in ("id", "version", "period", "status", "errors", "warnings", "submitted")},
        status=201,
    )


def _visible(request: HttpRequest, pk: int) -> Submission | None:
    return services.visible_submissions(request.user).filter(pk=pk).first()


def _download(data_sha: str, name: str) -> FileResponse:
    return FileResponse(
        storage.file_path(data_sha).open("rb"),
        as_attachment=True,
        filename=name,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@api_view(("GET",))
def submission_file(request: HttpRequest, pk: int) -> HttpResponse:
    """``GET /api/v1/submissions/{id}/file``: the uploaded bytes, unchanged."""
    sub = _visible(request, pk)
    if sub is None:
        return json_error(404, "not_found")
    return _download(sub.sha256, sub.original_name)


@api_view(("GET",))
def submission_annotated(request: HttpRequest, pk: int) -> HttpResponse:
    """``GET /api/v1/submissions/{id}/annotated``: the annotated copy."""
    sub = _visible(request, pk)
    if sub is None or not sub.annotated_sha256:
        return json_error(404, "not_found")
    return _download(sub.annotated_sha256, library.annotated_name(sub.original_name))


@api_view(("POST",), manager_only=True)
def reports(request: HttpRequest) -> HttpResponse:
    """``POST /api/v1/reports``: queue a report batch (202 ``{"id"}``)."""
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        body = None
    if not isinstance(body, dict):
        return json_error(
            400, "report.invalid", message='请求体应为 JSON 对象，例如 {"kind": "monthly", "period": "2026-11"}。'
        )
    parsed = jobs.parse_request(body)
    if isinstance(parsed, str):
        return json_error(400, "report.invalid", message=parsed)
    job = jobs.queue(request.user, **parsed)
    return _json({"id": job.pk}, status=202)


@api_view(("GET",), manager_only=True)
def report_status(request: HttpRequest, pk: int) -> HttpResponse:
    """``GET /api/v1/reports/{id}``: progress and files."""
    job = ReportJob.objects.filter(pk=pk).first()
    if job is None:
        return json_error(404, "not_found")
    return _json(job.to_dict())


@api_view(("GET",), manager_only=True)
def report_zip(request: HttpRequest, pk: int) -> HttpResponse:
    """``GET /api/v1/reports/{id}/zip``: every file of a finished job in one zip."""
    job = ReportJob.objects.filter(pk=pk, status="done").first()
    if job is None or not jobs.zip_path(job).exists():
        return json_error(404, "not_found")
    return FileResponse(
        jobs.zip_path(job).open("rb"), as_attachment=True, filename=jobs.zip_name(job), content_type="application/zip"
    )


@api_view(("GET",))
def agenda(request: HttpRequest) -> HttpResponse:
    """``GET /api/v1/agenda``: §8 JSON for the caller (staff) or the team (manager)."""
    as_of = parse_day(request.GET["as_of"]) if request.GET.get("as_of") else today()
    if as_of is None:
        return json_error(400, "as_of.invalid")
    result = jobs.agenda_for(request.user, as_of)
    if result is None:
        return _json({"error": {"code": "agenda.unavailable", "message": "待办功能即将提供。"}}, status=501)
    return _json(result)
