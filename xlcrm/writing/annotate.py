"""``validate --annotate OUT``: a copy of the workbook with every problem marked (SPEC §5).

Problem cells are filled red (error) or yellow (warning) and carry a comment with the message; a
first sheet 校验结果 lists every problem with a hyperlink to its cell. The input is never touched.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ..errors import UsageError
from ..i18n import tr
from ..issues import FileReport
from ..schema import RESULTS_SHEET_NAME
from .cells import set_value
from .safe_save import atomic_write
from .styles import COMMENT_AUTHOR, ERROR_FILL, HEADER_FILL, HEADER_FONT, WARNING_FILL

SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}


def _quote(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


def _mark_cells(wb: Any, report: FileReport) -> None:
    by_cell: dict[tuple[str, str], list[Any]] = {}
    for issue in report.issues:
        if issue.cell and issue.sheet in wb.sheetnames and issue.severity in ("error", "warning"):
            by_cell.setdefault((issue.sheet, issue.cell), []).append(issue)
    for (sheet, ref), issues in by_cell.items():
        cell = wb[sheet][ref]
        worst = "error" if any(i.severity == "error" for i in issues) else "warning"
        cell.fill = ERROR_FILL if worst == "error" else WARNING_FILL
        text = "\n".join(f"[{SEVERITY_ZH[i.severity]}] {i.message}" for i in issues)
        comment = Comment(text, COMMENT_AUTHOR)
        comment.width, comment.height = 300, 40 + 40 * len(issues)
        cell.comment = comment


def _results_sheet(wb: Any, report: FileReport) -> None:
    if RESULTS_SHEET_NAME in wb.sheetnames:
        del wb[RESULTS_SHEET_NAME]
    ws = wb.create_sheet(RESULTS_SHEET_NAME, 0)
    headers = [tr("序号", "No."), tr("工作表", "Sheet"), tr("单元格", "Cell"), tr("级别", "Severity"),
               tr("代码", "Code"), tr("字段", "Field"), tr("当前值", "Value"), tr("问题说明", "Message")]
    ws.append(headers)
    for col in range(1, len(headers) + 1):
        ws.cell(1, col).fill, ws.cell(1, col).font = HEADER_FILL, HEADER_FONT
    for n, issue in enumerate(report.issues, start=1):
        row = n + 1
        values = [n, issue.sheet, issue.cell, SEVERITY_ZH.get(issue.severity, issue.severity), issue.code,
                  issue.field, issue.value, issue.message]
        for col, value in enumerate(values, start=1):
            set_value(ws.cell(row, col), value if not isinstance(value, (list, dict)) else str(value))
        if issue.cell and issue.sheet in wb.sheetnames:
            link = ws.cell(row, 3)
            link.hyperlink = f"#{_quote(issue.sheet)}!{issue.cell}"
            link.font = Font(color="0563C1", underline="single")
        fill = {"error": ERROR_FILL, "warning": WARNING_FILL}.get(issue.severity)
        if fill:
            ws.cell(row, 4).fill = fill
    summary = tr("共 {e} 个错误、{w} 个警告、{i} 条提示。", "{e} errors, {w} warnings, {i} notes.",
                 e=report.errors, w=report.warnings, i=report.infos)
    set_value(ws.cell(len(report.issues) + 3, 2), summary)
    for col, width in enumerate((6, 12, 9, 7, 22, 16, 18, 90), start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "A2"
    wb.active = 0
    for other in wb.worksheets[1:]:
        other.sheet_view.tabSelected = False


def write_annotated(source: Path, report: FileReport, out: Path) -> Path:
    """Write the annotated copy of ``source`` to ``out`` (never ``source`` itself)."""
    source, out = Path(source), Path(out)
    if out.resolve() == source.resolve():
        raise UsageError(detail=tr("--annotate 的输出文件不能是输入文件本身", "--annotate must not overwrite the input"))
    wb = load_workbook(source, keep_vba=source.suffix.lower() == ".xlsm", rich_text=True)
    _mark_cells(wb, report)
    _results_sheet(wb, report)
    out.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(out, lambda tmp: wb.save(tmp))
    return out
