"""The XML of a worksheet xlcrm creates whole: the hidden sheets and the ``校验结果`` sheet."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .cellxml import CellCache, CellContext, column_letters
from .xmlbytes import escape_attr

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


@dataclass
class SheetLayout:
    """How a new sheet looks: column widths, frozen header, internal links, A4 landscape."""

    widths: list[float] = field(default_factory=list)
    freeze_header: bool = False
    selected: bool = False
    links: list[tuple[str, str, str]] = field(default_factory=list)  # (cell, location, tooltip)
    landscape: bool = False
    row_heights: dict[int, float] = field(default_factory=dict)


def render_sheet(
    rows: list[list[Any]], ctx: CellContext, style: Callable[[int, int, Any], int], layout: SheetLayout | None = None
) -> bytes:
    """A complete worksheet part holding ``rows`` (row 1 first); ``style(row, col, value)`` gives
    each cell's xf index."""
    layout = layout or SheetLayout()
    width = max((len(r) for r in rows), default=1) or 1
    out: list[str] = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n',
        f'<worksheet xmlns="{NS_MAIN}" xmlns:r="{NS_REL}">',
    ]
    if layout.landscape:
        out.append('<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>')
    out.append(f'<dimension ref="A1:{column_letters(width)}{max(len(rows), 1)}"/>')
    view = ' tabSelected="1"' if layout.selected else ""
    if layout.freeze_header and len(rows) > 1:
        out.append(
            f'<sheetViews><sheetView{view} workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
            'activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'
            "</sheetView></sheetViews>"
        )
    else:
        out.append(f'<sheetViews><sheetView{view} workbookViewId="0"/></sheetViews>')
    out.append('<sheetFormatPr defaultRowHeight="15"/>')
    if layout.widths:
        cols = "".join(
            f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>' for i, w in enumerate(layout.widths, 1)
        )
        out.append(f"<cols>{cols}</cols>")
    out.append("<sheetData>")
    body: list[bytes] = []
    cache = CellCache(b"", ctx)  # the hidden sheets repeat dates, tiers and names row after row
    cell_head, cell_tail = cache.head, cache.tail
    for r, values in enumerate(rows, start=1):
        number = str(r).encode()
        cells = b"".join([cell_head(c) + number + cell_tail(style(r, c, v), v) for c, v in enumerate(values, start=1)])
        height = layout.row_heights.get(r)
        ht = f' ht="{height}" customHeight="1"' if height else ""
        body.append(f'<row r="{r}"{ht}>'.encode() + cells + b"</row>")
    tail: list[str] = ["</sheetData>"]
    if layout.links:
        links = "".join(
            f'<hyperlink ref="{ref}" location="{escape_attr(loc)}" tooltip="{escape_attr(tip)}"/>'
            for ref, loc, tip in layout.links
        )
        tail.append(f"<hyperlinks>{links}</hyperlinks>")
    tail.append('<pageMargins left="0.5" right="0.5" top="0.6" bottom="0.6" header="0.3" footer="0.3"/>')
    if layout.landscape:
        tail.append('<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>')
    tail.append("</worksheet>")
    body.insert(0, "".join(out).encode())
    body.append("".join(tail).encode())
    return b"".join(body)  # one join: a long hidden sheet is not copied twice
