"""Report file names that are safe on every file system (SPEC §5 ``report``).

Names come from workbook data (活动名称, 客户经理 …), so they may hold path separators, ``..``,
characters Windows forbids, control characters or reserved device names. The result is a single
path component that stays inside the output folder on Windows, macOS and Linux; Chinese text is
kept as it is.

pathvalidate (``platform="universal"``) does the portable part: forbidden characters, Windows
device names (``CON`` → ``CON_``), trailing dots and spaces, and the length in UTF-8 *bytes*. What
it leaves alone and we still fold: ``..`` runs, runs of ``_``, invisible format characters
(right-to-left override spoofing an extension). Every component xlcrm derives from a report name
(``<stem>_图表`` folders, appendices) fits in 255 bytes: stems keep ``TAIL_BYTES`` in reserve.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from pathvalidate import sanitize_filename

UNNAMED = "未命名"
MAX_BYTES = 255  # ext4, APFS and NTFS (in UTF-16 units, which is never tighter) limit one name
TAIL_BYTES = 24  # room for what is appended to a report stem: "_图表", "_清单.xlsx", ".docx"

_SEPARATORS = re.compile(r"[/\\]")
_DOT_RUNS = re.compile(r"\.{2,}")
_UNDERSCORE_RUNS = re.compile(r"_{2,}")
_EDGES = " ._"  # stripped from both ends: hidden files, Windows trailing dots and spaces
_EXT_CHARS = re.compile(r"[^0-9A-Za-z]")


def _drop_invisible(name: str) -> str:
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


def _portable(name: str, max_bytes: int) -> str:
    """pathvalidate's universal sanitising (forbidden characters, device names, byte length)."""
    return sanitize_filename(name, replacement_text="_", platform="universal", max_len=max(max_bytes, 1))


def _truncate(name: str, max_chars: int) -> str:
    return name[: max(max_chars, 0)].rstrip(_EDGES)


def _clean(name: str, max_len: int, max_bytes: int) -> str:
    """The safe form of ``name`` before the device-name check; empty when nothing is left."""
    text = unicodedata.normalize("NFC", str(name))
    text = _tidy(_drop_invisible(text))
    text = _tidy(_portable(text, max_bytes))
    return _tidy(_truncate(text, max_len))


def safe_filename(name: str, max_len: int = 120) -> str:
    """``name`` made into one safe path component of at most ``max_len`` characters and 255 bytes.

    Separators, ``..``, forbidden and control characters become ``_`` (runs collapsed); leading
    and trailing dots, spaces and ``_`` go; Windows device names get a ``_``; an empty result is
    ``未命名``. Chinese characters are kept.
    """
    cleaned = _clean(name, max_len, MAX_BYTES) or UNNAMED
    return _portable(cleaned, MAX_BYTES)


def report_filename(parts: Sequence[str], ext: str, max_len: int = 120) -> str:
    """A report file name: the non-blank ``parts`` joined with ``_``, then ``.ext``.

    ``["活动复盘", "HD2024001", "中秋客户关怀"], "docx"`` gives
    ``活动复盘_HD2024001_中秋客户关怀.docx``. When too long, the end of the name is cut and the
    extension kept; the stem leaves ``TAIL_BYTES`` free, so ``<stem>_图表`` fits too.
    """
    suffix = _EXT_CHARS.sub("", ext)
    suffix = f".{suffix.lower()}" if suffix else ""
    budget = MAX_BYTES - TAIL_BYTES
    cleaned = [_clean(part, max_len, budget) for part in parts]
    stem = _clean("_".join(part for part in cleaned if part), max_len - len(suffix), budget) or UNNAMED
    return _portable(stem + suffix, MAX_BYTES)
