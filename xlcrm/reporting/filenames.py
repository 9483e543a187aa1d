"""Report file names that are safe on every file system (SPEC §5 ``report``).

Names come from workbook data (活动名称, 客户经理 …), so they may hold path separators, ``..``,
characters Windows forbids, control characters or reserved device names. The result is a single
path component that stays inside the output folder on Windows, macOS and Linux; Chinese text is
kept as it is.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from pathvalidate import sanitize_filename

UNNAMED = "未命名"
MAX_BYTES = 255  # ext4 and APFS limit a name to 255 UTF-8 bytes

_RESERVED = (
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$", "CLOCK$"}
    | {f"COM{i}" for i in range(10)}
    | {f"LPT{i}" for i in range(10)}
    | {f"COM{d}" for d in "¹²³"}
    | {f"LPT{d}" for d in "¹²³"}
)
_SEPARATORS = re.compile(r"[/\\]")
_DOT_RUNS = re.compile(r"\.{2,}")
_UNDERSCORE_RUNS = re.compile(r"_{2,}")
_EDGES = " ._"  # stripped from both ends: hidden files, Windows trailing dots and spaces
_EXT_CHARS = re.compile(r"[^0-9A-Za-z]")


def _replace_unsafe_characters(name: str) -> str:
    out = []
    for char in name:
        category = unicodedata.category(char)
        if category == "Cf":  # invisible format characters (e.g. RTL override spoofing)
            continue
        out.append("_" if category in {"Cc", "Cs", "Zl", "Zp"} else char)
    return "".join(out)


def _tidy(name: str) -> str:
    name = _SEPARATORS.sub("_", name)
    name = _DOT_RUNS.sub("_", name)
    name = _UNDERSCORE_RUNS.sub("_", name)
    return name.strip(_EDGES)


def _unreserve(name: str) -> str:
    # Windows reserves CON, NUL … also with any extension ("CON.txt")
    stem, dot, rest = name.partition(".")
    if stem.rstrip(" ").upper() in _RESERVED:
        return f"{stem}_{dot}{rest}"
    return name


def _truncate(name: str, max_chars: int, max_bytes: int) -> str:
    name = name[: max(max_chars, 0)]
    while len(name.encode("utf-8")) > max_bytes:
        name = name[:-1]
    return name.rstrip(_EDGES)


def _clean(name: str, max_len: int) -> str:
    """The safe form of ``name``; empty when nothing usable is left."""
    text = unicodedata.normalize("NFC", str(name))
    text = _tidy(_replace_unsafe_characters(text))
    text = sanitize_filename(text, replacement_text="_", platform="universal", max_len=MAX_BYTES)
    return _truncate(_tidy(text), max_len, MAX_BYTES)


def safe_filename(name: str, max_len: int = 120) -> str:
    """``name`` made into one safe path component of at most ``max_len`` characters.

    Separators, ``..``, forbidden and control characters become ``_`` (runs collapsed); leading
    and trailing dots, spaces and ``_`` go; Windows device names get a ``_``; an empty result is
    ``未命名``. Chinese characters are kept.
    """
    return _unreserve(_clean(name, max_len) or UNNAMED)


def report_filename(parts: Sequence[str], ext: str, max_len: int = 120) -> str:
    """A report file name: the non-blank ``parts`` joined with ``_``, then ``.ext``.

    ``["活动复盘", "HD2024001", "中秋客户关怀"], "docx"`` gives
    ``活动复盘_HD2024001_中秋客户关怀.docx``. When too long, the end of the name is cut and the
    extension kept.
    """
    suffix = _EXT_CHARS.sub("", ext)
    suffix = f".{suffix.lower()}" if suffix else ""
    cleaned = [_clean(part, max_len) for part in parts]
    stem = "_".join(part for part in cleaned if part)
    stem = _truncate(stem, max_len - len(suffix), MAX_BYTES - len(suffix.encode()))
    return _unreserve((stem or UNNAMED) + suffix)
