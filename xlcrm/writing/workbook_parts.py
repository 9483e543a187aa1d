"""Edits of the parts that list sheets and parts: workbook.xml, its relationships, the content
types, ``docProps/app.xml`` titles and ``docProps/core.xml``'s modified time."""

from __future__ import annotations

import posixpath
import re
from datetime import datetime, timezone

from .package import CT_WORKSHEET, NS_REL, Deflated, Package, SheetEntry, relative_target, rels_name
from .xmlbytes import end_tag, escape_attr, escape_text, get_attr, set_attr, start_tag

REL_TYPE_BASE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _insert_before_close(data: bytes, local: str, block: bytes) -> bytes:
    m = start_tag(local).search(data)
    if m is None:
        raise ValueError(f"no <{local}>")
    if m.group(2):
        return (
            data[: m.start()] + m.group(0)[:-2].rstrip() + b">" + block + end_tag(m.group(1), local) + data[m.end() :]
        )
    close = data.rfind(end_tag(m.group(1), local))
    return data[:close] + block + data[close:]


def add_relationship(pkg: Package, source_part: str, rel_type: str, target_part: str) -> str:
    """Add a relationship from ``source_part`` (creating its rels part if needed); returns its Id."""
    rels_part = rels_name(source_part)
    ids = {r.id for r in pkg.rels(source_part)}
    n = len(ids) + 1
    while f"rId{n}" in ids:
        n += 1
    rid = f"rId{n}"
    element = (
        f'<Relationship Id="{rid}" Type="{REL_TYPE_BASE}/{rel_type}" '
        f'Target="{escape_attr(relative_target(source_part, target_part))}"/>'
    ).encode()
    if pkg.has(rels_part):
        data = pkg.read(rels_part)
        m = start_tag("Relationships").search(data)
        prefix = m.group(1).decode() if m else ""
        if prefix:
            element = element.replace(b"<Relationship ", f"<{prefix}Relationship ".encode())
        pkg.set(rels_part, _insert_before_close(data, "Relationships", element))
    else:
        pkg.set(
            rels_part,
            b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + element
            + b"</Relationships>",
        )
    return rid


def add_override(pkg: Package, part: str, content_type: str) -> None:
    """Declare ``part``'s content type in ``[Content_Types].xml``."""
    data = pkg.read("[Content_Types].xml")
    if f'PartName="/{part}"'.encode() in data:
        return
    types = start_tag("Types").search(data)
    prefix = types.group(1).decode() if types else ""
    element = f'<{prefix}Override PartName="/{escape_attr(part)}" ContentType="{content_type}"/>'.encode()
    pkg.set("[Content_Types].xml", _insert_before_close(data, "Types", element))


def ensure_default(pkg: Package, extension: str, content_type: str) -> None:
    """Declare a content type for every part with ``extension`` (e.g. ``vml``) if none is."""
    data = pkg.read("[Content_Types].xml")
    for m in start_tag("Default").finditer(data):
        if (get_attr(m.group(0), "Extension") or "").lower() == extension:
            return
    types = start_tag("Types").search(data)
    prefix = types.group(1).decode() if types else ""
    element = f'<{prefix}Default Extension="{extension}" ContentType="{content_type}"/>'.encode()
    pkg.set("[Content_Types].xml", _insert_before_close(data, "Types", element))


def _rel_prefix(workbook: bytes) -> tuple[str, str]:
    """(prefix for the relationships namespace, extra declaration needed on a new element)."""
    root = start_tag("workbook").search(workbook)
    m = re.search(
        rb'xmlns:([A-Za-z_][\w.-]*)\s*=\s*["\']' + re.escape(NS_REL.encode()) + rb'["\']',
        root.group(0) if root else b"",
    )
    if m:
        return m.group(1).decode(), ""
    return "r", f' xmlns:r="{NS_REL}"'


def add_sheet(pkg: Package, name: str, content: bytes | Deflated, *, hidden: bool, first: bool = False) -> SheetEntry:
    """Add a worksheet part and list it in the workbook (at the end, or as the first tab)."""
    wb_part = pkg.workbook_part()
    folder = posixpath.dirname(wb_part)
    part = pkg.unused_name(posixpath.join(folder, "worksheets", "sheet{}.xml"))
    pkg.set(part, content)
    rid = add_relationship(pkg, wb_part, "worksheet", part)
    add_override(pkg, part, CT_WORKSHEET)
    data = pkg.read(wb_part)
    existing = pkg.sheets()
    sheet_id = max((s.sheet_id for s in existing), default=0) + 1
    sheets = start_tag("sheets").search(data)
    if sheets is None:
        raise pkg.corrupt("workbook.xml: no <sheets>")
    p = sheets.group(1).decode()
    rp, decl = _rel_prefix(data)
    state = ' state="hidden"' if hidden else ""
    element = f'<{p}sheet name="{escape_attr(name)}" sheetId="{sheet_id}"{state} {rp}:id="{rid}"{decl}/>'.encode()
    if first:
        data = data[: sheets.end()] + element + data[sheets.end() :]
        data = re.sub(rb'localSheetId="(\d+)"', lambda m: b'localSheetId="%d"' % (int(m.group(1)) + 1), data)
        view = start_tag("workbookView").search(data)
        if view is not None:
            tag = set_attr(set_attr(view.group(0), "activeTab", None), "firstSheet", None)
            data = data[: view.start()] + tag + data[view.end() :]
    else:
        data = _insert_before_close(data, "sheets", element)
    pkg.set(wb_part, data)
    _app_titles(pkg, name, first)
    return SheetEntry(name, sheet_id, rid, part, "hidden" if hidden else "visible", "worksheet")


