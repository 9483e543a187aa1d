"""``xlcrm init``: the standard workbook, generated from the schema (SPEC §1, §5 init)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ..config import defaults_as_rows
from ..errors import OutputExistsError
from ..i18n import tr
from ..schema import (
    CONFIG,
    DATA_SHEETS,
    HELP_SHEET_NAME,
    HISTORY_HEADERS,
    HISTORY_SHEET_NAME,
    Field,
    FieldType,
    SheetKind,
)
from .cells import set_value
from .safe_save import atomic_write, refuse_if_open
from .styles import style_header_cell

LAST_ROW = 1_048_576  # Excel's last row: dropdowns cover the whole column, however long the sheet grows


def _column_format(f: Field) -> str | None:
    """The number format a column carries: every typed input column, and computed date/percent columns."""
    fmt = f.excel_format
    if not fmt or fmt == "General":
        return None
    if f.computed and f.type not in (FieldType.DATE, FieldType.DATETIME, FieldType.PERCENT):
        return None
    return fmt


def _dropdown(ws: Worksheet, kind: SheetKind, col: int, values: tuple[str, ...]) -> None:
    f = kind.fields[col - 1]
    dv = DataValidation(type="list", formula1='"' + ",".join(values) + '"', allow_blank=True)
    dv.error = tr("请从下拉列表中选择：{v}", "Choose one of: {v}", v=" / ".join(values))
    dv.errorTitle = tr("“{h}”的值不在可选范围内", "'{h}' is not an allowed value", h=f.header)
    dv.prompt = f.description
    dv.showErrorMessage = True
    dv.showInputMessage = False
    letter = get_column_letter(col)
    dv.add(f"{letter}2:{letter}{LAST_ROW}")
    ws.add_data_validation(dv)


def _write_data_sheet(ws: Worksheet, kind: SheetKind, rows: list[dict[str, Any]]) -> None:
    """Header row, whole-column formats and dropdowns (no pre-formatted empty rows), then ``rows``.

    A column style makes Excel, WPS and LibreOffice give a newly typed cell the column's number
    format; cells written here carry the format themselves, since a cell's own style wins.
    """
    ws.append([f.header for f in kind.fields])
    formats = [_column_format(f) for f in kind.fields]
    for col, f in enumerate(kind.fields, start=1):
        style_header_cell(ws.cell(1, col), f)
        dim = ws.column_dimensions[get_column_letter(col)]
        dim.width = max(f.width, len(f.header) * 2 + 4)
        if formats[col - 1]:
            dim.number_format = formats[col - 1]
        if f.enum and not f.computed:  # computed columns are written by enrich, not chosen
            _dropdown(ws, kind, col, f.enum)
    ws.row_dimensions[1].height = 30
    for r, row in enumerate(rows, start=2):
        for c, f in enumerate(kind.fields, start=1):
            value = row.get(f.key)
            if value is not None:
                cell = ws.cell(r, c)
                set_value(cell, value)
                if formats[c - 1]:
                    cell.number_format = formats[c - 1]
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(kind.fields))}{max(len(rows) + 1, 2)}"


def _write_config_sheet(ws: Worksheet) -> None:
    ws.append([f.header for f in CONFIG.fields])
    for col, f in enumerate(CONFIG.fields, start=1):
        style_header_cell(ws.cell(1, col), f)
        ws.column_dimensions[get_column_letter(col)].width = f.width
    for key, value, explain in defaults_as_rows():
        ws.append([key, None, value, explain])
    ws.freeze_panes = "A2"


def help_lines() -> list[str]:
    """The 说明 sheet's text: purpose, the workflow and one line per sheet."""
    lines = [
        "xlcrm 客户关系维护标准工作簿",
        "",
        "使用流程：",
        "1. 填写：在下列工作表中逐行录入（带红色粗体表头的列为必填，灰色表头的列由工具自动计算，请勿手工填写）。",
        "2. 校验：提交前运行 xlcrm validate 工作簿.xlsx，按提示的单元格逐条修正；加 --annotate 可得到标注好问题的副本。",
        "3. 计算：运行 xlcrm enrich 工作簿.xlsx，自动补全客户编号等空白编号，并计算客户分层、RFM、下次跟进日期、流失风险、处理时效、活动达成率等。",
        "4. 复盘：运行 xlcrm report 工作簿或文件夹 --kind campaign|monthly，批量生成活动复盘和月度复盘报告（Word 与 Markdown）。",
        "",
        "工作表说明：",
    ]
    for kind in DATA_SHEETS:
        required = "、".join(f.header for f in kind.fields if f.required and not f.computed)
        lines.append(f"【{kind.name}】{kind.description} 必填列：{required}。")
    lines += [
        f"【{CONFIG.name}】{CONFIG.description}",
        "",
        "注意事项：",
        "· 日期请用日期格式录入（如 2024-06-01），不要输入为文本；金额、次数请用数字格式。",
        "· 下拉列表中的选项请直接选择，不要自行改写。",
        "· 运行 enrich 前请先关闭本工作簿；工具会先备份原文件再写入。",
    ]
    return lines


def _write_help_sheet(ws: Worksheet) -> None:
    for line in help_lines():
        ws.append([line])
    ws["A1"].font = Font(bold=True, size=14)
    ws.column_dimensions["A"].width = 120
    for row in ws.iter_rows(min_row=2):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")


def build_workbook(rows: dict[str, list[dict[str, Any]]] | None = None) -> Workbook:
    """The standard workbook in memory, optionally filled with rows (field key → value)."""
    wb = Workbook()
    wb.remove(wb.active)
    for kind in DATA_SHEETS:
        _write_data_sheet(wb.create_sheet(kind.name), kind, (rows or {}).get(kind.key, []))
    _write_config_sheet(wb.create_sheet(CONFIG.name))
    _write_help_sheet(wb.create_sheet(HELP_SHEET_NAME))
    history = (rows or {}).get("history")
    if history:  # an earlier review day's snapshot (the sample's), as enrich would have kept it
        _write_history_sheet(wb.create_sheet(HISTORY_SHEET_NAME), history)
    return wb


def _write_history_sheet(ws: Worksheet, snapshots: list[dict[str, Any]]) -> None:
    ws.append(list(HISTORY_HEADERS))
    for snap in snapshots:
        ws.append(
            [
                snap.get("as_of"),
                snap.get("customer_id"),
                snap.get("tier"),
                snap.get("value_segment"),
                snap.get("churn_risk"),
            ]
        )
        ws.cell(ws.max_row, 1).number_format = "yyyy-mm-dd"
    ws.sheet_state = "hidden"


def write_standard_workbook(
    path: Path, rows: dict[str, list[dict[str, Any]]] | None = None, force: bool = False
) -> Path:
    """Write the standard workbook to ``path`` (temp file + rename); refuses to overwrite without force."""
    path = Path(path)
    if path.exists() and not force:
        raise OutputExistsError(path=str(path))
    if path.exists():
        refuse_if_open(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = build_workbook(rows)
    atomic_write(path, lambda tmp: wb.save(tmp))
    return path


def today() -> date:
    """The default as-of date: today in the local time zone (the only clock read, at the edge)."""
    return date.today()
