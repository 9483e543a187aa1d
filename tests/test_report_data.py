"""Hand-made workbooks for the report tests (imported by the other ``test_report_*`` modules).

One campaign ``HD2026001`` with 目标值 15 / 实际值 18 (达成率 120.0%, 超额完成), ten linked
feedback rows of which eight are resolved (问题解决率 80.0%), tasks with an unfinished item, staff
review notes, and a previous snapshot so 客户关系状态变化 has something to show.
"""

from __future__ import annotations

from copy import deepcopy
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from xlcrm.schema import HISTORY_HEADERS, HISTORY_SHEET_NAME
from xlcrm.writing import template

AS_OF = date(2026, 11, 20)
CAMPAIGN = "HD2026001"
MAIN_STEM_CAMPAIGN = "活动复盘_HD2026001_秋季客户关怀"
SPECIAL_CAMPAIGN = "HD2026002"
LESSONS_GOOD = "提前一周电话预约，重点客户由客户经理亲自拜访；\n礼品按客户分层准备。"
LESSONS_BAD = "部分 C 类客户名单过期，电话无法接通。"
IMPROVEMENTS = "活动前两周更新联系人信息；投诉当天升级到售后部主管。"
TRICKY_NAME = "A&B贸易有限公司"
TRICKY_TEXT = "比较 a<b & c>d，模板 {{ 7*7 }} {% if x %}，公式 =cmd|' /C calc'!A0 结束"
NASTY_CAMPAIGN_NAME = "../../etc/活动:*?"
MANAGERS = ("李娜", "王强")

Rows = dict[str, list[dict[str, Any]]]


def _customer(n: int, **kw: Any) -> dict[str, Any]:
    base = {
        "customer_id": f"HXKJ2024{n:04d}",
        "name": f"杭州华信{n}号科技有限公司",
        "industry": "软件",
        "scale": "中型",
        "contact": "张伟",
        "phone": f"1380013{n:04d}",
        "stage": "已合作",
        "manager": MANAGERS[n % 2],
        "created": date(2024, 3, 1),
        "first_deal": date(2024, 4, 1),
        "monetary": 10000.0 * n,
        "frequency": 1 + n % 4,
        "last_purchase": date(2026, 10, 1),
        "upsell_intent": "是",
    }
    base.update(kw)
    return base


def _followup(n: int, cid: str, day: int, **kw: Any) -> dict[str, Any]:
    base = {
        "followup_id": f"GJ202611{day:02d}{n:03d}",
        "customer_id": cid,
        "at": datetime(2026, 11, day, 10, 0),
        "channel": ("电话", "拜访", "微信")[n % 3],
        "kind": "活动触达",
        "owner": "李娜",
        "content": "活动邀约并回访产品使用情况",
        "satisfaction": 80 + n,
        "campaign_id": CAMPAIGN,
        "recorded": datetime(2026, 11, day, 16, 0),
    }
    base.update(kw)
    return base


def _feedback(n: int, cid: str, resolved: bool, **kw: Any) -> dict[str, Any]:
    received = datetime(2026, 11, 2 + n, 9, 0)
    base = {
        "feedback_id": f"FK202611{2 + n:02d}{n:03d}",
        "customer_id": cid,
        "received": received,
        "source": "客户来电",
        "type": ("咨询", "建议", "投诉")[n % 3],
        "complexity": "一般",
        "description": f"第{n}个问题：发票与交付咨询",
        "department": ("客服部", "售后部")[n % 2],
        "assignee": "王强",
        "campaign_id": CAMPAIGN,
        "satisfaction": 85,
    }
    if resolved:
        base.update(status="已解决", resolution="已答复并处理", resolved_at=datetime(2026, 11, 2 + n, 15, 0))
    else:
        base.update(status="处理中")
    base.update(kw)
    return base


