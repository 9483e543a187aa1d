"""``xlcrm report`` end to end: files, sections, numbers, escaping, batches, conflicts (SPEC §5, §6)."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import run_subprocess
from docx import Document
from markdown_it import MarkdownIt
from test_report_data import (
    AS_OF,
    IMPROVEMENTS,
    LESSONS_BAD,
    LESSONS_GOOD,
    MAIN_STEM_CAMPAIGN,
    TRICKY_NAME,
    TRICKY_TEXT,
    campaign_rows,
    split_rows,
    write_campaign_workbook,
    write_workbook,
)

CAMPAIGN_SECTIONS = [
    "活动概况",
    "目标达成",
    "客户触达",
    "满意度",
    "反馈与问题解决",
    "预算",
    "任务执行",
    "客户关系状态变化",
    "后续跟进计划",
    "经验总结",
]
MONTHLY_SECTIONS = ["客户概况", "跟进执行", "反馈处理", "满意度", "分层与风险变化", "活动", "下月重点"]
MAIN_STEM = MAIN_STEM_CAMPAIGN
RunCli = Callable[..., tuple[int, str, str]]


def docx_lines(path: Path) -> list[str]:
    """Every paragraph's text of a .docx, table cells included, in document order."""
    doc = Document(str(path))
    lines = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            lines.extend(cell.text for cell in row.cells)
    return lines


def docx_headings(path: Path) -> list[str]:
    return [p.text for p in Document(str(path)).paragraphs if p.style.name.startswith("Heading")]


def md_headings(text: str) -> list[str]:
    return [line.lstrip("#").strip() for line in text.splitlines() if line.startswith("#")]


def md_rendered_text(text: str) -> str:
    """The text a Markdown viewer shows (CommonMark + tables), tags stripped."""
    rendered = MarkdownIt("commonmark").enable("table").render(text)
    return html.unescape(re.sub(r"<[^>]+>", "", rendered))


def md_table_rows(text: str) -> list[list[str]]:
    """The cells of every table row as a Markdown viewer shows them."""
    md = MarkdownIt("commonmark").enable("table")
    rows: list[list[str]] = []
    inside_cell = False
    for tok in md.parse(text):
        if tok.type == "tr_open":
            rows.append([])
        elif tok.type in ("td_open", "th_open"):
            inside_cell = True
        elif tok.type in ("td_close", "th_close"):
            inside_cell = False
        elif tok.type == "inline" and inside_cell:
            shown = md.renderer.renderInline(tok.children or [], md.options, {})
            rows[-1].append(html.unescape(re.sub(r"<[^>]+>", "", shown)))
    return rows


@pytest.fixture(scope="module")
def campaign_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, str, str, Path]:
    """One campaign run over the main workbook: (exit code, stdout, stderr, output folder)."""
    from xlcrm import i18n
    from xlcrm.cli import main

    base = tmp_path_factory.mktemp("campaign")
    workbook = write_campaign_workbook(base / "wb.xlsx")
    out = base / "out"
    import contextlib
    import io

    stdout, stderr = io.StringIO(), io.StringIO()
    i18n.set_lang("zh")
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = main(["report", str(workbook), "--kind", "campaign", "--as-of", AS_OF.isoformat(), "-o", str(out)])
    i18n.set_lang(None)
    return code, stdout.getvalue(), stderr.getvalue(), out


def test_campaign_files_and_summary(campaign_run: tuple[int, str, str, Path]) -> None:
    code, out, err, folder = campaign_run
    assert code == 0, err
    assert (folder / f"{MAIN_STEM}.md").is_file() and (folder / f"{MAIN_STEM}.docx").is_file()
    assert "报告：已生成 2 份，跳过 0 份，失败 0 份" in out  # md + docx of one campaign is one report


@pytest.mark.parametrize("fmt", ["md", "docx"])
def test_every_campaign_section_heading(campaign_run: tuple[int, str, str, Path], fmt: str) -> None:
    path = campaign_run[3] / f"{MAIN_STEM}.{fmt}"
    headings = md_headings(path.read_text("utf-8")) if fmt == "md" else docx_headings(path)
    for section in CAMPAIGN_SECTIONS:
        assert any(section in h for h in headings), (section, headings)


