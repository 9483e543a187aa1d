"""Report contexts: one function per report kind, from ``Derived`` to plain dicts (SPEC §6).

A context holds display text only (numbers already formatted, ``120.0%``), nested dicts and
lists, so it pickles into a worker process and renders the same in Markdown and Word. Staff text
is kept verbatim; each template escapes it for its format. Empty sections keep their heading and
say so (the templates print ``本期无……``).
"""

from __future__ import annotations

from .campaign import VERDICT_EXCEEDED, VERDICT_MET, VERDICT_MISSED, campaign_context, verdict
from .monthly import month_bounds, monthly_context, period_label, shift_month

__all__ = [
    "VERDICT_EXCEEDED",
    "VERDICT_MET",
    "VERDICT_MISSED",
    "campaign_context",
    "month_bounds",
    "monthly_context",
    "period_label",
    "shift_month",
    "verdict",
]
