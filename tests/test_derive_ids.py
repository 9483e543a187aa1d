"""Blank own IDs filled by derive (SPEC §1): patterns, prefixes, serials, determinism."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from derive_helpers import D, campaign, customer, feedback, followup, run

from xlcrm.derive.ids import customer_prefix
from xlcrm.model import CellUpdate


@pytest.mark.parametrize(
    ("short_name", "name", "prefix"),
    [
        ("hxkj", "华兴科技有限公司", "HXKJ"),  # Latin 简称, upper-cased
        ("IBM", None, "IBM"),
        ("ABCDEF", None, "ABCDEF"),  # 6 letters is still an abbreviation
        ("华兴科技", "随便什么公司", "HXKJ"),  # pinyin initials of 简称
        (None, "华兴科技有限公司", "HXKJ"),  # 有限公司 stripped
        (None, "北京华兴科技股份有限公司", "BJHX"),  # at most 4 letters
        (None, "华兴集团有限责任公司", "HX"),
        (None, "东方公司", "DF"),
        ("长城", None, "CC"),
        (None, "一", "KH"),  # fewer than 2 letters
        ("A", "一", "KH"),
        ("IBM中国", None, "IBMZ"),
        ("ABCDEFG", None, "ABCD"),  # 7 Latin letters: initials of the text, cut at 4
    ],
)
def test_customer_prefix(short_name: str | None, name: str | None, prefix: str) -> None:
    assert customer_prefix(short_name, name) == prefix


def test_customer_ids_continue_after_existing_serials() -> None:
    rows = [
        customer(customer_id="HXKJ20240001", short_name="华兴科技"),
        customer(customer_id=None, short_name="华兴科技", created=D("2024-03-01")),
        customer(customer_id="HXKJ20240007", short_name="华兴科技"),
        customer(customer_id=None, name="华兴科技有限公司", created=D("2024-05-01")),
        customer(customer_id=None, name="华兴科技有限公司", created=D("2023-05-01")),  # other year
        customer(customer_id=None, short_name="abc", created=D("2024-05-01")),
        customer(customer_id=None, short_name="华兴科技", created=D("2024-05-01"), _rejected=True),
    ]
    result = run({"customers": rows})
    assert result.filled_ids == [
        CellUpdate("customers", 3, "customer_id", "HXKJ20240008"),
        CellUpdate("customers", 5, "customer_id", "HXKJ20240009"),
        CellUpdate("customers", 6, "customer_id", "HXKJ20230001"),
        CellUpdate("customers", 7, "customer_id", "ABC20240001"),
    ]
    assert result.values["customers"][3]["customer_id"] == "HXKJ20240008"
    assert "customer_id" not in result.values["customers"][2]  # staff ID untouched
    assert "customer_id" not in result.values["customers"][8]  # rejected row gets nothing
    assert "HXKJ20240008" in result.customers
    assert {s.customer_id for s in result.snapshots} >= {"HXKJ20240008", "ABC20240001"}


def test_rejected_rows_existing_ids_are_not_reused() -> None:
    rows = [
        customer(customer_id="HXKJ20240001", short_name="华兴科技", _rejected=True),
        customer(customer_id=None, short_name="华兴科技"),
    ]
    assert run({"customers": rows}).filled_ids[0].value == "HXKJ20240002"


def test_followup_feedback_campaign_ids() -> None:
    data = {
        "customers": [customer(customer_id="X")],
        "followups": [
            followup("X", "2024-06-01 09:00", followup_id="GJ20240601001"),
            followup("X", "2024-06-01 15:00"),
            followup("X", "2024-06-02 10:00"),
            followup("X", "2024-06-01 16:00"),
        ],
        "feedback": [feedback("X", "2024-06-03 10:00"), feedback("X", "2024-06-03 11:00", feedback_id="FK20240603005")],
        "campaigns": [
            campaign(None, "2024-06-01", "2024-06-30"),
            campaign("HD2024003", "2024-01-01", "2024-02-01"),
            campaign(None, "2023-06-01", "2023-06-30"),
        ],
    }
    result = run(data)
    got = [(u.sheet, u.row, u.value) for u in result.filled_ids]
    assert got == [
        ("followups", 3, "GJ20240601002"),
        ("followups", 4, "GJ20240602001"),
        ("followups", 5, "GJ20240601003"),
        ("feedback", 2, "FK20240603006"),
        ("campaigns", 2, "HD2024004"),
        ("campaigns", 4, "HD2023001"),
    ]
    assert "HD2024004" in result.campaigns
    assert result.followup_rows[1]["followup_id"] == "GJ20240601002"


def test_filled_campaign_id_is_not_linked_by_followups() -> None:
    # A blank campaign ID cannot be referenced yet; its figures are computed under the new ID.
    result = run({"campaigns": [campaign(None, "2024-06-01", "2024-06-30")]})
    assert result.campaigns["HD2024001"]["reached_count"] == 0


def test_ids_are_deterministic() -> None:
    def build() -> list:
        rows = [customer(customer_id=None, short_name="华兴科技") for _ in range(3)]
        return [u.value for u in run({"customers": rows}).filled_ids]

    assert build() == build() == ["HXKJ20240001", "HXKJ20240002", "HXKJ20240003"]


# A process that has not loaded pypinyin finds new customers' initials in a forked helper (its
# dictionary would otherwise stay in enrich's memory): same customer IDs, and the dictionary is
# never loaded here. Run in a fresh interpreter, as this test process has loaded it already.
_HELPER_CHECK = """
import json, sys
from datetime import date
from xlcrm import forking
from xlcrm.derive.ids import fill_ids
from xlcrm.model import Book, Row, SheetData
from xlcrm.schema.sheets import CUSTOMERS

names = [("华兴科技", None), (None, "重庆长城汽车有限公司"), ("IBM中国", None), (None, "一"), ("乐行", "银行")]
rows = [Row(number=i + 2, values={"customer_id": None, "short_name": s, "name": n,
        "created": date(2024, 3, 1)}) for i, (s, n) in enumerate(names)]
book = Book(sheets={"customers": SheetData(kind=CUSTOMERS, name="客户信息", header_row=1, columns={}, rows=rows)})
forked = fill_ids(book)["customers"]
helper_ran, loaded = forking.last_private_kib > 0, "pypinyin" in sys.modules
forking.PARALLEL = False
here = fill_ids(book)["customers"]
print(json.dumps([forked == here, helper_ran, loaded, sorted(here.values())]))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forked helpers are Linux-only")
def test_new_customer_initials_come_from_a_helper_process() -> None:
    done = subprocess.run([sys.executable, "-c", _HELPER_CHECK], capture_output=True, text=True, check=True)
    same, helper_ran, loaded, ids = json.loads(done.stdout)
    assert same and helper_ran and not loaded
    assert ids == ["CQCC20240001", "HXKJ20240001", "IBMZ20240001", "KH20240001", "LX20240001"]
