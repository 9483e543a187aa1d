"""Byte-level XML helpers for the package patcher.

The patcher edits parts as bytes so that everything it does not change stays byte for byte as it
was (namespace prefixes, attribute order and quoting, whitespace). These helpers find start tags,
read and set attributes, and escape text the way SpreadsheetML expects (XML escaping plus the
``_xHHHH_`` convention for characters XML 1.0 cannot hold).
"""

from __future__ import annotations

import re
from functools import cache
from html import unescape

# Attributes of a start tag: name = "value" | 'value' (a '>' may legally sit inside a value).
_ATTRS = rb"(?:\s+[^\s=/>]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*\s*"
_PREFIX = rb"((?:[A-Za-z_][\w.-]*:)?)"

# Characters XML 1.0 cannot carry, plus CR (a parser would fold it into LF).
_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0d\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_X_LITERAL = re.compile(r"_(x[0-9A-Fa-f]{4}_)")
_X_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


@cache
def start_tag(local: str) -> re.Pattern[bytes]:
    """A start (or empty-element) tag of ``local`` with any prefix.

    Groups: 1 = prefix with its colon (may be empty), 2 = '/' for an empty element."""
    return re.compile(rb"<" + _PREFIX + re.escape(local.encode()) + rb"(?=[\s/>])" + _ATTRS + rb"(/?)>")


@cache
def end_tag(prefix: bytes, local: str) -> bytes:
    """The closing tag bytes for ``local`` with ``prefix`` (``b'x:'`` or ``b''``)."""
    return b"</" + prefix + local.encode() + b">"


@cache
def _attr_pattern(name: str) -> re.Pattern[bytes]:
    return re.compile(rb"(\s)" + re.escape(name.encode()) + rb"\s*=\s*(\"([^\"]*)\"|'([^']*)')")


def get_attr(tag: bytes, name: str) -> str | None:
    """The unescaped value of attribute ``name`` in the start tag bytes ``tag``, or None."""
    m = _attr_pattern(name).search(tag)
    if m is None:
        return None
    raw = m.group(3) if m.group(3) is not None else m.group(4)
    return unescape(raw.decode("utf-8")) if b"&" in raw else raw.decode("utf-8")


def set_attr(tag: bytes, name: str, value: str | None) -> bytes:
    """``tag`` with attribute ``name`` set to ``value`` (added before the end, or removed if None)."""
    pattern = _attr_pattern(name)
    m = pattern.search(tag)
    if value is None:
        return tag if m is None else tag[: m.start()] + tag[m.end() :]
    new = f'{name}="{escape_attr(value)}"'.encode()
    if m is not None:
        return tag[: m.start()] + m.group(1) + new + tag[m.end() :]
    end = len(tag) - (2 if tag.endswith(b"/>") else 1)
    while end > 0 and tag[end - 1 : end].isspace():
        end -= 1
    return tag[:end] + b" " + new + tag[end:]


def escape_attr(value: str) -> str:
    """Escape a string for a double-quoted attribute value."""
    return (
        value.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("\n", "&#10;")
        .replace("\t", "&#9;")
    )


def escape_text(value: str) -> str:
    """Escape cell or comment text: ``_xHHHH_`` literals are protected, control characters encoded."""
    if "_x" in value:
        value = _X_LITERAL.sub(r"_x005F_\1", value)
    if _BAD_CHARS.search(value):
        value = _BAD_CHARS.sub(lambda m: f"_x{ord(m.group(0)):04X}_", value)
    if "&" in value or "<" in value or ">" in value:
        value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return value


def unescape_text(raw: bytes) -> str:
    """The string a SpreadsheetML text node stands for (XML entities and ``_xHHHH_`` decoded)."""
    text = raw.decode("utf-8")
    if "&" in text:
        text = unescape(text)
    if "_x" in text:
        text = _X_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    return text


def find_element(data: bytes, local: str, start: int = 0) -> tuple[int, int, bytes] | None:
    """(start, end, prefix) of the first ``local`` element at or after ``start`` (whole element)."""
    m = start_tag(local).search(data, start)
    if m is None:
        return None
    if m.group(2):
        return m.start(), m.end(), m.group(1)
    close = data.find(end_tag(m.group(1), local), m.end())
    if close < 0:
        return None
    return m.start(), close + len(end_tag(m.group(1), local)), m.group(1)


def append_children(data: bytes, local: str, children: bytes, added: int) -> bytes | None:
    """``data`` with ``children`` appended inside the first ``local`` element and its ``count``
    attribute raised by ``added``; None when there is no such element."""
    m = start_tag(local).search(data)
    if m is None:
        return None
    tag = m.group(0)
    count = get_attr(tag, "count")
    if count is not None and count.isdigit():
        tag = set_attr(tag, "count", str(int(count) + added))
    if m.group(2):  # <x/> → <x>children</x>
        open_tag = tag[:-2].rstrip() + b">"
        return data[: m.start()] + open_tag + children + end_tag(m.group(1), local) + data[m.end() :]
    close = data.find(end_tag(m.group(1), local), m.end())
    if close < 0:
        return None
    return data[: m.start()] + tag + data[m.end() : close] + children + data[close:]


def text_of(element: bytes, local: str = "t") -> str:
    """Concatenated text of every ``local`` child (e.g. the ``<t>`` runs of rich text)."""
    out = []
    pattern = start_tag(local)
    pos = 0
    while True:
        m = pattern.search(element, pos)
        if m is None:
            break
        if m.group(2):
            pos = m.end()
            continue
        close = element.find(end_tag(m.group(1), local), m.end())
        if close < 0:
            break
        out.append(unescape_text(element[m.end() : close]))
        pos = close
    return "".join(out)
