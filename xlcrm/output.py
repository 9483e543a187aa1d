"""Text rendering of validation results for the terminal (SPEC §5 validate)."""

from __future__ import annotations

import json
import math
import os
import re
import sys
from typing import Any, TextIO

from .i18n import tr
from .issues import FileReport

_COLORS = {"error": "\033[31m", "warning": "\033[33m", "info": "\033[36m"}
_RESET = "\033[0m"


def use_color(stream: TextIO) -> bool:
    """Colour only on a real terminal, and never when NO_COLOR is set or in CI."""
    return stream.isatty() and not os.environ.get("NO_COLOR") and not os.environ.get("CI")


# C0/C1 control characters and the bidirectional overrides that can reorder what a terminal shows
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape_char(match: re.Match[str]) -> str:
    ch = match.group()
    return _NAMED.get(ch) or (f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}")


def printable(text: object) -> str:
    """``text`` safe for a terminal: control characters (ESC sequences, bells …) shown escaped, e.g. ``\\x1b``."""
    return _UNPRINTABLE.sub(_escape_char, str(text))


def printable_lines(text: object) -> str:
    """Like ``printable`` but keeps line breaks (for multi-line messages)."""
    return "\n".join(printable(line) for line in str(text).split("\n"))


def finite(value: Any) -> Any:
    """A copy of a JSON-ready value with every non-finite float (NaN, ±Infinity) turned into null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [finite(v) for v in value]
    return value


def strict_json(document: Any) -> str:
    """Strict JSON (RFC 8259: no NaN or Infinity) with Chinese kept readable and no raw control character."""
    text = json.dumps(finite(document), ensure_ascii=False, indent=2, allow_nan=False)
    # json escapes U+0000–U+001F itself; DEL, the C1 range and bidi overrides are legal JSON but not for a terminal
    return re.sub("[\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]", lambda m: f"\\u{ord(m.group()):04x}", text)


INFO_SHOWN = 3  # notes of one code per sheet listed before the rest are summarised


def format_text(reports: list[FileReport], strict: bool = False, color: bool = False) -> str:
    """Problems grouped by sheet, ``Sheet!A1 severity code message``, then counts per file.

    Errors and warnings are always listed in full; notes (info) beyond a few of the same code in
    one sheet are summarised in one line, so 200 pending IDs do not bury a real error.
    """
    out: list[str] = []
    for report in reports:
        out.append(f"== {printable(report.path)}")
        current: object = object()
        shown: dict[tuple[str | None, str], int] = {}
        totals: dict[tuple[str | None, str], int] = {}
        for issue in report.issues:
            if issue.severity == "info":
                totals[(issue.sheet, issue.code)] = totals.get((issue.sheet, issue.code), 0) + 1
        for issue in report.issues:
            if issue.sheet != current:
                current = issue.sheet
                out.append(f"[{printable(issue.sheet or tr('工作簿', 'workbook'))}]")
            if issue.severity == "info":
                key = (issue.sheet, issue.code)
                shown[key] = shown.get(key, 0) + 1
                if shown[key] > INFO_SHOWN:
                    if shown[key] == totals[key]:
                        out.append(
                            tr(
                                "…… 另有 {n} 条同类提示（{c}），完整列表见 --format json 或 --annotate",
                                "… {n} more notes ({c}); see --format json or --annotate",
                                n=totals[key] - INFO_SHOWN,
                                c=issue.code,
                            )
                        )
                    continue
            where = printable(f"{issue.sheet}!{issue.cell}" if issue.cell else (issue.sheet or "-"))
            sev = issue.severity
            if color:
                sev = f"{_COLORS.get(sev, '')}{sev}{_RESET}"
            out.append(f"{where} {sev} {issue.code} {printable(issue.message)}")
        verdict = tr("通过", "OK") if report.ok(strict) else tr("未通过", "FAILED")
        out.append(
            tr(
                "{p}：{e} 个错误，{w} 个警告，{i} 条提示 —— {v}",
                "{p}: {e} errors, {w} warnings, {i} notes — {v}",
                p=printable(report.path),
                e=report.errors,
                w=report.warnings,
                i=report.infos,
                v=verdict,
            )
        )
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def format_json(reports: list[FileReport], strict: bool = False) -> str:
    """SPEC §5 validate's JSON document, always strict JSON."""
    return strict_json({"files": [r.to_dict(strict) for r in reports]}) + "\n"


def write(text: str, stream: TextIO | None = None) -> None:
    """Write to ``stream`` (standard output, looked up at call time) and flush."""
    stream = stream or sys.stdout
    stream.write(text)
    stream.flush()
