"""Each row-level rule of SPEC §1/§3 on a book with exactly one defective row (row 3).

Cells follow the schema's column order (tests/checks_helpers.py): e.g. 客户信息 联系电话 is I.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
from checks_helpers import AS_OF, Unreadable, flat, with_defect

from xlcrm.checks import run_checks
from xlcrm.schema.sheets import CONFIRMATIONS, FEEDBACK_STATUSES, TASK_STATUSES

PENDING, IN_PROGRESS, RESOLVED, CLOSED, REOPENED = FEEDBACK_STATUSES
NEEDS_WORK = CONFIRMATIONS[2]
DONE = TASK_STATUSES[2]
SHEETS = {
    "customers": "客户信息",
    "followups": "跟进记录",
    "feedback": "反馈处理",
    "campaigns": "维护活动",
    "tasks": "活动任务",
}
E, W, INFO = "error", "warning", "info"
# A follow-up without the fields that depend on 跟进时间, to test 跟进时间 alone.
NO_PLAN = {"next_action": None, "next_action_date": None, "recorded": None}

CASES = [
    # --- required / id.pending (SPEC §3.1)
    ("customer name blank", "customers", {"name": None}, [("B3", "value.required", E)]),
    ("customer phone whitespace only", "customers", {"phone": "   "}, [("I3", "value.required", E)]),
    ("customer stage blank", "customers", {"stage": None}, [("K3", "value.required", E)]),
    ("customer own id blank", "customers", {"customer_id": None}, [("A3", "id.pending", INFO)]),
    ("followup own id blank", "followups", {"followup_id": None}, [("A3", "id.pending", INFO)]),
    ("feedback own id blank", "feedback", {"feedback_id": None}, [("A3", "id.pending", INFO)]),
    ("campaign own id blank", "campaigns", {"campaign_id": None}, [("A3", "id.pending", INFO)]),
    ("followup customer ref blank", "followups", {"customer_id": None}, [("B3", "value.required", E)]),
    ("feedback customer ref blank", "feedback", {"customer_id": None}, [("B3", "value.required", E)]),
    ("task campaign ref blank", "tasks", {"campaign_id": None}, [("A3", "value.required", E)]),
    ("followup content blank", "followups", {"content": None}, [("H3", "value.required", E)]),
    ("feedback assignee blank", "feedback", {"assignee": None}, [("K3", "value.required", E)]),
    ("campaign end blank", "campaigns", {"end": None}, [("G3", "value.required", E)]),
    ("task status blank", "tasks", {"status": None}, [("H3", "value.required", E)]),
    ("unreadable required date is the reader's", "customers", {"created": Unreadable("明天")}, []),
    ("unreadable required enum is the reader's", "followups", {"channel": Unreadable("飞鸽")}, []),
    ("optional blank is fine", "customers", {"email": None, "scale": None, "note": None}, []),
    # --- formats
    ("phone with a letter", "customers", {"phone": "13800A38000"}, [("I3", "value.format", E)]),
    ("phone too short", "customers", {"phone": "12345"}, [("I3", "value.format", E)]),
    ("mobile starting 12", "customers", {"phone": "12800138000"}, [("I3", "value.format", E)]),
    ("mobile with spaces", "customers", {"phone": "138 0013 8000"}, [("I3", "value.format", W)]),
    ("mobile with dashes", "customers", {"phone": "138-0013-8000"}, [("I3", "value.format", W)]),
    ("mobile with +86", "customers", {"phone": "+86 13800138000"}, [("I3", "value.format", W)]),
    ("full-width mobile", "customers", {"phone": "１３８００１３８０００"}, [("I3", "value.format", W)]),
    ("landline with dash", "customers", {"phone": "010-12345678"}, []),
    ("landline without dash", "customers", {"phone": "075512345678"}, []),
    ("landline with extension", "customers", {"phone": "0755-1234567-801"}, []),
    ("landline with spaces", "customers", {"phone": "010 1234 5678"}, [("I3", "value.format", E)]),
    ("email without domain", "customers", {"email": "zhangwei@huaxin"}, [("J3", "value.format", E)]),
    ("email with two @", "customers", {"email": "zhang@@huaxin.com"}, [("J3", "value.format", E)]),
    ("email with full-width @", "customers", {"email": "zhang＠huaxin.com"}, [("J3", "value.format", E)]),
    ("customer id lower case", "customers", {"customer_id": "hxkj20240002"}, [("A3", "value.format", E)]),
    ("customer id wrong shape", "customers", {"customer_id": "HX-2024-2"}, [("A3", "value.format", E)]),
    ("followup id wrong shape", "followups", {"followup_id": "GJ2024061"}, [("A3", "value.format", E)]),
    ("feedback id wrong shape", "feedback", {"feedback_id": "FK1"}, [("A3", "value.format", E)]),
    ("campaign id wrong shape", "campaigns", {"campaign_id": "HD24001"}, [("A3", "value.format", E)]),
    ("malformed reference is ref.missing only", "followups", {"customer_id": "abc"}, [("B3", "ref.missing", E)]),
    # --- ranges
    ("negative money", "customers", {"monetary": -1.0}, [("O3", "value.range", E)]),
    ("negative count", "customers", {"frequency": -2}, [("P3", "value.range", E)]),
    ("negative budget", "campaigns", {"budget": -100.0}, [("I3", "value.range", E)]),
    ("negative spent", "campaigns", {"spent": -0.5}, [("J3", "value.range", E)]),
    ("negative target count", "campaigns", {"target_count": -5}, [("N3", "value.range", E)]),
    ("negative goal value is allowed", "campaigns", {"goal_target": -3.0, "goal_actual": -1.0}, []),
    ("score above 100", "followups", {"satisfaction": 101.0}, [("K3", "value.range", E)]),
    ("score below 0", "followups", {"satisfaction": -1.0}, [("K3", "value.range", E)]),
    ("score 0 and 100 are fine", "followups", {"satisfaction": 0.0}, []),
    ("feedback score above 100", "feedback", {"satisfaction": 120.0}, [("P3", "value.range", E)]),
    ("created after as-of", "customers", {"created": date(2024, 7, 1)}, [("M3", "value.range", E)]),
    ("created on as-of", "customers", {"created": AS_OF}, []),
    ("first deal after as-of", "customers", {"first_deal": date(2024, 7, 1)}, [("N3", "value.range", E)]),
    ("last purchase after as-of", "customers", {"last_purchase": date(2025, 1, 1)}, [("Q3", "value.range", E)]),
    ("followup after as-of", "followups", {"at": datetime(2024, 7, 1, 0, 0), **NO_PLAN}, [("D3", "value.range", E)]),
    ("followup late on as-of day", "followups", {"at": datetime(2024, 6, 30, 23, 0), **NO_PLAN}, []),
    (
        "received after as-of",
        "feedback",
        {"received": datetime(2024, 7, 1, 9, 0), "status": PENDING, "resolved_at": None},
        [("D3", "value.range", E)],
    ),
    ("resolved after as-of", "feedback", {"resolved_at": datetime(2024, 7, 2, 9, 0)}, [("N3", "value.range", E)]),
    ("resolved late on as-of day", "feedback", {"resolved_at": datetime(2024, 6, 30, 23, 0)}, []),
    ("other dates may be after as-of", "campaigns", {"end": date(2024, 7, 20), "reviewed_on": None}, []),
    # --- unique
    ("duplicate customer id", "customers", {"customer_id": "HXKJ20240001"}, [("A3", "value.duplicate", E)]),
    ("duplicate followup id", "followups", {"followup_id": "GJ20240601001"}, [("A3", "value.duplicate", E)]),
    ("duplicate feedback id", "feedback", {"feedback_id": "FK20240602001"}, [("A3", "value.duplicate", E)]),
    ("duplicate campaign id", "campaigns", {"campaign_id": "HD2024001"}, [("A3", "value.duplicate", E)]),
    # --- refs
    ("unknown customer in followup", "followups", {"customer_id": "HXKJ20249999"}, [("B3", "ref.missing", E)]),
    ("unknown campaign in followup", "followups", {"campaign_id": "HD2024999"}, [("N3", "ref.missing", E)]),
    ("unknown customer in feedback", "feedback", {"customer_id": "HXKJ20249999"}, [("B3", "ref.missing", E)]),
    ("unknown campaign in feedback", "feedback", {"campaign_id": "HD2024999"}, [("Q3", "ref.missing", E)]),
    ("unknown campaign in task", "tasks", {"campaign_id": "HD2024999"}, [("A3", "ref.missing", E)]),
    ("blank optional campaign ref", "followups", {"campaign_id": None}, []),
    ("name differs in followup", "followups", {"customer_name": "华信电子有限公司"}, [("C3", "ref.mismatch", W)]),
    ("name differs in feedback", "feedback", {"customer_name": "华信"}, [("C3", "ref.mismatch", W)]),
    ("name differs only in spacing/width", "followups", {"customer_name": " 华信科技 有限公司"}, []),
    ("name blank is filled by enrich", "feedback", {"customer_name": None}, []),
    # --- order
    ("campaign ends before start", "campaigns", {"end": date(2024, 5, 1), "reviewed_on": None}, [("G3", "order", E)]),
    ("review before end", "campaigns", {"reviewed_on": date(2024, 6, 10)}, [("O3", "order", W)]),
    ("task due before start", "tasks", {"due": date(2024, 5, 20)}, [("F3", "order", E)]),
    ("resolved before received", "feedback", {"resolved_at": datetime(2024, 6, 2, 8, 0)}, [("N3", "order", E)]),
    # SPEC §2 date-only times: a plain-date completion time is the end of its day, with a warning
    (
        "resolved typed as the received day",
        "feedback",
        {"resolved_at": datetime(2024, 6, 2)},
        [("N3", "value.date_only", W)],
    ),
    (
        "resolved typed as the day before",
        "feedback",
        {"resolved_at": date(2024, 6, 1)},
        [("N3", "order", E), ("N3", "value.date_only", W)],
    ),
    ("plan before followup day", "followups", {"next_action_date": date(2024, 5, 31)}, [("M3", "order", E)]),
    ("plan on followup day", "followups", {"next_action_date": date(2024, 6, 1)}, []),
    ("recorded before followup", "followups", {"recorded": datetime(2024, 6, 1, 9, 0)}, [("O3", "order", E)]),
    (
        "recorded as a plain date that day",
        "followups",
        {"recorded": datetime(2024, 6, 1)},
        [("O3", "value.date_only", W)],
    ),
    # --- state
    ("resolved without result", "feedback", {"status": RESOLVED, "resolution": None}, [("M3", "state", E)]),
    ("closed without result", "feedback", {"resolution": None}, [("M3", "state", E)]),
    ("closed without resolved time", "feedback", {"resolved_at": None}, [("N3", "state", E)]),
    ("resolved without resolved time", "feedback", {"status": RESOLVED, "resolved_at": None}, [("N3", "state", E)]),
    ("closed without confirmation", "feedback", {"confirmation": None}, [("O3", "state", E)]),
    ("resolved without confirmation is fine", "feedback", {"status": RESOLVED, "confirmation": None}, []),
    ("closed though customer unsatisfied", "feedback", {"confirmation": NEEDS_WORK}, [("O3", "state", E)]),
    ("reopened though unsatisfied is fine", "feedback", {"status": REOPENED, "confirmation": NEEDS_WORK}, []),
    ("pending with resolved time", "feedback", {"status": PENDING, "confirmation": None}, [("N3", "state", W)]),
    ("in progress with resolved time", "feedback", {"status": IN_PROGRESS}, [("N3", "state", W)]),
    (
        "pending without resolved time",
        "feedback",
        {"status": PENDING, "resolved_at": None, "resolution": None, "confirmation": None},
        [],
    ),
    ("closed with unreadable time", "feedback", {"resolved_at": Unreadable("下周")}, []),
    ("status unreadable", "feedback", {"status": Unreadable("已完成"), "resolution": None}, []),
    ("task done without date", "tasks", {"done_on": None}, [("I3", "state", E)]),
    ("task in progress without date", "tasks", {"status": TASK_STATUSES[1], "done_on": None}, []),
    # --- consistency
    ("purchases with zero amount", "customers", {"monetary": 0.0}, [("O3", "consistency", W)]),
    ("purchases with blank amount", "customers", {"monetary": None}, [("O3", "consistency", W)]),
    ("purchases with unreadable amount", "customers", {"monetary": Unreadable("很多")}, []),
    ("no purchases, no amount", "customers", {"frequency": 0, "monetary": None}, []),
    ("content too short", "followups", {"content": "好"}, [("H3", "value.too_short", W)]),
    ("content short once spaces go", "followups", {"content": "已 沟 通 过"}, [("H3", "value.too_short", W)]),
    ("content of five characters", "followups", {"content": "电话已沟通"}, []),
    ("action without date", "followups", {"next_action_date": None}, [("M3", "consistency", W)]),
    ("action with unreadable date", "followups", {"next_action_date": Unreadable("下周")}, []),
    ("no action, no date", "followups", {"next_action": None, "next_action_date": None}, []),
]


@pytest.mark.parametrize(("sheet_key", "over", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_one_defect(sheet_key, over, expected):
    issues = run_checks(with_defect(sheet_key, **over), AS_OF)
    assert flat(issues) == [(SHEETS[sheet_key], cell, code, sev) for cell, code, sev in expected]


def test_every_check_code_is_exercised():
    produced = {code for _, _, _, expected in CASES for _, code, _ in expected}
    assert produced == {
        "value.required",
        "id.pending",
        "value.format",
        "value.range",
        "value.duplicate",
        "ref.missing",
        "ref.mismatch",
        "order",
        "state",
        "consistency",
        "value.too_short",
        "value.date_only",
    }