def campaign_rows() -> Rows:
    """The main test data set (valid at AS_OF)."""
    customers = [_customer(n) for n in range(1, 13)]
    customers[0].update(name=TRICKY_NAME, short_name="AB贸易")
    followups = [_followup(n, customers[n - 1]["customer_id"], 1 + n) for n in range(1, 9)]
    followups[0].update(next_action="寄送新版报价单", next_action_date=date(2026, 11, 25))
    followups[1].update(next_action="安排高层拜访", next_action_date=date(2026, 11, 28))
    feedback = [_feedback(n, customers[n % 8]["customer_id"], resolved=n < 8) for n in range(10)]
    feedback[8].update(type="投诉", received=datetime(2026, 11, 10, 9, 0), feedback_id="FK20261110008")
    feedback[9].update(type="咨询", received=datetime(2026, 11, 20, 8, 0), status="待处理", feedback_id="FK20261120009")
    feedback[0].update(status="已关闭", confirmation="满意")
    campaigns = [
        {
            "campaign_id": CAMPAIGN,
            "name": "秋季客户关怀",
            "scenario": "重要客户绑定",
            "form": "电话回访",
            "audience": "全部",
            "start": date(2026, 10, 20),
            "end": date(2026, 11, 15),
            "owner": "李娜",
            "budget": 5000.0,
            "spent": 5600.0,
            "goal_metric": "回访客户数",
            "goal_target": 15,
            "goal_actual": 18,
            "target_count": 12,
            "lessons_good": LESSONS_GOOD,
            "lessons_bad": LESSONS_BAD,
            "improvements": IMPROVEMENTS,
        },
        {
            "campaign_id": SPECIAL_CAMPAIGN,
            "name": NASTY_CAMPAIGN_NAME,
            "scenario": "其他",
            "form": "其他",
            "start": date(2026, 11, 1),
            "end": date(2026, 11, 18),
            "owner": "王强",
            "lessons_good": TRICKY_TEXT,
            "lessons_bad": "表格 | 竖线 | 不应断开",
            "goal_metric": "a|b",
        },
    ]
    tasks = [
        {
            "campaign_id": CAMPAIGN,
            "task": "整理回访名单",
            "phase": "准备",
            "owner": "李娜",
            "start": date(2026, 10, 20),
            "due": date(2026, 10, 25),
            "status": "已完成",
            "done_on": date(2026, 10, 24),
        },
        {
            "campaign_id": CAMPAIGN,
            "task": "准备客户礼品",
            "phase": "预热期",
            "owner": "王强",
            "start": date(2026, 10, 26),
            "due": date(2026, 11, 1),
            "status": "已完成",
            "done_on": date(2026, 11, 3),
        },
        {
            "campaign_id": CAMPAIGN,
            "task": "邀约 C 类客户座谈",
            "phase": "高峰期",
            "owner": "王强",
            "due": date(2026, 11, 10),
            "status": "进行中",
            "blocker": "名单过期，联系人 | 电话待更新",
        },
        {
            "campaign_id": SPECIAL_CAMPAIGN,
            "task": TRICKY_TEXT,
            "owner": "王强",
            "due": date(2026, 11, 30),
            "status": "未开始",
            "blocker": TRICKY_TEXT,
        },
    ]
    return {
        "customers": customers,
        "followups": followups,
        "feedback": feedback,
        "campaigns": campaigns,
        "tasks": tasks,
    }


def add_history(path: Path, snapshots: list[tuple[date, str, str, str, str]]) -> None:
    """Append a ``xlcrm_历史`` sheet as ``enrich`` would have left it."""
    wb = load_workbook(path)
    ws = wb.create_sheet(HISTORY_SHEET_NAME)
    ws.append(list(HISTORY_HEADERS))
    for row in snapshots:
        ws.append(list(row))
    ws.sheet_state = "hidden"
    wb.save(path)


def write_workbook(path: Path, rows: Rows) -> Path:
    """A standard workbook holding ``rows``."""
    return template.write_standard_workbook(path, rows, force=True)


def write_campaign_workbook(path: Path, rows: Rows | None = None) -> Path:
    """The main workbook with a snapshot of 2026-10-31 for the first three customers."""
    write_workbook(path, rows or campaign_rows())
    add_history(
        path,
        [
            (date(2026, 10, 31), "HXKJ20240001", "B", "一般", "高"),
            (date(2026, 10, 31), "HXKJ20240002", "A", "高价值", "低"),
            (date(2026, 10, 31), "HXKJ20240003", "C", "一般", "中"),
        ],
    )
    return path


def split_rows(rows: Rows, parts: int) -> list[Rows]:
    """The data set split into ``parts`` workbooks by customer; campaigns and tasks in each (identical)."""
    result = []
    customers = rows["customers"]
    for i in range(parts):
        mine = customers[i::parts]
        ids = {c["customer_id"] for c in mine}
        result.append(
            {
                "customers": deepcopy(mine),
                "followups": [deepcopy(f) for f in rows["followups"] if f["customer_id"] in ids],
                "feedback": [deepcopy(f) for f in rows["feedback"] if f["customer_id"] in ids],
                "campaigns": deepcopy(rows["campaigns"]),
                "tasks": deepcopy(rows["tasks"]),
            }
        )
    return result


def test_data_set_is_valid(tmp_path: Path) -> None:
    from xlcrm.validation import check_book

    report = check_book(write_campaign_workbook(tmp_path / "wb.xlsx"), AS_OF).report
    assert report.errors == 0, report.flatten()
