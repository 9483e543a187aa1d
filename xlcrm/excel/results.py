"""The ``校验结果`` sheet in an open workbook: the first sheet, every problem with a link to its cell.

The same columns as the annotated copy's. Links are ``HYPERLINK`` formulas written with the rest of
the block (one write for the whole sheet instead of one call per problem); everything else on the
sheet is plain text and numbers.
"""

from __future__ import annotations

from typing import Any

from ..i18n import tr
from ..issues import FileReport, Issue
from ..schema import ALL_SHEETS, RESULTS_SHEET_NAME, fold_name
from .cells import to_excel
from .marks import MARK_COLORS, SEVERITY_ZH
from .read import LiveRead

HEADER_COLOR = (221, 235, 247)  # the annotated copy's header fill
LINK_COLOR = (5, 99, 193)
WIDTHS = (6, 12, 9, 7, 16, 20, 70, 20)
VALUE_LIMIT = 200


def field_header(issue: Issue) -> str:
    """The Chinese column header of an issue's field (staff never see the English keys)."""
    if not issue.field:
        return ""
    folded = fold_name(issue.sheet or "")
    for kind in sorted(ALL_SHEETS, key=lambda k: folded not in k.match_names):
        if kind.has(issue.field):
            return kind.field(issue.field).header
    return ""


def _shown(value: Any) -> Any:
    if value is None or isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    text = (
        value.isoformat(sep=" ")
        if hasattr(value, "hour")
        else value.isoformat()
        if hasattr(value, "isoformat")
        else str(value)
    )
    return to_excel(text if len(text) <= VALUE_LIMIT else text[:VALUE_LIMIT] + "…")


def _link(sheet: str, cell: str) -> str:
    target = "#'" + sheet.replace("'", "''") + "'!" + cell
    return '=HYPERLINK("' + target.replace('"', '""') + '","' + cell + '")'


def results_rows(report: FileReport, sheet_names: set[str]) -> tuple[list[list[Any]], dict[str, list[int]]]:
    """The sheet's rows (header first; errors, then warnings, then notes folded per sheet and code)
    and the row numbers of each severity."""
    headers = [
        tr("序号", "No."),
        tr("工作表", "Sheet"),
        tr("单元格", "Cell"),
        tr("级别", "Severity"),
        tr("字段", "Field"),
        tr("当前值", "Value"),
        tr("问题说明", "Message"),
        tr("代码", "Code"),
    ]
    rows: list[list[Any]] = [headers]
    severity: dict[str, list[int]] = {"error": [], "warning": [], "info": []}
    main = sorted(
        (i for i in report.issues if i.severity in ("error", "warning")),
        key=lambda i: 0 if i.severity == "error" else 1,
    )
    for n, issue in enumerate(main, start=1):
        cell = _link(issue.sheet, issue.cell) if issue.cell and issue.sheet in sheet_names else issue.cell
        rows.append(
            [
                n,
                to_excel(issue.sheet),
                cell,
                SEVERITY_ZH[issue.severity],
                field_header(issue),
                _shown(issue.value),
                to_excel(issue.message),
                issue.code,
            ]
        )
        severity[issue.severity].append(len(rows))
    notes: dict[tuple[str, str], list[Issue]] = {}
    for issue in report.issues:
        if issue.severity == "info":
            notes.setdefault((issue.sheet or "", issue.code), []).append(issue)
    if notes:
        rows += [[], [None, tr("以下为提示（无需修改）", "Notes (nothing to fix)")]]
        for (sheet, code), items in notes.items():
            cells = [i.cell for i in items if i.cell]
            where = "、".join(cells[:10]) + (tr(" 等 {n} 处", " … {n} cells", n=len(cells)) if len(cells) > 10 else "")
            message = (
                items[0].message
                if len(items) == 1
                else tr("{m}（共 {n} 处）", "{m} ({n} cells)", m=items[0].message, n=len(items))
            )
            rows.append(
                [
                    None,
                    to_excel(sheet) or None,
                    to_excel(where) or None,
                    SEVERITY_ZH["info"],
                    field_header(items[0]),
                    None,
                    to_excel(message),
                    code,
                ]
            )
            severity["info"].append(len(rows))
    rows += [
        [],
        [
            None,
            tr(
                "共 {e} 个错误、{w} 个警告、{i} 条提示。",
                "{e} errors, {w} warnings, {i} notes.",
                e=report.errors,
                w=report.warnings,
                i=report.infos,
            ),
        ],
    ]
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
