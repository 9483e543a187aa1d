"""Cell comments (notes) on a worksheet: the legacy comments part and its VML drawing.

A sheet that already has comments keeps them: xlcrm's notes are merged into its comments part and
VML drawing. Notes by ``author`` are removed first (so annotating twice leaves one set), and a
cell that carries someone else's note keeps it and gets no xlcrm note.
"""

from __future__ import annotations

import posixpath
import re

from .cellxml import split_ref
from .package import CT_COMMENTS, CT_VML, REL_COMMENTS, REL_VML
from .patcher import WorkbookPatcher
from .workbook_parts import add_override, add_relationship, ensure_default
from .xmlbytes import end_tag, escape_text, get_attr, start_tag, text_of

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_SHAPE = re.compile(rb"<v:shape\b(?:(?!<v:shape\b).)*?</v:shape>", re.S)
_VML_ROW = re.compile(rb"<x:Row>\s*(\d+)\s*</x:Row>")
_VML_COL = re.compile(rb"<x:Column>\s*(\d+)\s*</x:Column>")
_AFTER_LEGACY = (
    "legacyDrawingHF",
    "drawingHF",
    "picture",
    "oleObjects",
    "controls",
    "webPublishItems",
    "tableParts",
    "extLst",
    "AlternateContent",
)
_SHAPETYPE = (
    b'<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe">'
    b'<v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>'
)


def _comment_elements(data: bytes) -> list[tuple[int, int, bytes]]:
    out = []
    pattern = start_tag("comment")
    pos = 0
    while (m := pattern.search(data, pos)) is not None:
        if m.group(2):
            end = m.end()
        else:
            e = data.find(end_tag(m.group(1), "comment"), m.end())
            end = e + len(end_tag(m.group(1), "comment")) if e >= 0 else m.end()
        out.append((m.start(), end, m.group(0)))
        pos = end
    return out


def _authors(data: bytes) -> list[str]:
    m = start_tag("authors").search(data)
    if m is None or m.group(2):
        return []
    close = data.find(end_tag(m.group(1), "authors"), m.end())
    region = data[m.end() : close]
    names = []
    pattern = start_tag("author")
    pos = 0
    while (a := pattern.search(region, pos)) is not None:
        if a.group(2):
            names.append("")
            pos = a.end()
            continue
        e = region.find(end_tag(a.group(1), "author"), a.end())
        names.append(text_of(b"<t>" + region[a.end() : e] + b"</t>"))
        pos = e
    return names


def _shape(shape_id: int, row: int, col: int, lines: int) -> bytes:
    height = min(8, 2 + lines)
    anchor = f"{col + 1}, 15, {max(row - 1, 0)}, 10, {col + 4}, 15, {max(row - 1, 0) + height}, 4"
    return (
        f'<v:shape id="_x0000_s{shape_id}" type="#_x0000_t202" style="position:absolute;margin-left:80pt;'
        f'margin-top:2pt;width:220pt;height:{30 + 14 * lines}pt;z-index:{shape_id % 1024};visibility:hidden" '
        'fillcolor="#ffffe1" o:insetmode="auto"><v:fill color2="#ffffe1"/><v:shadow on="t" color="black" '
        'obscured="t"/><v:path o:connecttype="none"/><v:textbox style="mso-direction-alt:auto">'
        '<div style="text-align:left"></div></v:textbox><x:ClientData ObjectType="Note"><x:MoveWithCells/>'
        f"<x:SizeWithCells/><x:Anchor>{anchor}</x:Anchor><x:AutoFill>False</x:AutoFill>"
        f"<x:Row>{row - 1}</x:Row><x:Column>{col - 1}</x:Column></x:ClientData></v:shape>"
    ).encode()


def _next_idmap(patcher: WorkbookPatcher) -> int:
    used = [0]
    for name in patcher.pkg.zf.namelist() + patcher.pkg.added:
        if name.lower().endswith(".vml"):
            for m in re.finditer(rb'idmap[^>]*data="([\d,\s]+)"', patcher.pkg.read(name)):
                used += [int(x) for x in re.findall(rb"\d+", m.group(1))]
    return max(used) + 1


def _legacy_drawing_edit(rid: str) -> object:
    def edit(tail: bytes) -> bytes:
        root_close = re.search(rb"</((?:[A-Za-z_][\w.-]*:)?)worksheet>", tail)
        p = root_close.group(1).decode() if root_close else ""
        element = f'<{p}legacyDrawing xmlns:r="{NS_REL}" r:id="{rid}"/>'.encode()
        positions = [m.start() for local in _AFTER_LEGACY if (m := start_tag(local).search(tail))]
        at = min(positions) if positions else (root_close.start() if root_close else len(tail))
        return tail[:at] + element + tail[at:]

    return edit


