"""A new workbook of plain tables (the agenda's .xlsx): one sheet per table, a bold frozen header
row with an autofilter, dates and numbers as real cells, no hyperlinks, text never a formula.

Only for writing a *new* file; staff workbooks are never written through here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .cells import set_value
from .safe_save import atomic_write

Table = tuple[str, Sequence[str], Sequence[Sequence[Any]]]  # sheet name, headers, rows

_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_DATE_FORMAT = "yyyy-mm-dd"
_DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
_MAX_WIDTH = 40


def _width(value: Any) -> int:
    text = value.strftime("%Y-%m-%d %H:%M") if isinstance(value, datetime) else str(value if value is not None else "")
    # a CJK character takes about two columns
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _fill_sheet(ws: Any, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    widths = [_width(h) for h in headers]
    for col, header in enumerate(headers, start=1):
        cell = ws.cell(row=1, column=col)
        set_value(cell, header)
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
        cell.alignment = Alignment(vertical="center")
    for r, row in enumerate(rows, start=2):
        for col, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=col)
            set_value(cell, value)
            if isinstance(value, datetime):
                cell.number_format = _DATETIME_FORMAT
            elif isinstance(value, date):
                cell.number_format = _DATE_FORMAT
            widths[col - 1] = max(widths[col - 1], _width(value))
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = min(width + 2, _MAX_WIDTH)
    ws.freeze_panes = "A2"
    last = get_column_letter(max(len(headers), 1))
    ws.auto_filter.ref = f"A1:{last}{max(len(rows) + 1, 1)}"


def write_tables(path: Path, tables: Sequence[Table]) -> Path:
    """Write ``tables`` as a new .xlsx at ``path`` (temp file, then an atomic rename)."""
    wb = Workbook()
    wb.remove(wb.active)
    for name, headers, rows in tables:
        _fill_sheet(wb.create_sheet(title=name), headers, rows)
    atomic_write(Path(path), lambda tmp: wb.save(tmp))
    return Path(path)
