"""``xlcrm agenda`` (SPEC §8) on a hand-made team workbook whose every item was worked out by hand.

As-of is Friday 2026-05-08. Saturday 2026-05-09 is a 调休 working day (the 劳动节 make-up day in
the chinesecalendar data), so "the end of the next working day" is 2026-05-09 23:59:59, not
Monday's. The look-ahead is 7 days (up to 2026-05-15). Every customer is pinned to a tier with
手工分层 (A: cadence 7 / deep 30 days; B: 14 / 90; C: 30 / 180) so the due dates are easy to follow.
"""

from __future__ import annotations

import contextlib
import io
import json
import zipfile
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from conftest import needs_libreoffice, run_subprocess, soffice_convert
from markdown_it import MarkdownIt
from python_calamine import CalamineWorkbook

from xlcrm.agenda import split_names
from xlcrm.cli import main

AS_OF = "2026-05-08"
RunCli = Callable[..., tuple[int, str, str]]
T = datetime.fromisoformat
D = date.fromisoformat


def _customer(n: int, manager: str, tier: str, created: str = "2025-06-01") -> dict[str, Any]:
    return {
        "customer_id": f"KH2025{n:04d}",
        "name": f"测试{n}号科技有限公司",
        "industry": "软件",
        "scale": "中型",
        "contact": f"联系人{n}",
        "phone": f"1380000{n:04d}",
        "stage": "已合作",
        "manager": manager,
        "created": D(created),
        "tier_override": tier,
    }


def _followup(
    fid: str, n: int, at: str, kind: str, owner: str, action: str | None = None, plan: str | None = None
) -> dict[str, Any]:
    return {
        "followup_id": fid,
        "customer_id": f"KH2025{n:04d}",
        "at": T(at),
        "channel": "电话",
        "kind": kind,
        "owner": owner,
        "content": "例行沟通近况与需求",
        "next_action": action,
        "next_action_date": D(plan) if plan else None,
    }


def _feedback(
    fid: str, n: int, received: str, complexity: str, assignee: str, status: str = "处理中", **kw: Any
) -> dict[str, Any]:
    return {
        "feedback_id": fid,
        "customer_id": f"KH2025{n:04d}",
        "received": T(received),
        "source": "客户来电",
        "type": "咨询",
        "complexity": complexity,
        "description": f"客户{n}咨询开票流程",
        "assignee": assignee,
        "status": status,
        **kw,
    }


def _campaign(cid: str, name: str, owner: str, start: str, end: str, **kw: Any) -> dict[str, Any]:
    return {
        "campaign_id": cid,
        "name": name,
        "scenario": "重要客户绑定",
        "form": "电话回访",
        "audience": "全部",
        "start": D(start),
        "end": D(end),
        "owner": owner,
        **kw,
    }


def _task(cid: str, task: str, owner: str, due: str, status: str, done_on: str | None = None) -> dict[str, Any]:
    return {
        "campaign_id": cid,
        "task": task,
        "phase": "启动期",
        "owner": owner,
        "due": D(due),
        "status": status,
        "done_on": D(done_on) if done_on else None,
    }