@pytest.mark.parametrize("fmt", ["md", "docx"])
def test_campaign_numbers(campaign_run: tuple[int, str, str, Path], fmt: str) -> None:
    path = campaign_run[3] / f"{MAIN_STEM}.{fmt}"
    text = path.read_text("utf-8") if fmt == "md" else "\n".join(docx_lines(path))
    for expected in (
        "120.0%",
        "超额完成",
        "问题解决率",
        "80.0%",
        "66.7%",
        "风险 中→低",
        "分层 C→B",
        "触达率 66.7%，低于目标客户的八成",
        "1 条投诉超时未解决",
        "名单过期",
    ):
        assert expected in text, expected


def test_lessons_verbatim_in_markdown(campaign_run: tuple[int, str, str, Path]) -> None:
    shown = md_rendered_text((campaign_run[3] / f"{MAIN_STEM}.md").read_text("utf-8"))
    for lesson in (LESSONS_GOOD, LESSONS_BAD, IMPROVEMENTS):
        for line in lesson.splitlines():
            assert line in shown


def test_lessons_verbatim_in_docx(campaign_run: tuple[int, str, str, Path]) -> None:
    paragraphs = [p.text for p in Document(str(campaign_run[3] / f"{MAIN_STEM}.docx")).paragraphs]
    for lesson in (LESSONS_GOOD, LESSONS_BAD, IMPROVEMENTS):
        assert lesson in paragraphs  # line breaks kept as Word line breaks


def _special_report(folder: Path, ext: str) -> Path:
    (path,) = folder.glob(f"活动复盘_HD2026002_*.{ext}")
    return path


def test_special_text_literal_in_markdown(campaign_run: tuple[int, str, str, Path]) -> None:
    folder = campaign_run[3]
    text = _special_report(folder, "md").read_text("utf-8")
    shown = md_rendered_text(text)
    assert TRICKY_TEXT in shown
    assert "表格 | 竖线 | 不应断开" in shown
    rows = md_table_rows(text)
    assert [TRICKY_TEXT, "—", "王强", "2026-11-30", "未开始", "—", "未到期"] in rows  # the pipe split no cell
    assert ["a|b", "—", "—", "—", "无法判断（目标值或实际值未填写）"] in rows  # 目标指标 "a|b" is one cell
    main = md_rendered_text((folder / f"{MAIN_STEM}.md").read_text("utf-8"))
    assert TRICKY_NAME in main and "名单过期，联系人 | 电话待更新" in main


def test_special_text_literal_in_docx(campaign_run: tuple[int, str, str, Path]) -> None:
    folder = campaign_run[3]
    lines = docx_lines(_special_report(folder, "docx"))
    assert TRICKY_TEXT in lines  # 任务 cell, 未完成原因 cell and 成功经验 paragraph
    assert lines.count(TRICKY_TEXT) >= 3
    assert "49" not in " ".join(lines)  # {{ 7*7 }} was never evaluated
    assert any(TRICKY_NAME in line for line in docx_lines(folder / f"{MAIN_STEM}.docx"))


def test_unsafe_campaign_name_stays_in_output_folder(campaign_run: tuple[int, str, str, Path]) -> None:
    folder = campaign_run[3]
    md, docx = _special_report(folder, "md"), _special_report(folder, "docx")
    for path in (md, docx):
        assert path.parent == folder and ".." not in path.name and not set(path.name) & set(":*?/\\")
    assert not (folder.parent / "etc").exists() and not (folder.parent.parent / "etc").exists()


def test_charts_linked_and_embedded(campaign_run: tuple[int, str, str, Path]) -> None:
    folder = campaign_run[3]
    text = (folder / f"{MAIN_STEM}.md").read_text("utf-8")
    links = re.findall(r"!\[[^\]]*\]\(<([^>]+)>\)", text)
    assert len(links) == 3  # goal and reach, follow-up channels, feedback SLA
    for link in links:
        assert link.startswith(f"{MAIN_STEM}_图表/")
        assert (folder / link).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    shapes = Document(str(folder / f"{MAIN_STEM}.docx")).inline_shapes
    assert len(shapes) == 3 and all(9 < s.width.cm <= 14.01 for s in shapes)  # inside the 17 cm text width


