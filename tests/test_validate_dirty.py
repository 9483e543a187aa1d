"""A dirty workbook as staff make them, one defect per row, validated end to end through a real .xlsx:
every check and code lands on the exact cell with the exact severity."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from conftest import AS_OF

from xlcrm.validation import validate_file


def _customer(n: int, **changes: Any) -> dict[str, Any]:
    row = {
        "customer_id": f"HXKJ2024{n:04d}",
        "name": f"测试客户{n}有限公司",
        "industry": "软件",
        "contact": "张伟",
        "phone": "13800138000",
        "stage": "已合作",
        "manager": "李娜",
        "created": date(2024, 3, 1),
    }
    row.update(changes)
    return row


def _followup(n: int, **changes: Any) -> dict[str, Any]:
    row = {
        "followup_id": f"GJ20261101{n:03d}",
        "customer_id": "HXKJ20240001",
        "at": datetime(2026, 11, 1, 10, 0),
        "channel": "电话",
        "kind": "日常跟进",
        "owner": "李娜",
        "content": "回访产品使用情况，客户反馈良好",
    }
    row.update(changes)
    return row


def _feedback(n: int, **changes: Any) -> dict[str, Any]:
    row = {
        "feedback_id": f"FK20261102{n:03d}",
        "customer_id": "HXKJ20240001",
        "received": datetime(2026, 11, 2, 9, 0),
        "type": "咨询",
        "description": "咨询发票开具流程",
        "assignee": "王强",
        "status": "处理中",
    }
    row.update(changes)
    return row


DEFECTS: list[tuple[str, dict[str, Any], tuple[str, str, str, str]]] = [
    # customers (row 2 is the clean base row)
    ("customers", _customer(3, name=None), ("客户信息", "B3", "value.required", "error")),
    ("customers", _customer(4, scale="巨型"), ("客户信息", "E4", "value.enum", "error")),
    ("customers", _customer(5, phone="1380013800"), ("客户信息", "I5", "value.format", "error")),
    ("customers", _customer(6, phone="138 0013 8000"), ("客户信息", "I6", "value.format", "warning")),
    ("customers", _customer(7, email="zhang@"), ("客户信息", "J7", "value.format", "error")),
    ("customers", _customer(8, monetary=-5.0), ("客户信息", "O8", "value.range", "error")),
    ("customers", _customer(9, created=date(2027, 1, 1)), ("客户信息", "M9", "value.range", "error")),
    ("customers", _customer(1, name="重复客户"), ("客户信息", "A10", "value.duplicate", "error")),
    ("customers", _customer(11, customer_id="HX2024"), ("客户信息", "A11", "value.format", "error")),
    ("customers", _customer(12, frequency=3, monetary=0.0), ("客户信息", "O12", "consistency", "warning")),
    ("customers", _customer(13, created="明天"), ("客户信息", "M13", "value.type", "error")),
    ("customers", _customer(14, customer_id=None), ("客户信息", "A14", "id.pending", "info")),
    ("customers", _customer(15, created="2024/3/1"), ("客户信息", "M15", "value.text_date", "warning")),
    ("customers", _customer(16, frequency="3次"), ("客户信息", "P16", "value.type", "error")),
    ("customers", _customer(17, monetary="1,200元", frequency=1), ("客户信息", "O17", "value.text_number", "warning")),
    ("customers", _customer(18, stage="流失"), ("客户信息", "K18", "value.enum", "error")),
    # follow-ups (row 2 clean)
    ("followups", _followup(3, customer_id="XX20249999"), ("跟进记录", "B3", "ref.missing", "error")),
    ("followups", _followup(4, customer_name="别的公司"), ("跟进记录", "C4", "ref.mismatch", "warning")),
    ("followups", _followup(5, content="好"), ("跟进记录", "H5", "value.too_short", "warning")),
    ("followups", _followup(6, satisfaction=120), ("跟进记录", "K6", "value.range", "error")),
    (
        "followups",
        _followup(7, next_action="寄资料", next_action_date=date(2026, 10, 30)),
        ("跟进记录", "M7", "order", "error"),
    ),
    ("followups", _followup(8, recorded=datetime(2026, 11, 1, 9, 0)), ("跟进记录", "O8", "order", "error")),
    ("followups", _followup(9, next_action="寄资料"), ("跟进记录", "M9", "consistency", "warning")),
    ("followups", _followup(10, campaign_id="HD2099001"), ("跟进记录", "N10", "ref.missing", "error")),
    ("followups", _followup(11, at=None), ("跟进记录", "D11", "value.required", "error")),
    ("followups", _followup(12, customer_id=None), ("跟进记录", "B12", "value.required", "error")),
    ("followups", _followup(13, at=datetime(2026, 11, 21, 9, 0)), ("跟进记录", "D13", "value.range", "error")),
    ("followups", _followup(3), ("跟进记录", "A14", "value.duplicate", "error")),
    ("followups", _followup(15, channel="短信"), ("跟进记录", "E15", "value.enum", "error")),
    # feedback (row 2 clean)
    (
        "feedback",
        _feedback(3, status="已解决", resolved_at=datetime(2026, 11, 3, 9, 0)),
        ("反馈处理", "M3", "state", "error"),
    ),
    ("feedback", _feedback(4, status="已解决", resolution="已处理"), ("反馈处理", "N4", "state", "error")),
    (
        "feedback",
        _feedback(5, status="已关闭", resolution="已处理", resolved_at=datetime(2026, 11, 3, 9, 0)),
        ("反馈处理", "O5", "state", "error"),
    ),
    (
        "feedback",
        _feedback(
            6,
            status="已关闭",
            resolution="已处理",
            resolved_at=datetime(2026, 11, 3, 9, 0),
            confirmation="需进一步优化",
        ),
        ("反馈处理", "O6", "state", "error"),
    ),
    ("feedback", _feedback(7, resolved_at=datetime(2026, 11, 3, 9, 0)), ("反馈处理", "N7", "state", "warning")),
    (
        "feedback",
        _feedback(8, status="已解决", resolution="已处理", resolved_at=datetime(2026, 11, 1, 9, 0)),
        ("反馈处理", "N8", "order", "error"),
    ),
    ("feedback", _feedback(9, type="表扬"), ("反馈处理", "F9", "value.enum", "error")),
    ("feedback", _feedback(10, feedback_id=None), ("反馈处理", "A10", "id.pending", "info")),
    ("feedback", _feedback(11, received="2026-11-02 9点"), ("反馈处理", "D11", "value.type", "error")),
    # campaigns (row 2 clean)
    (
        "campaigns",
        {
            "campaign_id": "HD2026002",
            "name": "回访",
            "start": date(2026, 11, 10),
            "end": date(2026, 11, 1),
            "owner": "李娜",
        },
        ("维护活动", "G3", "order", "error"),
    ),
    (
        "campaigns",
        {
            "campaign_id": "HD2026003",
            "name": "回访",
            "start": date(2026, 10, 1),
            "end": date(2026, 10, 20),
            "owner": "李娜",
            "reviewed_on": date(2026, 10, 10),
        },
        ("维护活动", "O4", "order", "warning"),
    ),
    (
        "campaigns",
        {
            "campaign_id": "HD2026004",
            "name": "回访",
            "start": date(2026, 10, 1),
            "end": date(2026, 10, 20),
            "owner": "李娜",
            "budget": -1.0,
        },
        ("维护活动", "I5", "value.range", "error"),
    ),
    # tasks (row 2 clean)
    (
        "tasks",
        {"campaign_id": "HD2026001", "task": "打电话", "owner": "李娜", "due": date(2026, 11, 5), "status": "已完成"},
        ("活动任务", "I3", "state", "error"),
    ),
    (
        "tasks",
        {
            "campaign_id": "HD2026001",
            "task": "打电话",
            "owner": "李娜",
            "start": date(2026, 11, 5),
            "due": date(2026, 11, 1),
            "status": "进行中",
        },
        ("活动任务", "F4", "order", "error"),
    ),
    (
        "tasks",
        {"campaign_id": "HD2099009", "task": "打电话", "owner": "李娜", "due": date(2026, 11, 5), "status": "进行中"},
        ("活动任务", "A5", "ref.missing", "error"),
    ),
]


@pytest.fixture(scope="module")
def dirty_report(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    from xlcrm.writing.template import write_standard_workbook

    make = request.getfixturevalue("blank_rows")
    rows = make()
    for sheet, row, _ in DEFECTS:
        rows[sheet].append(row)
    return validate_file(write_standard_workbook(tmp_path_factory.mktemp("dirty") / "dirty.xlsx", rows), AS_OF)


@pytest.fixture(scope="module")
def blank_rows():  # type: ignore[no-untyped-def]  # module-scoped twin of the conftest fixture
    import conftest

    return conftest.blank_rows.__wrapped__()


def test_every_defect_found_exactly(dirty_report) -> None:  # type: ignore[no-untyped-def]
    expected = sorted(t for _, _, t in DEFECTS)
    assert sorted(dirty_report.flatten()) == expected


def test_clean_rows_have_no_issues(dirty_report) -> None:  # type: ignore[no-untyped-def]
    assert not [i for i in dirty_report.issues if i.row == 2]


def test_messages_name_the_column(dirty_report) -> None:  # type: ignore[no-untyped-def]
    by_cell = {(i.sheet, i.cell): i.message for i in dirty_report.issues}
    assert "企业规模" in by_cell[("客户信息", "E4")] and "大型" in by_cell[("客户信息", "E4")]
    assert "联系电话" in by_cell[("客户信息", "I5")]
    assert "A2" in by_cell[("客户信息", "A10")]  # a duplicate names the first occurrence
