"""Blank required cells (SPEC §1 "R", §3.1).

- A blank required cell is ``value.required`` (error).
- A blank own ID (客户编号 in 客户信息, 记录编号, 反馈编号, 活动编号 in 维护活动) is ``id.pending``
  (info) instead: ``enrich`` fills it.
- A blank reference that is required (客户编号 in 跟进记录 / 反馈处理, 活动编号 in 活动任务) is an
  ordinary ``value.required``; its message says where valid values come from.
- Conditional requirements (处理结果 when 已解决 …) are state rules (``state.py``).

A cell counts as blank only when its raw value is blank: a typed value of None with a non-blank
raw value failed coercion and was already reported by the reader. Fields whose column is absent
are skipped (the reader reports ``header.missing``).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from ..config import Config
from ..i18n import tr
from ..issues import Issue, located
from ..model import Book, SheetData
from ..schema import Field
from ..schema import sheet as sheet_kind
from ._common import data_sheets


def check_required(book: Book, config: Config | None, as_of: date) -> Iterator[Issue]:
    """``value.required`` / ``id.pending`` for every blank required or own-ID cell."""
    for sheet in data_sheets(book):
        yield from _sheet_required(sheet)


def _sheet_required(sheet: SheetData) -> Iterator[Issue]:
    fields = [f for f in sheet.kind.input_fields if (f.required or f.own_id) and f.key in sheet.columns]
    if not fields:
        return
    keys = [f.key for f in fields]
    for row in sheet.rows:
        values = row.values
        for key in keys:
            if values.get(key) is not None:
                continue
            raw = row.raw.get(key)
            if raw is None or (raw.__class__ is str and not raw.strip()):
                yield _blank_issue(sheet, row.number, sheet.kind.field(key))


def _blank_issue(sheet: SheetData, row: int, field: Field) -> Issue:
    header = field.header
    if field.own_id:
        return located(
            sheet,
            row,
            field.key,
            "id.pending",
            tr(
                "“{header}”为空，运行 xlcrm enrich 时将自动生成；也可以现在手动填写。",
                '"{header}" is blank; xlcrm enrich will generate it (or type one in now).',
                header=header,
            ),
        )
    if field.ref:
        target = sheet_kind(field.ref).name
        return located(
            sheet,
            row,
            field.key,
            "value.required",
            tr(
                "“{header}”为空。请填写“{target}”表中已有的{header}。",
                '"{header}" is blank. Enter a {header} that exists in sheet "{target}".',
                header=header,
                target=target,
            ),
        )
    return located(
        sheet,
        row,
        field.key,
        "value.required",
        tr(
            "“{header}”是必填项，不能为空。请填写{header}。",
            '"{header}" is required but blank. Please fill it in.',
            header=header,
        ),
    )