@pytest.fixture
def report_args() -> Callable[..., list[str]]:
    def make(*paths: Path, kind: str = "campaign", out: Path, extra: tuple[str, ...] = ()) -> list[str]:
        return ["report", *map(str, paths), "--kind", kind, "--as-of", AS_OF.isoformat(), "-o", str(out), *extra]

    return make


def test_monthly_by_manager_with_a_process_pool(
    tmp_path: Path, run_cli: RunCli, report_args: Callable[..., list[str]]
) -> None:
    workbook = write_campaign_workbook(tmp_path / "wb.xlsx")
    out = tmp_path / "out"
    code, stdout, err = run_cli(
        *report_args(workbook, kind="monthly", out=out, extra=("--by", "manager", "--jobs", "2"))
    )
    assert code == 0, err
    names = sorted(p.name for p in out.iterdir() if p.is_file())
    assert names == sorted(f"月度复盘_2026-11{m}.{ext}" for m in ("", "_李娜", "_王强") for ext in ("md", "docx"))
    assert "已生成 3 份" in stdout  # reports, not files
    for ext in ("md", "docx"):
        path = out / f"月度复盘_2026-11.{ext}"
        headings = md_headings(path.read_text("utf-8")) if ext == "md" else docx_headings(path)
        for section in MONTHLY_SECTIONS:
            assert any(section in h for h in headings), (section, headings)
    team = (out / "月度复盘_2026-11.md").read_text("utf-8")
    assert "问题解决率 **80.0%**" in team and "本期无新建档客户" in team
    assert "| 客户经理 |" in team  # the team report says whose customer each row is
    mine = (out / "月度复盘_2026-11_李娜.md").read_text("utf-8")
    assert "客户经理 |" not in mine and "| HXKJ2024" in mine  # a manager's own report does not repeat the name
    word = docx_lines(out / "月度复盘_2026-11_李娜.docx")
    assert "客户经理" not in word and any(line.startswith("HXKJ2024") for line in word)


def test_batch_over_a_folder_of_five(tmp_path: Path, run_cli: RunCli, report_args: Callable[..., list[str]]) -> None:
    folder = tmp_path / "submitted"
    folder.mkdir()
    for i, rows in enumerate(split_rows(campaign_rows(), 5), start=1):
        write_workbook(folder / f"team{i}.xlsx", rows)
    (folder / "~$team1.xlsx").write_bytes(b"lock")  # Excel's lock file: ignored
    shutil.copy(folder / "team1.xlsx", folder / "team1.bak-20261120.xlsx")  # enrich backup: ignored
    out = tmp_path / "out"
    code, stdout, err = run_cli(*report_args(folder, out=out, extra=("--format", "md", "--campaign", "HD2026001")))
    assert code == 0, err
    text = (out / f"{MAIN_STEM}.md").read_text("utf-8")
    assert "| 回访客户数 | 15 | 18 | 120.0% | **超额完成** |" in text
    assert "关联反馈 10 条，已解决 8 条，问题解决率 **80.0%**" in text
    assert "已触达 8 位" in text and "已生成 1 份" in stdout


def test_conflicting_duplicate_id_fails_and_names_both_files(
    tmp_path: Path, run_cli: RunCli, report_args: Callable[..., list[str]]
) -> None:
    first, second = campaign_rows(), campaign_rows()
    second["customers"] = second["customers"][-1:] + second["customers"][:-1]  # same ID lands on another row
    second["customers"][1]["phone"] = "13900000000"  # HXKJ20240001 now differs
    a = write_workbook(tmp_path / "a.xlsx", first)
    b = write_workbook(tmp_path / "b.xlsx", second)
    out = tmp_path / "out"
    code, _, err = run_cli(*report_args(a, b, out=out))
    assert code == 1
    assert "HXKJ20240001" in err and "a.xlsx 客户信息!A2" in err and "b.xlsx 客户信息!A3" in err
    assert not out.exists()
    code, stdout, err = run_cli(*report_args(a, b, out=out, extra=("--on-conflict", "first", "--format", "md")))
    assert code == 0 and "--on-conflict first" in err and "已生成 2 份" in stdout


