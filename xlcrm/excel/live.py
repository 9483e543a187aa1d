"""validate / enrich / agenda on an open workbook: read it through xlwings, run the same core as
the file commands (``read_raw_book`` → ``check_read`` → ``derive``), write the results back.

Nothing is saved: the staff member sees the changes in Excel and saves (or not) as usual.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ..derive import Derived, derive
from ..enrichment import EnrichResult, structural_errors
from ..errors import OwnSheetNameError, StructureError
from ..issues import FileReport
from ..schema import FILLS_SHEET_NAME, HISTORY_SHEET_NAME, MARKS_SHEET_NAME
from ..validation import CheckedBook, check_read, config_file_for, load_config
from .errors import StaffSheetNameError
from .marks import clear_file_marks, clear_marks, marks_rows, put_marks, recorded_marks
from .read import LiveRead, is_visible, read_live
from .results import put_results_sheet
from .write import find_sheet, keep_active_sheet, put_hidden_sheet, screen_paused, write_updates


def book_path(xbook: Any) -> Path | None:
    """The workbook's file, when it is a saved local file (not a new book or a cloud address)."""
    try:
        name = str(xbook.fullname)
    except AttributeError:
        raise
    except Exception:  # Excel may fail to give a full name for an unsaved or cloud workbook
        return None
    path = Path(name)
    return path if path.is_absolute() and path.exists() else None


def book_label(xbook: Any) -> str:
    """What messages call the workbook: its file path, else its name in Excel."""
    path = book_path(xbook)
    return str(path) if path else str(xbook.name)


def check_live(
    xbook: Any,
    as_of: date,
    config_file: Path | None = None,
    overrides: dict[str, Any] | None = None,
    name: str | None = None,
) -> tuple[LiveRead, CheckedBook]:
    """Read the open workbook and run every check, exactly as ``xlcrm validate`` on its file.

    ``name`` is what the report calls the workbook (the path as typed); default its full name."""
    path = book_path(xbook)
    live = read_live(xbook, path)
    config = load_config(live.result.book, config_file_for(path, config_file), overrides)
    return live, check_read(live.result, as_of, config, name or book_label(xbook))


def validate_live(
    xbook: Any,
    as_of: date,
    config_file: Path | None = None,
    overrides: dict[str, Any] | None = None,
    name: str | None = None,
) -> FileReport:
    """Check the open workbook, replace xlcrm's earlier marks with this run's and rewrite 校验结果."""
    live, checked = check_live(xbook, as_of, config_file, overrides, name)
    own = find_sheet(live, MARKS_SHEET_NAME)
    if own is not None and is_visible(own):
        raise StaffSheetNameError(sheet=own.name)
    report = checked.report
    with screen_paused(xbook):
        recorded = recorded_marks(live)
        clear_marks(live, recorded)
        clear_file_marks(live, recorded)  # an annotated copy opened in Excel: the file's marks
        marks = put_marks(live, report)
        if marks or find_sheet(live, MARKS_SHEET_NAME) is not None:
            with keep_active_sheet(xbook):
                put_hidden_sheet(xbook, live, MARKS_SHEET_NAME, marks_rows(marks))
        put_results_sheet(xbook, live, report)
    return report


def refuse_structural(checked: CheckedBook, label: str) -> None:
    """Stop, as the file command does, when sheets or headers are missing or IDs repeat."""
    structural = structural_errors(checked.report.issues)
    if structural:
        detail = "\n".join(
            f"  {i.sheet or ''}{'!' + i.cell if i.cell else ''} {i.code} {i.message}" for i in structural[:20]
        )
        raise StructureError(path=label, detail=detail)


@dataclass
class LiveEnrichResult(EnrichResult):
    """An enrich run on an open workbook: the file result's fields, plus the cells written."""

    cells_written: int = 0


def enrich_live(
    xbook: Any,
    as_of: date,
    config_file: Path | None = None,
    overrides: dict[str, Any] | None = None,
    name: str | None = None,
) -> LiveEnrichResult:
    """Fill blank IDs and every computed column of the open workbook (SPEC §10); not saved."""
    from ..writing.enrich_writer import fill_rows, history_rows

    label = name or book_label(xbook)
    live, checked = check_live(xbook, as_of, config_file, overrides, label)
    refuse_structural(checked, label)
    if checked.book.own_name_clashes:
        raise OwnSheetNameError(path=label, sheet=checked.book.own_name_clashes[0])
    derived: Derived = checked.derived or derive(checked.book, checked.config, as_of)
    with screen_paused(xbook), keep_active_sheet(xbook):
        written = write_updates(live, checked.book, derived.updates())
        put_hidden_sheet(xbook, live, HISTORY_SHEET_NAME, history_rows(checked.book.history, derived.snapshots))
        put_hidden_sheet(xbook, live, FILLS_SHEET_NAME, fill_rows(derived.fills))
    return LiveEnrichResult(Path(label), None, checked, derived, cells_written=written)
