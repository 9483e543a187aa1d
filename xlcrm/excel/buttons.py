"""Entry points for buttons in Excel (xlwings ``RunPython``), SPEC §10:

    RunPython "import xlcrm.excel; xlcrm.excel.validate_active()"

Each works on the workbook the button is in, as of today, with the config beside the workbook and
in its 配置 sheet, and ends with a message box in Chinese; a failure is a message box too, never
a Python traceback.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from ..errors import XlcrmError
from ..i18n import tr
from .attach import active_book, connected

TITLE = "xlcrm"


def _today() -> Any:
    from ..writing.template import today

    return today()


def _alert(book: Any, text: str, critical: bool = False) -> None:
    book.app.alert(text, title=TITLE, mode="critical" if critical else "info")


def _run(action: Callable[[Any], str]) -> str:
    """Run ``action`` on the active workbook and show its message (or the failure's)."""
    book = active_book()
    try:
        message = connected(lambda: action(book))
    except XlcrmError as exc:
        _alert(book, exc.message, critical=True)
        return exc.message
    except Exception as exc:  # a bug or a case no check foresaw: still a message box, not a traceback
        if os.environ.get("XLCRM_DEBUG"):
            raise
        text = tr(
            "xlcrm 遇到意外错误（{t}: {m}），工作簿未保存。请把此信息和工作簿反馈给维护人员。",
            "xlcrm hit an unexpected error ({t}: {m}); the workbook was not saved. Please report it.",
            t=type(exc).__name__,
            m=str(exc)[:200],
        )
        _alert(book, text, critical=True)
        return text
    _alert(book, message)
    return message


def _validated(book: Any) -> str:
    from .live import validate_live

    report = validate_live(book, _today())
    if not report.errors and not report.warnings:
        return tr("校验通过：没有发现错误或警告。", "No errors or warnings.")
    return tr(
        "发现 {e} 个错误、{w} 个警告，已在单元格上标出（红色为错误，黄色为警告），"
        "完整列表见首页“校验结果”。修改后可再次点击按钮校验。",
        "{e} errors and {w} warnings, marked on their cells (red errors, yellow warnings); see the 校验结果 sheet.",
        e=report.errors,
        w=report.warnings,
    )


def _enriched(book: Any) -> str:
    from .live import enrich_live

    result = enrich_live(book, _today())
    skipped = len(result.rejected)
    text = tr(
        "已计算完成：补全编号 {i} 个，写入 {n} 个单元格。",
        "Done: {i} IDs filled, {n} cells written.",
        i=len(result.derived.filled_ids),
        n=result.cells_written,
    )
    if skipped:
        text += tr(
            "有 {s} 行因错误未计算（计算列留空），请先点击“校验”查看。",
            " {s} rows were skipped for errors; run the check first.",
            s=skipped,
        )
    return text + tr("工作簿尚未保存，请检查后保存。", " The workbook is not saved yet.")


def _agenda(book: Any) -> str:
    from .agenda import agenda_live

    count = agenda_live(book, _today())
    return tr("已生成“今日待办”工作表，共 {n} 项待办。", "The 今日待办 sheet lists {n} items.", n=count)


def validate_active() -> str:
    """Check the active workbook, mark problem cells and write 校验结果 (the 校验 button)."""
    return _run(_validated)


def enrich_active() -> str:
    """Fill IDs and computed columns of the active workbook (the 计算 button); not saved."""
    return _run(_enriched)


def agenda_active() -> str:
    """Write the 今日待办 sheet of the active workbook (the 待办 button)."""
    return _run(_agenda)