def test_identical_duplicates_are_kept_once(
    tmp_path: Path, run_cli: RunCli, report_args: Callable[..., list[str]]
) -> None:
    a = write_workbook(tmp_path / "a.xlsx", campaign_rows())
    b = write_workbook(tmp_path / "b.xlsx", campaign_rows())
    code, _, err = run_cli(*report_args(a, b, out=tmp_path / "out", extra=("--format", "md")))
    assert code == 0, err
    text = (tmp_path / "out" / f"{MAIN_STEM}.md").read_text("utf-8")
    assert "关联反馈 10 条" in text and "共 3 项任务" in text


def test_a_bad_cell_leaves_out_its_row_not_the_workbook(
    tmp_path: Path, run_cli: RunCli, report_args: Callable[..., list[str]]
) -> None:
    # before: the whole of b.xlsx was skipped for one bad 合作阶段, and its customers' feedback with it
    a_rows, b_rows = split_rows(campaign_rows(), 2)
    b_rows["customers"][0]["stage"] = "合作中"  # not an allowed 合作阶段: that row is left out, as enrich does
    a = write_workbook(tmp_path / "a.xlsx", a_rows)
    b = write_workbook(tmp_path / "b.xlsx", b_rows)
    out = tmp_path / "out"
    code, stdout, err = run_cli(*report_args(a, b, out=out, extra=("--format", "md,docx", "--campaign", "HD2026001")))
    assert code == 0, err
    assert "已跳过" not in err and "b.xlsx：客户信息 1 行有错误未计入" in err
    assert "有错误未计入的行：1 行" in stdout
    text = (out / f"{MAIN_STEM}.md").read_text("utf-8")
    assert "关联反馈 10 条" in text  # b.xlsx's feedback rows are all there
    notes = text.split("## 数据说明", 1)[1]
    assert "a.xlsx、b.xlsx" in notes and "b.xlsx：客户信息 1 行有错误未计入" in notes and "合作阶段" in notes
    assert any("b.xlsx：客户信息 1 行有错误未计入" in line for line in docx_lines(out / f"{MAIN_STEM}.docx"))


def test_structurally_broken_workbook_is_skipped_and_named(
    tmp_path: Path, run_cli: RunCli, report_args: Callable[..., list[str]]
) -> None:
    from openpyxl import load_workbook

    good = write_campaign_workbook(tmp_path / "good.xlsx")
    broken = write_workbook(tmp_path / "broken.xlsx", split_rows(campaign_rows(), 2)[1])
    wb = load_workbook(broken)
    del wb["活动任务"]  # a required sheet is missing
    wb.save(broken)
    out = tmp_path / "out"
    code, stdout, err = run_cli(
        *report_args(good, broken, out=out, extra=("--format", "md", "--campaign", "HD2026001"))
    )
    assert code == 1
    assert "已跳过" in err and "broken.xlsx" in err and "结构性错误" in err
    assert "未计入的工作簿：broken.xlsx" in stdout and "已生成 1 份" in stdout
    notes = (out / f"{MAIN_STEM}.md").read_text("utf-8").split("## 数据说明", 1)[1]
    assert "broken.xlsx：整个工作簿未计入" in notes


def test_existing_reports_need_force(tmp_path: Path, run_cli: RunCli, report_args: Callable[..., list[str]]) -> None:
    workbook = write_campaign_workbook(tmp_path / "wb.xlsx")
    out = tmp_path / "out"
    args = report_args(workbook, out=out, extra=("--campaign", "HD2026001"))
    assert run_cli(*args)[0] == 0
    target = out / f"{MAIN_STEM}.md"
    target.write_text("staff notes", encoding="utf-8")
    code, stdout, err = run_cli(*args)
    assert code == 0 and "已生成 0 份，跳过 1 份" in stdout and "--force" in err
    assert target.read_text("utf-8") == "staff notes"
    code, stdout, _ = run_cli(*args, "--force")
    assert code == 0 and "已生成 1 份" in stdout and target.read_text("utf-8").startswith("# 活动复盘报告")


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (("--format", "pdf"), "--format"),
        (("--campaign", "HD2099999"), "HD2099999"),
        (("--by", "manager"), "--by manager"),
        (("--jobs", "0"), "--jobs"),
    ],
)
def test_usage_errors(
    tmp_path: Path, run_cli: RunCli, report_args: Callable[..., list[str]], extra: tuple[str, ...], message: str
) -> None:
    workbook = write_campaign_workbook(tmp_path / "wb.xlsx")
    code, _, err = run_cli(*report_args(workbook, out=tmp_path / "out", extra=extra))
    assert code == 2 and message in err


