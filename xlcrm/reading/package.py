"""Where the parts of an .xlsx package are (OPC, ECMA-376 Part 2), for every scan of our own.

A package names its main part in ``_rels/.rels`` (the ``officeDocument`` relationship); Excel
writes ``xl/workbook.xml`` but a valid package may keep it anywhere. Part names compare
case-insensitively (Part 2, 6.2.2.3), so a relationship to ``sharedStrings.xml`` is satisfied by
a zip entry ``xl/SharedStrings.xml``. Everything here resolves names that way; nothing parses
cell data.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass, field

from defusedxml import ElementTree as SafeET

DEFAULT_WORKBOOK = "xl/workbook.xml"
NS_MAIN = (
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "http://purl.oclc.org/ooxml/spreadsheetml/main",
)
NS_REL = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "http://purl.oclc.org/ooxml/officeDocument/relationships",
)
_OFFICE_DOCUMENT = "/officeDocument"


class PackageError(Exception):
    """The package's structure cannot be followed (the message is a Chinese reason)."""


@dataclass
class Layout:
    """The resolved parts: the workbook part, its relationships part, and each sheet's part.

    ``targets`` maps every internal relationship target of the workbook to the zip entry that
    holds it (resolved case-insensitively); ``sheets`` maps sheet name → zip entry.
    """

    workbook: str
    workbook_rels: str | None
    targets: dict[str, str] = field(default_factory=dict)
    sheets: dict[str, str] = field(default_factory=dict)

    @property
    def canonical(self) -> bool:
        """True when the parts sit where readers that ignore ``_rels/.rels`` look for them."""
        return (
            self.workbook == DEFAULT_WORKBOOK
            and self.workbook_rels == "xl/_rels/workbook.xml.rels"
            and all(self._exact(t, e) for t, e in self.targets.items())
        )

    def _exact(self, target: str, entry: str) -> bool:
        return resolve(self.workbook, target) == entry


def find_entry(names: dict[str, str], part: str) -> str | None:
    """The zip entry for *part* (no leading slash), compared case-insensitively; *names* maps
    lower-cased entry names to entry names (see ``entry_index``)."""
    return names.get(part.lstrip("/").lower())


def entry_index(zf: zipfile.ZipFile) -> dict[str, str]:
    """Lower-cased entry name → entry name, the first of any case-only duplicates winning."""
    index: dict[str, str] = {}
    for name in zf.namelist():
        index.setdefault(name.lower(), name)
    return index


def rels_part(part: str) -> str:
    """The relationships part of *part* (``xl/workbook.xml`` → ``xl/_rels/workbook.xml.rels``)."""
    folder, base = posixpath.split(part)
    return posixpath.join(folder, "_rels", base + ".rels")


def resolve(source: str, target: str) -> str:
    """A relationship *target* of part *source* as a part name without the leading slash."""
    target = target.replace("\\", "/")
    if target.startswith("/"):
        return posixpath.normpath(target).lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target)).lstrip("/")


def relationships(zf: zipfile.ZipFile, entry: str) -> list[tuple[str, str, str, str]]:
    """(Id, Type, Target, TargetMode) of every relationship in the rels part *entry*."""
    try:
        root = SafeET.fromstring(zf.read(entry))
    except (SafeET.ParseError, ValueError):  # defusedxml's refusals are ValueErrors
        raise PackageError(f"关系部件 {entry} 内容损坏") from None
    return [
        (r.get("Id", ""), r.get("Type", ""), r.get("Target", ""), r.get("TargetMode", ""))
        for r in root
        if str(r.tag).endswith("Relationship")
    ]