def set_sheet_state(pkg: Package, name: str, state: str) -> None:
    """Set a listed sheet's ``state`` (``hidden`` / ``visible``)."""
    wb_part = pkg.workbook_part()
    data = pkg.read(wb_part)
    for m in start_tag("sheet").finditer(data):
        if get_attr(m.group(0), "name") == name:
            tag = set_attr(m.group(0), "state", None if state == "visible" else state)
            if tag != m.group(0):
                pkg.set(wb_part, data[: m.start()] + tag + data[m.end() :])
            return


def _app_titles(pkg: Package, name: str, first: bool) -> None:
    """Keep ``docProps/app.xml``'s sheet count and titles in step (best effort: left alone when
    its layout is not the usual one)."""
    app = next((r.part for r in pkg.rels("") if r.type.endswith("/extended-properties") and r.part), None)
    if not app or not pkg.has(app):
        return
    data = pkg.read(app)
    pairs = re.search(rb"<(\w+:)?HeadingPairs>.*?</\1?HeadingPairs>", data, re.S)
    titles = re.search(rb"<(\w+:)?TitlesOfParts>(.*?)</\1?TitlesOfParts>", data, re.S)
    if not pairs or not titles:
        return
    items = re.findall(rb"<(\w+:)?lpstr>(.*?)</\1?lpstr>|<(\w+:)?i4>(\d+)</\3?i4>", pairs.group(0), re.S)
    offset, count_pos = 0, None
    seq = [(m[1], m[3]) for m in items]
    for i in range(0, len(seq) - 1, 2):
        label, count = seq[i][0].decode(), seq[i + 1][1]
        if label in ("Worksheets", "工作表"):
            count_pos = (i, int(count))
            break
        offset += int(count or 0)
    if count_pos is None:
        return
    vec = re.search(rb"(<(\w+:)?vector\b[^>]*>)(.*)(</\2?vector>)", titles.group(2), re.S)
    if not vec:
        return
    entries = re.findall(rb"<(?:\w+:)?lpstr>.*?</(?:\w+:)?lpstr>|<(?:\w+:)?lpstr/>", vec.group(3), re.S)
    vp = vec.group(2) or b""
    at = offset if first else offset + count_pos[1]
    entries.insert(min(at, len(entries)), b"<" + vp + b"lpstr>" + escape_text(name).encode() + b"</" + vp + b"lpstr>")
    new_vec = set_attr(vec.group(1), "size", str(len(entries))) + b"".join(entries) + vec.group(4)
    new_titles = titles.group(0).replace(vec.group(0), new_vec, 1)
    i4 = list(re.finditer(rb"(<(?:\w+:)?i4>)(\d+)(</(?:\w+:)?i4>)", pairs.group(0)))
    target = i4[count_pos[0] // 2] if count_pos[0] // 2 < len(i4) else None
    new_pairs = pairs.group(0)
    if target is not None:
        new_pairs = (
            new_pairs[: target.start()]
            + target.group(1)
            + str(int(target.group(2)) + 1).encode()
            + target.group(3)
            + new_pairs[target.end() :]
        )
    data = data.replace(pairs.group(0), new_pairs, 1).replace(titles.group(0), new_titles, 1)
    pkg.set(app, data)


def touch_modified(pkg: Package, now: datetime | None = None) -> None:
    """Set ``dcterms:modified`` in the core properties to ``now`` (UTC)."""
    core = next((r.part for r in pkg.rels("") if r.type.endswith("/core-properties") and r.part), None)
    if not core or not pkg.has(core):
        return
    data = pkg.read(core)
    stamp = (now or datetime.now(timezone.utc)).astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    new = re.sub(
        rb"(<(\w+:)?modified\b[^>]*>)[^<]*(</\2?modified>)", lambda m: m.group(1) + stamp + m.group(3), data, count=1
    )
    if new != data:
        pkg.set(core, new)
