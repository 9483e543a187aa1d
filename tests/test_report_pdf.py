"""The README's sample, as a manager would circulate it: the Word reports printed to PDF by
LibreOffice fit on a few pages, and no 客户编号 / 反馈编号 / 活动编号 is ever broken across lines."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import needs_libreoffice, soffice_convert
from openpyxl import load_workbook
from test_report_data import AS_OF

from xlcrm.cli import main
from xlcrm.sample import generate_sample
from xlcrm.schema import HISTORY_HEADERS, HISTORY_SHEET_NAME
from xlcrm.validation import check_book

pytestmark = [
    pytest.mark.libreoffice,
    needs_libreoffice,
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed"),
]

README_SAMPLE = 50  # `xlcrm init demo.xlsx --sample 50` in the README's main command
ID_LIKE = re.compile(r"(?<![A-Za-z0-9])(?:[A-Z]{2,6}\d{3,}|\d{4,})(?![A-Za-z0-9])")


def _store_sample_history(path: Path) -> None:
    """The earlier snapshot the sample generator provides, stored as ``init`` stores it (kept when
    the workbook already has one)."""
    wb = load_workbook(path)
    if HISTORY_SHEET_NAME in wb.sheetnames:
        return
    ws = wb.create_sheet(HISTORY_SHEET_NAME)
    ws.append(list(HISTORY_HEADERS))
    for h in generate_sample(README_SAMPLE, 1, AS_OF, with_history=True)["history"]:
        ws.append([h["as_of"], h["customer_id"], h["tier"], h["value_segment"], h["churn_risk"]])
    ws.sheet_state = "hidden"
    wb.save(path)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, set[str]]:
    """The README flow at AS_OF: init --sample 50, enrich, both reports. Returns (workbook,
    report folder, every own ID in the workbook)."""
    base = tmp_path_factory.mktemp("demo")
    book = base / "demo.xlsx"
    as_of = ["--as-of", AS_OF.isoformat()]
    assert main(["init", str(book), "--sample", str(README_SAMPLE), *as_of]) == 0
    _store_sample_history(book)
    assert main(["enrich", str(book), "--no-backup", *as_of]) == 0
    out = base / "reports"
    for kind in ("campaign", "monthly"):
        assert main(["report", str(book), "--kind", kind, "--format", "md,docx", "-o", str(out), *as_of]) == 0
    checked = check_book(book, AS_OF)
    ids = {
        str(r.values[key])
        for sheet, key in (
            ("customers", "customer_id"),
            ("feedback", "feedback_id"),
            ("followups", "followup_id"),
            ("campaigns", "campaign_id"),
        )
        for r in checked.book.sheets[sheet].rows
        if r.values.get(key)
    }
    return book, out, ids


def _pdf_text(docx: Path, tmp_path: Path) -> tuple[int, str]:
    pdf = soffice_convert(docx, "pdf", tmp_path)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, timeout=60).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))  # type: ignore[union-attr]
    return pages, subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, timeout=60).stdout


def _broken_ids(text: str, ids: set[str]) -> list[str]:
    """Every ID-like token that is not a whole known ID (a piece of an ID cut by a line break)."""
    years = {str(y) for y in range(2000, 2100)}
    return [t for t in ID_LIKE.findall(text) if t not in ids and t not in years and any(t in i for i in ids)]


def test_team_monthly_report_fits_and_keeps_ids_whole(demo: tuple[Path, Path, set[str]], tmp_path: Path) -> None:
    _, out, ids = demo
    pages, text = _pdf_text(out / "月度复盘_2026-11.docx", tmp_path)
    assert pages <= 8
    printed = {t for t in ID_LIKE.findall(text) if t in ids}
    assert len(printed) >= 20  # the lists are really there
    assert _broken_ids(text, ids) == []
    assert "分层与风险变化" in text and "本期无可比较的历史快照" not in text


def test_campaign_report_fits_and_keeps_ids_whole(demo: tuple[Path, Path, set[str]], tmp_path: Path) -> None:
    _, out, ids = demo
    (docx,) = sorted(out.glob("活动复盘_*.docx"))[:1]
    pages, text = _pdf_text(docx, tmp_path)
    assert pages <= 5
    assert any(t.startswith("HD") for t in ID_LIKE.findall(text) if t in ids)
    assert _broken_ids(text, ids) == []


def test_demo_reports_show_relationship_changes(demo: tuple[Path, Path, set[str]]) -> None:
    _, out, _ = demo
    reports = sorted(out.glob("*.md"))
    assert any(p.name.startswith("活动复盘_") for p in reports) and (out / "月度复盘_2026-11.md").is_file()
    for md in reports:
        text = md.read_text("utf-8")
        section = re.split(r"^## ", text, flags=re.M)
        (changes,) = [s for s in section if s.startswith(("八、客户关系状态变化", "五、分层与风险变化"))]
        assert "与上次快照（2026-10-31）相比" in changes, md.name
        assert re.search(r"分层 [ABC]→[ABC]|风险 [高中低]→[高中低]", changes), md.name


def test_long_lists_are_capped_in_word_and_complete_in_the_appendix(demo: tuple[Path, Path, set[str]]) -> None:
    from docx import Document

    _, out, _ = demo
    md = (out / "月度复盘_2026-11.md").read_text("utf-8")
    due_section = md.split("### 下月需跟进的重点客户", 1)[1].split("###", 1)[0]
    due_rows = [line for line in due_section.splitlines() if re.match(r"^\| [A-Z]{2,6}\d{8} \|", line)]
    assert len(due_rows) > 20  # the sample has more than a Word page of them
    word = "\n".join(p.text for p in Document(str(out / "月度复盘_2026-11.docx")).paragraphs)
    assert f"共 {len(due_rows)} 条，此处列出最紧急的 20 条；完整清单见附件 月度复盘_2026-11_清单.xlsx（" in word
    sheet = load_workbook(out / "月度复盘_2026-11_清单.xlsx", read_only=True)["下月需跟进的重点客户"]
    listed = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert listed == [line.split("|")[1].strip() for line in due_rows]