def workbook_part(zf: zipfile.ZipFile, names: dict[str, str] | None = None) -> str | None:
    """The zip entry of the workbook part, found through ``_rels/.rels``; None when there is none.

    A package without a usable ``_rels/.rels`` still counts when ``xl/workbook.xml`` exists
    (lenient, as Excel is).
    """
    names = names if names is not None else entry_index(zf)
    root_rels = find_entry(names, "_rels/.rels")
    if root_rels:
        for _, typ, target, mode in relationships(zf, root_rels):
            if typ.endswith(_OFFICE_DOCUMENT) and mode != "External" and target:
                entry = find_entry(names, resolve("", target))
                if entry:
                    return entry
    return find_entry(names, DEFAULT_WORKBOOK)


def layout(zf: zipfile.ZipFile) -> Layout:
    """Resolve the workbook part, its relationships and its sheets; ``PackageError`` when broken."""
    names = entry_index(zf)
    wb = workbook_part(zf, names)
    if wb is None:
        raise PackageError("找不到工作簿部件（xl/workbook.xml）")
    rels_entry = find_entry(names, rels_part(wb))
    result = Layout(wb, rels_entry)
    by_id: dict[str, str] = {}
    if rels_entry:
        for rid, _, target, mode in relationships(zf, rels_entry):
            if mode == "External" or not target:
                continue
            entry = find_entry(names, resolve(wb, target))
            if entry:
                result.targets[target] = entry
                by_id[rid] = entry
    try:
        root = SafeET.fromstring(zf.read(wb))
    except (SafeET.ParseError, ValueError):
        raise PackageError(f"工作簿部件 {wb} 内容损坏") from None
    sheet_tags = {f"{{{ns}}}sheet" for ns in NS_MAIN}
    for el in root.iter():
        if el.tag in sheet_tags:
            sheet_rid = next((el.get(f"{{{ns}}}id") for ns in NS_REL if el.get(f"{{{ns}}}id")), None)
            if sheet_rid in by_id:
                result.sheets[el.get("name", "")] = by_id[sheet_rid]
    return result


def sheet_part(zf: zipfile.ZipFile, name: str) -> tuple[Layout, str] | None:
    """The layout and the zip entry of the sheet called ``name``; None when there is no such
    sheet part or no workbook relationships part."""
    parts = layout(zf)
    part = parts.sheets.get(name)
    if part is None or parts.workbook_rels is None:
        return None
    return parts, part


def canonical_copy(zf: zipfile.ZipFile, parts: Layout, replace: dict[str, bytes] | None = None) -> io.BytesIO:
    """A minimal package with the workbook at ``xl/workbook.xml`` and every target spelled as its
    zip entry, for readers that look only there (python-calamine). Parts are stored, not
    recompressed; only the workbook's direct targets are copied (no drawings, comments, media).
    *replace* gives new bytes for some entries."""
    replace = replace or {}
    out = io.BytesIO()
    rels = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">',
    ]
    assert parts.workbook_rels is not None
    for rid, typ, target, mode in relationships(zf, parts.workbook_rels):
        if mode == "External" or target not in parts.targets:
            continue
        rels.append(
            f'<Relationship Id="{xml_attr(rid)}" Type="{xml_attr(typ)}" Target="/{xml_attr(parts.targets[target])}"/>'
        )
    rels.append("</Relationships>")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as dst:
        types = find_entry(entry_index(zf), "[Content_Types].xml")
        if types:
            dst.writestr("[Content_Types].xml", zf.read(types))
        dst.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas'
            '.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas'
            '.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>",
        )
        dst.writestr(DEFAULT_WORKBOOK, zf.read(parts.workbook))
        dst.writestr("xl/_rels/workbook.xml.rels", "".join(rels))
        for entry in dict.fromkeys(parts.targets.values()):
            if entry not in (DEFAULT_WORKBOOK, "xl/_rels/workbook.xml.rels", "_rels/.rels"):
                dst.writestr(entry, replace[entry] if entry in replace else zf.read(entry))
    out.seek(0)
    return out


def xml_attr(text: str) -> str:
    """``text`` escaped for a double-quoted XML attribute."""
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