def team_rows() -> dict[str, list[dict[str, Any]]]:
    """The hand-made team (see the expectations in ``EXPECTED``)."""
    return {
        "customers": [
            _customer(1, "李娜", "C"),
            _customer(2, "李娜", "C"),
            _customer(3, "王强", "C"),
            _customer(4, "王强", "C"),
            _customer(5, "赵敏", "C"),
            _customer(6, "赵敏", "A"),
            _customer(7, "赵敏", "A"),
            _customer(8, "李娜", "B", created="2026-01-01"),
            _customer(9, "王强", "C"),
            _customer(10, "孙丽", "C"),
        ],
        "followups": [
            # C1: 04-07 + 30 = 05-07, overdue by one day; C2: 03-29 + 30 = 04-28, overdue 10 days
            _followup("GJ20260407001", 1, "2026-04-07 10:00", "信息更新", "李娜"),
            _followup("GJ20260329001", 2, "2026-03-29 10:00", "信息更新", "李娜"),
            # C3: due today (04-08 + 30), and a next action planned for today
            _followup("GJ20260408001", 3, "2026-04-08 10:00", "信息更新", "王强", "电话确认续约", "2026-05-08"),
            # C4: due in exactly 7 days; C5: in 8 days (outside)
            _followup("GJ20260415001", 4, "2026-04-15 10:00", "信息更新", "王强"),
            _followup("GJ20260416001", 5, "2026-04-16 10:00", "信息更新", "赵敏"),
            # C6 (A): deep contact 04-15 + 30 = 05-15 (exactly N); due min(05-06 + 7, plan 05-12) = 05-12
            _followup("GJ20260415002", 6, "2026-04-15 14:00", "高层互动", "赵敏"),
            _followup("GJ20260506001", 6, "2026-05-06 10:00", "日常跟进", "赵敏/孙丽", "安排产品演示", "2026-05-12"),
            # C7 (A): deep 04-16 + 30 = 05-16 (N + 1, outside); due 05-14; its plan 05-16 is outside too
            _followup("GJ20260416002", 7, "2026-04-16 14:00", "高层互动", "赵敏"),
            _followup("GJ20260507001", 7, "2026-05-07 10:00", "日常跟进", "赵敏", "回复合同条款", "2026-05-16"),
            # C9: an earlier plan is 已跟进 (a later follow-up exists); the latest plan 05-07 is 已逾期 and
            # makes the due date 05-07 (overdue by one day); two people share it (space-separated)
            _followup("GJ20260401001", 9, "2026-04-01 10:00", "信息更新", "王强", "寄送资料", "2026-04-10"),
            _followup("GJ20260420001", 9, "2026-04-20 10:00", "信息更新", "王强 李娜", "寄送样品", "2026-05-07"),
            # C10: plan in exactly 7 days, due 05-15; 跟进人 separated by a full-width comma
            _followup("GJ20260501001", 10, "2026-05-01 10:00", "信息更新", "孙丽，周杰", "确认培训时间", "2026-05-15"),
        ],
        "feedback": [
            # deadline Sat 05-09 09:00 (调休 working day): before the end of the next working day, 9.0 h left
            _feedback("FK20260508001", 1, "2026-05-08 09:00", "一般", "王强"),
            # deadline Sun 05-10 10:00: after it (it would be inside on an ordinary weekend)
            _feedback("FK20260508002", 2, "2026-05-08 10:00", "复杂", "王强", "待处理"),
            # deadline 05-07 08:00: 超时未解决, 40.0 h overdue at the end of the as-of day (05-08 23:59:59)
            _feedback("FK20260506001", 3, "2026-05-06 08:00", "一般", "赵敏"),
            # deadline Sat 05-09 23:00: still before 05-09 23:59:59, 23.0 h left
            _feedback("FK20260507001", 4, "2026-05-07 23:00", "复杂", "赵敏", "待处理"),
            # resolved: never on the agenda
            _feedback(
                "FK20260508003",
                5,
                "2026-05-08 08:00",
                "一般",
                "赵敏",
                "已解决",
                resolution="已发送开票指引",
                resolved_at=T("2026-05-08 12:00"),
            ),
            # reopened long ago: deadline 04-02 10:00, 36 days 14 hours overdue
            _feedback("FK20260401001", 6, "2026-04-01 10:00", "一般", "李娜", "重新打开"),
        ],
        "campaigns": [
            # ended Thu 04-30; 05-01..05-05 are holidays: 3rd working day after is Fri 05-08
            _campaign("HD2026001", "五一客户关怀", "李娜", "2026-04-01", "2026-04-30"),
            _campaign("HD2026002", "新品推广月", "赵敏", "2026-05-01", "2026-05-31"),
            _campaign("HD2026003", "春季回访", "王强", "2026-04-01", "2026-05-05", reviewed_on=D("2026-05-06")),
            # ended Tue 03-31: 04-01, 04-02, 04-03 (清明 starts 04-04) → review due 04-03
            _campaign("HD2026004", "一季度盘点", "孙丽", "2026-03-01", "2026-03-31"),
        ],
        "tasks": [
            _task("HD2026002", "准备演示材料", "赵敏", "2026-05-07", "进行中"),
            _task("HD2026002", "邀请目标客户", "赵敏", "2026-05-15", "未开始"),
            _task("HD2026002", "整理活动反馈", "王强", "2026-05-16", "未开始"),
            _task("HD2026002", "确认场地", "王强", "2026-05-08", "未开始"),
            _task("HD2026002", "预算审批", "王强", "2026-05-06", "已完成", "2026-05-06"),
            _task("HD2026002", "制作宣传海报", "孙丽", "2026-05-01", "已取消"),
            _task("HD2026001", "电话回访名单", "李娜", "2026-04-28", "已完成", "2026-04-29"),
        ],
    }


