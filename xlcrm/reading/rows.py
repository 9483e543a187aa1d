"""Turn a recognised sheet's raw cells into typed ``Row``s, with the §3 reading issues."""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from itertools import islice
from operator import itemgetter
from types import MappingProxyType
from typing import Any

from ..i18n import tr
from ..issues import Issue, located
from ..model import Row, SheetData, a1
from ..schema import Field, FieldType, SheetKind
from . import coerce
from .recognize import HeaderMatch

Converter = Callable[[Any], coerce.CoerceResult]


def _converter(f: Field) -> Converter:
    t = f.type
    if t is FieldType.DATE:
        return coerce.parse_date
    if t is FieldType.DATETIME:
        return coerce.parse_datetime
    if t is FieldType.INT:
        return lambda v: coerce.parse_number(v, integer=True)
    if t in (FieldType.MONEY, FieldType.NUMBER, FieldType.SCORE, FieldType.PERCENT):
        return coerce.parse_number
    if t is FieldType.ENUM:
        allowed = tuple(f.enum)
        return lambda v: coerce.parse_enum(v, allowed)
    if t is FieldType.ID:
        return _parse_id
    if f.person:
        return coerce.parse_person
    return coerce.parse_text


def _parse_id(value: Any) -> coerce.CoerceResult:
    text = coerce.render_text(value)
    if text is not None and not text.isascii():
        text = unicodedata.normalize("NFKC", text).replace(" ", "")
    return coerce.CoerceResult(text)


def _fast(f: Field) -> Callable[[Any], Any]:
    """A per-type fast path returning the typed value, or ``_SLOW`` to fall back to coercion."""
    t = f.type
    ws = coerce.WHITESPACE
    if f.person:  # a name with no inner whitespace needs no folding
        return lambda v: (v.strip(ws) or None) if type(v) is str and len(v.split()) <= 1 else _SLOW
    if t in (FieldType.TEXT, FieldType.PHONE, FieldType.EMAIL):
        return lambda v: (v.strip(ws) or None) if type(v) is str else _SLOW
    if t is FieldType.ID:  # ASCII IDs need no NFKC folding
        return lambda v: (v.strip(ws) or None) if type(v) is str and v.isascii() else _SLOW
    if t is FieldType.ENUM:
        allowed = frozenset(f.enum)
        return lambda v: v if v in allowed else _SLOW
    first = coerce.FIRST_EXCEL_YEAR  # earlier days take the slow path, which refuses them
    if t is FieldType.DATE:
        return lambda v: (
            v.date()
            if type(v) is datetime and v.year >= first
            else (v if type(v) is date and v.year >= first else _SLOW)
        )
    if t is FieldType.DATETIME:
        return lambda v: v if type(v) is datetime and v.year >= first else _SLOW
    if t in (FieldType.MONEY, FieldType.NUMBER, FieldType.SCORE):
        # v - v is 0.0 only for finite floats: inf (a stored 1e999) and NaN take the slow path to value.type
        return lambda v: v if type(v) is float and v - v == 0.0 else _SLOW
    if t is FieldType.INT:
        return lambda v: int(v) if type(v) is float and v.is_integer() else _SLOW
    return lambda v: _SLOW


_SLOW = object()
_MEMO_LIMIT = 1 << 16  # distinct values remembered per column
_NOTHING: Mapping[str, Any] = MappingProxyType({})  # the raw / stored cells of most rows: none, shared
_BLANKS = frozenset(("", None))


def _all_blank(values: tuple[Any, ...]) -> bool:
    try:
        return _BLANKS.issuperset(values)
    except TypeError:  # an unhashable value from some engine: certainly not blank
        return False


_TYPE_TEXT = {
    FieldType.DATE: ("日期（如 2024-06-01）", "a date (e.g. 2024-06-01)"),
    FieldType.DATETIME: ("日期时间（如 2024-06-01 14:30）", "a date and time (e.g. 2024-06-01 14:30)"),
    FieldType.INT: ("整数", "a whole number"),
}


def _issue_for(sheet: SheetData, row: int, f: Field, raw: Any, res: coerce.CoerceResult) -> Issue:
    h = f.header
    shown = coerce.render_text(raw)
    if res.code == coerce.TYPE_ERROR and isinstance(raw, float) and not math.isfinite(raw):
        # e.g. 1e999 stored in a number cell: the engine gives infinity, which no rule can use
        msg = tr(
            "“{h}”的数值无效（超出范围或不是数字），请改为正常的数字。",
            "'{h}' holds an invalid number (out of range or not a number); enter a normal number.",
            h=h,
        )
    elif res.code == coerce.TYPE_ERROR:
        want_zh, want_en = _TYPE_TEXT.get(f.type, ("数字", "a number"))
        msg = tr(
            "“{h}”应填写{w}，但填写的是“{v}”。请改为正确的值。",
            "'{h}' must be {w_en}, got '{v}'. Please correct it.",
            h=h,
            w=want_zh,
            w_en=want_en,
            v=shown,
        )
    elif res.code == coerce.ENUM_ERROR:
        msg = tr(
            "“{h}”的值“{v}”不在可选范围内，可选值：{opts}。请从下拉列表中选择。",
            "'{h}': '{v}' is not allowed; choose one of: {opts}.",
            h=h,
            v=shown,
            opts=" / ".join(f.enum),
        )
    elif res.code == coerce.TEXT_DATE:
        msg = tr(
            "“{h}”的“{v}”是文本格式的日期，在 Excel 中会排序、筛选出错；已按 {d} 读取，建议改为日期格式。",
            "'{h}': '{v}' is a date typed as text (sorts and filters wrongly in Excel); read as {d}. Use a date cell.",
            h=h,
            v=shown,
            d=coerce.render_text(res.value),
        )
    else:
        msg = tr(
            "“{h}”的“{v}”是文本格式的数字，已按 {n} 读取，建议改为数字格式。",
            "'{h}': '{v}' is a number typed as text; read as {n}. Use a number cell.",
            h=h,
            v=shown,
            n=coerce.render_text(res.value),
        )
    return located(sheet, row, f.key, res.code or "", msg, value=shown, severity=res.severity)


