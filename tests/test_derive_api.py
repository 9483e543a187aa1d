"""derive() as a whole: the shape of ``Derived``, rejected rows, snapshots and 分层变动 (SPEC §2.7)."""

from __future__ import annotations

from datetime import date

from derive_helpers import D, T, campaign, customer, feedback, followup, make_book, run, task

from xlcrm.config import Config
from xlcrm.derive import Derived, derive
from xlcrm.model import CellUpdate, Snapshot
from xlcrm.schema import DATA_SHEETS


def _sample() -> dict:
    return {
        "customers": [
            customer(customer_id="X", frequency=2, monetary=100.0, last_purchase=D("2024-06-01")),
            customer(customer_id="BAD", frequency=50, monetary=1e9, last_purchase=D("2024-06-29"), _rejected=True),
            customer(customer_id=None, frequency=1, monetary=10.0, last_purchase=D("2024-05-01"), _rejected=True),
        ],
        "followups": [
            followup("X", "2024-06-10", campaign_id="HD1", satisfaction=90),
            followup("X", "2024-06-28", satisfaction=0, campaign_id="HD1", _rejected=True),
        ],
        "feedback": [
            feedback("X", "2024-06-01 10:00", type="投诉", campaign_id="HD1"),
            feedback("X", "2024-06-02 10:00", type="投诉", _rejected=True),
        ],
        "campaigns": [
            campaign("HD1", "2024-06-01", "2024-06-30"),
            campaign(None, "2024-06-01", "2024-06-30", _rejected=True),
        ],
        "tasks": [task("HD1", "2024-06-10", "进行中"), task("HD1", "2024-06-10", "已完成", _rejected=True)],
    }


def test_rejected_rows_get_blanks_and_do_not_count() -> None:
    result = run(_sample())
    rejected = {"customers": (3, 4), "followups": (3,), "feedback": (3,), "campaigns": (3,), "tasks": (3,)}
    for kind in DATA_SHEETS:
        computed = [f.key for f in kind.computed_fields]
        for number in rejected[kind.key]:
            assert result.values[kind.key][number] == dict.fromkeys(computed), (kind.key, number)
    x = result.customers["X"]
    assert set(result.customers) == {"X"}
    assert (x["r_score"], x["f_score"], x["m_score"]) == (5, 5, 5)  # alone in the population
    assert x["last_followup"] == D("2024-06-10")
    assert x["satisfaction_avg"] == 90.0
    assert x["complaints_90d"] == 1
    hd1 = result.campaigns["HD1"]
    assert (hd1["reached_count"], hd1["satisfaction_avg"], hd1["issues_total"]) == (1, 90.0, 1)
    assert (hd1["task_done_rate"], hd1["tasks_overdue"]) == (0.0, 1)
    assert hd1["target_count"] == 1  # the rejected customers are not counted
    assert [(u.sheet, u.row) for u in result.filled_ids] == [("followups", 2), ("feedback", 2)]
    assert [s.customer_id for s in result.snapshots] == ["X"]
    assert len(result.followup_rows) == len(result.feedback_rows) == len(result.task_rows) == 1


def test_updates_flatten_values_in_sheet_row_field_order() -> None:
    result = run(
        {
            "customers": [customer(customer_id=None, short_name="abc")],
            "followups": [followup("ABC20240001", "2024-06-10")],
        }
    )
    ups = result.updates()
    assert all(isinstance(u, CellUpdate) for u in ups)
    assert ups[0] == CellUpdate("customers", 2, "customer_id", "ABC20240001")
    assert [u.sheet for u in ups] == sorted((u.sheet for u in ups), key=[k.key for k in DATA_SHEETS].index)
    assert CellUpdate("followups", 2, "customer_name", "测试客户有限公司") in ups
    assert CellUpdate("followups", 2, "customer_tier", "C") in ups
    assert len(ups) == sum(len(cells) for rows in result.values.values() for cells in rows.values())


