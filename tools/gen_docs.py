"""Generate docs/workbook.md and docs/config.md from the schema and the config defaults.

Run ``python tools/gen_docs.py``; a test fails when the committed docs differ from the output.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from xlcrm.config import EXPLANATIONS, defaults_as_rows  # noqa: E402
from xlcrm.schema import ALL_SHEETS  # noqa: E402

TYPE_ZH = {
    "text": "文本",
    "id": "编号",
    "enum": "选项",
    "date": "日期",
    "datetime": "日期时间",
    "money": "金额",
    "int": "整数",
    "number": "数字",
    "score": "评分 0–100",
    "phone": "电话",
    "email": "邮箱",
    "percent": "百分比",
}


def workbook_md() -> str:
    out = [
        "# 标准工作簿 / The standard workbook",
        "",
        "本文件由 `tools/gen_docs.py` 根据 `xlcrm/schema/` 生成，请勿手工修改。",
        "标记：**必填** 必须填写；**唯一** 不得重复；**引用** 必须在被引用的表中存在；**自动** 由 `xlcrm enrich` 计算，请勿手工填写；"
        "**空时自动** 可以手填，留空时由 enrich 补全；**单人** 只填一个人的姓名，汉字之间的空格不计（“蒋 静”即“蒋静”）。",
        "",
    ]
    for kind in ALL_SHEETS:
        aliases = "、".join(kind.aliases)
        out += [
            f"## {kind.name}（`{kind.key}`）",
            "",
            kind.description,
            "",
            f"也可识别的工作表名：{aliases}" if aliases else "",
            "",
            "| 列名 | 英文键 | 类型 | 标记 | 说明 |",
            "|---|---|---|---|---|",
        ]
        for f in kind.fields:
            marks = [
                m
                for m, on in (
                    ("必填", f.required and not f.own_id),
                    ("必填（空时自动生成）", f.required and f.own_id),
                    ("空时自动生成", f.own_id and not f.required),
                    ("唯一", f.unique),
                    (f"引用 {f.ref}", bool(f.ref)),
                    ("自动", f.computed),
                    ("空时自动", f.fill_when_blank),
                    ("单人", f.person),
                )
                if on
            ]
            desc = f.description + (f"（可选：{' / '.join(f.enum)}）" if f.enum else "")
            if f.aliases:
                desc += f"；别名：{'、'.join(f.aliases)}"
            out.append(f"| {f.header} | `{f.key}` | {TYPE_ZH[f.type.value]} | {'、'.join(marks)} | {desc} |")
        out.append("")
    return "\n".join(line for line in out) + "\n"


def config_md() -> str:
    out = [
        "# 配置参数 / Configuration",
        "",
        "本文件由 `tools/gen_docs.py` 生成。默认值写在代码中；可依次被工作簿旁的 `xlcrm.toml`（或 `--config` 指定的文件）、"
        "工作簿中的“配置”表、命令行参数覆盖，后者优先。未知参数或非法值会报错（退出码 2）。",
        "`xlcrm init` 写出的“配置”表有 参数 / 值 / 默认值 / 说明 四列，“值”全部留空、默认值写在“默认值”列供参考；"
        "“值”填了就一定生效（优先于 `xlcrm.toml`），留空则用 `xlcrm.toml` 或默认值。"
        "命令行 `--set 参数=值`（可重复，如 `--set cadence_days.A=10`）最后生效。",
        "",
        "```toml",
        "# xlcrm.toml 示例",
        "due_soon_days = 3",
        'sla_clock = "workday"',
        '# 日历尚未收录的年份：官方安排公布后按公告补充（TOML 日期或 "YYYY-MM-DD" 字符串）',
        'extra_holidays = [2027-01-01, "2027-01-02"]',
        "extra_workdays = []",
        "[cadence_days]",
        "A = 7",
        "B = 14",
        "C = 30",
        "```",
        "",
        "“配置”表中，带子项的参数写成 `cadence_days.A` 这样的形式；`extra_holidays` / `extra_workdays` 的多个日期用 "
        "`,` `、` 或 `;` 分隔。",
        "",
        "| 参数 | 默认值 | 说明 |",
        "|---|---|---|",
    ]
    for key, value, explain in defaults_as_rows():
        out.append(f"| `{key}` | {value} | {explain} |")
    assert set(EXPLANATIONS)
    return "\n".join(out) + "\n"


def main() -> None:
    (ROOT / "docs" / "workbook.md").write_text(workbook_md(), encoding="utf-8")
    (ROOT / "docs" / "config.md").write_text(config_md(), encoding="utf-8")


if __name__ == "__main__":
    main()