def _none() -> dict[str, list[str]]:
    return {k: [] for k in ("overdue", "due", "deep_contact", "next_actions", "feedback", "tasks", "reviews")}


def _person(**sections: list[str]) -> dict[str, list[str]]:
    return {**_none(), **sections}


# person → section → item IDs (customers by 客户编号, next actions by 记录编号, feedback by 反馈编号,
# tasks by 任务, reviews by 活动编号), in the order SPEC §8 sorts them; people by pinyin
EXPECTED = {
    "李娜": _person(
        overdue=["KH20250008", "KH20250002", "KH20250001"],
        deep_contact=["KH20250008"],
        next_actions=["GJ20260420001"],
        feedback=["FK20260401001"],
        reviews=["HD2026001"],
    ),
    "孙丽": _person(due=["KH20250010"], next_actions=["GJ20260506001", "GJ20260501001"], reviews=["HD2026004"]),
    "王强": _person(
        overdue=["KH20250009"],
        due=["KH20250003", "KH20250004"],
        next_actions=["GJ20260420001", "GJ20260408001"],
        feedback=["FK20260508001"],
        tasks=["确认场地"],
    ),
    "赵敏": _person(
        due=["KH20250006", "KH20250007"],
        deep_contact=["KH20250006"],
        next_actions=["GJ20260506001"],
        feedback=["FK20260506001", "FK20260507001"],
        tasks=["准备演示材料", "邀请目标客户"],
    ),
    "周杰": _person(next_actions=["GJ20260501001"]),
}
ID_KEYS = {
    "overdue": "customer_id",
    "due": "customer_id",
    "deep_contact": "customer_id",
    "next_actions": "followup_id",
    "feedback": "feedback_id",
    "tasks": "task",
    "reviews": "campaign_id",
}


def _strict_json(text: str) -> Any:
    def refuse(token: str) -> None:
        raise ValueError(f"not strict JSON: {token}")

    return json.loads(text, parse_constant=refuse)


def _ids(data: dict[str, Any]) -> dict[str, dict[str, list[str]]]:
    return {
        p["name"]: {k: [i[ID_KEYS[k]] for i in items] for k, items in p["sections"].items()} for p in data["people"]
    }


def _items(data: dict[str, Any], person: str, section: str) -> dict[str, dict[str, Any]]:
    people = {p["name"]: p for p in data["people"]}
    return {i[ID_KEYS[section]]: i for i in people[person]["sections"][section]}


