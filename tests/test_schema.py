"""The schema is the single source of headers and enums; folding makes real spellings match."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from xlcrm.reading.recognize import kind_by_name, match_header_row
from xlcrm.schema import ALL_SHEETS, CODES, CUSTOMERS, DATA_SHEETS, FEEDBACK, fold_header

PACKAGE = Path(__file__).resolve().parent.parent / "xlcrm"
DOCS = Path(__file__).resolve().parent.parent / "docs"


@pytest.mark.parametrize(
    "typed, canonical",
    [
        ("预算（元）", "预算"),
        ("预算(元)", "预算"),
        ("*客户名称", "客户名称"),
        ("客户名称*", "客户名称"),
        ("联系 电话", "联系电话"),
        ("　客户编号　", "客户编号"),
        ("ＲＦＭ分群", "rfm分群"),
        ("R值(天)", "r值"),
        ("处理时长（小时）", "处理时长"),
        (" * 近12月消费金额 (元) ", "近12月消费金额"),
    ],
)
def test_header_folding(typed: str, canonical: str) -> None:
    assert fold_header(typed) == canonical


@pytest.mark.parametrize(
    "name, key",
    [
        ("客户信息", "customers"),
        ("客户基础信息表", "customers"),
        (" 客户档案 ", "customers"),
        ("INFO", "customers"),
        ("客户跟进记录表", "followups"),
        ("维护记录", "followups"),
        ("投诉处理", "feedback"),
        ("客户反馈处理表", "feedback"),
        ("活动计划与执行表", "campaigns"),
        ("维养活动", "campaigns"),
        ("执行排期", "tasks"),
        ("活动排期", "tasks"),
    ],
)
def test_sheet_aliases(name: str, key: str) -> None:
    kind = kind_by_name(name)
    assert kind is not None and kind.key == key


def test_header_row_matches_aliases_units_and_markers() -> None:
    cells = ["*客户编号", "客户全称", "行业", "联系人", "手机号", "*合作阶段", "客户经理", "建档日期", "微信号"]
    match = match_header_row(CUSTOMERS, 3, cells)
    assert match is not None
    assert match.columns["customer_id"] == 1 and match.columns["name"] == 2 and match.columns["phone"] == 5
    assert match.unknown == [("微信号", 9)]


def test_every_sheet_has_unique_folded_headers() -> None:
    for kind in ALL_SHEETS:
        folded = [fold_header(f.header) for f in kind.fields]
        assert len(folded) == len(set(folded)), kind.name


def test_spec_columns_present() -> None:
    assert [k.name for k in DATA_SHEETS] == ["客户信息", "跟进记录", "反馈处理", "维护活动", "活动任务"]
    assert FEEDBACK.field("status").enum == ("待处理", "处理中", "已解决", "已关闭", "重新打开")
    assert len([f for f in CUSTOMERS.fields if f.computed]) == 21


def _string_literals(path: Path) -> set[str]:
    return set(re.findall(r'"([^"\n]+)"', path.read_text(encoding="utf-8")))


def test_no_second_copy_of_headers_or_enums() -> None:
    """Headers and enum lists live in schema/ only: no other module spells them as a literal."""
    protected = {
        "客户信息",
        "跟进记录",
        "反馈处理",
        "维护活动",
        "活动任务",
        "联系电话",
        "近12月消费金额",
        "下一步计划日期",
        "处理进度",
        "客户确认结果",
        "重新打开",
        "需进一步优化",
        "视频会议",
        "投诉回访",
        "线下座谈",
        "高峰期",
        "已取消",
    }
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if "schema" in path.parts:
            continue
        hits = protected & _string_literals(path)
        if hits:
            offenders.append((path.relative_to(PACKAGE).as_posix(), sorted(hits)))
    assert offenders == []


def test_every_issue_code_is_documented() -> None:
    text = (DOCS / "issue-codes.md").read_text(encoding="utf-8")
    missing = [code for code in CODES if f"`{code}`" not in text]
    assert missing == []


def test_imports_follow_the_flow() -> None:
    """schema imports nothing of ours beyond itself; derive and checks never touch an Excel engine."""
    engines = ("openpyxl", "python_calamine", "docx", "docxtpl")
    for path in (PACKAGE / "schema").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "from .." not in text, path
        assert not any(f"import {e}" in text for e in engines), path
    for folder in ("derive", "checks"):
        for path in (PACKAGE / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            assert not any(re.search(rf"^\s*(from|import) {e}\b", text, re.M) for e in engines), path
            assert "..writing" not in text and "..reading" not in text and "..reporting" not in text, path


def test_generated_docs_are_current() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("gen_docs", PACKAGE.parent / "tools" / "gen_docs.py")
    assert spec and spec.loader
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    assert (DOCS / "workbook.md").read_text(encoding="utf-8") == gen.workbook_md(), "run python tools/gen_docs.py"
    assert (DOCS / "config.md").read_text(encoding="utf-8") == gen.config_md(), "run python tools/gen_docs.py"
