"""The ``校验结果`` sheet in an open workbook: the first sheet, every problem with a link to its cell.

The same columns as the annotated copy's. Links are ``HYPERLINK`` formulas written with the rest of
the block (one write for the whole sheet instead of one call per problem); everything else on the
sheet is plain text and numbers.
"""

from __future__ import annotations

from typing import Any

from ..issues import FileReport
from ..schema import RESULTS_SHEET_NAME
from ..writing.results_sheet import WIDTHS
from ..writing.results_sheet import results_rows as file_results_rows
from .cells import to_excel
from .marks import MARK_COLORS
from .read import LiveRead

HEADER_COLOR = (221, 235, 247)  # the annotated copy's header fill
LINK_COLOR = (5, 99, 193)


def _link(location: str, cell: str) -> str:
    target = "#" + location
    return '=HYPERLINK("' + target.replace('"', '""') + '","' + cell + '")'


def results_rows(report: FileReport, sheet_names: set[str]) -> tuple[list[list[Any]], dict[str, list[int]]]:
    """The annotated copy's rows (``writing.results_sheet.results_rows``: header first; errors, then
    warnings, then notes folded per sheet and code) as Excel takes them: text that Excel would
    reinterpret kept as text, links as ``HYPERLINK`` formulas; and the row numbers of each severity."""
    raw, links, by_row = file_results_rows(report, sheet_names)
    rows = [[to_excel(v) if isinstance(v, str) else v for v in row] for row in raw]
    for ref, location, _tip in links:
        number = int(ref[1:]) - 1
        rows[number][2] = _link(location, str(raw[number][2]))
    severity: dict[str, list[int]] = {"error": [], "warning": [], "info": []}
    for number, level in by_row.items():
        severity[level].append(number)
    return rows, severity


def put_results_sheet(xbook: Any, live: LiveRead, report: FileReport) -> Any:
    """Replace the ``校验结果`` sheet with a new first sheet listing ``report``, and show it."""
    old = live.sheets.pop(RESULTS_SHEET_NAME, None)
    if old is not None:
        old.delete()
    xsheet = xbook.sheets.add(RESULTS_SHEET_NAME, before=xbook.sheets[0])
    rows, severity = results_rows(report, set(live.sheets))
    width = len(rows[0])
    block = [r + [None] * (width - len(r)) for r in rows]
    xsheet.range((1, 1), (len(block), width)).value = block
    header = xsheet.range((1, 1), (1, width))
    header.color = HEADER_COLOR
    header.font.bold = True
    for level in ("error", "warning"):
        found = severity[level]
        if found:  # errors come first, then warnings: each is one run of rows
            xsheet.range((found[0], 4), (found[-1], 4)).color = MARK_COLORS[level]
    links = severity["error"] + severity["warning"]
    if links:
        xsheet.range((links[0], 3), (links[-1], 3)).font.color = LINK_COLOR
    for col, w in enumerate(WIDTHS, start=1):
        xsheet.range((1, col)).column_width = w
    live.sheets = {RESULTS_SHEET_NAME: xsheet, **live.sheets}
    xsheet.activate()
    return xsheet
