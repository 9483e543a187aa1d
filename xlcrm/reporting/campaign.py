"""The 活动复盘报告 context (SPEC §6, seed 000 复盘阶段): plain dicts of display text.

Every figure is a derived value (``xlcrm.derive``) or a count of derived values; no rule is
computed again here.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ..config import Config
from ..derive import Derived
from ..derive.common import Record
from ..derive.feedback import is_resolved
from ..derive.vocab import (
    CAMPAIGN_NOT_STARTED,
    CAMPAIGN_RUNNING,
    FEEDBACK_COMPLAINT,
    NEXT_DONE,
    SLA_BREACHED,
    TASK_CANCELLED,
    TASK_DONE,
    TASK_LATE,
    TASK_OVERDUE_MARK,
)
from ..schema import CAMPAIGNS
from ..schema.sheets import FEEDBACK_TYPES, SLA_STATUSES, TIERS
from .charts_spec import campaign_charts
from .formatting import BLANK, capped, counted, day, mean1, money, num, pct, stamp, text
from .people import customer_label, customer_name, relation_changes

VERDICT_EXCEEDED, VERDICT_MET, VERDICT_MISSED = "超额完成", "达成", "未达成"
VERDICT_UNKNOWN = "无法判断（目标值或实际值未填写）"
VERDICT_PENDING = "活动未结束，暂不评价"
# wording of the observations, not rule thresholds (those come from the config)
REACH_GOOD_SHARE = 0.8  # "已覆盖目标客户的八成以上"
SATISFACTION_PRAISE = 85  # "客户认可度较高"
NOT_GIVEN = "（未填写）"
BANNERS = {
    CAMPAIGN_NOT_STARTED: "活动未开始（开始日期 {start}）：以下为截至统计日的数据，仅供参考，不作达成结论。",
    CAMPAIGN_RUNNING: "活动进行中（{start} 至 {end}）：以下为截至统计日的中期数据，不作达成结论。",
}
OVERVIEW_FIELDS = (
    "campaign_id",
    "name",
    "scenario",
    "form",
    "audience",
    "start",
    "end",
    "owner",
    "state",
    "review_due",
    "reviewed_on",
)


def verdict(rate: float | None) -> str:
    """超额完成 above 100 %, 达成 at exactly 100 %, 未达成 below; blank rate → cannot tell."""
    if rate is None:
        return VERDICT_UNKNOWN
    if abs(rate - 1) < 1e-9:
        return VERDICT_MET
    return VERDICT_EXCEEDED if rate > 1 else VERDICT_MISSED


def _display(key: str, value: Any) -> str:
    kind = CAMPAIGNS.field(key).type.value
    if kind in ("date", "datetime"):
        return day(value)
    if kind == "money":
        return money(value)
    return text(value)


def _overview(camp: Record) -> dict[str, Any]:
    rows = [{"label": CAMPAIGNS.field(k).header, "value": _display(k, camp.get(k))} for k in OVERVIEW_FIELDS]
    return {"rows": rows, "name": text(camp.get("name")), "campaign_id": text(camp.get("campaign_id"))}


def satisfaction_bands(low: float) -> tuple[tuple[str, float | None], ...]:
    """Score bands; the lowest one ends at the config's low-satisfaction threshold."""
    low_label = num(low)
    return (("90–100 分", 90), ("80–89 分", 80), (f"{low_label}–79 分", low), (f"{low_label} 分以下", None))


def _finished(camp: Record) -> bool:
    return camp.get("state") not in BANNERS


def _goal(camp: Record) -> dict[str, str]:
    rate = camp.get("goal_rate")
    return {
        "metric": text(camp.get("goal_metric")),
        "target": num(camp.get("goal_target")),
        "actual": num(camp.get("goal_actual")),
        "rate": pct(rate),
        "verdict": verdict(rate) if _finished(camp) else VERDICT_PENDING,
    }


def _reach(camp: Record, reached: list[Record]) -> dict[str, Any]:
    by_tier = counted((c.get("tier") for c in reached), TIERS)
    return {
        "audience": text(camp.get("audience") or "全部"),
        "target": num(camp.get("target_count")),
        "reached": num(camp.get("reached_count")),
        "rate": pct(camp.get("reach_rate")),
        "by_tier": by_tier,
    }


def _band(score: float, bands: tuple[tuple[str, float | None], ...]) -> str:
    for label, floor in bands:
        if floor is None or score >= floor:
            return label
    return bands[-1][0]


def _satisfaction(camp: Record, scored: list[Record], config: Config) -> dict[str, Any]:
    scores = [r["satisfaction"] for r in scored if r.get("satisfaction") is not None]
    bands = satisfaction_bands(config.risk_low_satisfaction)
    counts = counted((_band(s, bands) for s in scores), [label for label, _ in bands])
    return {"count": str(len(scores)), "mean": mean1(camp.get("satisfaction_avg")), "bands": counts}


