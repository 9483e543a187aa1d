"""The batch policies in the library (SPEC §7): ``xlcrm.report`` and ``xlcrm.validate_files`` on
paths, bytes and files, with unusable workbooks among several; the CLI holds no policy."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from test_report_data import AS_OF, MAIN_STEM_CAMPAIGN, write_campaign_workbook

import xlcrm

PACKAGE = Path(__file__).resolve().parent.parent / "xlcrm"
NOT_A_WORKBOOK = b"name,phone\n"


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_campaign_workbook(tmp_path_factory.mktemp("wb") / "团队.xlsx")


def test_cli_and_commands_hold_no_policy() -> None:
    """The command line parses options, calls the library and prints: it never reaches into the
    readers, checks, computations, writers or the report machinery (init's template writer aside)."""
    below = re.compile(r"^\s*from \.(validation|reporting|reading|checks|derive|writing)(\.\w+)* import", re.M)
    for name in ("cli.py", "commands.py"):
        text = (PACKAGE / name).read_text(encoding="utf-8")
        found = [m.group(0).strip() for m in below.finditer(text) if "writing.template import" not in m.group(0)]
        assert found == [], name


def test_report_in_memory_writes_nothing(workbook: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    batch = xlcrm.report(workbook.read_bytes(), kind="campaign", as_of=AS_OF)
    assert list(tmp_path.iterdir()) == []  # nothing written anywhere
    assert batch.ok and batch.written == 2 and batch.files == []
    main = next(r for r in batch.reports if r.name == MAIN_STEM_CAMPAIGN)
    assert (main.kind, main.title, main.status) == ("campaign", "活动复盘报告", "written")
    assert "HD2026001" in main.subject
    names = set(main.documents)
    assert {f"{MAIN_STEM_CAMPAIGN}.md", f"{MAIN_STEM_CAMPAIGN}.docx"} <= names
    pngs = [n for n in names if n.endswith(".png")]
    assert pngs and all(n.startswith(f"{MAIN_STEM_CAMPAIGN}_图表/") for n in pngs)
    text = main.documents[f"{MAIN_STEM_CAMPAIGN}.md"].decode("utf-8")
    assert text.startswith("# 活动复盘报告") and all(f"](<{png}>)" in text for png in pngs)  # linked relatively
    assert main.documents[f"{MAIN_STEM_CAMPAIGN}.docx"][:2] == b"PK"
    assert "workbook.xlsx" in text  # the 数据说明 names the source as the caller did (default name)


def test_report_to_a_folder_matches_the_documents_in_memory(workbook: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    batch = xlcrm.report(workbook, kind="campaign", as_of=AS_OF, formats="md", out_dir=out)
    on_disk = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert sorted(p.relative_to(out).as_posix() for p in batch.files) == on_disk
    memory = xlcrm.report({"团队.xlsx": io.BytesIO(workbook.read_bytes())}, kind="campaign", as_of=AS_OF, formats="md")
    assert sorted(memory.documents) == on_disk
    assert all((out / name).read_bytes() == data for name, data in memory.documents.items())
    # a second run leaves the reports alone without force, as the CLI does
    again = xlcrm.report(workbook, kind="campaign", as_of=AS_OF, formats="md", out_dir=out)
    assert (again.written, again.skipped_reports, again.ok) == (0, 2, True)
    assert any("已存在，跳过" in line for line in again.messages())


@pytest.mark.parametrize("jobs", [1, 2])
def test_progress_is_reported_as_reports_finish(workbook: Path, tmp_path: Path, jobs: int) -> None:
    calls: list[tuple[int, int]] = []
    batch = xlcrm.report(
        workbook,
        kind="monthly",
        as_of=AS_OF,
        period="2026-11",
        by_manager=True,
        formats=["md"],
        out_dir=tmp_path,
        jobs=jobs,
        on_progress=lambda done, total: calls.append((done, total)),
    )
    n = len(batch.reports)
    assert n >= 3  # the team and each manager
    assert calls == [(i, n) for i in range(n + 1)]


def test_a_broken_workbook_among_several_is_skipped_with_its_reason(workbook: Path, tmp_path: Path) -> None:
    batch = xlcrm.report(
        {"团队.xlsx": workbook, "张三.xlsx": NOT_A_WORKBOOK}, kind="campaign", as_of=AS_OF, out_dir=tmp_path
    )
    assert batch.written == 2 and not batch.ok  # the CLI exits 1
    assert [s.path.name for s in batch.skipped] == ["张三.xlsx"]
    reason = batch.skipped[0].reason
    assert "张三.xlsx" in reason and str(tmp_path) not in reason
    assert batch.messages()[0].startswith("已跳过 张三.xlsx：")
    assert "未计入的工作簿：张三.xlsx" in batch.summary()
    md = (tmp_path / f"{MAIN_STEM_CAMPAIGN}.md").read_text("utf-8")
    assert "张三.xlsx：整个工作簿未计入" in md  # the report's 数据说明 says so too


def test_a_broken_workbook_alone_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(xlcrm.errors.XlcrmError) as caught:
        xlcrm.report({"张三.xlsx": NOT_A_WORKBOOK}, kind="campaign", as_of=AS_OF)
    assert caught.value.exit_code == 2 and "张三.xlsx" in caught.value.message


def test_validate_files_checks_the_others_and_annotates(workbook: Path, tmp_path: Path) -> None:
    broken = tmp_path / "坏.xlsx"
    broken.write_bytes(NOT_A_WORKBOOK)
    out = tmp_path / "标注"
    batch = xlcrm.validate_files([workbook, broken], as_of=AS_OF, annotate_to=out)
    good, bad = batch.files
    assert good.report is not None and good.report.errors == 0 and good.annotated == out / "团队.校验标注.xlsx"
    assert good.annotated.read_bytes()[:2] == b"PK"
    assert bad.report is None and "坏.xlsx" in bad.message and bad.error is not None and bad.error.exit_code == 2
    assert not batch.ok() and batch.reports == [good.report]
    assert sorted(p.name for p in out.iterdir()) == ["团队.校验标注.xlsx"]


def test_validate_files_on_bytes_by_name(workbook: Path, tmp_path: Path) -> None:
    batch = xlcrm.validate_files({"张三.xlsx": workbook.read_bytes()}, as_of=AS_OF, annotate_to=tmp_path / "a.xlsx")
    (only,) = batch.files
    assert only.report is not None and only.report.path == "张三.xlsx" and batch.ok()
    assert only.annotated == tmp_path / "a.xlsx" and only.annotated.exists()  # one workbook: OUT is the file
    broken = xlcrm.validate_files(
        {"李四.xlsx": NOT_A_WORKBOOK, "张三.xlsx": io.BytesIO(workbook.read_bytes())}, as_of=AS_OF
    )
    assert broken.files[0].message.startswith("李四.xlsx 是 CSV/文本文件")  # named as given, no private path
    assert broken.files[1].report is not None and broken.files[1].report.errors == 0


@pytest.mark.parametrize(
    ("name", "annotated"),
    [
        ("团队.xlsx", "团队.校验标注.xlsx"),
        ("宏.xlsm", "宏.校验标注.xlsm"),
        ("a.b.xlsx", "a.b.校验标注.xlsx"),
        ("无扩展名", "无扩展名.校验标注.xlsx"),
        ("folder/张三.xlsx", "张三.校验标注.xlsx"),
    ],
)
def test_annotated_name(name: str, annotated: str) -> None:
    assert xlcrm.annotated_name(name) == annotated


def test_reports_sharing_a_chart_go_to_the_same_worker_task() -> None:
    from xlcrm.reporting.render import RenderJob
    from xlcrm.reporting.run import GROUP_LIMIT, _sharing_groups

    def job(*values: int) -> RenderJob:
        charts = {
            f"c{i}": {"type": "pie", "title": "反馈处理时效", "labels": ["a"], "values": [v]}
            for i, v in enumerate(values)
        }
        return RenderJob({"charts": charts}, ())

    jobs = {0: job(1), 1: job(2), 2: job(1, 3), 3: job(3), **{10 + i: job(9) for i in range(GROUP_LIMIT + 2)}}
    groups = _sharing_groups(jobs)
    assert sorted(i for g in groups for i in g) == sorted(jobs)  # every report once
    assert all(len(g) <= GROUP_LIMIT for g in groups)
    assert [0, 2, 3] in groups and [1] in groups  # 0 and 2 share a chart, 2 and 3 another
