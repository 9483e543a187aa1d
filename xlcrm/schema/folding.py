"""Folding of headers, sheet names and short texts, so real-world spellings match (SPEC §1)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACE = re.compile(r"\s+")
# A unit or remark in brackets, e.g. 预算(元), 预算（元）, 处理时长[小时]; NFKC has already folded （）.
_BRACKETED = re.compile(r"[(\[【][^)\]】]*[)\]】]")


def fold_text(value: str) -> str:
    """Full-width → half-width (NFKC) and trimmed; the base of every other fold."""
    return unicodedata.normalize("NFKC", value).strip()


@lru_cache(maxsize=4096)
def fold_header(value: str) -> str:
    """A header as compared: NFKC, no whitespace anywhere, no ``*`` marker, no bracketed unit,
    Latin letters lower-cased. ``' *预算（元） '`` → ``'预算'``."""
    text = _SPACE.sub("", fold_text(str(value)))
    text = text.strip("*")
    text = _BRACKETED.sub("", text)
    return text.strip("*").lower()


@lru_cache(maxsize=1024)
def fold_name(value: str) -> str:
    """A sheet name as compared: NFKC, no whitespace, lower-cased."""
    return _SPACE.sub("", fold_text(str(value))).lower()