def _uncached_issue(sheet: SheetData, row: int, f: Field) -> Issue:
    msg = tr(
        "“{h}”是公式但没有计算结果（文件可能由程序生成、未在 Excel 中重新计算），按空白处理。请在 Excel/WPS 中打开并保存一次。",
        "'{h}' holds a formula without a cached value; treated as blank. Open and save the file in Excel once.",
        h=f.header,
    )
    return located(sheet, row, f.key, "value.formula_uncached", msg)


def _numbered(rows: Iterable[Sequence[Any]], header_row: int, last: int) -> Iterator[tuple[int, Sequence[Any]]]:
    """(Excel row number, cells) of the rows below the header, then blank ones up to row ``last``
    (calamine stops before trailing formulas without a cached value)."""
    number = header_row
    for cells in islice(rows, header_row, None):
        number += 1
        yield number, cells
    while number < last:
        number += 1
        yield number, ()


def type_rows(
    kind: SheetKind,
    name: str,
    rows: Iterable[Sequence[Any]],
    header: HeaderMatch,
    uncached: set[tuple[int, int]],
) -> tuple[SheetData, list[Issue]]:
    """Typed rows below the header, up to the last row with a value in a known column. ``rows``
    (from row 1) are taken once, in order: a streamed sheet is never held whole."""
    sheet = SheetData(kind=kind, name=name, header_row=header.row, columns=dict(header.columns))
    issues: list[Issue] = []
    typed_fields = [kind.field(k) for k in header.columns if not kind.field(k).computed]
    memos: list[dict[Any, Any]] = [{} for _ in typed_fields]  # per column: raw value → typed value
    plan = [
        (f.key, f, header.columns[f.key] - 1, _fast(f), _converter(f), memo)
        for f, memo in zip(typed_fields, memos, strict=True)
    ]
    # a row's typed cells fetched in one call when the row is wide enough (the first twice: a tuple)
    typed_at = itemgetter(*[p[2] for p in plan], plan[0][2]) if plan else None
    last_typed = max((p[2] for p in plan), default=-1)
    computed_cols = [(k, c - 1) for k, c in header.columns.items() if kind.field(k).computed]
    uncached_rows = {r for r, _ in uncached}
    # the computed cells of a row, fetched in one call (the first twice: always a tuple)
    at = [c for _, c in computed_cols]
    computed_at = itemgetter(*at, at[0]) if at else None
    last_computed = max((c for _, c in computed_cols), default=0)
    for number, cells in _numbered(rows, header.row, max(uncached_rows, default=0)):
        width = len(cells)
        values: dict[str, Any] = {}
        raw: dict[str, Any] = {}  # only cells that could not be typed: all a check asks about
        filled = False
        if typed_at is not None and width > last_typed:
            got: Sequence[Any] = typed_at(cells)
        else:
            got = [cells[p[2]] if p[2] < width else None for p in plan]
        for (key, f, col, fast, slow, memo), v in zip(plan, got, strict=False):  # got may have one more
            if v == "" or v is None:
                if number in uncached_rows and (number, col + 1) in uncached:
                    issues.append(_uncached_issue(sheet, number, f))
                values[key] = None
                continue
            filled = True
            cls = v.__class__
            if cls is str or cls is datetime:
                # repeated values (names, channels, statuses, days) share one typed object
                typed = memo.get(v, _SLOW)
                if typed is _SLOW:
                    typed = fast(v)
                    if typed is not _SLOW and len(memo) < _MEMO_LIMIT:
                        memo[v] = typed
            else:
                typed = fast(v)
            if typed is _SLOW:
                res = slow(v)
                typed = res.value
                if res.code:
                    issues.append(_issue_for(sheet, number, f, v, res))
                if typed is None:
                    raw[key] = v
            values[key] = typed
        if not filled and number not in uncached_rows:
            continue
        if computed_at is not None and width > last_computed and _all_blank(computed_at(cells)):
            stored = _NOTHING  # no computed cell filled yet (every row of a book never enriched)
        else:
            stored = {k: cells[c] for k, c in computed_cols if c < width and cells[c] not in ("", None)} or _NOTHING
        sheet.rows.append(Row(number, values, raw or _NOTHING, stored=stored))
    return sheet, issues


def merged_issues(sheet: SheetData, merged: list[tuple[int, int, int, int]]) -> list[Issue]:
    """``sheet.merged`` for every merged range that reaches into the data area."""
    if not sheet.rows:
        return []
    first, last = sheet.header_row + 1, sheet.rows[-1].number
    issues = []
    for r1, c1, r2, c2 in merged:
        if r2 < first or r1 > last:
            continue
        cell = a1(r1, c1)
        msg = tr(
            "数据区域内有合并单元格 {rng}，只有左上角 {cell} 的值有效。请取消合并并逐行填写。",
            "Merged cells {rng} inside the data area; only the top-left cell {cell} counts. Unmerge and fill each row.",
            rng=f"{cell}:{a1(r2, c2)}",
            cell=cell,
        )
        issues.append(
            Issue("warning", "sheet.merged", msg, sheet=sheet.name, cell=cell, row=r1, column=cell.rstrip("0123456789"))
        )
    return issues