def test_bad_period_is_a_usage_error(tmp_path: Path, run_cli: RunCli, report_args: Callable[..., list[str]]) -> None:
    workbook = write_campaign_workbook(tmp_path / "wb.xlsx")
    code, _, err = run_cli(*report_args(workbook, kind="monthly", out=tmp_path / "out", extra=("--period", "2026-13")))
    assert code == 2 and "YYYY-MM" in err


def test_template_dir_overrides_per_file(
    tmp_path: Path, run_cli: RunCli, report_args: Callable[..., list[str]]
) -> None:
    workbook = write_campaign_workbook(tmp_path / "wb.xlsx")
    custom = tmp_path / "tpl"
    custom.mkdir()
    (custom / "campaign.md.j2").write_text(
        "# 自定义 {{ subject }} {{ goal.rate }}\n{{ lessons.bad }}\n", encoding="utf-8"
    )
    out = tmp_path / "out"
    code, _, err = run_cli(*report_args(workbook, out=out, extra=("--campaign", "HD2026001", "--template-dir", custom)))
    assert code == 0, err
    assert (out / f"{MAIN_STEM}.md").read_text("utf-8").startswith("# 自定义 秋季客户关怀（HD2026001） 120.0%")
    assert any("活动概况" in h for h in docx_headings(out / f"{MAIN_STEM}.docx"))  # the shipped Word template


def test_broken_template_fails_that_report_only(
    tmp_path: Path, run_cli: RunCli, report_args: Callable[..., list[str]]
) -> None:
    workbook = write_campaign_workbook(tmp_path / "wb.xlsx")
    custom = tmp_path / "tpl"
    custom.mkdir()
    (custom / "campaign.md.j2").write_text("{{ no_such_section.value }}\n", encoding="utf-8")
    code, stdout, err = run_cli(*report_args(workbook, out=tmp_path / "out", extra=("--template-dir", custom)))
    assert code == 1 and "生成失败" in err and "已生成 0 份，跳过 0 份，失败 2 份" in stdout  # the md of each failed


def test_real_subprocess(tmp_path: Path) -> None:
    workbook = write_campaign_workbook(tmp_path / "wb.xlsx")
    proc = run_subprocess(
        "report",
        workbook,
        "--kind",
        "monthly",
        "--as-of",
        AS_OF.isoformat(),
        "-o",
        tmp_path / "out",
        "--format",
        "md,docx",
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    assert "报告：已生成 1 份，跳过 0 份，失败 0 份" in proc.stdout
    assert "\x1b[" not in proc.stderr  # no progress bar when stderr is not a terminal


def test_progress_bar_on_a_terminal(tmp_path: Path, report_args: Callable[..., list[str]]) -> None:
    """With stderr on a (pseudo-)terminal the run draws a progress bar there; the summary stays on stdout."""
    workbook = write_campaign_workbook(tmp_path / "wb.xlsx")
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "NO_COLOR")} | {"TERM": "xterm", "COLUMNS": "100"}
    master, slave = os.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "xlcrm", *report_args(workbook, out=tmp_path / "out", extra=("--format", "md"))],
        stdout=subprocess.PIPE,
        stderr=slave,
        env=env,
        cwd=tmp_path,
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    stdout = proc.communicate(timeout=300)[0].decode("utf-8")
    terminal = b"".join(chunks).decode("utf-8", "replace")
    assert proc.returncode == 0, terminal
    assert "已生成 2 份" in stdout and "\x1b[" not in stdout
    assert "生成报告" in terminal and "2/2" in terminal and "\x1b[" in terminal