@pytest.fixture(scope="module")
def team(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The team workbook, written once for this module; copy it before changing it."""
    from xlcrm.writing.template import write_standard_workbook

    return write_standard_workbook(tmp_path_factory.mktemp("team") / "团队.xlsx", team_rows())


@pytest.fixture(scope="module")
def team_json(team: Path) -> dict[str, Any]:
    """``xlcrm agenda 团队.xlsx --format json`` (run once for the module), parsed strictly."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["agenda", str(team), "--as-of", AS_OF, "--format", "json"])
    assert code == 0
    return _strict_json(out.getvalue())


def test_the_workbook_is_valid(team: Path, run_cli: RunCli) -> None:
    code, out, _ = run_cli("validate", team, "--as-of", AS_OF)
    assert code == 0, out


def test_every_person_gets_exactly_the_hand_computed_items(team_json: dict[str, Any]) -> None:
    assert team_json["as_of"] == AS_OF and team_json["days"] == 7
    assert list(team_json) == ["as_of", "days", "people"]
    assert _ids(team_json) == EXPECTED
    assert [p["name"] for p in team_json["people"]] == list(EXPECTED)  # 李 孙 王 赵 周: by pinyin


def test_customer_items_carry_days_phones_and_dates(team_json: dict[str, Any]) -> None:
    overdue = _items(team_json, "李娜", "overdue")
    assert overdue["KH20250001"] == {
        "customer_id": "KH20250001",
        "name": "测试1号科技有限公司",
        "tier": "C",
        "contact": "联系人1",
        "phone": "13800000001",
        "last_followup": "2026-04-07",
        "next_due": "2026-05-07",
        "overdue_days": 1,
        "churn_risk": "低",
        "manager": "李娜",
    }
    assert overdue["KH20250008"]["overdue_days"] == 113 and overdue["KH20250008"]["last_followup"] is None
    assert overdue["KH20250008"]["churn_risk"] == "中"  # 跟进严重逾期: 113 days ≥ cadence 14
    due = _items(team_json, "王强", "due")
    assert [(i["next_due"], i["days_left"], i["followup_status"]) for i in due.values()] == [
        ("2026-05-08", 0, "今日到期"),
        ("2026-05-15", 7, "正常"),
    ]
    deep = _items(team_json, "李娜", "deep_contact")["KH20250008"]
    assert (deep["next_deep_due"], deep["days_left"], deep["suggested_kind"]) == ("2026-04-01", -37, "深度沟通")
    assert _items(team_json, "赵敏", "deep_contact")["KH20250006"]["suggested_kind"] == "高层互动"


def test_next_actions_belong_to_every_named_follower(team_json: dict[str, Any]) -> None:
    for person in ("王强", "李娜"):
        item = _items(team_json, person, "next_actions")["GJ20260420001"]
        assert (item["next_action"], item["next_action_date"], item["next_action_status"], item["days_left"]) == (
            "寄送样品",
            "2026-05-07",
            "已逾期",
            -1,
        )
        assert item["owner"] == "王强 李娜" and item["phone"] == "13800000009"
    today = _items(team_json, "王强", "next_actions")["GJ20260408001"]
    assert (today["next_action_status"], today["days_left"], today["at"]) == ("待办", 0, "2026-04-08T10:00:00")


def test_feedback_deadlines_around_a_tiaoxiu_weekend(team_json: dict[str, Any]) -> None:
    wang = _items(team_json, "王强", "feedback")
    assert list(wang) == ["FK20260508001"]  # FK20260508002's Sunday deadline is after Saturday's end
    assert (wang["FK20260508001"]["deadline"], wang["FK20260508001"]["hours_left"]) == ("2026-05-09T09:00:00", 9.0)
    zhao = _items(team_json, "赵敏", "feedback")
    assert [(i["deadline"], i["hours_left"], i["sla_status"]) for i in zhao.values()] == [
        ("2026-05-07T08:00:00", -40.0, "超时未解决"),
        ("2026-05-09T23:00:00", 23.0, "处理中"),
    ]
    assert _items(team_json, "李娜", "feedback")["FK20260401001"]["hours_left"] == -878.0


def test_tasks_and_reviews(team_json: dict[str, Any]) -> None:
    tasks = _items(team_json, "赵敏", "tasks")
    assert [(t["due"], t["days_left"], t["overdue"], t["campaign_name"]) for t in tasks.values()] == [
        ("2026-05-07", -1, "已逾期", "新品推广月"),
        ("2026-05-15", 7, "未到期", "新品推广月"),
    ]
    assert _items(team_json, "李娜", "reviews")["HD2026001"] == {
        "campaign_id": "HD2026001",
        "name": "五一客户关怀",
        "end": "2026-04-30",
        "review_due": "2026-05-08",
        "days_left": 0,
        "owner": "李娜",
    }
    assert _items(team_json, "孙丽", "reviews")["HD2026004"]["review_due"] == "2026-04-03"


def test_days_option_and_config_widen_the_look_ahead(team: Path, run_cli: RunCli, tmp_path: Path) -> None:
    code, out, err = run_cli("agenda", team, "--as-of", AS_OF, "--format", "json", "--days", "8")
    assert code == 0, err
    wider = _ids(_strict_json(out))
    assert wider["赵敏"]["due"] == ["KH20250006", "KH20250007", "KH20250005"]
    assert wider["赵敏"]["deep_contact"] == ["KH20250006", "KH20250007"]
    assert wider["赵敏"]["next_actions"] == ["GJ20260506001", "GJ20260507001"]
    assert wider["王强"]["tasks"] == ["确认场地", "整理活动反馈"]
    toml = tmp_path / "team.toml"
    toml.write_text("agenda_days = 8\n", encoding="utf-8")
    code, out, _ = run_cli("agenda", team, "--as-of", AS_OF, "--format", "json", "--config", toml)
    assert code == 0 and _ids(_strict_json(out)) == wider and _strict_json(out)["days"] == 8
    code, out, _ = run_cli("agenda", team, "--as-of", AS_OF, "--format", "json", "--days", "0")
    assert _ids(_strict_json(out))["王强"]["due"] == ["KH20250003"]


def test_ordinary_weekend_keeps_a_sunday_deadline(
    blank_rows: Callable[[], dict[str, list[dict[str, Any]]]], make_workbook: Callable[..., Path], run_cli: RunCli
) -> None:
    rows = blank_rows()  # as-of Friday 2026-11-20: the next working day is Monday 11-23
    rows["feedback"].append(
        {
            **rows["feedback"][0],
            "feedback_id": "FK20261120001",
            "received": T("2026-11-20 10:00"),
            "complexity": "复杂",
            "status": "处理中",
            "resolution": None,
            "resolved_at": None,
        }
    )
    code, out, err = run_cli("agenda", make_workbook(rows), "--as-of", "2026-11-20", "--format", "json")
    assert code == 0, err
    item = _items(_strict_json(out), "王强", "feedback")["FK20261120001"]
    assert (item["deadline"], item["hours_left"]) == ("2026-11-22T10:00:00", 34.0)


def test_text_groups_by_person_and_shows_phones(team: Path, run_cli: RunCli) -> None:
    code, out, _ = run_cli("agenda", team, "--as-of", AS_OF)
    assert code == 0
    assert "\033[" not in out  # no colour when not on a terminal
    blocks = out.split("\n== ")[1:]
    assert [b.split("（")[0] for b in blocks] == list(EXPECTED)
    li = blocks[0]
    assert li.index("【逾期未跟进】3 项") < li.index("【深度沟通到期】") < li.index("【待复盘活动】1 项")
    assert "13800000008" in li and "逾期 113 天" in li and "已超时 878.0 小时（约 37 天）" in li
    assert "【反馈将超时 / 已超时】2 项" in blocks[3] and "剩余 23.0 小时" in blocks[3]


def _md_tables(text: str) -> dict[str, list[list[str]]]:
    """``person/section title`` → rows (header first) of every table, as a Markdown viewer sees them."""
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    tables: dict[str, list[list[str]]] = {}
    person = heading = ""
    rows: list[list[str]] = []
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open":
            title = tokens[i + 1].content
            if tok.tag == "h2":
                person = title.split("（")[0]
            heading = f"{person}/{title.split('（')[0]}"
        elif tok.type == "tr_open":
            rows.append([])
        elif tok.type == "inline" and tokens[i - 1].type in ("th_open", "td_open"):
            rows[-1].append(tok.content)
        elif tok.type == "table_close":
            tables[heading], rows = rows, []
    return tables


def test_markdown_has_one_table_per_section(team: Path, run_cli: RunCli) -> None:
    code, out, _ = run_cli("agenda", team, "--as-of", AS_OF, "--format", "md")
    assert code == 0
    tables = _md_tables(out)
    overdue = tables["李娜/逾期未跟进"]
    assert overdue[0][:5] == ["客户编号", "客户名称", "客户分层", "联系人", "联系电话"]
    assert [r[0] for r in overdue[1:]] == EXPECTED["李娜"]["overdue"]
    assert overdue[3][7] == "1"  # 逾期天数 of KH20250001
    assert [r[0] for r in tables["赵敏/反馈将超时 / 已超时"][1:]] == ["FK20260506001", "FK20260507001"]
    assert tables["孙丽/待复盘活动"][1][:4] == ["HD2026004", "一季度盘点", "2026-03-31", "2026-04-03"]
    assert len([k for k in tables if k.startswith("王强/")]) == 5  # only non-empty sections get a table


def test_xlsx_has_a_filtered_sheet_per_section(team: Path, run_cli: RunCli, tmp_path: Path) -> None:
    target = tmp_path / "out" / "今日.xlsx"
    code, out, err = run_cli("agenda", team, "--as-of", AS_OF, "--format", "xlsx", "-o", target)
    assert code == 0, err
    book = CalamineWorkbook.from_path(str(target))
    assert book.sheet_names == [
        "逾期未跟进",
        "今日及近期到期",
        "深度沟通到期",
        "待办下一步",
        "反馈将超时或已超时",
        "活动任务",
        "待复盘活动",
    ]
    rows = book.get_sheet_by_name("逾期未跟进").to_python()
    assert rows[0][:6] == ["人员", "客户编号", "客户名称", "客户分层", "联系人", "联系电话"]
    assert [(r[0], r[1]) for r in rows[1:]] == [("李娜", c) for c in EXPECTED["李娜"]["overdue"]] + [
        ("王强", "KH20250009")
    ]
    assert rows[1][7] == date(2026, 1, 15) and rows[1][8] == 113  # a real date cell and a number
    feedback = book.get_sheet_by_name("反馈将超时或已超时").to_python()
    assert feedback[1][10] == datetime(2026, 4, 2, 10, 0)
    assert len(book.get_sheet_by_name("待办下一步").to_python()) == 1 + 7  # 王强 2, 李娜 1, 赵敏 1, 孙丽 2, 周杰 1
    with zipfile.ZipFile(target) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        xml = [z.read(n).decode() for n in sheets]
    assert len(sheets) == 7 and all("<autoFilter" in x for x in xml)
    assert not any("hyperlink" in x for x in xml)


def test_by_manager_writes_one_safe_file_per_person(
    run_cli: RunCli, tmp_path: Path, make_workbook: Callable[..., Path]
) -> None:
    rows = team_rows()
    rows["customers"][9]["manager"] = "../孙丽:*?"  # a name no file system accepts as it is
    book = make_workbook(rows, "odd.xlsx")
    folder = tmp_path / "待办"
    code, out, err = run_cli("agenda", book, "--as-of", AS_OF, "--by", "manager", "--format", "md,json", "-o", folder)
    assert code == 0, err
    stems = ["李娜", "孙丽", "孙丽_2", "王强", "赵敏", "周杰"]
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        f"待办_2026-05-08_{s}.{ext}" for s in stems for ext in ("md", "json")
    )
    li = _strict_json((folder / "待办_2026-05-08_李娜.json").read_text(encoding="utf-8"))
    assert _ids(li) == {"李娜": EXPECTED["李娜"]}
    both = {
        **_ids(_strict_json((folder / "待办_2026-05-08_孙丽.json").read_text(encoding="utf-8"))),
        **_ids(_strict_json((folder / "待办_2026-05-08_孙丽_2.json").read_text(encoding="utf-8"))),
    }
    assert both == {"../孙丽:*?": _person(due=["KH20250010"]), "孙丽": {**EXPECTED["孙丽"], "due": []}}
    assert (folder / "待办_2026-05-08_周杰.md").read_text(encoding="utf-8").startswith("# 周杰的待办清单")
    assert "待办清单：6 人" in out


