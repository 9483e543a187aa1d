"""Problem marks in an open workbook: a red or yellow fill and a note on each problem cell.

Every mark xlcrm puts on is recorded in the hidden sheet ``xlcrm_标注`` (sheet, cell, the cell's
own fill, xlcrm's fill, xlcrm's note). The next run takes off exactly those marks first: a fill is
put back to the cell's own only while it is still xlcrm's, a note is deleted only while it still
says what xlcrm wrote. A staff member's own fills and notes are never removed, and a cell that
already has a staff note keeps it and gets no xlcrm note (the problem is still listed in 校验结果).

An annotated copy made by ``validate --annotate`` (or downloaded from the inbox) and then opened in
Excel carries the file's marks, which ``xlcrm_标注`` does not list: the cells its 校验结果 sheet
names as errors or warnings lose the file's red or yellow fill and the note in xlcrm's wording
(``[错误] …`` lines) before this run's marks go on (``clear_file_marks``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..issues import FileReport, Issue
from ..reading.coerce import render_text
from ..schema import MARKS_HEADERS, MARKS_SHEET_NAME, RESULTS_SHEET_NAME, fold_name
from .cells import hex_color, rgb_color
from .read import LiveRead

MARK_COLORS = {"error": (255, 199, 206), "warning": (255, 235, 156)}  # the annotated copy's fills
from ..writing.results_sheet import SEVERITY_ZH  # noqa: E402 - one wording for both copies


@dataclass(frozen=True)
class Mark:
    """One marked cell: where, the cell's own fill (``''`` none), xlcrm's fill, xlcrm's note (``''`` none)."""

    sheet: str
    cell: str
    own_color: str
    color: str
    note: str

    def row(self) -> list[str]:
        return [self.sheet, self.cell, self.own_color, self.color, self.note]


def _same_text(a: str, b: str) -> bool:
    return a.replace("\r\n", "\n").replace("\r", "\n").strip() == b.replace("\r\n", "\n").replace("\r", "\n").strip()


def recorded_marks(live: LiveRead) -> list[Mark]:
    """The marks an earlier run recorded in ``xlcrm_标注`` (none when the sheet is absent)."""
    raw = next((r for r in live.raws if fold_name(r.name) == fold_name(MARKS_SHEET_NAME)), None)
    if raw is None:
        return []
    marks = []
    for cells in raw.rows[1:]:
        sheet, cell, own, color, note = ((render_text(c) or "") for c in (list(cells) + [""] * 5)[:5])
        if sheet and cell and color:
            marks.append(Mark(sheet, cell, own, color, note))
    return marks


def clear_marks(live: LiveRead, marks: list[Mark]) -> None:
    """Take off the recorded marks that are still xlcrm's."""
    for mark in marks:
        xsheet = live.sheets.get(mark.sheet)
        if xsheet is None:
            continue
        rng = xsheet.range(mark.cell)
        if hex_color(rng.color) == mark.color.upper():
            rng.color = rgb_color(mark.own_color)
        if mark.note:
            note = rng.note
            if note is not None and _same_text(note.text, mark.note):
                note.delete()


def _is_xlcrm_note(text: str) -> bool:
    """A note in xlcrm's wording: every line ``[错误] …`` or ``[警告] …`` (both writers use it)."""
    lines = [line for line in text.replace("\r", "\n").split("\n") if line.strip()]
    wording = re.compile(rf"^\[({SEVERITY_ZH['error']}|{SEVERITY_ZH['warning']})\] ")
    return bool(lines) and all(wording.match(line) for line in lines)


def listed_problem_cells(live: LiveRead) -> dict[tuple[str, str], str]:
    """(sheet, cell) → severity of the errors and warnings the workbook's current 校验结果 lists."""
    raw = next((r for r in live.raws if fold_name(r.name) == fold_name(RESULTS_SHEET_NAME)), None)
    if raw is None:
        return {}
    severities = {SEVERITY_ZH["error"]: "error", SEVERITY_ZH["warning"]: "warning"}
    listed: dict[tuple[str, str], str] = {}
    for cells in raw.rows[1:]:
        sheet, cell, level = ((render_text(c) or "") for c in (list(cells) + [""] * 4)[1:4])
        if sheet and cell and level in severities:
            listed.setdefault((sheet, cell.replace("$", "").upper()), severities[level])
    return listed


def clear_file_marks(live: LiveRead, recorded: list[Mark]) -> int:
    """Take off an annotated copy's marks (see the module docstring); returns the cells cleared.

    Only cells the old 校验结果 lists and ``xlcrm_标注`` does not: a fill is removed only while it is
    the mark colour of the listed severity, a note only while it is in xlcrm's wording."""
    known = {(m.sheet, m.cell.upper()) for m in recorded}
    cleared = 0
    for (sheet, cell), severity in listed_problem_cells(live).items():
        xsheet = live.sheets.get(sheet)
        if xsheet is None or (sheet, cell) in known:
            continue
        rng = xsheet.range(cell)
        changed = False
        if hex_color(rng.color) == hex_color(MARK_COLORS[severity]):
            rng.color = None
            changed = True
        note = rng.note
        if note is not None and _is_xlcrm_note(note.text):
            note.delete()
            changed = True
        cleared += changed
    return cleared


def note_text(issues: list[Issue]) -> str:
    """The note on a problem cell: one line per problem, ``[错误] message``."""
    return "\n".join(f"[{SEVERITY_ZH.get(i.severity, i.severity)}] {i.message}" for i in issues)


def put_marks(live: LiveRead, report: FileReport) -> list[Mark]:
    """Fill and note every cell with an error or warning; returns what was put on."""
    by_cell: dict[tuple[str, str], list[Issue]] = {}
    for issue in report.issues:
        if issue.cell and issue.sheet in live.sheets and issue.severity in MARK_COLORS:
            by_cell.setdefault((issue.sheet, issue.cell), []).append(issue)
    marks = []
    for (sheet, cell), issues in by_cell.items():
        rng = live.sheets[sheet].range(cell)
        worst = "error" if any(i.severity == "error" for i in issues) else "warning"
        own = hex_color(rng.color)
        rng.color = MARK_COLORS[worst]
        text = ""
        if rng.note is None:  # a staff member's own note stays as it is
            text = note_text(issues)
            rng.add_note(text)
        marks.append(Mark(sheet, cell, own, hex_color(MARK_COLORS[worst]), text))
    return marks


def marks_rows(marks: list[Mark]) -> list[list[Any]]:
    """The ``xlcrm_标注`` sheet's rows, header first."""
    return [list(MARKS_HEADERS)] + [m.row() for m in marks]
