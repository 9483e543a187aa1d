"""Duplicate unique IDs (``value.duplicate``, SPEC §1 "U", §3.1).

Each LATER occurrence of an ID is reported at its own cell; the message names the cell of the
first occurrence. IDs compare exactly (the reader has already trimmed them).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from ..config import Config
from ..i18n import tr
from ..issues import Issue, located
from ..model import Book, SheetData
from ..schema import Field
from ._common import data_sheets


def check_unique(book: Book, config: Config | None, as_of: date) -> Iterator[Issue]:
    """``value.duplicate`` on every repeat of a unique field's value."""
    for sheet in data_sheets(book):
        for field in sheet.kind.input_fields:
            if field.unique and field.key in sheet.columns:
                yield from _duplicates(sheet, field)


def _duplicates(sheet: SheetData, field: Field) -> Iterator[Issue]:
    key = field.key
    first: dict[object, int] = {}
    setdefault = first.setdefault
    for row in sheet.rows:
        value = row.values.get(key)
        if value is None:
            continue
        seen = setdefault(value, row.number)
        if seen != row.number:
            yield located(
                sheet,
                row.number,
                key,
                "value.duplicate",
                tr(
                    "“{header}”重复：{value} 已在 {first}（第 {first_row} 行）使用。编号必须唯一，请修改本行编号，"
                    "或删除重复的行；留空则由 xlcrm enrich 生成新编号。",
                    '"{header}" is a duplicate: {value} is already used at {first} (row {first_row}). IDs must be '
                    "unique: change this one or delete the duplicate row; leave it blank and xlcrm enrich will "
                    "generate a new one.",
                    header=field.header,
                    value=value,
                    first=sheet.cell(key, seen),
                    first_row=seen,
                ),
                value=value,
            )
