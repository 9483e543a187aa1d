"""Markdown escaping for report templates: staff text must print as typed, never as markup.

The Markdown environment escapes every ``{{ … }}`` output by default (``finalize``), so a team's
edited template cannot forget it; ``MdSafe`` marks text that is already Markdown (an image link,
the output of the ``md`` filter). ``|`` is escaped everywhere, so a table cell never splits.
"""

from __future__ import annotations

import re
from typing import Any

_SPECIAL = re.compile(r"([\\`*_\[\]<>|~#])")
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")  # "A&B" stays; "&amp;" would turn into "&"
_LIST_MARKER = re.compile(r"^(\s*)([-+]|\d+[.)])(?=\s|$)", re.M)
_RULE_LINE = re.compile(r"^(\s*)([-=])(?=[-=\s]*$)", re.M)  # setext underline / thematic break
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class MdSafe(str):
    """Text that is already Markdown and is printed as it is."""


def _escape(value: Any) -> str:
    s = _CONTROL.sub(" ", str(value).replace("\r\n", "\n").replace("\r", "\n"))
    s = _SPECIAL.sub(r"\\\1", s)
    s = _ENTITY.sub(r"\\&", s)
    s = _LIST_MARKER.sub(lambda m: f"{m.group(1)}{m.group(2)[:-1]}\\{m.group(2)[-1]}", s)
    return _RULE_LINE.sub(lambda m: f"{m.group(1)}\\{m.group(2)}", s)


def md_cell(value: Any) -> MdSafe:
    """Text for a table cell or a single line: escaped, line breaks as ``<br>``."""
    if isinstance(value, MdSafe):
        return value
    lines = [line.strip() for line in _escape(value).split("\n")]
    return MdSafe("<br>".join(lines))


def md_text(value: Any) -> MdSafe:
    """Text for a paragraph: escaped, each line kept (hard line breaks)."""
    if isinstance(value, MdSafe):
        return value
    lines = [line.strip() for line in _escape(value).split("\n")]
    return MdSafe("  \n".join(lines))


def finalize(value: Any) -> Any:
    """Every ``{{ … }}`` output of a Markdown template: escaped unless already Markdown."""
    if value is None:
        return ""
    if isinstance(value, (MdSafe, int, float)):
        return value
    return md_cell(value)


def image(title: str, path: str) -> MdSafe:
    """An image link; the path in ``<…>`` may hold spaces and Chinese characters."""
    return MdSafe(f"![{md_cell(title)}](<{path}>)")