def test_several_workbooks_are_consolidated(
    team: Path,
    run_cli: RunCli,
    make_workbook: Callable[..., Path],
    blank_rows: Callable[[], dict[str, list[dict[str, Any]]]],
) -> None:
    rows = blank_rows()  # another team member's book: customer HXKJ20240001 of 李娜, feedback for 王强
    rows["feedback"][0].update(status="处理中", resolution=None, resolved_at=None, received=T("2026-05-08 08:00"))
    rows["followups"][0].update(at=T("2026-05-01 10:00"), next_action_date=D("2026-05-10"), recorded=None)
    rows["customers"][0]["last_purchase"] = D("2026-04-01")
    rows["campaigns"][0].update(campaign_id="HD2026009", start=D("2026-05-01"), end=D("2026-05-30"))
    rows["followups"][0]["campaign_id"] = "HD2026009"
    rows["tasks"][0].update(
        campaign_id="HD2026009", start=D("2026-05-01"), due=D("2026-05-02"), done_on=D("2026-05-02")
    )
    other = make_workbook(rows, "李娜.xlsx")
    code, out, err = run_cli("agenda", team, other, "--as-of", AS_OF, "--format", "json")
    assert code == 0, err
    ids = _ids(_strict_json(out))
    assert "HXKJ20240001" in ids["李娜"]["due"] and "FK20261102001" in ids["王强"]["feedback"]
    assert ids["赵敏"] == EXPECTED["赵敏"]
    broken = team_rows()
    broken["customers"].append(dict(broken["customers"][0]))  # a duplicate ID: left out whole, and named
    bad = make_workbook(broken, "有错误.xlsx")
    code, out, err = run_cli("agenda", bad, other, "--as-of", AS_OF, "--format", "json")
    assert code == 1 and "有错误.xlsx" in err
    assert list(_ids(_strict_json(out))) == ["李娜", "王强"]


