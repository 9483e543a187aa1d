"""API tokens: shown once, stored as a SHA-256 digest (a token is random, so no salt is needed)."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import User

from .models import Profile

PREFIX = "xlcrm_"


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token(profile: Profile) -> str:
    """Make a new token for ``profile`` (the old one stops working) and return it."""
    token = PREFIX + secrets.token_urlsafe(32)
    profile.token_hash = digest(token)
    profile.save(update_fields=["token_hash"])
    return token


def user_for(token: str) -> User | None:
    """The active user owning ``token``, or None."""
    if not token.startswith(PREFIX) or len(token) > 200:
        return None
    profile = Profile.objects.select_related("user").filter(token_hash=digest(token)).first()
    if profile is None or not profile.user.is_active:
        return None
    return profile.user
