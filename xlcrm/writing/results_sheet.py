"""The ``校验结果`` sheet of an annotated copy: every problem, for staff, printable on A4 landscape.

Errors first, then warnings (each with a link to its cell), then the notes (info such as
``id.pending``) folded into one line per sheet and code below a separator row. Field names are
the column headers staff see, never the English keys.
"""

from __future__ import annotations

import math
import unicodedata
from typing import Any

from ..i18n import tr
from ..issues import FileReport, Issue
from ..schema import ALL_SHEETS, fold_name
from .new_sheet import SheetLayout
from .palette import ERROR_FILL, HEADER_FILL, HEADER_FONT, WARNING_FILL
from .patcher import WorkbookPatcher

VALUE_LIMIT = 200
SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}
WIDTHS = [6, 12, 9, 7, 16, 20, 70, 20]
WRAPPED = (6, 7)  # 当前值 and 问题说明 wrap; the row is made tall enough to show them whole
LINE_HEIGHT = 15.0


def display_width(text: str) -> int:
    """Width in column units: a CJK or full-width character takes two, anything else one."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def wrapped_lines(text: str, width: float) -> int:
    """How many lines ``text`` takes wrapped in a column ``width`` units wide (its own newlines kept)."""
    usable = max(width - 2, 1)
    return sum(max(1, math.ceil(display_width(part) / usable)) for part in text.split("\n"))


def row_heights(rows: list[list[Any]]) -> dict[int, float]:
    """Explicit heights for rows whose wrapped cells need more than one line: spreadsheet programs
    do not re-measure rows when they open a file, so without them the message is cut off."""
    heights: dict[int, float] = {}
    for r, values in enumerate(rows, start=1):
        lines = max(
            (wrapped_lines(str(values[c - 1]), WIDTHS[c - 1]) for c in WRAPPED if c <= len(values) and values[c - 1]),
            default=1,
        )
        if lines > 1:
            heights[r] = LINE_HEIGHT * lines
    return heights


def field_header(issue: Issue) -> str:
    """The Chinese column header of an issue's field (the sheet's kind first, then any kind)."""
    if not issue.field:
        return ""
    folded = fold_name(issue.sheet or "")
    kinds = sorted(ALL_SHEETS, key=lambda k: folded not in k.match_names)
    for kind in kinds:
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
    return text if len(text) <= VALUE_LIMIT else text[:VALUE_LIMIT] + "…"


def _quote(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


def results_rows(
    report: FileReport, sheet_names: set[str]
) -> tuple[list[list[Any]], list[tuple[str, str, str]], dict[int, str]]:
    """(rows with the header first, links (cell, location, tip), row → severity) of the sheet."""
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
    links: list[tuple[str, str, str]] = []
    severity: dict[int, str] = {}
    main = [i for i in report.issues if i.severity in ("error", "warning")]
    main.sort(key=lambda i: 0 if i.severity == "error" else 1)  # stable: keeps sheet/row order within
    for n, issue in enumerate(main, start=1):
        rows.append(
            [
                n,
                issue.sheet,
                issue.cell,
                SEVERITY_ZH[issue.severity],
                field_header(issue),
                _shown(issue.value),
                issue.message,
                issue.code,
            ]
        )
        severity[len(rows)] = issue.severity
        if issue.cell and issue.sheet in sheet_names:
            links.append((f"C{len(rows)}", f"{_quote(issue.sheet)}!{issue.cell}", tr("转到该单元格", "Go to the cell")))
    notes: dict[tuple[str, str], list[Issue]] = {}
    for issue in report.issues:
        if issue.severity == "info":
            notes.setdefault((issue.sheet or "", issue.code), []).append(issue)
    if notes:
        rows.append([])
        rows.append([None, tr("以下为提示（无需修改）", "Notes (nothing to fix)")])
        for (sheet, code), items in notes.items():
            cells = [i.cell for i in items if i.cell]
            # the narrow 单元格 column shows the cells when they fit, else the first one and the
            # message lists up to ten
            where = "、".join(cells)
            message = (
                items[0].message
                if len(items) == 1
                else tr("{m}（共 {n} 处）", "{m} ({n} cells)", m=items[0].message, n=len(items))
            )
            if display_width(where) > WIDTHS[2] - 1:
                listed = "、".join(cells[:10]) + ("……" if len(cells) > 10 else "")
                where = cells[0] + tr(" 等", " etc.")
                message = tr(
                    "{m}（共 {n} 处：{c}）", "{m} ({n} cells: {c})", m=items[0].message, n=len(items), c=listed
                )
            rows.append(
                [None, sheet or None, where or None, SEVERITY_ZH["info"], field_header(items[0]), None, message, code]
            )
            severity[len(rows)] = "info"
    rows.append([])
    rows.append(
        [
            None,
            tr(
                "共 {e} 个错误、{w} 个警告、{i} 条提示。",
                "{e} errors, {w} warnings, {i} notes.",
                e=report.errors,
                w=report.warnings,
                i=report.infos,
            ),
        ]
    )
    return rows, links, severity


def put_results_sheet(patcher: WorkbookPatcher, report: FileReport, name: str) -> None:
    """Add (or replace) the results sheet as the first, selected tab."""
    st = patcher.styles
    names = {e.name for e in patcher.entries}
    rows, links, severity = results_rows(report, names)
    header_font = st.font(
        f'<font><b/><sz val="11"/><color rgb="FF{HEADER_FONT}"/><name val="宋体"/>'
        '<family val="3"/><charset val="134"/></font>'
    )
    link_font = st.font(
        '<font><u/><sz val="11"/><color rgb="FF0563C1"/><name val="宋体"/><family val="3"/><charset val="134"/></font>'
    )
    top = '<alignment vertical="top"/>'
    wrap = '<alignment vertical="top" wrapText="1"/>'
    header = st.derive(
        0,
        fill=st.fill(HEADER_FILL),
        font=header_font,
        alignment='<alignment horizontal="center" vertical="center"/>',
    )
    fills = {"error": st.fill(ERROR_FILL), "warning": st.fill(WARNING_FILL)}
    linked = {ref for ref, _, _ in links}

    def style(r: int, c: int, value: Any) -> int:
        if r == 1:
            return header
        if c == 3 and f"C{r}" in linked:
            return st.derive(0, font=link_font, alignment=top)
        if c == 4 and severity.get(r) in fills:
            return st.derive(0, fill=fills[severity[r]], alignment=top)
        if c in WRAPPED and r > 1:
            return st.derive(0, alignment=wrap)
        return st.derive(0, alignment=top) if r in severity else 0

    layout = SheetLayout(
        widths=list(map(float, WIDTHS)),
        freeze_header=True,
        selected=True,
        links=links,
        landscape=True,
        row_heights=row_heights(rows),
    )
    patcher.put_sheet(name, rows, hidden=False, first=True, style=style, layout=layout)
