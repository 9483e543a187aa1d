"""The Word reports open in a real word processor: LibreOffice converts each to PDF, and page 1
renders to an image (inspected by eye during development: Chinese text and chart labels, no tofu)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import needs_libreoffice, soffice_convert
from test_report_data import AS_OF, write_campaign_workbook

from xlcrm.cli import main

pytestmark = [pytest.mark.libreoffice, needs_libreoffice]


@pytest.fixture(scope="module")
def word_reports(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    base = tmp_path_factory.mktemp("lo")
    workbook = write_campaign_workbook(base / "wb.xlsx")
    out = base / "out"
    for kind in ("campaign", "monthly"):
        code = main(
            ["report", str(workbook), "--kind", kind, "--as-of", AS_OF.isoformat(), "-o", str(out), "--format", "docx"]
        )
        assert code == 0
    return sorted(out.glob("*.docx"))


def test_three_word_reports(word_reports: list[Path]) -> None:
    assert [p.name for p in word_reports] == [
        "月度复盘_2026-11.docx",
        "活动复盘_HD2026001_秋季客户关怀.docx",
        "活动复盘_HD2026002_etc_活动.docx",
    ]


@pytest.mark.parametrize("index", [0, 1, 2])
def test_docx_converts_to_pdf_and_renders(word_reports: list[Path], index: int, tmp_path: Path) -> None:
    pdf = soffice_convert(word_reports[index], "pdf", tmp_path)
    assert pdf.stat().st_size > 10_000
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-l", "1", str(pdf), "-"], capture_output=True, text=True, timeout=60
        ).stdout
        assert "复盘" in text and "统计日" in text and "第 1 页" in text
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed: page image not rendered")
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")],
        check=True,
        timeout=120,
    )
    (png,) = tmp_path.glob("page*.png")
    assert png.read_bytes()[:4] == b"\x89PNG" and png.stat().st_size > 5_000
