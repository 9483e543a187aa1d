"""Append the style entries new cells need to ``styles.xml``, never renumbering existing ones.

A cell xlcrm writes keeps its own look and gains only what it needs (a number format, a mark
fill, the computed-header look): the new ``<xf>`` is a copy of the cell's current one with those
attributes changed. An entry equal to an existing one is reused, so running twice adds nothing.
"""

from __future__ import annotations

from .xmlbytes import append_children, end_tag, escape_attr, get_attr, set_attr, start_tag

# Number formats every spreadsheet program knows by id (ECMA-376 §18.8.30, locale-independent ones).
BUILTIN_FORMATS = {
    "General": 0,
    "0": 1,
    "0.00": 2,
    "#,##0": 3,
    "#,##0.00": 4,
    "0%": 9,
    "0.00%": 10,
    "0.00E+00": 11,
    "# ?/?": 12,
    "# ??/??": 13,
    "h:mm AM/PM": 18,
    "h:mm:ss AM/PM": 19,
    "h:mm": 20,
    "h:mm:ss": 21,
    "#,##0 ;(#,##0)": 37,
    "mm:ss": 45,
    "[h]:mm:ss": 46,
    "@": 49,
}
_ORDER = ("numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs")


def _children(data: bytes, container: str, child: str) -> list[bytes]:
    m = start_tag(container).search(data)
    if m is None or m.group(2):
        return []
    close = data.find(end_tag(m.group(1), container), m.end())
    region = data[m.end() : close if close >= 0 else len(data)]
    out: list[bytes] = []
    pos = 0
    pattern = start_tag(child)
    while (c := pattern.search(region, pos)) is not None:
        if c.group(2):
            end = c.end()
        else:
            e = region.find(end_tag(c.group(1), child), c.end())
            end = e + len(end_tag(c.group(1), child)) if e >= 0 else c.end()
        out.append(region[c.start() : end])
        pos = end
    return out


