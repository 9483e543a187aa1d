"""run_checks / mark_rejected as a whole: clean books, absent sheets and columns, messages."""

from __future__ import annotations

from datetime import datetime

import pytest
from checks_helpers import AS_OF, campaign, customer, feedback, flat, followup, make_book, task, with_defect

from xlcrm.checks import CHECKS, mark_rejected, run_checks
from xlcrm.i18n import set_lang
from xlcrm.issues import Issue
from xlcrm.schema import CODES


@pytest.fixture
def english():
    set_lang("en")
    yield
    set_lang(None)


@pytest.fixture(autouse=True)
def chinese():
    set_lang("zh")
    yield
    set_lang(None)


def messages(issues: list[Issue]) -> list[str]:
    return [i.message for i in issues]


def test_clean_book_has_no_issues():
    book = make_book(
        customers=[customer(), customer(customer_id="HXKJ20240002", name="远航物流", phone="010-87654321")],
        followups=[
            followup(),
            followup(
                followup_id="GJ20240601002", customer_id="HXKJ20240002", customer_name="远航物流", campaign_id=None
            ),
        ],
        feedback=[feedback()],
        campaigns=[campaign()],
        tasks=[task(), task(task="电话回访", status="进行中", done_on=None)],
    )
    assert run_checks(book, AS_OF) == []


def test_every_check_takes_book_config_as_of():
    book = make_book()
    for check in CHECKS:
        assert list(check(book, None, AS_OF)) == []


def test_codes_used_are_declared_with_their_usual_severity():
    for code in ("value.required", "value.format", "value.range", "value.duplicate", "ref.missing", "order", "state"):
        assert CODES[code].severity == "error"
    for code in ("ref.mismatch", "consistency", "value.too_short"):
        assert CODES[code].severity == "warning"
    assert CODES["id.pending"].severity == "info"


def test_issues_are_sorted_by_sheet_then_row_then_column():
    book = make_book(
        customers=[customer(), customer(customer_id="HXKJ20240002", phone="1", name=None)],
        followups=[followup(content="好")],
    )
    assert flat(run_checks(book, AS_OF)) == [
        ("客户信息", "B3", "value.required", "error"),
        ("客户信息", "I3", "value.format", "error"),
        ("跟进记录", "H2", "value.too_short", "warning"),
    ]


def test_issue_carries_row_column_field_and_value():
    (issue,) = run_checks(with_defect("customers", phone="13800A38000"), AS_OF)
    assert (issue.row, issue.column, issue.field, issue.value) == (3, "I", "phone", "13800A38000")


def test_each_later_duplicate_names_the_first_cell():
    book = make_book(campaigns=[campaign(), campaign(campaign_id="HD2024002"), campaign(), campaign()])
    issues = run_checks(book, AS_OF)
    assert flat(issues) == [
        ("维护活动", "A4", "value.duplicate", "error"),
        ("维护活动", "A5", "value.duplicate", "error"),
    ]
    assert all("A2" in m for m in messages(issues))


def test_absent_column_is_not_reported_per_row():
    # header.missing is the reader's; no value.required / format per row for a column that isn't there.
    book = make_book(drop={"customers": ("phone", "customer_id")}, followups=[], feedback=[])
    assert run_checks(book, AS_OF) == []


def test_absent_referenced_sheet_skips_reference_checks():
    book = make_book(customers=None, campaigns=None)
    assert run_checks(book, AS_OF) == []


def test_rejected_customer_row_still_counts_as_a_reference_target():
    book = make_book(customers=[customer(phone="abc")])
    assert flat(run_checks(book, AS_OF)) == [("客户信息", "I2", "value.format", "error")]


def test_mark_rejected_marks_rows_with_errors_only():
    book = make_book(
        customers=[customer(), customer(customer_id="HXKJ20240002", phone="abc")],
        followups=[followup(), followup(followup_id="GJ20240601002", content="好")],
        feedback=[feedback(), feedback(feedback_id="FK20240602002", confirmation=None)],
        campaigns=[campaign(), campaign(campaign_id=None)],
        tasks=[task()],
    )
    issues = run_checks(book, AS_OF)
    sheet_level = Issue("error", "header.missing", "缺少列", sheet="活动任务")
    marked = mark_rejected(book, [*issues, sheet_level])
    assert marked == {("客户信息", 3), ("反馈处理", 3)}
    rejected = {(s.name, r.number) for s in book.sheets.values() for r in s.rows if r.rejected}
    assert rejected == marked
    assert [r.number for r in book.rows("customers")] == [2]


def test_mark_rejected_matches_by_sheet_name_in_the_file():
    book = make_book()
    book.sheets["customers"].name = "客户档案"
    issues = run_checks(with_defect("customers", phone="abc"), AS_OF)  # sheet named 客户信息
    assert mark_rejected(book, issues) == set()


def test_chinese_messages_name_the_column_and_the_fix():
    cases = {
        "phone": (
            with_defect("customers", phone="13800A38000"),
            "“联系电话”格式不正确：13800A38000。请填写11位手机号（如 13800138000）或座机（如 010-12345678",
        ),
        "spaced mobile": (with_defect("customers", phone="138 0013 8000"), "请写成 13800138000"),
        "lower-case id": (with_defect("customers", customer_id="hxkj20240002"), "请改为 HXKJ20240002"),
        "required": (with_defect("customers", name=None), "“客户名称”是必填项"),
        "ref blank": (with_defect("tasks", campaign_id=None), "请填写“维护活动”表中已有的活动编号"),
        "ref missing": (
            with_defect("followups", customer_id="HXKJ20249999"),
            "“客户编号”HXKJ20249999 在“客户信息”表中不存在",
        ),
        "mismatch": (with_defect("followups", customer_name="华信电子"), "“客户信息”表中是“华信科技有限公司”"),
        "order": (
            with_defect("feedback", resolved_at=datetime(2024, 6, 2, 8)),
            "“解决时间”（2024-06-02 08:00）早于“接收时间”（2024-06-02 09:00）",
        ),
        "state": (with_defect("feedback", confirmation="需进一步优化"), "请把“处理进度”改为“重新打开”"),
        "future": (with_defect("customers", created=AS_OF.replace(month=7)), "“建档日期”晚于统计日 2024-06-30"),
        "pending": (with_defect("campaigns", campaign_id=None), "xlcrm enrich"),
        "consistency": (with_defect("customers", monetary=0.0), "“近12月消费次数”为 4，但“近12月消费金额”为 0 或空"),
        "plan date": (with_defect("followups", next_action_date=None), "已填写“下一步行动”，但“下一步计划日期”为空"),
    }
    for name, (book, expected) in cases.items():
        (issue,) = run_checks(book, AS_OF)
        assert expected in issue.message, name


def test_english_messages(english):
    (issue,) = run_checks(with_defect("customers", phone="13800A38000"), AS_OF)
    assert issue.message.startswith('"联系电话" is not a valid phone number: 13800A38000. Enter an 11-digit mobile')
    book = make_book(
        customers=[customer(), customer(customer_id="HXKJ20240001", name=None)],
        followups=[followup(customer_id="X", content="好", next_action_date=None)],
        feedback=[feedback(status="待处理")],
        tasks=[task(done_on=None)],
        campaigns=[campaign(reviewed_on=campaign()["start"], budget=-1.0)],
    )
    issues = run_checks(book, AS_OF)
    assert len(issues) == 9
    for message in messages(issues):
        assert message.isascii() or '"' in message, message
        assert "请" not in message and "。" not in message, message
