"""A stand-in for the subset of xlwings' API that ``xlcrm.excel`` calls, fed from a real .xlsx.

No Excel exists on the test machine, so the adapter is tested at its seam: these classes mimic
exactly the calls the adapter makes, with Excel's behaviour where it matters (a string typed into a
cell is read as a number or a formula unless it starts with an apostrophe; every number is a float;
dates come back as datetimes; a new sheet becomes the active one). Every class has ``__slots__``
and no ``__getattr__``: an attribute the adapter uses that is not listed here raises
``AttributeError`` and the test fails, so the stand-in cannot silently grow past xlwings.

Mimicked API (xlwings open-source, https://docs.xlwings.org/en/stable/api/index.html):

- ``xw.apps`` / ``App.books`` / ``App.alert`` / ``App.screen_updating``  — https://docs.xlwings.org/en/stable/api/apps.html,
  https://docs.xlwings.org/en/stable/api/app.html
- ``Book.name`` / ``Book.fullname`` / ``Book.sheets`` / ``Book.app``  — https://docs.xlwings.org/en/stable/api/book.html
- ``Sheets`` iteration, ``[index or name]``, ``len``, ``add(name, before, after)``, ``active``
  — https://docs.xlwings.org/en/stable/api/sheets.html
- ``Sheet.name`` / ``visible`` / ``used_range`` / ``range(cell1, cell2)`` / ``delete()`` /
  ``clear_contents()`` / ``activate()``  — https://docs.xlwings.org/en/stable/api/sheet.html
- ``Range.value`` / ``options(ndim=2)`` / ``row`` / ``column`` / ``last_cell`` / ``shape`` /
  ``color`` / ``number_format`` / ``font`` / ``column_width`` / ``note`` / ``add_note`` /
  ``merge_cells`` / ``merge_area`` / ``end(direction)``  — https://docs.xlwings.org/en/stable/api/range.html
- ``Note.text`` / ``Note.delete()``  — https://docs.xlwings.org/en/stable/api/note.html
- ``Font.bold`` / ``italic`` / ``color``  — https://docs.xlwings.org/en/stable/api/font.html
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string

_NUMBER = re.compile(r"^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$")
_A1 = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")


class Formula:
    """A formula Excel made of a string that started with ``=``."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def shown(self) -> Any:
        m = re.match(r'^=HYPERLINK\(".*","(.*)"\)$', self.text)
        return m.group(1) if m else self.text


class Cell:
    __slots__ = ("value", "color", "note", "number_format", "bold", "italic", "font_color")

    def __init__(self) -> None:
        self.value: Any = None
        self.color: tuple[int, int, int] | None = None
        self.note: str | None = None
        self.number_format = "General"
        self.bold = False
        self.italic = False
        self.font_color: tuple[int, int, int] | None = None


