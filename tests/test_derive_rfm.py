"""RFM scores and segments (SPEC §2.1), 价值分群 (§2.2), 合作年限; hand-computed."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from derive_helpers import D, customer, run

from xlcrm.config import Config

AS_OF = D("2024-06-30")


def buyer(cid: str, r_days: int, f: int, m: float, **kw: object) -> dict:
    """A customer in the RFM population: last purchase ``r_days`` before as-of."""
    return customer(customer_id=cid, last_purchase=AS_OF - timedelta(days=r_days), frequency=f, monetary=m, **kw)


SEGMENTS = {
    ("高", "高", "高"): "重要价值客户",
    ("低", "高", "高"): "重要保持客户",
    ("高", "低", "高"): "重要发展客户",
    ("低", "低", "高"): "重要挽留客户",
    ("高", "高", "低"): "一般价值客户",
    ("低", "高", "低"): "一般保持客户",
    ("高", "低", "低"): "一般发展客户",
    ("低", "低", "低"): "一般挽留客户",
}


def test_all_eight_rfm_segments() -> None:
    # R 10 / 100 days (mean 55), F 10 / 1 (mean 5.5), M 10000 / 100 (mean 5050): one of each combination.
    combos = list(itertools.product(("高", "低"), repeat=3))
    rows = []
    for i, (r, f, m) in enumerate(combos):
        rows.append(buyer(f"C{i}", 10 if r == "高" else 100, 10 if f == "高" else 1, 10000.0 if m == "高" else 100.0))
    result = run({"customers": rows})
    for i, combo in enumerate(combos):
        c = result.customers[f"C{i}"]
        assert c["rfm_segment"] == SEGMENTS[combo], combo
        # four customers share each value: high half scores 5, low half ceil(5×4/8) = 3
        assert (c["r_score"], c["f_score"], c["m_score"]) == tuple(5 if x == "高" else 3 for x in combo)


def test_value_equal_to_mean_is_high() -> None:
    # R 10, 20, 30 → mean 20: R=20 is high (≤ mean); F 1, 2, 3 → mean 2: F=2 high; M same.
    result = run({"customers": [buyer("A", 10, 1, 1.0), buyer("B", 20, 2, 2.0), buyer("C", 30, 3, 3.0)]})
    assert result.customers["B"]["rfm_segment"] == "重要价值客户"
    assert result.customers["C"]["rfm_segment"] == "重要保持客户"  # R 30 > 20 low, F/M high
    assert result.customers["A"]["rfm_segment"] == "一般发展客户"  # R high, F/M low


def test_money_mean_float_noise_does_not_flip_high() -> None:
    # 0.1 + 0.2 + 0.3 over 3 is 0.2000…04 in floats; M = 0.2 must still be high.
    result = run({"customers": [buyer("A", 5, 1, 0.1), buyer("B", 5, 1, 0.2), buyer("C", 5, 1, 0.3)]})
    assert result.customers["B"]["rfm_segment"] == "重要价值客户"  # R and F all equal → high
    assert result.customers["A"]["rfm_segment"] == "一般价值客户"


def test_score_formula_with_ties() -> None:
    # M 100, 100, 300, 500: #≤x = 2, 2, 3, 4 → ceil(5×2/4)=3, 3, ceil(3.75)=4, 5
    # R 5, 10, 10, 40 days: #≥x = 4, 3, 3, 1 → 5, ceil(3.75)=4, 4, ceil(1.25)=2
    # F 1, 2, 3, 4: #≤x = 1..4 → ceil(1.25)=2, ceil(2.5)=3, 4, 5
    rows = [buyer("A", 5, 1, 100.0), buyer("B", 10, 2, 100.0), buyer("C", 10, 3, 300.0), buyer("D", 40, 4, 500.0)]
    result = run({"customers": rows})
    got = {k: (c["r_score"], c["f_score"], c["m_score"]) for k, c in result.customers.items()}
    assert got == {"A": (5, 2, 3), "B": (4, 3, 3), "C": (4, 4, 4), "D": (2, 5, 5)}


def test_customers_outside_population_get_blanks_and_potential_segment() -> None:
    rows = [
        buyer("IN", 5, 2, 100.0),
        buyer("ZERO", 5, 0, 0.0),  # 消费次数 0
        customer(customer_id="NOPUR", frequency=3, monetary=50.0),  # no 最近消费日期
        customer(customer_id="NOM", frequency=3, last_purchase=D("2024-06-01")),  # no 金额
    ]
    result = run({"customers": rows})
    assert result.customers["IN"]["r_score"] == 5
    for cid in ("ZERO", "NOPUR", "NOM"):
        c = result.customers[cid]
        assert (c["r_score"], c["f_score"], c["m_score"], c["rfm_segment"]) == (None, None, None, None)
        assert c["value_segment"] == "潜在"
    assert result.customers["ZERO"]["recency_days"] == 5  # R值 still shown when the date is there
    assert result.customers["NOPUR"]["recency_days"] is None


def test_median_threshold() -> None:
    # R 1, 2, 3, 100: mean 26.5 (R=3 high), median 2.5 (R=3 low)
    rows = [buyer("A", 1, 1, 1.0), buyer("B", 2, 1, 1.0), buyer("C", 3, 1, 1.0), buyer("D", 100, 1, 1.0)]
    by_mean = run({"customers": rows}).customers["C"]["rfm_segment"]
    by_median = run({"customers": rows}, config=Config(rfm_threshold="median")).customers["C"]["rfm_segment"]
    assert by_mean == "重要价值客户"  # F and M all equal → high
    assert by_median == "重要保持客户"


def test_tenure_rounded_for_display_exact_for_high_value() -> None:
    # 2023-07-01 → 2024-06-30 is 365 days = 1.0 year; 2023-07-02 is 364 days = 0.997 (shows 1.0)
    rows = [
        buyer("EXACT", 5, 5, 9000.0, first_deal=D("2023-07-01")),
        buyer("SHORT", 5, 5, 9000.0, first_deal=D("2023-07-02")),
        buyer("NONE", 5, 5, 9000.0),
    ] + [buyer(f"F{i}", 50, 1, 10.0) for i in range(7)]
    result = run({"customers": rows})
    assert result.customers["EXACT"]["tenure_years"] == 1.0
    assert result.customers["SHORT"]["tenure_years"] == 1.0
    assert result.customers["NONE"]["tenure_years"] is None
    assert result.customers["EXACT"]["value_segment"] == "高价值"
    assert result.customers["SHORT"]["value_segment"] != "高价值"
    assert result.customers["NONE"]["value_segment"] != "高价值"  # blank 首次合作日期 = not ≥ 1


def test_tenure_one_decimal_half_up() -> None:
    # 2021-12-31 → 2024-06-30 = 912 days / 365 = 2.4986 → 2.5
    result = run({"customers": [customer(customer_id="A", first_deal=D("2021-12-31"))]})
    assert result.customers["A"]["tenure_years"] == 2.5


def test_top_ten_percent_includes_ties_at_boundary() -> None:
    # n = 20 → top ceil(2) = 2; the 2nd highest M (900) is shared by two customers → 3 candidates.
    old = D("2020-01-01")
    rows = [
        buyer("TOP", 5, 1, 1000.0, first_deal=old),
        buyer("TIE1", 5, 1, 900.0, first_deal=old),
        buyer("TIE2", 5, 1, 900.0, first_deal=old),
        buyer("NEXT", 5, 1, 800.0, first_deal=old),
    ]
    rows += [buyer(f"X{i}", 5, 1, 100.0, first_deal=old) for i in range(16)]
    result = run({"customers": rows})
    high = {k for k, c in result.customers.items() if c["value_segment"] == "高价值"}
    assert high == {"TOP", "TIE1", "TIE2"}
    assert result.customers["TOP"]["tier"] == "A"
    assert result.customers["NEXT"]["value_segment"] == "一般"


def test_top_share_of_thirty_is_three_not_four() -> None:
    old = D("2020-01-01")
    rows = [buyer(f"X{i:02d}", 5, 1, float(1000 - i), first_deal=old) for i in range(30)]
    result = run({"customers": rows})
    high = sorted(k for k, c in result.customers.items() if c["value_segment"] == "高价值")
    assert high == ["X00", "X01", "X02"]


def test_high_value_candidate_too_new_is_not_replaced() -> None:
    # The top customer fails the tenure test; the next one does not move up.
    rows = [
        buyer("NEW", 5, 1, 1000.0, first_deal=D("2024-01-01")),
        buyer("SECOND", 5, 1, 900.0, first_deal=D("2020-01-01")),
    ]
    rows += [buyer(f"X{i}", 5, 1, 10.0) for i in range(8)]
    result = run({"customers": rows})
    assert result.customers["NEW"]["value_segment"] == "一般"
    assert result.customers["SECOND"]["value_segment"] == "一般"


@pytest.mark.parametrize(
    ("f", "m", "intent", "expected"),
    [
        (5, 500.0, "是", "潜力"),  # F分 ceil(5×10/10)=5, M分 #≤500 = 6 → ceil(3)=3
        (5, 500.0, "否", "一般"),  # no upsell intent
        (5, 500.0, None, "一般"),
        (1, 500.0, "是", "一般"),  # F=1 is the lowest → #≤1 = 1 → F分 1
        (5, 50.0, "是", "一般"),  # M=50 is the lowest → M分 1
    ],
)
def test_potential_segment(f: int, m: float, intent: str | None, expected: str) -> None:
    # 9 peers: F 2..4, M 100..900, no 首次合作日期 (so none is 高价值).
    peers = [buyer(f"P{i}", 5, 2 + i % 3, 100.0 * (i + 1)) for i in range(9)]
    rows = [buyer("X", 5, f, m, upsell_intent=intent), *peers]
    result = run({"customers": rows})
    x = result.customers["X"]
    assert x["value_segment"] == expected, (x["f_score"], x["m_score"])


def test_potential_scores_boundaries() -> None:
    peers = [buyer(f"P{i}", 5, 2 + i % 3, 100.0 * (i + 1)) for i in range(9)]
    result = run({"customers": [buyer("X", 5, 5, 500.0, upsell_intent="是"), *peers]})
    assert (result.customers["X"]["f_score"], result.customers["X"]["m_score"]) == (5, 3)
