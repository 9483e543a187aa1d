"""User-facing language selection.

Messages are Chinese by default; English when ``--lang en`` is given or ``XLCRM_LANG=en``.
Every user-facing text is written as a ``(zh, en)`` pair and chosen here at display time.
"""

from __future__ import annotations

import os

_lang: str | None = None


def set_lang(lang: str | None) -> None:
    """Force the display language (``"zh"`` or ``"en"``); ``None`` goes back to the environment."""
    global _lang
    _lang = lang


def lang() -> str:
    """The language in force: the forced one, else ``XLCRM_LANG``, else Chinese."""
    if _lang:
        return _lang
    env = os.environ.get("XLCRM_LANG", "").strip().lower()
    return "en" if env.startswith("en") else "zh"


def tr(zh: str, en: str, **kwargs: object) -> str:
    """Pick the text for the current language and fill its ``{placeholders}``."""
    text = en if lang() == "en" else zh
    return text.format(**kwargs) if kwargs else text
