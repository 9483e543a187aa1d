"""Periods (``YYYY-MM``) and the team's local today."""

from __future__ import annotations

import re
from datetime import date

from django.utils import timezone

_PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def today() -> date:
    """Today in the team's time zone (settings.TIME_ZONE)."""
    return timezone.localdate()


def current_period() -> str:
    """The current month as ``YYYY-MM``."""
    return today().strftime("%Y-%m")


def parse_period(text: str | None) -> str | None:
    """A valid ``YYYY-MM`` (spaces trimmed, ``2026-1`` → ``2026-01``) or None."""
    value = (text or "").strip()
    match = re.match(r"^(\d{4})-(\d{1,2})$", value)
    if not match:
        return None
    value = f"{match.group(1)}-{int(match.group(2)):02d}"
    return value if _PERIOD.match(value) else None


def parse_day(text: str | None) -> date | None:
    """A ``YYYY-MM-DD`` date or None."""
    try:
        return date.fromisoformat((text or "").strip())
    except ValueError:
        return None
