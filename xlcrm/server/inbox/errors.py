"""JSON and HTML error answers with Chinese messages (never a traceback or library text)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

MESSAGES = {
    "auth.required": "需要登录：请在请求头中提供 Authorization: Bearer <令牌>（令牌用 xlcrm user token 生成）。",
    "auth.forbidden": "没有权限：只有主管可以使用此功能。",
    "not_found": "找不到该记录，或您没有权限查看。",
    "file.too_large": "文件太大：上传上限为 {mb} MB。请删除多余的工作表或数据后再上传。",
    "file.missing": "请选择要上传的 .xlsx 文件（表单字段 file）。",
    "file.unusable": "{message}",
    "period.invalid": "月份格式不对，应为 YYYY-MM，例如 2026-11。",
    "as_of.invalid": "统计日格式不对，应为 YYYY-MM-DD，例如 2026-11-20。",
    "submission.has_errors": "该版本还有 {n} 个错误，不能提交。请下载标注副本修改后重新上传。",
    "report.invalid": "{message}",
    "method.not_allowed": "不支持该请求方法。",
    "server.error": "服务器内部错误，已上传的文件不会丢失。请稍后重试或联系管理员。",
}


def json_error(status: int, code: str, **fields: object) -> JsonResponse:
    """``{"error": {"code", "message"}}`` with ``status``."""
    message = MESSAGES[code].format(**fields)
    return JsonResponse(
        {"error": {"code": code, "message": message}}, status=status, json_dumps_params={"ensure_ascii": False}
    )


def page_error(request: HttpRequest, status: int, message: str) -> HttpResponse:
    """A Chinese error page with ``status``."""
    return render(request, "inbox/error.html", {"message": message, "status": status}, status=status)
