"""Comma lists of choices on the command line and in the library (``--format md,docx``)."""

from __future__ import annotations

from collections.abc import Sequence


def pick_choices(text: str | None, allowed: Sequence[str]) -> tuple[str, ...] | None:
    """``"docx, MD"`` → the chosen names in ``allowed``'s order; None when the list is empty or
    names something not allowed (the caller says so in its own words)."""
    parts = [p.strip().lower() for p in (text or "").split(",") if p.strip()]
    if not parts or any(p not in allowed for p in parts):
        return None
    return tuple(f for f in allowed if f in parts)
