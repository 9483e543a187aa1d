"""References between sheets (SPEC §1 "FK", §3.2).

- ``ref.missing`` (error): a filled reference field (``Field.ref``: 客户编号 in 跟进记录 / 反馈处理,
  活动编号 in 跟进记录 / 反馈处理 / 活动任务) whose value is not an ID of the referenced sheet. IDs
  compare exactly. A malformed reference is reported here only (not as ``value.format``, see
  ``formats.py``). Every row of the referenced sheet counts, rejected or not, so one bad customer
  row does not cascade into errors on its follow-ups. When the referenced sheet or its ID column
  is absent the reader has already reported it and nothing is checked here.
- ``ref.mismatch`` (warning): a filled 客户名称 that differs from the referenced customer's 客户名称
  after NFKC folding, removal of all whitespace and case folding. The first row of a duplicated
  customer ID is the one compared with. A name enrich wrote and will refresh (the cell still holds
  enrich's value, ``Row.refreshable``) is not reported: the customer was renamed since, and the
  next enrich updates the copy (SPEC §2 "Cells enrich fills and keeps up to date").
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from datetime import date

from ..config import Config
from ..i18n import tr
from ..issues import Issue, located
from ..model import Book, SheetData
from ..schema import Field
from ..schema import sheet as sheet_kind
from ._common import data_sheets

# Field keys: the referencing sheets' copy of the customer's name, and the customer's own name.
NAME_COPY, CUSTOMER_NAME = "customer_name", "name"


def fold_name(value: str) -> str:
    """A name as compared: NFKC, no whitespace anywhere, case-folded."""
    return "".join(unicodedata.normalize("NFKC", value).split()).casefold()


def check_refs(book: Book, config: Config | None, as_of: date) -> Iterator[Issue]:
    """``ref.missing`` and ``ref.mismatch`` for every referencing sheet."""
    indexes: dict[str, dict[object, str | None] | None] = {}
    for sheet in data_sheets(book):
        for field in sheet.kind.input_fields:
            if field.ref is None or field.key not in sheet.columns:
                continue
            if field.ref not in indexes:
                indexes[field.ref] = _id_index(book, field.ref)
            index = indexes[field.ref]
            if index is None:
                continue
            yield from _missing(sheet, field, index)
            if field.ref == "customers" and NAME_COPY in sheet.columns:
                yield from _mismatched(sheet, field.key, index)


def _id_index(book: Book, target: str) -> dict[object, str | None] | None:
    """ID → the referenced row's name (first occurrence), or None when the sheet can't be checked."""
    sheet = book.sheets.get(target)
    own = sheet_kind(target).own_id
    if sheet is None or own is None or own.key not in sheet.columns:
        return None
    id_key = own.key
    name_key = CUSTOMER_NAME if CUSTOMER_NAME in sheet.columns else None
    index: dict[object, str | None] = {}
    for row in sheet.rows:
        value = row.values.get(id_key)
        if value is not None and value not in index:
            index[value] = row.values.get(name_key) if name_key else None
    return index


def _missing(sheet: SheetData, field: Field, index: dict[object, str | None]) -> Iterator[Issue]:
    key = field.key
    target = sheet_kind(field.ref or "").name
    for row in sheet.rows:
        value = row.values.get(key)
        if value is not None and value not in index:
            yield located(
                sheet,
                row.number,
                key,
                "ref.missing",
                tr(
                    "“{header}”{value} 在“{target}”表中不存在。请核对编号，或先在“{target}”表中添加该记录。",
                    '"{header}" {value} does not exist in sheet "{target}". Check the ID, or add that record to '
                    '"{target}" first.',
                    header=field.header,
                    value=value,
                    target=target,
                ),
                value=value,
            )


def _mismatched(sheet: SheetData, id_key: str, index: dict[object, str | None]) -> Iterator[Issue]:
    header = sheet.kind.field(NAME_COPY).header
    id_header = sheet.kind.field(id_key).header
    target = sheet_kind("customers").name
    folded: dict[str, str] = {}
    for row in sheet.rows:
        values = row.values
        name = values.get(NAME_COPY)
        if name is None or NAME_COPY in row.refreshable:
            continue
        expected = index.get(values.get(id_key))
        if expected is None or name == expected:
            continue
        want = folded.get(expected)
        if want is None:
            want = folded[expected] = fold_name(expected)
        got = folded.get(name)
        if got is None:
            got = folded[name] = fold_name(name)
        if got != want:
            yield located(
                sheet,
                row.number,
                NAME_COPY,
                "ref.mismatch",
                tr(
                    "“{header}”与“{id_header}”{cid} 不一致：这里填写的是“{name}”，“{target}”表中是“{expected}”。"
                    "请改为“{expected}”，或留空由 xlcrm enrich 自动补全。",
                    '"{header}" does not match "{id_header}" {cid}: "{name}" here, "{expected}" in sheet "{target}". '
                    'Change it to "{expected}", or leave it blank and xlcrm enrich will fill it in.',
                    header=header,
                    id_header=id_header,
                    cid=values.get(id_key),
                    name=name,
                    expected=expected,
                    target=target,
                ),
                value=name,
            )
