"""The derive layer's output contract: a rule that forgets or misspells a computed column, or
writes a value of the wrong type, fails loudly instead of producing a silently blank column."""

from __future__ import annotations

import pytest
from derive_helpers import campaign, customer, run, task

import xlcrm.derive as derive_pkg
from xlcrm.derive import DeriveContractError


def _rows() -> dict:
    return {
        "customers": [customer(customer_id="X")],
        "campaigns": [campaign("HD1", "2024-06-01", "2024-06-30")],
        "tasks": [task("HD1", "2024-06-10", "进行中")],
    }


def test_the_real_rules_meet_the_contract() -> None:
    result = run(_rows())
    assert result.values["tasks"]  # derive ran through the contract check without raising


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        ({"overdu": "已逾期"}, "tasks.overdue row 2: not produced"),  # misspelt key
        ({"overdue": 3}, "tasks.overdue row 2: int is not text"),  # wrong type
        ({"overdue": "逾期"}, "tasks.overdue row 2: '逾期' is not one of"),  # not an allowed value
    ],
)
def test_a_broken_rule_fails_loudly(monkeypatch: pytest.MonkeyPatch, written: dict, reason: str) -> None:
    def broken_apply_tasks(tasks: list, as_of: object) -> None:
        for t in tasks:
            t.update(written)

    monkeypatch.setattr(derive_pkg, "apply_tasks", broken_apply_tasks)
    with pytest.raises(DeriveContractError) as info:
        run(_rows())
    assert reason in str(info.value)
