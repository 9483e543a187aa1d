"""Report behaviours a manager notices: which campaigns are reviewed, thresholds from the config,
working-day footnotes, staff text in charts and file names, file permissions (SPEC §4, §5, §6)."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from test_report_command import docx_lines
from test_report_data import AS_OF, MAIN_STEM_CAMPAIGN, campaign_rows, write_campaign_workbook, write_workbook

from xlcrm.cli import main


def run(paths: list[Path], out: Path, *argv: str, all: bool = False, overrides: dict[str, str] | None = None) -> int:  # noqa: A002
    """``xlcrm report`` through the command line; ``all`` is ``--all``, ``overrides`` are ``--set`` pairs."""
    extra = (["--all"] if all else []) + [f"--set={k}={v}" for k, v in (overrides or {}).items()]
    return main(["report", *map(str, paths), "--as-of", AS_OF.isoformat(), "-o", str(out), *argv, *extra])


def _not_started_rows() -> dict[str, list[dict[str, Any]]]:
    rows = campaign_rows()
    rows["campaigns"].append(
        {
            "campaign_id": "HD2026003",
            "name": "年末答谢会",
            "scenario": "重要客户绑定",
            "form": "线下座谈",
            "audience": "A类",
            "start": date(2026, 12, 10),
            "end": date(2026, 12, 20),
            "owner": "李娜",
            "budget": 8000.0,
            "goal_metric": "到场客户数",
            "goal_target": 20,
        }
    )
    return rows


def test_not_started_campaign_is_not_reviewed_by_default(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    workbook = write_campaign_workbook(tmp_path / "wb.xlsx", _not_started_rows())
    assert run([workbook], tmp_path / "out", "--kind", "campaign", "--format", "md") == 0
    names = sorted(p.name for p in (tmp_path / "out").glob("*.md"))
    assert not any("HD2026003" in n for n in names) and len(names) == 2
    assert "1 个未结束的活动未复盘（加 --all 生成中期报告）" in capsys.readouterr().out


def test_all_adds_unfinished_campaigns_with_a_banner_and_no_verdict(tmp_path: Path) -> None:
    workbook = write_campaign_workbook(tmp_path / "wb.xlsx", _not_started_rows())
    out = tmp_path / "out"
    assert run([workbook], out, "--kind", "campaign", all=True) == 0
    text = (out / "活动复盘_HD2026003_年末答谢会.md").read_text("utf-8")
    assert "活动未开始（开始日期 2026-12-10）" in text and "不作达成结论" in text
    assert "活动未结束，暂不评价" in text
    assert not any(v in text for v in ("**超额完成**", "**未达成**", "**达成**", "低于目标客户的八成"))
    assert "活动跟进方式：暂无数据" in text  # an empty chart is not drawn
    lines = docx_lines(out / "活动复盘_HD2026003_年末答谢会.docx")
    assert any("活动未开始（开始日期 2026-12-10）" in line for line in lines)
    assert "活动未结束，暂不评价" in lines and "未达成" not in lines
    assert len(Document(str(out / "活动复盘_HD2026003_年末答谢会.docx")).inline_shapes) < 3


def test_low_satisfaction_threshold_comes_from_the_config(tmp_path: Path) -> None:
    # before: the report kept its own 60 and said "仍有提升空间" whatever the team configured
    workbook = write_campaign_workbook(tmp_path / "wb.xlsx")
    (tmp_path / "xlcrm.toml").write_text("risk_low_satisfaction = 90\n", encoding="utf-8")
    assert run([workbook], tmp_path / "toml", "--kind", "campaign", "--format", "md", "--campaign", "HD2026001") == 0
    text = (tmp_path / "toml" / f"{MAIN_STEM_CAMPAIGN}.md").read_text("utf-8")
    assert "低于 90 分，需逐一回访了解原因" in text and "| 90 分以下 |" in text
    assert (
        run(
            [workbook],
            tmp_path / "set",
            "--kind",
            "campaign",
            "--format",
            "md",
            "--campaign",
            "HD2026001",
            overrides={"risk_low_satisfaction": "70"},
        )
        == 0
    )
    text = (tmp_path / "set" / f"{MAIN_STEM_CAMPAIGN}.md").read_text("utf-8")
    assert "| 70–79 分 |" in text and "| 70 分以下 |" in text and "低于 70 分" not in text


def test_guessed_working_days_get_a_footnote(tmp_path: Path) -> None:
    rows = campaign_rows()
    # far beyond any calendar package's data: its 复盘截止日期 is counted Monday to Friday
    rows["campaigns"][1].update(start=date(2031, 3, 1), end=date(2031, 3, 28))
    rows["tasks"][3].update(due=date(2031, 3, 20))
    workbook = write_workbook(tmp_path / "wb.xlsx", rows)
    out = tmp_path / "out"
    assert run([workbook], out, "--kind", "campaign", all=True) == 0
    (future,) = out.glob("活动复盘_HD2026002_*.md")
    footnotes = [line for line in future.read_text("utf-8").splitlines() if line.startswith("注：")]
    assert footnotes and all("2031" in line for line in footnotes)
    assert any(line.startswith("注：") and "2031" in line for line in docx_lines(future.with_suffix(".docx")))
    # the other campaign's figures and the month's used no guessed day: no footnote there
    assert "注：" not in (out / f"{MAIN_STEM_CAMPAIGN}.md").read_text("utf-8")
    assert run([workbook], out, "--kind", "monthly", "--format", "md") == 0
    assert "注：" not in (out / "月度复盘_2026-11.md").read_text("utf-8")


def test_dollar_signs_in_labels_are_plain_text(tmp_path: Path) -> None:
    # before: matplotlib read "$…$" as TeX and the monthly report failed
    rows = campaign_rows()
    for f in rows["feedback"]:
        f["department"] = "$产品$部"
    rows["customers"][0]["manager"] = "$张$三"
    workbook = write_campaign_workbook(tmp_path / "wb.xlsx", rows)
    out = tmp_path / "out"
    assert run([workbook], out, "--kind", "monthly", "--by", "manager") == 0
    assert (out / "月度复盘_2026-11_$张$三.docx").is_file()
    assert "$产品$部" in (out / "月度复盘_2026-11.md").read_text("utf-8").replace("\\", "")
    assert "$产品$部" in docx_lines(out / "月度复盘_2026-11.docx")


def test_long_campaign_name_fits_every_file_system(tmp_path: Path) -> None:
    # before: "File name too long" (the _图表 folder and UTF-8 bytes were not counted)
    rows = campaign_rows()
    rows["campaigns"][0]["name"] = "重要客户年度答谢与深度回访计划" * 14  # 210 Chinese characters
    workbook = write_campaign_workbook(tmp_path / "wb.xlsx", rows)
    out = tmp_path / "out"
    assert run([workbook], out, "--kind", "campaign", "--campaign", "HD2026001") == 0
    written = list(out.rglob("*"))
    assert {p.suffix for p in written} >= {".md", ".docx", ".png"}
    assert all(len(p.name.encode("utf-8")) <= 255 for p in written)
    (md,) = out.glob("*.md")
    assert md.name.startswith("活动复盘_HD2026001_重要客户年度答谢") and (out / (md.stem + "_图表")).is_dir()


def test_files_get_the_users_permissions(tmp_path: Path) -> None:
    # before: mkstemp's 0600 reached the reports, so colleagues on a shared folder could not open them
    workbook = write_campaign_workbook(tmp_path / "wb.xlsx")
    old = os.umask(0o022)
    try:
        assert run([workbook], tmp_path / "out", "--kind", "campaign", "--campaign", "HD2026001") == 0
    finally:
        os.umask(old)
    files = [p for p in (tmp_path / "out").rglob("*") if p.is_file()]
    assert files and {p.stat().st_mode & 0o777 for p in files} == {0o644}


def test_each_workbook_is_checked_with_its_own_settings(tmp_path: Path) -> None:
    from test_report_data import split_rows

    a_rows, b_rows = split_rows(campaign_rows(), 2)
    a = write_workbook(tmp_path / "a.xlsx", a_rows)
    (tmp_path / "team_b").mkdir()
    b = write_workbook(tmp_path / "team_b" / "b.xlsx", b_rows)
    (tmp_path / "team_b" / "xlcrm.toml").write_text("risk_low_satisfaction = 80\n", encoding="utf-8")
    out = tmp_path / "out"
    assert run([a, b], out, "--kind", "campaign", "--format", "md", "--campaign", "HD2026001") == 0
    notes = (out / f"{MAIN_STEM_CAMPAIGN}.md").read_text("utf-8").split("## 数据说明", 1)[1]
    assert "各工作簿的配置（阈值）不同，统计按 a.xlsx 的配置计算" in notes
    assert run([a], tmp_path / "one", "--kind", "campaign", "--format", "md", "--campaign", "HD2026001") == 0
    assert "配置（阈值）不同" not in (tmp_path / "one" / f"{MAIN_STEM_CAMPAIGN}.md").read_text("utf-8")
