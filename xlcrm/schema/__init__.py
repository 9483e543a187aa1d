"""The standard workbook as pure data: sheets, fields, enums, issue codes. No I/O here."""

from .codes import CODES, IssueCode
from .folding import fold_header, fold_name, fold_text
from .model import Field, FieldType, SheetKind
from .sheets import (
    ALL_SHEETS,
    CAMPAIGNS,
    CONFIG,
    CUSTOMERS,
    DATA_SHEETS,
    FEEDBACK,
    FILLS_HEADERS,
    FILLS_SHEET_NAME,
    FOLLOWUPS,
    HELP_SHEET_NAME,
    HISTORY_HEADERS,
    HISTORY_SHEET_NAME,
    MARKS_HEADERS,
    MARKS_SHEET_NAME,
    RESULTS_SHEET_NAME,
    SHEETS_BY_KEY,
    TASKS,
    sheet,
)

__all__ = [
    "ALL_SHEETS",
    "CAMPAIGNS",
    "CODES",
    "CONFIG",
    "CUSTOMERS",
    "DATA_SHEETS",
    "FEEDBACK",
    "FILLS_HEADERS",
    "FILLS_SHEET_NAME",
    "FOLLOWUPS",
    "HELP_SHEET_NAME",
    "HISTORY_HEADERS",
    "HISTORY_SHEET_NAME",
    "MARKS_HEADERS",
    "MARKS_SHEET_NAME",
    "RESULTS_SHEET_NAME",
    "SHEETS_BY_KEY",
    "TASKS",
    "Field",
    "FieldType",
    "IssueCode",
    "SheetKind",
    "fold_header",
    "fold_name",
    "fold_text",
    "sheet",
]