def test_usage_errors_are_clean(team: Path, run_cli: RunCli, tmp_path: Path) -> None:
    before = team.read_bytes()
    code, _, err = run_cli("agenda", team, "--as-of", AS_OF, "--format", "xlsx", "-o", team)
    assert code == 2 and "不能覆盖" in err and team.read_bytes() == before
    code, _, err = run_cli("agenda", team, "--as-of", AS_OF, "--format", "md,json", "-o", team)
    assert code == 2 and "文件夹" in err and team.read_bytes() == before
    code, _, err = run_cli("agenda", team, "--format", "pdf")
    assert code == 2 and "--format" in err and "Traceback" not in err
    code, _, err = run_cli("agenda", team, "--days", "-1")
    assert code == 2 and "--days" in err
    csv = tmp_path / "名单.csv"
    csv.write_text("客户编号,客户名称\n", encoding="utf-8")
    code, _, err = run_cli("agenda", csv)
    assert code == 2 and "CSV" in err and "Traceback" not in err


@pytest.mark.parametrize(
    "cell", ["李娜、王强", "李娜,王强", "李娜，王强", "李娜/王强", "李娜 王强", " 李娜　王强 ", "李娜、王强、李娜"]
)
def test_split_names(cell: str) -> None:
    assert split_names(cell) == ["李娜", "王强"]


