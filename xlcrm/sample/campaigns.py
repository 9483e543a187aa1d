"""Sample campaigns (维护活动) in every state, and their tasks (活动任务) in every outcome."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from ..schema.sheets import (
    AUDIENCES,
    CAMPAIGN_STATES,
    FORMS,
    PHASES,
    SCENARIOS,
    TASK_OVERDUE,
    TASK_STATUSES,
)
from . import texts

CHURN, BIND, LAUNCH_NEW, REPAIR, ANNUAL, OTHER_SCENARIO = SCENARIOS
CALLS, SALON, HOLIDAY, OFFER, CUSTOM, LIVE, KNOWLEDGE, OTHER_FORM = FORMS
ALL, TIER_A, TIER_B, TIER_C, HIGH_VALUE, POTENTIAL, AT_RISK = AUDIENCES
NOT_STARTED, RUNNING, TO_REVIEW, REVIEWED = CAMPAIGN_STATES
T_NOT_STARTED, T_RUNNING, T_DONE, T_CANCELLED = TASK_STATUSES
ON_TIME, DONE_LATE, OVERDUE, NOT_DUE, CANCELLED = TASK_OVERDUE
PREP, WARMUP, LAUNCH, PEAK, WRAPUP, REVIEW = PHASES


@dataclass(frozen=True)
class CampaignKind:
    """A kind of campaign: name pattern ({year}, {q}), enums, goal metric and its target range."""

    name: str
    scenario: str
    form: str
    audience: str
    metric: str
    target: tuple[int, int]
    budget: tuple[int, int]
    decimals: int = 0  # of 实际值: counts are whole, scores and percentages have one decimal


# The first eight together use every 活动场景, 活动形式 and 目标客群; the sample starts with them.
CORE_KINDS: tuple[CampaignKind, ...] = (
    CampaignKind(
        "{year}年Q{q}流失风险客户电话回访挽回行动", CHURN, CALLS, AT_RISK, "挽回流失风险客户数", (10, 30), (5, 20)
    ),
    CampaignKind(
        "{year}年Q{q}高价值客户专项座谈会", BIND, SALON, HIGH_VALUE, "重要客户满意度评分", (88, 95), (30, 80), 1
    ),
    CampaignKind("{year}年新品发布线上直播", LAUNCH_NEW, LIVE, ALL, "新品试用客户数", (20, 60), (20, 60)),
    CampaignKind(
        "{year}年Q{q}投诉客户关怀修复计划", REPAIR, CUSTOM, TIER_B, "投诉客户满意度评分", (80, 90), (8, 25), 1
    ),
    CampaignKind(
        "{year}年度客户关系盘点暨行业报告分享会",
        ANNUAL,
        KNOWLEDGE,
        TIER_A,
        "老客户复购率提升(%)",
        (10, 20),
        (20, 50),
        1,
    ),
    CampaignKind("{year}年Q{q}节日关怀问候", OTHER_SCENARIO, HOLIDAY, ALL, "关怀触达客户数", (80, 200), (10, 40)),
    CampaignKind("{year}年Q{q}潜力客户增购专属优惠", BIND, OFFER, POTENTIAL, "增购客户数", (8, 25), (15, 45)),
    CampaignKind("{year}年Q{q}沉睡客户信息核对与激活", CHURN, OTHER_FORM, TIER_C, "激活客户数", (10, 40), (3, 10)),
)
EXTRA_KINDS: tuple[CampaignKind, ...] = (
    CampaignKind("{year}年Q{q}产品使用技巧培训", LAUNCH_NEW, KNOWLEDGE, TIER_B, "参训客户数", (20, 50), (5, 15)),
    CampaignKind("{year}年Q{q}A类客户定制化服务方案", BIND, CUSTOM, TIER_A, "续约客户数", (5, 15), (20, 60)),
    CampaignKind("{year}年Q{q}回归客户专属优惠", CHURN, OFFER, AT_RISK, "回归下单客户数", (5, 20), (10, 30)),
    CampaignKind("{year}年Q{q}行业趋势直播分享", OTHER_SCENARIO, LIVE, TIER_C, "直播观看客户数", (40, 120), (5, 20)),
)


@dataclass
class Campaign:
    row: dict[str, Any]
    start: date
    end: date
    state: str
    tasks: list[dict[str, Any]] = field(default_factory=list)

    @property
    def campaign_id(self) -> str | None:
        return self.row.get("campaign_id")


def campaign_count(n_customers: int) -> int:
    """At least 4 (one per state); 8 from 200 customers so every campaign enum occurs; at most 400."""
    return min(400, max(4, n_customers // 25))


def _dates(rng: random.Random, state: str, as_of: date) -> tuple[date, date, date | None]:
    dur = rng.randint(14, 60)
    day = timedelta(days=1)
    if state == NOT_STARTED:
        start = as_of + rng.randint(3, 45) * day
    elif state == RUNNING:
        start = as_of - rng.randint(0, dur - 1) * day
    elif state == TO_REVIEW:
        start = as_of - (rng.randint(1, 20) + dur) * day
    else:
        start = as_of - (rng.randint(25, 320) + dur) * day
    end = start + dur * day
    if state in (NOT_STARTED, RUNNING):
        start, end = _within_calendar(start, end, as_of, state)
    reviewed = end + rng.randint(1, 10) * day if state == REVIEWED else None
    return start, end, reviewed


def _within_calendar(start: date, end: date, as_of: date, state: str) -> tuple[date, date]:
    """Keep a future campaign's review due date in a year the holiday calendar covers, when the
    state allows it: the sample is meant to validate without warnings (no ``calendar.fallback``)."""
    limit = last_reviewable_end(as_of)
    if end <= limit:
        return start, end
    day = timedelta(days=1)
    if state == NOT_STARTED:
        if limit - as_of < 17 * day:  # no room left this year: keep the dates, the warning is true
            return start, end
        start = min(start, limit - 14 * day)
        return start, max(start + 14 * day, min(end, limit))
    return start, max(as_of, limit)


def last_reviewable_end(as_of: date) -> date:
    """The last end date whose 复盘截止日期 (end + the default working days) the calendar covers."""
    from ..config import Config
    from ..derive.workdays import WorkCalendar

    workdays = Config().review_due_workdays
    d = as_of + timedelta(days=400)
    while d > as_of:
        cal = WorkCalendar()
        cal.add_workdays(d, workdays)
        if not cal.uncovered_years:
            return d
        d -= timedelta(days=1)
    return as_of


def _campaign(
    rng: random.Random,
    kind: CampaignKind,
    state: str,
    as_of: date,
    owners: list[str],
    n_customers: int,
    used_names: Counter[str],
) -> Campaign:
    start, end, reviewed = _dates(rng, state, as_of)
    name = kind.name.format(year=start.year, q=(start.month - 1) // 3 + 1)
    used_names[name] += 1
    if used_names[name] > 1:
        name += f"（第{used_names[name]}期）"
    budget = float(rng.randint(*kind.budget) * 1000)
    target = rng.randint(*kind.target)
    row: dict[str, Any] = {
        "name": name,
        "scenario": kind.scenario,
        "form": kind.form,
        "audience": kind.audience,
        "start": start,
        "end": end,
        "owner": rng.choice(owners),
        "budget": budget,
        "goal_metric": kind.metric,
        "goal_target": target,
    }
    if state != NOT_STARTED:
        share = rng.uniform(0.2, 0.7) if state == RUNNING else rng.uniform(0.75, 1.15)
        row["spent"] = round(budget * share, 2)
        if state != RUNNING or rng.random() < 0.5:
            ratio = rng.uniform(0.3, 0.8) if state == RUNNING else rng.uniform(0.6, 1.35)
            actual = target * ratio
            if kind.metric.endswith("评分"):  # a score: near the target, at most 100
                actual = min(99.0, target * (0.9 + ratio / 10))
            row["goal_actual"] = round(actual, kind.decimals) if kind.decimals else round(actual)
    if reviewed is not None:
        row["reviewed_on"] = reviewed
        row["lessons_good"] = rng.choice(texts.LESSONS_GOOD)
        row["lessons_bad"] = rng.choice(texts.LESSONS_BAD)
        row["improvements"] = rng.choice(texts.IMPROVEMENTS)
    return Campaign(row, start, end, state)


def make_campaigns(
    rng: random.Random, n_customers: int, as_of: date, owners: list[str], staff: list[str]
) -> list[Campaign]:
    """Campaigns sorted by start date, with IDs (HD + start year + serial) and tasks."""
    count = campaign_count(n_customers)
    kinds = list(CORE_KINDS)
    rng.shuffle(kinds)
    states = list(CAMPAIGN_STATES)
    rng.shuffle(states)
    used: Counter[str] = Counter()
    campaigns: list[Campaign] = []
    for i in range(count):
        kind = kinds[i] if i < len(kinds) else rng.choice(CORE_KINDS + EXTRA_KINDS)
        state = states[i] if i < len(states) else rng.choices(CAMPAIGN_STATES, weights=(15, 20, 15, 50))[0]
        campaigns.append(_campaign(rng, kind, state, as_of, owners, n_customers, used))
    for i, c in enumerate(campaigns):
        c.tasks = _plan_tasks(rng, c, as_of, [c.row["owner"], *staff], all_phases=(i == 0))
    _ensure_outcomes(rng, campaigns, as_of)
    for c in campaigns:
        for task in c.tasks:
            _materialize_task(rng, task, as_of)
    campaigns.sort(key=lambda c: c.start)  # stable: ties keep creation order
    serials: Counter[int] = Counter()
    for c in campaigns:
        serials[c.start.year] += 1
        c.row["campaign_id"] = f"HD{c.start.year}{serials[c.start.year]:03d}"
        for task in c.tasks:
            task["campaign_id"] = c.row["campaign_id"]
    return campaigns


def _phases(rng: random.Random, k: int) -> list[str]:
    middle = [WARMUP, LAUNCH, PEAK, WRAPUP]
    if k >= len(PHASES):
        chosen = list(PHASES) + [rng.choice(middle) for _ in range(k - len(PHASES))]
    else:
        chosen = [PREP, *rng.sample(middle, k - 2), REVIEW]
    return sorted(chosen, key=PHASES.index)


def _window(rng: random.Random, phase: str, start: date, end: date) -> tuple[date, date]:
    dur = (end - start).days
    d = timedelta(days=1)
    if phase == PREP:
        return start - rng.randint(10, 20) * d, start - rng.randint(1, 4) * d
    if phase == WARMUP:
        return start - rng.randint(5, 8) * d, start - rng.randint(0, 1) * d
    if phase == LAUNCH:
        return start, start + max(1, dur // 5) * d
    if phase == PEAK:
        return start + (dur * 3 // 10) * d, start + (dur * 7 // 10) * d
    if phase == WRAPUP:
        return start + (dur * 3 // 4) * d, end
    return end + d, end + rng.randint(3, 6) * d


def _plan_tasks(
    rng: random.Random, c: Campaign, as_of: date, owners: list[str], all_phases: bool
) -> list[dict[str, Any]]:
    k = rng.randint(6, 8) if all_phases else rng.randint(3, 8)
    tasks: list[dict[str, Any]] = []
    seen: Counter[str] = Counter()
    for phase in _phases(rng, k):
        options = texts.TASKS[phase]
        task, deliverable = options[(seen[phase] + rng.randrange(len(options))) % len(options)]
        seen[phase] += 1
        start, due = _window(rng, phase, c.start, c.end)
        if seen[phase] > 1:  # a second task in the same phase starts a little later
            shift = timedelta(days=rng.randint(0, 3))
            start, due = start + shift, due + shift
        reviewed = c.row.get("reviewed_on")
        row = {
            "task": task,
            "phase": phase,
            "owner": rng.choice(owners),
            "start": start,
            "due": due,
            "deliverable": deliverable,
        }
        if phase == REVIEW and reviewed is not None:  # done the day the review meeting was held
            outcome = ON_TIME if reviewed <= due else DONE_LATE
            row["_fixed_done"] = reviewed
        elif phase == REVIEW:  # no review held yet
            outcome = OVERDUE if due < as_of else NOT_DUE
            row["_locked"] = True
        else:
            outcome = _outcome(rng, start, due, as_of)
        row["_outcome"] = outcome
        tasks.append(row)
    return tasks


def _outcome(rng: random.Random, start: date, due: date, as_of: date) -> str:
    r = rng.random()
    if due < as_of:
        return CANCELLED if r < 0.06 else OVERDUE if r < 0.16 else DONE_LATE if r < 0.32 else ON_TIME
    if start > as_of:
        return CANCELLED if r < 0.05 else NOT_DUE
    return CANCELLED if r < 0.05 else ON_TIME if r < 0.25 else NOT_DUE


def _ensure_outcomes(rng: random.Random, campaigns: list[Campaign], as_of: date) -> None:
    """Make every 是否逾期 outcome occur when some task can take it (past tasks can take any
    outcome but 未到期; tasks not yet due can be 未到期 or 已取消)."""
    tasks = [t for c in campaigns for t in c.tasks if "_fixed_done" not in t and "_locked" not in t]
    counts = Counter(t["_outcome"] for t in tasks)
    for outcome in TASK_OVERDUE:
        if counts[outcome]:
            continue
        eligible = [t for t in tasks if (t["due"] >= as_of) == (outcome == NOT_DUE) or outcome == CANCELLED]
        donors = [t for t in eligible if counts[t["_outcome"]] > 1]
        if donors:
            task = rng.choice(donors)
            counts[task["_outcome"]] -= 1
            task["_outcome"] = outcome
            counts[outcome] += 1


def _materialize_task(rng: random.Random, task: dict[str, Any], as_of: date) -> None:
    """Turn the planned outcome into 任务状态 / 完成日期 / 未完成原因."""
    outcome, start, due = task.pop("_outcome"), task["start"], task["due"]
    fixed = task.pop("_fixed_done", None)
    task.pop("_locked", None)
    if outcome in (ON_TIME, DONE_LATE):
        task["status"] = T_DONE
        if fixed is not None:
            task["done_on"] = fixed
        elif outcome == DONE_LATE:
            task["done_on"] = due + timedelta(days=rng.randint(1, min(7, (as_of - due).days)))
            task["blocker"] = rng.choice(texts.BLOCKERS)
        else:
            last = min(due, as_of)
            task["done_on"] = last - timedelta(days=rng.randint(0, min(3, (last - start).days)))
    elif outcome == OVERDUE:
        task["status"] = T_RUNNING if rng.random() < 0.7 else T_NOT_STARTED
        if rng.random() < 0.8:
            task["blocker"] = rng.choice(texts.BLOCKERS)
    elif outcome == CANCELLED:
        task["status"] = T_CANCELLED
        task["blocker"] = rng.choice(texts.CANCEL_REASONS)
    else:
        task["status"] = T_NOT_STARTED if start > as_of else T_RUNNING


class CampaignCalendar:
    """Which campaigns (started by as-of, with an ID) run on a given day, to link activity to them."""

    def __init__(self, campaigns: list[Campaign], as_of: date) -> None:
        self._by_day: dict[date, list[Campaign]] = {}
        for c in campaigns:
            if c.start > as_of or not c.campaign_id:
                continue
            day = c.start
            while day <= min(c.end, as_of):
                self._by_day.setdefault(day, []).append(c)
                day += timedelta(days=1)

    def on(self, day: date) -> list[Campaign]:
        return self._by_day.get(day, [])
