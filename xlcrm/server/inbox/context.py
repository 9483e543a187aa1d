"""Template context shared by every page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def inbox(request: HttpRequest) -> dict[str, Any]:
    """The signed-in person's profile (or None) and the upload limit in MB."""
    user = getattr(request, "user", None)
    profile = getattr(user, "profile", None) if user is not None and user.is_authenticated else None
    return {"me": profile, "max_upload_mb": settings.MAX_UPLOAD_BYTES // (1024 * 1024)}
