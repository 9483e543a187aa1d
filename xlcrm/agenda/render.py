"""Agenda renderers: terminal text (grouped by person, then section), Markdown and JSON.

The xlsx form is written by ``xlcrm.writing.tables`` from ``xlsx_sheets`` (plain rows), so the
Excel engine stays in the writing package.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from .items import Agenda, PersonAgenda, item_dict
from .sections import (
    BLANK,
    PERSON_HEADER,
    SECTIONS,
    Section,
    show,
    show_days,
    show_hours,
)

_BOLD, _RED, _YELLOW, _CYAN, _RESET = "\033[1m", "\033[31m", "\033[33m", "\033[36m", "\033[0m"


def title_line(agenda: Agenda, person: str | None = None) -> str:
    """``待办清单（统计日 2026-05-08，向后看 7 天）``, with the person's name when given."""
    who = f"{person}的" if person else "团队"
    return f"{who}待办清单（统计日 {agenda.as_of.isoformat()}，向后看 {agenda.days} 天）"


# --- text -----------------------------------------------------------------------------------


def _v(item: Any, key: str) -> str:
    return show(key, getattr(item, key))


def _customer_head(item: Any) -> str:
    tier = f"{item.tier}类" if item.tier else BLANK
    return f"{_v(item, 'customer_id')} {_v(item, 'name')}｜{tier}｜{_v(item, 'contact')} {_v(item, 'phone')}"


def _text_line(section: str, item: Any) -> tuple[str, bool]:
    """One item as a line, and whether it is late (shown in red on a terminal)."""
    if section == "overdue":
        return (
            f"{_customer_head(item)}｜应跟进 {_v(item, 'next_due')}，逾期 {_v(item, 'overdue_days')} 天"
            f"｜最近跟进 {_v(item, 'last_followup')}｜流失风险 {_v(item, 'churn_risk')}",
            True,
        )
    if section == "due":
        return (
            f"{_customer_head(item)}｜应跟进 {_v(item, 'next_due')}（{show_days(item.days_left)}）"
            f"｜最近跟进 {_v(item, 'last_followup')}｜流失风险 {_v(item, 'churn_risk')}",
            False,
        )
    if section == "deep_contact":
        return (
            f"{_customer_head(item)}｜深度沟通 {_v(item, 'next_deep_due')}（{show_days(item.days_left)}）"
            f"｜建议 {_v(item, 'suggested_kind')}",
            item.days_left < 0,
        )
    if section == "next_actions":
        return (
            f"{_v(item, 'next_action')}｜{_v(item, 'customer_id')} {_v(item, 'customer_name')}｜"
            f"{_v(item, 'contact')} {_v(item, 'phone')}｜计划 {_v(item, 'next_action_date')}"
            f"（{show_days(item.days_left)}）｜跟进人 {_v(item, 'owner')}",
            item.days_left < 0,
        )
    if section == "feedback":
        return (
            f"{_v(item, 'feedback_id')} {_v(item, 'type')}：{_v(item, 'description')}｜"
            f"{_v(item, 'customer_name')} {_v(item, 'contact')} {_v(item, 'phone')}｜时限 {_v(item, 'deadline')}"
            f"（{show_hours(item.hours_left)}）｜{_v(item, 'status')}",
            item.hours_left is not None and item.hours_left < 0,
        )
    if section == "tasks":
        return (
            f"{_v(item, 'task')}｜{_v(item, 'campaign_id')} {_v(item, 'campaign_name')}｜截止 {_v(item, 'due')}"
            f"（{show_days(item.days_left)}）｜{_v(item, 'status')}",
            item.days_left < 0,
        )
    return (
        f"{_v(item, 'campaign_id')} {_v(item, 'name')}｜结束 {_v(item, 'end')}｜复盘截止 {_v(item, 'review_due')}"
        f"（{show_days(item.days_left)}）",
        item.days_left is not None and item.days_left < 0,
    )


def _paint(text: str, code: str, color: bool) -> str:
    return f"{code}{text}{_RESET}" if color else text


def _person_text(person: PersonAgenda, color: bool) -> list[str]:
    lines = [_paint(f"== {person.name}（{person.count} 项）", _BOLD, color)]
    for section in SECTIONS:
        items = person.items(section.key)
        if not items:
            continue
        lines.append(_paint(f"【{section.title}】{len(items)} 项", _CYAN, color))
        for item in items:
            line, late = _text_line(section.key, item)
            # late in red; feedback about to breach its deadline in yellow
            if late:
                line = _paint(line, _RED, color)
            elif section.key == "feedback":
                line = _paint(line, _YELLOW, color)
            lines.append("  · " + line)
    return lines


def render_text(agenda: Agenda, color: bool = False, person: str | None = None) -> str:
    """The agenda for a terminal or a .txt file: per person, each non-empty section with its items."""
    lines = [title_line(agenda, person), ""]
    if not agenda.people:
        lines.append("没有待办事项。")
    for p in agenda.people:
        lines += _person_text(p, color)
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


# --- Markdown -------------------------------------------------------------------------------


def _md_cell(text: str) -> str:
    """A table cell: pipes escaped, line breaks as spaces (a cell must stay on one line)."""
    return " ".join(text.replace("\\", "\\\\").replace("|", "\\|").split())


def _md_table(section: Section, items: tuple[Any, ...]) -> list[str]:
    header = [c.header for c in section.columns]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for item in items:
        lines.append("| " + " | ".join(_md_cell(_v(item, c.key)) for c in section.columns) + " |")
    return lines


def render_markdown(agenda: Agenda, person: str | None = None) -> str:
    """``# title``, then per person ``## name`` and one table per non-empty section (``###``)."""
    lines = [f"# {title_line(agenda, person)}", ""]
    if not agenda.people:
        lines += ["没有待办事项。", ""]
    for p in agenda.people:
        lines += [f"## {_md_cell(p.name)}（{p.count} 项）", ""]
        for section in SECTIONS:
            items = p.items(section.key)
            if items:
                lines += [f"### {section.title}（{len(items)} 项）", "", *_md_table(section, items), ""]
    return "\n".join(lines).rstrip("\n") + "\n"


# --- JSON -----------------------------------------------------------------------------------


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return value


def agenda_dict(agenda: Agenda) -> dict[str, Any]:
    """``{"as_of", "days", "people": [{"name", "sections": {...}}]}`` with ISO dates (SPEC §8)."""
    return {
        "as_of": agenda.as_of.isoformat(),
        "days": agenda.days,
        "people": [
            {
                "name": p.name,
                "sections": {
                    key: [{k: _json_value(v) for k, v in item_dict(item).items()} for item in items]
                    for key, items in p.sections
                },
            }
            for p in agenda.people
        ],
    }


def render_json(agenda: Agenda) -> str:
    """Strict JSON (no NaN), UTF-8 text, indented."""
    return json.dumps(agenda_dict(agenda), ensure_ascii=False, indent=2, allow_nan=False) + "\n"


# --- xlsx rows ------------------------------------------------------------------------------


def xlsx_sheets(agenda: Agenda) -> list[tuple[str, list[str], list[list[Any]]]]:
    """One (sheet name, headers, rows) per section, every section present; the first column is the
    person, values stay typed (dates, numbers) so filters and sorting work in Excel."""
    sheets = []
    for section in SECTIONS:
        headers = [PERSON_HEADER, *(c.header for c in section.columns)]
        rows = [
            [p.name, *(getattr(item, c.key) for c in section.columns)]
            for p in agenda.people
            for item in p.items(section.key)
        ]
        sheets.append((section.sheet_name, headers, rows))
    return sheets