def test_value_types() -> None:
    c = run(
        {
            "customers": [
                customer(
                    customer_id="X",
                    frequency=2,
                    monetary=100.0,
                    last_purchase=D("2024-06-01"),
                    first_deal=D("2023-01-01"),
                )
            ]
        }
    ).customers["X"]
    assert type(c["recency_days"]) is int and type(c["r_score"]) is int and type(c["overdue_days"]) is int
    assert type(c["tenure_years"]) is float and c["tenure_years"] == 1.5
    assert type(c["next_due"]) is date
    fb = run({"customers": [customer(customer_id="X")], "feedback": [feedback("X", "2024-06-01 10:00")]})
    assert fb.feedback_rows[0]["deadline"] == T("2024-06-02 10:00")


def test_input_book_is_not_modified() -> None:
    book = make_book({"customers": [customer(customer_id=None)], "followups": []})
    before = [dict(r.values) for r in book.sheets["customers"].rows]
    derive(book, Config(), D("2024-06-30"))
    assert [dict(r.values) for r in book.sheets["customers"].rows] == before


def test_missing_sheets_are_tolerated() -> None:
    from xlcrm.model import Book

    result = derive(Book(), Config(), D("2024-06-30"))
    assert isinstance(result, Derived)
    assert result.values == {} and result.updates() == [] and result.snapshots == []


# --- snapshots --------------------------------------------------------------------------------


def test_snapshots_and_tier_change() -> None:
    history = [
        Snapshot(D("2024-05-31"), "X", "B", "一般", "低"),
        Snapshot(D("2024-06-15"), "X", "C", "一般", "中"),  # latest before as-of
        Snapshot(D("2024-06-30"), "X", "B", "一般", "低"),  # same as-of: replaced, not compared
        Snapshot(D("2024-06-15"), "Y", "B", "一般", "低"),
        Snapshot(D("2024-07-10"), "Z", "C", "一般", "低"),  # after as-of: ignored
    ]
    customers = [
        customer(customer_id="X", tier_override="A"),
        customer(customer_id="Y", tier_override="B"),
        customer(customer_id="Z", tier_override="A"),
        customer(customer_id="N"),
    ]
    result = run({"customers": customers}, history=history)
    changes = {k: c["tier_change"] for k, c in result.customers.items()}
    assert changes == {"X": "C→A", "Y": None, "Z": None, "N": None}
    assert result.values["customers"][2]["tier_change"] == "C→A"
    assert result.previous_snapshots["X"].as_of == D("2024-06-15")
    assert result.snapshots[0] == Snapshot(D("2024-06-30"), "X", "A", "潜在", result.customers["X"]["churn_risk"])
    assert [s.customer_id for s in result.snapshots] == ["X", "Y", "Z", "N"]
    assert all(s.as_of == D("2024-06-30") for s in result.snapshots)


def test_lookups_hold_inputs_and_computed_values() -> None:
    result = run(_sample())
    x = result.customers["X"]
    assert x["row"] == 2 and x["name"] == "测试客户有限公司" and x["tier"] == "B"
    assert result.followups_of("X")[0]["next_action_status"] is None
    assert result.feedback_of("X")[0]["sla_status"] == "超时未解决"
    assert result.tasks_of("HD1")[0]["overdue"] == "已逾期"


def test_records_after_as_of_do_not_count_for_customers() -> None:
    data = {
        "customers": [customer(customer_id="X", tier_override="B")],
        "followups": [followup("X", "2024-06-29"), followup("X", "2024-07-05", satisfaction=0)],
        "feedback": [feedback("X", "2024-07-01 10:00", type="投诉"), feedback("X", "2024-07-02 10:00", type="投诉")],
    }
    x = run(data).customers["X"]
    assert (x["last_followup"], x["complaints_90d"], x["open_feedback"], x["satisfaction_avg"]) == (
        D("2024-06-29"),
        0,
        0,
        None,
    )
    assert x["resolution_rate"] is None and x["churn_risk"] == "低"


def test_followup_of_rejected_customer_counts_for_reach_only() -> None:
    data = {
        "customers": [customer(customer_id="BAD", _rejected=True)],
        "followups": [followup("BAD", "2024-06-10", campaign_id="HD1")],
        "campaigns": [campaign("HD1", "2024-06-01", "2024-06-30")],
    }
    result = run(data)
    assert result.campaigns["HD1"]["reached_count"] == 1
    assert result.values["followups"][2]["customer_tier"] is None
    assert "customer_name" not in result.values["followups"][2]