class StylesPatch:
    """Pending additions to one styles part."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        m = start_tag("styleSheet").search(data)
        self.prefix = m.group(1) if m else b""
        self.xfs = _children(data, "cellXfs", "xf")
        self.lists = {name: _children(data, name + "s", name) for name in ("font", "fill", "border")}
        self.added: dict[str, list[bytes]] = {"font": [], "fill": [], "border": [], "xf": [], "numFmt": []}
        self.formats: dict[str, int] = {}
        for fmt in _children(data, "numFmts", "numFmt"):
            fid, code = get_attr(fmt, "numFmtId"), get_attr(fmt, "formatCode")
            if fid and fid.isdigit() and code is not None:
                self.formats.setdefault(code, int(fid))
        self._cache: dict[tuple[object, ...], int] = {}

    def tag(self, xml: str) -> bytes:
        """Our element XML (written without prefix) with the part's prefix on every element."""
        p = self.prefix.decode()
        return xml.replace("<", "<" + p).replace("<" + p + "/", "</" + p).encode() if p else xml.encode()

    def number_format(self, code: str) -> int:
        """The numFmtId of ``code``: built-in, existing or newly added."""
        if code in BUILTIN_FORMATS:
            return BUILTIN_FORMATS[code]
        if code not in self.formats:
            used = list(self.formats.values()) + [163]
            fid = max(used) + 1
            self.formats[code] = fid
            self.added["numFmt"].append(self.tag(f'<numFmt numFmtId="{fid}" formatCode="{escape_attr(code)}"/>'))
        return self.formats[code]

    def _entry(self, kind: str, xml: str) -> int:
        element = self.tag(xml)
        existing = self.lists[kind]
        for i, old in enumerate(existing + self.added[kind]):
            if old == element:
                return i
        self.added[kind].append(element)
        return len(existing) + len(self.added[kind]) - 1

    def font(self, xml: str) -> int:
        return self._entry("font", xml)

    def fill(self, rgb: str) -> int:
        """A solid pattern fill of colour ``rgb`` (e.g. ``FFC7CE``)."""
        return self._entry(
            "fill",
            f'<fill><patternFill patternType="solid"><fgColor rgb="FF{rgb}"/>'
            f'<bgColor indexed="64"/></patternFill></fill>',
        )

    def border(self, xml: str) -> int:
        return self._entry("border", xml)

    def fill_color(self, xf_index: int) -> str | None:
        """The fgColor rgb of the fill an xf uses, if any (used to recognise xlcrm's marks)."""
        xf = self.xf_bytes(xf_index)
        fid = get_attr(xf, "fillId") if xf else None
        fills = self.lists["fill"] + self.added["fill"]
        if not fid or not fid.isdigit() or int(fid) >= len(fills):
            return None
        m = start_tag("fgColor").search(fills[int(fid)])
        return get_attr(m.group(0), "rgb") if m else None

    def xf_bytes(self, index: int) -> bytes | None:
        all_xfs = self.xfs + self.added["xf"]
        return all_xfs[index] if 0 <= index < len(all_xfs) else None

    def derive(
        self,
        base: int,
        *,
        number_format: str | None = None,
        fill: int | None = None,
        font: int | None = None,
        border: int | None = None,
        alignment: str | None = None,
        reuse: set[int] | None = None,
    ) -> int:
        """The index of an xf like ``base`` with the given parts replaced (reused when it exists;
        with ``reuse``, only those existing entries may be reused, besides ``base`` itself)."""
        key = (base, number_format, fill, font, border, alignment, frozenset(reuse) if reuse is not None else None)
        if key in self._cache:
            return self._cache[key]
        xf = (
            self.xf_bytes(base)
            or self.xf_bytes(0)
            or self.tag('<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>')
        )
        m = start_tag("xf").match(xf)
        assert m is not None
        tag, rest = m.group(0), xf[m.end() :]
        for attr, apply, value in (
            ("numFmtId", "applyNumberFormat", self.number_format(number_format) if number_format else None),
            ("fillId", "applyFill", fill),
            ("fontId", "applyFont", font),
            ("borderId", "applyBorder", border),
        ):
            if value is not None:
                tag = set_attr(set_attr(tag, attr, str(value)), apply, "1")
        if alignment is not None:
            tag = set_attr(tag, "applyAlignment", "1")
            align = self.tag(alignment)
            old = start_tag("alignment").search(rest)
            if m.group(2):
                tag, rest = tag[:-2].rstrip() + b">", align + end_tag(m.group(1), "xf")
            elif old is not None:
                end = (
                    old.end()
                    if old.group(2)
                    else rest.find(end_tag(old.group(1), "alignment"), old.end())
                    + len(end_tag(old.group(1), "alignment"))
                )
                rest = rest[: old.start()] + align + rest[end:]
            else:
                rest = align + rest
        new = tag + rest
        allowed = (lambda i: True) if reuse is None else (lambda i: i in reuse or i >= len(self.xfs))
        index = (
            base
            if new == xf
            else next((i for i, x in enumerate(self.xfs + self.added["xf"]) if x == new and allowed(i)), -1)
        )
        if index < 0:
            self.added["xf"].append(new)
            index = len(self.xfs) + len(self.added["xf"]) - 1
        self._cache[key] = index
        return index

    def result(self) -> bytes | None:
        """The new styles part, or None when nothing was added."""
        if not any(self.added.values()):
            return None
        data = self.data
        for container, kind in (
            ("numFmts", "numFmt"),
            ("fonts", "font"),
            ("fills", "fill"),
            ("borders", "border"),
            ("cellXfs", "xf"),
        ):
            items = self.added[kind]
            if not items:
                continue
            new = append_children(data, container, b"".join(items), len(items))
            if new is None:
                new = self._insert_container(data, container, items)
            data = new
        return data

    def _insert_container(self, data: bytes, container: str, items: list[bytes]) -> bytes:
        p = self.prefix.decode()
        block = f'<{p}{container} count="{len(items)}">'.encode() + b"".join(items) + f"</{p}{container}>".encode()
        for later in _ORDER[_ORDER.index(container) + 1 :]:
            m = start_tag(later).search(data)
            if m is not None:
                return data[: m.start()] + block + data[m.start() :]
        m = start_tag("styleSheet").search(data)
        assert m is not None
        return data[: m.end()] + block + data[m.end() :]