def _excel_value(value: Any) -> Any:
    """What Excel stores when Python assigns ``value`` (xlwings passes strings through as typed text)."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if isinstance(value, str):
        if value.startswith("'"):
            return value[1:]
        if value.startswith("="):
            return Formula(value)
        if _NUMBER.match(value):
            return float(value)
        return value
    raise TypeError(f"xlwings cannot write {type(value).__name__}")


def _rgb(color: Any) -> tuple[int, int, int] | None:
    if color is None:
        return None
    if isinstance(color, str):
        text = color.lstrip("#")
        return (int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16))
    r, g, b = color
    return (int(r), int(g), int(b))


class Note:
    __slots__ = ("_cell", "_log")

    def __init__(self, cell: Cell, log: Counter[str]) -> None:
        self._cell, self._log = cell, log

    @property
    def text(self) -> str:
        self._log["note.text"] += 1
        return self._cell.note or ""

    @text.setter
    def text(self, value: str) -> None:
        self._log["note.text="] += 1
        self._cell.note = value

    def delete(self) -> None:
        self._log["note.delete"] += 1
        self._cell.note = None


class Font:
    __slots__ = ("_range",)

    def __init__(self, rng: Range) -> None:
        self._range = rng

    def _set(self, attr: str, value: Any) -> None:
        self._range._log[f"font.{attr}="] += 1
        for cell in self._range._cells(create=True):
            setattr(cell, attr, value)

    @property
    def bold(self) -> bool:
        return self._range._first().bold

    @bold.setter
    def bold(self, value: bool) -> None:
        self._set("bold", bool(value))

    @property
    def italic(self) -> bool:
        return self._range._first().italic

    @italic.setter
    def italic(self, value: bool) -> None:
        self._set("italic", bool(value))

    @property
    def color(self) -> tuple[int, int, int] | None:
        return self._range._first().font_color

    @color.setter
    def color(self, value: Any) -> None:
        self._set("font_color", _rgb(value))


class Range:
    __slots__ = ("sheet", "r1", "c1", "r2", "c2", "_ndim", "_log")

    def __init__(self, sheet: Sheet, r1: int, c1: int, r2: int, c2: int, ndim: int | None = None) -> None:
        if not (1 <= r1 <= r2 <= 1_048_576 and 1 <= c1 <= c2 <= 16_384):
            raise ValueError(f"bad range {(r1, c1, r2, c2)}")
        self.sheet, self.r1, self.c1, self.r2, self.c2, self._ndim = sheet, r1, c1, r2, c2, ndim
        self._log = sheet.book.log

    # --- geometry
    @property
    def row(self) -> int:
        return self.r1

    @property
    def column(self) -> int:
        return self.c1

    @property
    def shape(self) -> tuple[int, int]:
        return (self.r2 - self.r1 + 1, self.c2 - self.c1 + 1)

    @property
    def last_cell(self) -> Range:
        return Range(self.sheet, self.r2, self.c2, self.r2, self.c2)

    def options(self, convert: Any = None, **options: Any) -> Range:
        if convert is not None or set(options) - {"ndim"}:
            raise TypeError(f"stand-in supports options(ndim=...) only, got {convert!r} {options}")
        return Range(self.sheet, self.r1, self.c1, self.r2, self.c2, options.get("ndim"))

    def end(self, direction: str) -> Range:
        if direction != "up":
            raise ValueError("stand-in supports end('up') only")
        row = self.r1 - 1
        while row > 1 and self.sheet._value(row, self.c1) is None:
            row -= 1
        return Range(self.sheet, max(row, 1), self.c1, max(row, 1), self.c1)

    # --- cells
    def _coords(self) -> list[tuple[int, int]]:
        return [(r, c) for r in range(self.r1, self.r2 + 1) for c in range(self.c1, self.c2 + 1)]

    def _cells(self, create: bool = False) -> list[Cell]:
        cells = self.sheet.cells
        if create:
            return [cells.setdefault(rc, Cell()) for rc in self._coords()]
        return [cells.get(rc) or Cell() for rc in self._coords()]

    def _first(self) -> Cell:
        return self.sheet.cells.get((self.r1, self.c1)) or Cell()

    @property
    def value(self) -> Any:
        self._log["value"] += 1
        grid = [[self.sheet._value(r, c) for c in range(self.c1, self.c2 + 1)] for r in range(self.r1, self.r2 + 1)]
        if self._ndim == 2:
            return grid
        rows, cols = self.shape
        if rows == 1 and cols == 1:
            return grid[0][0]
        if rows == 1:
            return grid[0]
        if cols == 1:
            return [r[0] for r in grid]
        return grid

    @value.setter
    def value(self, data: Any) -> None:
        self._log["value="] += 1
        if not isinstance(data, list):
            data = [[data] * self.shape[1] for _ in range(self.shape[0])]
        if not all(isinstance(r, list) for r in data):
            raise TypeError("the stand-in expects a 2-D list (rows of cells)")
        shape = (len(data), max((len(r) for r in data), default=0))
        if shape != self.shape and self.shape != (1, 1):
            raise ValueError(f"data shape {shape} does not fit the range shape {self.shape}")
        self.sheet.book.writes.append((self.sheet.name, self.r1, self.c1, shape))
        for i, row in enumerate(data):
            for j, v in enumerate(row):
                cell = self.sheet.cells.setdefault((self.r1 + i, self.c1 + j), Cell())
                cell.value = _excel_value(v)

    @property
    def color(self) -> tuple[int, int, int] | None:
        self._log["color"] += 1
        return self._first().color

    @color.setter
    def color(self, value: Any) -> None:
        self._log["color="] += 1
        for cell in self._cells(create=True):
            cell.color = _rgb(value)

    @property
    def number_format(self) -> str:
        return self._first().number_format

    @number_format.setter
    def number_format(self, value: str) -> None:
        self._log["number_format="] += 1
        for cell in self._cells(create=True):
            cell.number_format = value

    @property
    def font(self) -> Font:
        return Font(self)

    @property
    def column_width(self) -> float:
        return self.sheet.widths.get(self.c1, 8.43)

    @column_width.setter
    def column_width(self, value: float) -> None:
        self._log["column_width="] += 1
        for c in range(self.c1, self.c2 + 1):
            self.sheet.widths[c] = float(value)

    @property
    def note(self) -> Note | None:
        self._log["note"] += 1
        cell = self.sheet.cells.get((self.r1, self.c1))
        return Note(cell, self._log) if cell is not None and cell.note else None

    def add_note(self, text: str) -> Note:
        self._log["add_note"] += 1
        if not isinstance(text, str) or not text:
            raise ValueError("Note text must be a non-empty string")
        if self.shape != (1, 1):
            raise ValueError("A note can only be added to a single cell")
        cell = self.sheet.cells.setdefault((self.r1, self.c1), Cell())
        if cell.note:
            raise ValueError("This cell already has a note")
        cell.note = text
        return Note(cell, self._log)

    @property
    def merge_cells(self) -> bool | None:
        self._log["merge_cells"] += 1
        inside = sum(1 for rc in self._coords() if self.sheet._merge_of(*rc) is not None)
        if inside == 0:
            return False
        return True if inside == self.shape[0] * self.shape[1] else None

    @property
    def merge_area(self) -> Range:
        self._log["merge_area"] += 1
        area = self.sheet._merge_of(self.r1, self.c1)
        return Range(self.sheet, *area) if area else Range(self.sheet, self.r1, self.c1, self.r1, self.c1)


class Sheet:
    __slots__ = ("book", "_name", "cells", "merged", "_visible", "widths")

    def __init__(self, book: Book, name: str, visible: bool = True) -> None:
        self.book, self._name, self._visible = book, name, visible
        self.cells: dict[tuple[int, int], Cell] = {}
        self.merged: list[tuple[int, int, int, int]] = []
        self.widths: dict[int, float] = {}

    @property
    def name(self) -> str:
        return self._name

    @property
    def visible(self) -> Any:
        if self.book.windows:  # COM's Visible: -1 visible, 0 hidden, 2 very hidden
            return -1 if self._visible else 0
        return self._visible

    @visible.setter
    def visible(self, value: bool) -> None:
        self.book.log["visible="] += 1
        visible = [s for s in self.book.sheets if s._visible]
        if not value and visible == [self]:
            raise RuntimeError("Excel: a workbook must keep at least one visible sheet")
        self._visible = bool(value)
        if not value and self.book.sheets.active is self:
            self.book.sheets._active = visible[0] if visible[0] is not self else visible[1]

    @property
    def used_range(self) -> Range:
        self.book.log["used_range"] += 1
        if not self.cells:
            return Range(self, 1, 1, 1, 1)
        rows = [r for r, _ in self.cells]
        cols = [c for _, c in self.cells]
        return Range(self, min(rows), min(cols), max(rows), max(cols))

    def range(self, cell1: Any, cell2: Any = None) -> Range:
        r1, c1 = self._rc(cell1)
        r2, c2 = self._rc(cell2) if cell2 is not None else (r1, c1)
        return Range(self, min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2))

    @staticmethod
    def _rc(ref: Any) -> tuple[int, int]:
        if isinstance(ref, tuple):
            return int(ref[0]), int(ref[1])
        m = _A1.match(str(ref))
        if not m:
            raise ValueError(f"stand-in accepts (row, col) or one A1 cell, got {ref!r}")
        return int(m.group(2)), column_index_from_string(m.group(1).upper())

    def delete(self) -> None:
        self.book.log["delete"] += 1
        self.book.sheets._remove(self)

    def clear_contents(self) -> None:
        self.book.log["clear_contents"] += 1
        for cell in self.cells.values():
            cell.value = None

    def activate(self) -> None:
        self.book.log["activate"] += 1
        if not self._visible:
            raise RuntimeError("Excel: a hidden sheet cannot be activated")
        self.book.sheets._active = self

    # --- for the stand-in itself and for tests (not xlwings API; the adapter never calls them)
    def _value(self, r: int, c: int) -> Any:
        cell = self.cells.get((r, c))
        if cell is None:
            return None
        return cell.value.shown() if isinstance(cell.value, Formula) else cell.value

    def _merge_of(self, r: int, c: int) -> tuple[int, int, int, int] | None:
        return next((m for m in self.merged if m[0] <= r <= m[2] and m[1] <= c <= m[3]), None)


class Sheets:
    __slots__ = ("_book", "_items", "_active")

    def __init__(self, book: Book) -> None:
        self._book, self._items = book, []
        self._active: Sheet | None = None

    def __iter__(self) -> Any:
        return iter(list(self._items))

    def __len__(self) -> int:
        return len(self._items)

    def __getitem__(self, key: int | str) -> Sheet:
        if isinstance(key, int):
            return self._items[key]
        for s in self._items:
            if s.name.lower() == key.lower():
                return s
        raise KeyError(key)

    @property
    def active(self) -> Sheet:
        assert self._active is not None
        return self._active

    def add(self, name: str | None = None, before: Sheet | None = None, after: Sheet | None = None) -> Sheet:
        self._book.log["sheets.add"] += 1
        name = name or f"Sheet{len(self._items) + 1}"
        if any(s.name.lower() == name.lower() for s in self._items):
            raise ValueError(f"Sheet named '{name}' already present in workbook")
        sheet = Sheet(self._book, name)
        if before is not None:
            self._items.insert(self._items.index(before), sheet)
        elif after is not None:
            self._items.insert(self._items.index(after) + 1, sheet)
        else:
            self._items.insert(self._items.index(self.active), sheet)  # Excel adds before the active sheet
        self._active = sheet  # "Creates a new Sheet and makes it the active sheet"
        return sheet

    def _remove(self, sheet: Sheet) -> None:
        self._items.remove(sheet)
        if self._active is sheet:
            self._active = next(s for s in self._items if s._visible)


class App:
    __slots__ = ("books", "alerts", "_screen_updating")

    def __init__(self) -> None:
        self.books: list[Book] = []
        self.alerts: list[tuple[str, str | None, str | None]] = []
        self._screen_updating = True

    @property
    def screen_updating(self) -> bool:
        return self._screen_updating

    @screen_updating.setter
    def screen_updating(self, value: bool) -> None:
        self._screen_updating = bool(value)

    def alert(
        self,
        prompt: str,
        title: str | None = None,
        buttons: str = "ok",
        mode: str | None = None,
        callback: str | None = None,
    ) -> str:
        self.alerts.append((prompt, title, mode))
        return "ok"


class Book:
    __slots__ = ("name", "fullname", "sheets", "app", "log", "writes", "windows")

    def __init__(self, fullname: str, app: App | None = None, windows: bool = False) -> None:
        self.fullname = fullname
        self.name = Path(fullname).name
        self.app = app or App()
        self.app.books.append(self)
        self.log: Counter[str] = Counter()
        self.writes: list[tuple[str, int, int, tuple[int, int]]] = []
        self.windows = windows
        self.sheets = Sheets(self)

    # --- for tests (not xlwings API)
    def sheet(self, name: str) -> Sheet:
        return self.sheets[name]

    def names(self) -> list[str]:
        return [s.name for s in self.sheets]


def open_standin(path: Path, windows: bool = False) -> Book:
    """A stand-in ``Book`` holding the values, fills, notes, merges and visibility of ``path``."""
    wb = load_workbook(path, data_only=True, rich_text=False)
    book = Book(str(Path(path).resolve()), windows=windows)
    for ws in wb.worksheets:
        sheet = Sheet(book, ws.title, ws.sheet_state == "visible")
        book.sheets._items.append(sheet)
        for row in ws.iter_rows():
            for c in row:
                fill = c.fill.fgColor.rgb if c.fill is not None and c.fill.fill_type == "solid" else None
                if c.value is None and c.comment is None and not (isinstance(fill, str) and len(fill) == 8):
                    continue
                cell = sheet.cells.setdefault((c.row, c.column), Cell())
                cell.value = _excel_value(c.value) if not isinstance(c.value, str) else (c.value or None)
                if isinstance(fill, str) and len(fill) == 8:
                    cell.color = _rgb(fill[2:])
                if c.comment is not None:
                    cell.note = c.comment.text
                cell.number_format = c.number_format
        sheet.merged = [(m.min_row, m.min_col, m.max_row, m.max_col) for m in ws.merged_cells.ranges]
    book.sheets._active = next(s for s in book.sheets if s._visible)
    return book
