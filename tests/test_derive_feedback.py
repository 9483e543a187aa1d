"""Feedback SLA and loop (SPEC §2.8); as-of 2024-06-30 unless stated."""

from __future__ import annotations

import pytest
from derive_helpers import T, customer, feedback, run, value

from xlcrm.config import Config

WORKDAY = Config(sla_clock="workday")


def _row(config: Config | None = None, as_of: str = "2024-06-30", **fields: object) -> dict:
    received = str(fields.pop("received", "2024-06-28 10:00"))
    result = run(
        {"customers": [customer(customer_id="X")], "feedback": [feedback("X", received, **fields)]},
        as_of=as_of,
        config=config,
    )
    return result.values["feedback"][2]


@pytest.mark.parametrize(
    ("complexity", "deadline"),
    [(None, "2024-06-29 10:00"), ("一般", "2024-06-29 10:00"), ("复杂", "2024-06-30 10:00")],
)
def test_calendar_deadline(complexity: str | None, deadline: str) -> None:
    assert _row(complexity=complexity)["deadline"] == T(deadline)


def test_configured_sla_hours() -> None:
    cfg = Config(sla_hours={"一般": 8.0, "复杂": 48.0})
    assert _row(cfg)["deadline"] == T("2024-06-28 18:00")


def test_workday_deadline_across_weekend() -> None:
    # Fri 17:00: 1 h Friday, 9 h Monday, 9 h Tuesday, 5 h Wednesday → Wed 14:00
    assert _row(WORKDAY, received="2024-06-28 17:00")["deadline"] == T("2024-07-03 14:00")


def test_workday_deadline_counts_the_adjusted_working_saturday() -> None:
    # Fri 2024-10-11 17:00: 1 h Fri, 9 h Sat 10-12 (调休 working day), Sun off, 9 h Mon, 5 h Tue → Tue 14:00
    row = _row(WORKDAY, as_of="2024-10-20", received="2024-10-11 17:00")
    assert row["deadline"] == T("2024-10-15 14:00")


def test_workday_deadline_skips_national_day() -> None:
    # Mon 2024-09-30 10:00: 8 h Monday, then 10-01..10-07 holiday, 9 h 10-08, 7 h 10-09 → 10-09 16:00
    row = _row(WORKDAY, as_of="2024-10-20", received="2024-09-30 10:00")
    assert row["deadline"] == T("2024-10-09 16:00")


@pytest.mark.parametrize(
    ("status", "resolved_at", "sla"),
    [
        ("已解决", "2024-06-29 10:00", "按时解决"),  # exactly at the deadline
        ("已关闭", "2024-06-29 10:01", "超时解决"),
        ("已解决", "2024-06-28 12:00", "按时解决"),
    ],
)
def test_sla_status_resolved(status: str, resolved_at: str, sla: str) -> None:
    row = _row(
        status=status,
        resolved_at=T(resolved_at),
        resolution="已处理",
        confirmation="满意" if status == "已关闭" else None,
    )
    assert row["sla_status"] == sla


@pytest.mark.parametrize(
    ("received", "status", "sla"),
    [
        ("2024-06-29 10:00", "处理中", "超时未解决"),  # deadline 06-30 10:00, before 23:59:59 of as-of
        ("2024-06-30 08:00", "待处理", "处理中"),  # deadline 07-01 08:00
        ("2024-06-29 23:59", "重新打开", "超时未解决"),  # 06-30 23:59:00 is before 23:59:59
        ("2024-06-29 23:59:59", "处理中", "处理中"),  # deadline is the as-of instant itself
    ],
)
def test_sla_status_open(received: str, status: str, sla: str) -> None:
    assert _row(received=received, status=status)["sla_status"] == sla


def test_handle_hours_rounded_half_up() -> None:
    row = _row(status="已解决", resolved_at=T("2024-06-29 12:15"), resolution="已处理")
    assert row["handle_hours"] == 26.3  # 26.25 h; Python's round() would give 26.2


def test_handle_hours_blank_while_open() -> None:
    assert _row(status="处理中")["handle_hours"] is None


@pytest.mark.parametrize(
    ("status", "confirmation", "loop"),
    [
        ("重新打开", "需进一步优化", "需重新处理"),
        ("已解决", "需进一步优化", "需重新处理"),
        ("已关闭", "满意", "已闭环"),
        ("已关闭", "基本满意", "已闭环"),
        ("已解决", None, "待客户确认"),
        ("已解决", "满意", "待客户确认"),
        ("处理中", None, "未闭环"),
        ("待处理", None, "未闭环"),
    ],
)
def test_loop_status(status: str, confirmation: str | None, loop: str) -> None:
    resolved = {"resolved_at": T("2024-06-29 09:00"), "resolution": "已处理"} if status in ("已解决", "已关闭") else {}
    assert _row(status=status, confirmation=confirmation, **resolved)["loop_status"] == loop


def test_feedback_name_filled_when_blank() -> None:
    result = run(
        {
            "customers": [customer(customer_id="X", name="华兴科技有限公司")],
            "feedback": [feedback("X", "2024-06-01 10:00"), feedback("X", "2024-06-01 11:00", customer_name="华兴")],
        }
    )
    assert value(result, "feedback", 0, "customer_name") == "华兴科技有限公司"
    assert "customer_name" not in result.values["feedback"][3]