def open_feedback_row(f: Record, derived: Derived) -> dict[str, str]:
    """One unresolved feedback row for a report table."""
    return {
        "feedback_id": text(f.get("feedback_id")),
        "customer": customer_label(f, derived),
        "customer_id": text(f.get("customer_id")),
        "customer_name": customer_name(f, derived),
        "type": text(f.get("type")),
        "description": text(f.get("description")),
        "assignee": text(f.get("assignee")),
        "status": text(f.get("status")),
        "received": stamp(f.get("received")),
        "deadline": stamp(f.get("deadline")),
        "sla_status": text(f.get("sla_status")),
    }


def _feedback(camp: Record, rows: list[Record], derived: Derived) -> dict[str, Any]:
    by_type = []
    for kind in FEEDBACK_TYPES:
        of_kind = [f for f in rows if f.get("type") == kind]
        by_type.append(
            {"label": kind, "count": str(len(of_kind)), "resolved": str(sum(1 for f in of_kind if is_resolved(f)))}
        )
    open_items = [open_feedback_row(f, derived) for f in rows if not is_resolved(f)]
    return {
        "total": num(camp.get("issues_total")),
        "resolved": num(camp.get("issues_resolved")),
        "rate": pct(camp.get("resolution_rate")),
        "by_type": by_type,
        "open_items": open_items,
        "open_top": capped(open_items, "未解决问题"),
        "sla": counted((f.get("sla_status") for f in rows), SLA_STATUSES),
    }


def _budget(camp: Record) -> dict[str, str]:
    budget, spent = camp.get("budget"), camp.get("spent")
    note = ""
    if budget is not None and spent is not None:
        gap = budget - spent
        note = f"结余 {money(gap)} 元" if gap >= 0 else f"超支 {money(-gap)} 元"
    return {"budget": money(budget), "spent": money(spent), "rate": pct(camp.get("budget_rate")), "note": note or BLANK}


def _tasks(camp: Record, tasks: list[Record]) -> dict[str, Any]:
    rows = [
        {
            "task": text(t.get("task")),
            "phase": text(t.get("phase")),
            "owner": text(t.get("owner")),
            "due": day(t.get("due")),
            "status": text(t.get("status")),
            "done_on": day(t.get("done_on")),
            "overdue": text(t.get("overdue")),
            "blocker": text(t.get("blocker")),
        }
        for t in tasks
    ]
    unfinished = [
        {
            "task": text(t.get("task")),
            "owner": text(t.get("owner")),
            "due": day(t.get("due")),
            "status": text(t.get("status")),
            "overdue": text(t.get("overdue")),
            "blocker": text(t.get("blocker")) if t.get("blocker") else "未填写原因",
        }
        for t in tasks
        if t.get("status") not in (TASK_DONE, TASK_CANCELLED)
    ]
    done = sum(1 for t in tasks if t.get("status") == TASK_DONE)
    late = sum(1 for t in tasks if t.get("overdue") == TASK_LATE)
    return {
        "rows": rows,
        "unfinished": unfinished,
        "total": str(len(tasks)),
        "done": str(done),
        "done_rate": pct(camp.get("task_done_rate")),
        "overdue": num(camp.get("tasks_overdue")),
        "late_done": str(late),
    }


def _plan(followups: list[Record], feedback: list[Record], derived: Derived) -> dict[str, Any]:
    open_actions = [f for f in followups if f.get("next_action") and f.get("next_action_status") != NEXT_DONE]
    open_actions.sort(key=lambda f: (f.get("next_action_date") is None, f.get("next_action_date") or date.min))
    actions = [
        {
            "customer": customer_label(f, derived),
            "customer_id": text(f.get("customer_id")),
            "customer_name": customer_name(f, derived),
            "action": text(f.get("next_action")),
            "owner": text(f.get("owner")),
            "date": day(f.get("next_action_date")),
            "status": text(f.get("next_action_status")),
        }
        for f in open_actions
    ]
    open_rows = [open_feedback_row(f, derived) for f in feedback if not is_resolved(f)]
    return {
        "actions": actions,
        "actions_top": capped(actions, "待办的下一步行动"),
        "open_feedback": open_rows,
        "open_feedback_top": capped(open_rows, "待处理的客户反馈"),
    }