def test_readme_demo_through_a_real_process(tmp_path: Path) -> None:
    init = run_subprocess("init", "demo.xlsx", "--sample", "50", "--as-of", "2026-11-20", cwd=tmp_path)
    assert init.returncode == 0, init.stderr
    proc = run_subprocess(
        "agenda",
        "demo.xlsx",
        "--by",
        "manager",
        "--format",
        "md,xlsx",
        "-o",
        "agenda/",
        "--as-of",
        "2026-11-20",
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    files = sorted((tmp_path / "agenda").iterdir())
    md = [f for f in files if f.suffix == ".md"]
    assert md and len(md) == len([f for f in files if f.suffix == ".xlsx"]) == len(files) // 2
    assert all(f.name.startswith("待办_2026-11-20_") for f in files)
    assert f"已写入 {len(files)} 个文件" in proc.stdout
    text = md[0].read_text(encoding="utf-8")
    assert text.startswith("# ") and "\n| " in text


def test_help_and_docs(run_cli: RunCli) -> None:
    code, out, _ = run_cli("--help")
    assert code == 0 and "agenda" in out
    code, out, _ = run_cli("agenda", "--help")
    assert code == 0 and all(o in out for o in ("--as-of", "--days", "--by", "--format", "-o", "--config"))
    docs = (Path(__file__).resolve().parent.parent / "docs" / "agenda.md").read_text(encoding="utf-8")
    for title in (
        "逾期未跟进",
        "今日及近期到期",
        "深度沟通到期",
        "待办下一步",
        "反馈将超时 / 已超时",
        "活动任务",
        "待复盘活动",
    ):
        assert title in docs


@pytest.mark.libreoffice
@needs_libreoffice
def test_libreoffice_opens_the_xlsx(team: Path, run_cli: RunCli, tmp_path: Path) -> None:
    target = tmp_path / "待办.xlsx"
    code, _, err = run_cli("agenda", team, "--as-of", AS_OF, "--format", "xlsx", "-o", target)
    assert code == 0, err
    csv = soffice_convert(target, "csv:Text - txt - csv (StarCalc):44,34,76", tmp_path)
    lines = csv.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("人员,客户编号,客户名称") and lines[1].startswith("李娜,KH20250008,")


def test_the_agenda_core_touches_no_excel_engine() -> None:
    import re

    folder = Path(__file__).resolve().parent.parent / "xlcrm" / "agenda"
    for path in folder.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(import|from) (openpyxl|python_calamine|pandas)\b", text, re.M), path.name
