"""Refuse oversized uploads from the Content-Length header, before the body is read."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from .errors import MESSAGES, json_error, page_error


class UploadLimitMiddleware:
    """413 for a request body over ``MAX_REQUEST_BYTES`` (the upload limit plus form overhead)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BYTES:
            mb = settings.MAX_UPLOAD_BYTES // (1024 * 1024)
            if request.path.startswith("/api/"):
                response = json_error(413, "file.too_large", mb=mb)
            else:
                response = page_error(request, 413, MESSAGES["file.too_large"].format(mb=mb))
            return response
        return self.get_response(request)


class ProfileMiddleware:
    """Every signed-in account has a profile: one made in Django admin without one starts as staff."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from .models import Profile

        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not Profile.objects.filter(user=user).exists():
            user.profile = Profile.objects.get_or_create(user=user)[0]
        return self.get_response(request)