def _observations(
    ctx: dict[str, Any], camp: Record, feedback: list[Record], tasks: list[Record], config: Config
) -> list[str]:
    notes = []
    finished = _finished(camp)
    rate = camp.get("goal_rate")
    if rate is not None:
        notes.append(
            f"目标指标“{ctx['goal']['metric']}”目标 {ctx['goal']['target']}、实际 {ctx['goal']['actual']}，"
            f"达成率 {pct(rate)}，{ctx['goal']['verdict']}。"
        )
    reach = camp.get("reach_rate")
    if reach is not None and not finished:
        notes.append(f"截至统计日触达率 {pct(reach)}。")
    elif reach is not None:
        if reach < REACH_GOOD_SHARE:
            notes.append(f"触达率 {pct(reach)}，低于目标客户的八成，需补充触达未覆盖的客户。")
        elif reach > 1:
            notes.append(f"触达率 {pct(reach)}，已触达客户数超过目标客户数（含目标客群以外的客户）。")
        else:
            notes.append(f"触达率 {pct(reach)}，已覆盖目标客户的八成以上。")
    breached = [f for f in feedback if f.get("sla_status") == SLA_BREACHED]
    complaints = sum(1 for f in breached if f.get("type") == FEEDBACK_COMPLAINT)
    if complaints:
        notes.append(f"{complaints} 条投诉超时未解决，需优先处理并回访客户。")
    if len(breached) > complaints:
        notes.append(f"{len(breached) - complaints} 条咨询或建议超时未解决。")
    total, resolved = camp.get("issues_total") or 0, camp.get("issues_resolved") or 0
    if total:
        left = total - resolved
        notes.append(
            f"问题解决率 {pct(camp.get('resolution_rate'))}，"
            + (f"仍有 {left} 个问题未解决。" if left else "反馈问题已全部解决。")
        )
    mean = camp.get("satisfaction_avg")
    low = config.risk_low_satisfaction
    if mean is not None:
        if mean < low:
            notes.append(f"满意度均分 {mean1(mean)} 分，低于 {num(low)} 分，需逐一回访了解原因。")
        elif mean >= max(SATISFACTION_PRAISE, low):
            notes.append(f"满意度均分 {mean1(mean)} 分，客户认可度较高。")
        else:
            notes.append(f"满意度均分 {mean1(mean)} 分，仍有提升空间。")
    budget_rate = camp.get("budget_rate")
    if budget_rate is not None and budget_rate > 1:
        notes.append(f"预算执行率 {pct(budget_rate)}，{ctx['budget']['note']}。")
    overdue = sum(1 for t in tasks if t.get("overdue") == TASK_OVERDUE_MARK)
    if overdue:
        notes.append(f"{overdue} 项任务已逾期未完成。")
    changes = ctx["changes"]
    if changes["has_history"] and (changes["risk_down"] or changes["risk_up"]):
        notes.append(f"触达客户中 {changes['risk_down']} 位流失风险下降、{changes['risk_up']} 位上升。")
    return notes


def rows_by_campaign(rows: list[Record]) -> dict[Any, list[Record]]:
    """``rows`` grouped by 活动编号, each group in sheet order: a batch of campaign reports groups
    the 跟进记录 and 客户反馈 once instead of scanning them for every campaign."""
    groups: dict[Any, list[Record]] = {}
    for row in rows:
        groups.setdefault(row.get("campaign_id"), []).append(row)
    return groups


def campaign_context(
    derived: Derived,
    campaign_id: str,
    as_of: date,
    config: Config | None = None,
    grouped: tuple[dict[Any, list[Record]], dict[Any, list[Record]]] | None = None,
) -> dict[str, Any]:
    """Every section of the 活动复盘报告 for one campaign, as plain (picklable) dicts of text.

    A campaign that is not finished (未开始 / 进行中) gets a ``banner`` and no verdict. ``grouped``:
    the 跟进记录 and 客户反馈 rows of ``derived`` by campaign (``rows_by_campaign``), shared by a batch."""
    config = config or Config()
    camp = derived.campaigns[campaign_id]
    state = camp.get("state")
    if grouped is None:
        grouped = rows_by_campaign(derived.followup_rows), rows_by_campaign(derived.feedback_rows)
    followups = list(grouped[0].get(campaign_id, ()))
    feedback = list(grouped[1].get(campaign_id, ()))
    tasks = derived.tasks_of(campaign_id)
    reached_ids = list(dict.fromkeys(f["customer_id"] for f in followups if f.get("customer_id")))
    reached = [derived.customers[c] for c in reached_ids if c in derived.customers]
    ctx: dict[str, Any] = {
        "kind": "campaign",
        "title": "活动复盘报告",
        "subject": f"{text(camp.get('name'))}（{campaign_id}）",
        "as_of": as_of.isoformat(),
        "banner": BANNERS[state].format(start=day(camp.get("start")), end=day(camp.get("end")))
        if state in BANNERS
        else "",
        "overview": _overview(camp),
        "goal": _goal(camp),
        "reach": _reach(camp, reached),
        "satisfaction": _satisfaction(camp, followups + feedback, config),
        "feedback": _feedback(camp, feedback, derived),
        "budget": _budget(camp),
        "tasks": _tasks(camp, tasks),
        "changes": relation_changes(reached, derived),
        "plan": _plan(followups, feedback, derived),
    }
    ctx["lessons"] = {
        "good": text(camp.get("lessons_good")) if camp.get("lessons_good") else NOT_GIVEN,
        "bad": text(camp.get("lessons_bad")) if camp.get("lessons_bad") else NOT_GIVEN,
        "improvements": text(camp.get("improvements")) if camp.get("improvements") else NOT_GIVEN,
        "observations": _observations(ctx, camp, feedback, tasks, config),
    }
    ctx["charts"] = campaign_charts(ctx, camp, followups)
    return ctx
