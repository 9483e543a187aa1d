"""Finding the open workbook in Excel through xlwings, or saying clearly why it cannot be reached.

xlwings is imported here, lazily: ``import xlcrm`` and every file command work without it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import FileMissingError
from ..writing.safe_save import lock_file_for
from .errors import (
    ExcelBusyError,
    ExcelNotRunningError,
    NoActiveBookError,
    NoExcelError,
    NotOpenInExcelError,
    OpenElsewhereError,
    XlwingsMissingError,
)


def load_xlwings(label: str) -> Any:
    """The xlwings module, when it is installed and can reach Excel on this system."""
    try:
        import xlwings
    except ImportError:
        raise XlwingsMissingError(path=label) from None
    if not sys.platform.startswith(("win", "darwin")):
        raise NoExcelError(path=label)
    return xlwings


def _same_file(a: str, b: Path) -> bool:
    try:
        return os.path.normcase(os.path.realpath(a)) == os.path.normcase(os.path.realpath(b))
    except (OSError, ValueError):
        return False


def _open_books(xw: Any) -> list[Any]:
    try:
        apps = list(xw.apps)
        return [book for app in apps for book in app.books]
    except Exception as exc:  # COM / AppleScript failures: Excel is missing, starting or blocked
        raise ExcelBusyError(detail=str(exc)[:160]) from exc


def find_open_book(path: Path) -> Any:
    """The xlwings ``Book`` for the workbook at ``path`` open in Excel; a clear error otherwise."""
    path = Path(path)
    label = str(path)
    if not path.is_file():
        raise FileMissingError(path=label)
    if lock_file_for(path) is None:
        raise NotOpenInExcelError(path=label)
    xw = load_xlwings(label)
    books = _open_books(xw)
    if not books and not _any_app(xw):
        raise ExcelNotRunningError(path=label)
    for book in books:
        if _same_file(str(book.fullname), path):
            return book
    # Excel never has two workbooks of one name open; a cloud copy's full name is an address
    named = [b for b in books if str(b.name).casefold() == path.name.casefold()]
    if len(named) == 1:
        return named[0]
    raise OpenElsewhereError(path=label)


def _any_app(xw: Any) -> bool:
    try:
        return xw.apps.count > 0
    except Exception:
        return False


def active_book() -> Any:
    """The workbook a button was pressed in (``Book.caller``), else Excel's active workbook."""
    xw = load_xlwings(tr_active())
    try:
        return xw.Book.caller()
    except Exception:  # not called from Excel (e.g. from a Python prompt): use the active workbook
        pass
    try:
        book = xw.books.active
    except Exception as exc:
        raise NoActiveBookError() from exc
    if book is None:
        raise NoActiveBookError()
    return book


def tr_active() -> str:
    from ..i18n import tr

    return tr("当前工作簿", "the active workbook")


def connected(run: Callable[[], Any]) -> Any:
    """Run a step that talks to Excel; Excel's own failures become a clear message (xlcrm's own
    errors pass through, and a bug in xlcrm stays a bug)."""
    try:
        return run()
    except Exception as exc:
        if _from_excel(exc):
            raise ExcelBusyError(detail=str(exc)[:160]) from exc
        raise


def _from_excel(exc: BaseException) -> bool:
    """COM (pywintypes.com_error) and AppleScript (appscript) errors come from Excel, not from xlcrm."""
    return any(
        type(e).__module__.split(".")[0] in ("pywintypes", "appscript", "aem", "xlwings")
        for e in (exc, exc.__cause__, exc.__context__)
        if e is not None
    )
