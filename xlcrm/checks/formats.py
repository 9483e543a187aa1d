"""Formats of phones, e-mails and own IDs (``value.format``, SPEC §1, §3.2).

- Phone (type ``phone``): a mainland mobile ``1[3-9]\\d{9}`` or a landline ``0\\d{2,3}-?\\d{7,8}``
  with an optional ``-ext``. A mobile that is right once spaces/dashes, a ``+86`` prefix or
  full-width digits are removed (``138 0013 8000``, ``+86 13800138000``) is a WARNING whose
  message gives the plain form; so is a landline typed in full-width characters. Else an error.
- E-mail (type ``email``): ``name@domain.tld``; an error otherwise.
- Own IDs (客户编号 in 客户信息, 记录编号, 反馈编号, 活动编号 in 维护活动) must match the schema's
  ``Field.pattern``; an error otherwise.

Decision: references (客户编号 in 跟进记录 / 反馈处理, 活动编号 in 跟进记录 / 反馈处理 / 活动任务)
are NOT format-checked. A reference is right exactly when it names an existing row, so a malformed
one is reported once, as ``ref.missing`` (``refs.py``); a malformed own ID is reported where it is
defined. This keeps one problem to one issue.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from ..config import Config
from ..i18n import tr
from ..issues import Issue, located
from ..model import Book, SheetData
from ..schema import FieldType, fold_text
from ._common import as_text, data_sheets, flagged

_MOBILE = re.compile(r"1[3-9]\d{9}")
_LANDLINE = re.compile(r"0\d{2,3}-?\d{7,8}(?:-\d{1,6})?")
_PHONE_NOISE = re.compile(r"[\s\-]+")
_CN_PREFIX = re.compile(r"(?:\+86|0086|86)[\s\-]*(?=1)")
_EMAIL = re.compile(
    r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}"
)

# How each own ID is built, for the message (zh, en), by sheet key.
_ID_HINTS: dict[str, tuple[str, str]] = {
    "customers": (
        "2–6位公司简称大写字母+4位年份+4位序号，如 HXKJ20240001",
        "2–6 capital letters of the company's abbreviation + year + 4-digit serial, e.g. HXKJ20240001",
    ),
    "followups": (
        "GJ+跟进日期（8位）+3位序号，如 GJ20240601001",
        "GJ + follow-up date (8 digits) + 3-digit serial, e.g. GJ20240601001",
    ),
    "feedback": (
        "FK+接收日期（8位）+3位序号，如 FK20240601001",
        "FK + received date (8 digits) + 3-digit serial, e.g. FK20240601001",
    ),
    "campaigns": (
        "HD+开始年份（4位）+3位序号，如 HD2024001",
        "HD + start year (4 digits) + 3-digit serial, e.g. HD2024001",
    ),
}


def check_formats(book: Book, config: Config | None, as_of: date) -> Iterator[Issue]:
    """``value.format`` for phones, e-mails and own IDs."""
    for sheet in data_sheets(book):
        for field in sheet.kind.input_fields:
            if field.key not in sheet.columns:
                continue
            if field.type is FieldType.PHONE:
                yield from _phones(sheet, field.key, field.header)
            elif field.type is FieldType.EMAIL:
                yield from _emails(sheet, field.key, field.header)
            elif field.own_id and field.pattern:
                yield from _own_ids(sheet, field.key, field.header, re.compile(field.pattern))


def _phones(sheet: SheetData, key: str, header: str) -> Iterator[Issue]:
    mobile, landline = _MOBILE.fullmatch, _LANDLINE.fullmatch
    for number, value in flagged(sheet, key, lambda v: not (mobile(as_text(v)) or landline(as_text(v)))):
        yield _phone_issue(sheet, number, key, header, as_text(value))


def _phone_issue(sheet: SheetData, row: int, key: str, header: str, text: str) -> Issue:
    folded = fold_text(text)
    compact = _PHONE_NOISE.sub("", _CN_PREFIX.sub("", folded, count=1))
    plain = compact if _MOBILE.fullmatch(compact) else folded if _LANDLINE.fullmatch(folded) else None
    if plain is not None:
        return located(
            sheet,
            row,
            key,
            "value.format",
            tr(
                "“{header}”含有空格、横线、区号前缀或全角字符：{value}。请写成 {plain}。",
                '"{header}" contains spaces, dashes, a country prefix or full-width characters: {value}. '
                "Write it as {plain}.",
                header=header,
                value=text,
                plain=plain,
            ),
            value=text,
            severity="warning",
        )
    return located(
        sheet,
        row,
        key,
        "value.format",
        tr(
            "“{header}”格式不正确：{value}。请填写11位手机号（如 13800138000）或座机（如 010-12345678，分机写在最后，如 010-12345678-801）。",
            '"{header}" is not a valid phone number: {value}. Enter an 11-digit mobile (e.g. 13800138000) '
            "or a landline (e.g. 010-12345678, extension last: 010-12345678-801).",
            header=header,
            value=text,
        ),
        value=text,
    )


def _emails(sheet: SheetData, key: str, header: str) -> Iterator[Issue]:
    email = _EMAIL.fullmatch
    for number, value in flagged(sheet, key, lambda v: not email(as_text(v))):
        text = as_text(value)
        yield located(
            sheet,
            number,
            key,
            "value.format",
            tr(
                "“{header}”格式不正确：{value}。请填写如 name@example.com 的邮箱地址，注意不要使用全角符号或空格。",
                '"{header}" is not a valid e-mail address: {value}. Enter an address like name@example.com, '
                "without full-width characters or spaces.",
                header=header,
                value=text,
            ),
            value=text,
        )


def _own_ids(sheet: SheetData, key: str, header: str, pattern: re.Pattern[str]) -> Iterator[Issue]:
    match = pattern.match
    hint_zh, hint_en = _ID_HINTS.get(sheet.key, ("", ""))
    for number, value in flagged(sheet, key, lambda v: not match(as_text(v))):
        text = as_text(value)
        fixed = fold_text(text).upper().replace(" ", "")
        if match(fixed):
            message = tr(
                "“{header}”格式不正确：{value}。请改为 {fixed}（大写字母、半角字符、无空格）。",
                '"{header}" is malformed: {value}. Write it as {fixed} (capital letters, half-width, no spaces).',
                header=header,
                value=text,
                fixed=fixed,
            )
        else:
            message = tr(
                "“{header}”格式不正确：{value}。应为{hint}；也可以留空，由 xlcrm enrich 自动生成。",
                '"{header}" is malformed: {value}. It should be {hint}; or leave it blank and xlcrm enrich '
                "will generate it.",
                header=header,
                value=text,
                hint=tr(hint_zh, hint_en),
            )
        yield located(sheet, number, key, "value.format", message, value=text)