def set_notes(
    patcher: WorkbookPatcher, sheet_name: str, notes: dict[str, str], author: str, replace: bool = True
) -> None:
    """Replace ``author``'s notes on a sheet with ``notes`` (A1 ref → text); with ``replace``
    False, add ``notes`` and keep every note already there."""
    entry = patcher.entry(sheet_name)
    if entry is None or entry.part is None:
        return
    pkg, part = patcher.pkg, entry.part
    comments_rel = pkg.rel_of_type(part, REL_COMMENTS)
    vml_rel = pkg.rel_of_type(part, REL_VML)
    comments = (
        pkg.read(comments_rel.part) if comments_rel and comments_rel.part and pkg.has(comments_rel.part) else None
    )
    vml = pkg.read(vml_rel.part) if vml_rel and vml_rel.part and pkg.has(vml_rel.part) else None
    removed: set[str] = set()
    kept: set[str] = set()
    authors = _authors(comments) if comments else []
    if comments is not None:
        ours = {str(i) for i, a in enumerate(authors) if a == author} if replace else set()
        for start, end, tag in reversed(_comment_elements(comments)):
            ref = get_attr(tag, "ref") or ""
            if (get_attr(tag, "authorId") or "0") in ours:
                removed.add(ref)
                comments = comments[:start] + comments[end:]
            else:
                kept.add(ref)
    new = {ref: text for ref, text in notes.items() if ref not in kept and split_ref(ref)}
    if not removed and not new:
        return
    if comments is None:
        comments = (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<comments xmlns="{NS_MAIN}">'
            "<authors></authors><commentList></commentList></comments>"
        ).encode()
    p = (start_tag("comments").search(comments).group(1) or b"").decode()  # type: ignore[union-attr]
    if new and author not in authors:
        block = f"<{p}author>{escape_text(author)}</{p}author>".encode()
        m = start_tag("authors").search(comments)
        if m is not None and m.group(2):
            comments = (
                comments[: m.start()]
                + f"<{p}authors>".encode()
                + block
                + f"</{p}authors>".encode()
                + comments[m.end() :]
            )
        else:
            close = comments.find(f"</{p}authors>".encode())
            comments = comments[:close] + block + comments[close:]
        authors.append(author)
    author_id = authors.index(author) if author in authors else 0
    items = b"".join(
        f'<{p}comment ref="{ref}" authorId="{author_id}"><{p}text><{p}t xml:space="preserve">{escape_text(text)}'
        f"</{p}t></{p}text></{p}comment>".encode()
        for ref, text in sorted(new.items(), key=lambda kv: split_ref(kv[0]) or (0, 0))
    )
    m = start_tag("commentList").search(comments)
    if m is not None and m.group(2):
        comments = (
            comments[: m.start()]
            + f"<{p}commentList>".encode()
            + items
            + f"</{p}commentList>".encode()
            + comments[m.end() :]
        )
    elif m is not None:
        close = comments.rfind(f"</{p}commentList>".encode())
        comments = comments[:close] + items + comments[close:]
    vml = _merge_vml(patcher, vml, removed, new)
    folder = posixpath.dirname(patcher.workbook_part)
    if comments_rel and comments_rel.part and pkg.has(comments_rel.part):
        pkg.set(comments_rel.part, comments)
    else:
        cpart = pkg.unused_name(posixpath.join(folder, "comments{}.xml"))
        pkg.set(cpart, comments)
        add_relationship(pkg, part, "comments", cpart)
        add_override(pkg, cpart, CT_COMMENTS)
    if vml_rel and vml_rel.part and pkg.has(vml_rel.part):
        pkg.set(vml_rel.part, vml)
    else:
        vpart = pkg.unused_name(posixpath.join(folder, "drawings", "vmlDrawing{}.vml"))
        pkg.set(vpart, vml)
        ensure_default(pkg, "vml", CT_VML)
        rid = add_relationship(pkg, part, "vmlDrawing", vpart)
        patcher.sheet(sheet_name).tail = _legacy_drawing_edit(rid)  # type: ignore[assignment]


def _merge_vml(patcher: WorkbookPatcher, vml: bytes | None, removed: set[str], new: dict[str, str]) -> bytes:
    if vml is None:
        idmap = _next_idmap(patcher)
        vml = (
            (
                f'<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
                f'xmlns:x="urn:schemas-microsoft-com:office:excel"><o:shapelayout v:ext="edit"><o:idmap v:ext="edit" '
                f'data="{idmap}"/></o:shapelayout>'
            ).encode()
            + _SHAPETYPE
            + b"</xml>"
        )
    cells = {split_ref(r) for r in removed}

    def drop(m: re.Match[bytes]) -> bytes:
        shape = m.group(0)
        if b'ObjectType="Note"' not in shape:
            return shape
        r, c = _VML_ROW.search(shape), _VML_COL.search(shape)
        if r and c and (int(r.group(1)) + 1, int(c.group(1)) + 1) in cells:
            return b""
        return shape

    if cells:
        vml = _SHAPE.sub(drop, vml)
    if not new:
        return vml
    if b'id="_x0000_t202"' not in vml:
        close = vml.rfind(b"</xml>")
        vml = vml[:close] + _SHAPETYPE + vml[close:]
    ids = [int(x) for x in re.findall(rb"_x0000_s(\d+)", vml)]
    idmap_tag = re.search(rb'idmap[^>]*data="(\d+)', vml)
    next_id = max(ids + [int(idmap_tag.group(1)) * 1024 if idmap_tag else 1024]) + 1
    shapes = []
    for ref, text in sorted(new.items(), key=lambda kv: split_ref(kv[0]) or (0, 0)):
        row, col = split_ref(ref) or (1, 1)
        shapes.append(_shape(next_id, row, col, text.count("\n") + 1))
        next_id += 1
    close = vml.rfind(b"</xml>")
    return vml[:close] + b"".join(shapes) + vml[close:]
