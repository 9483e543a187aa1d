"""The workbooks shipped in workbooks/ are what ``xlcrm init`` produces today."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from openpyxl import load_workbook

from xlcrm.sample import generate_sample
from xlcrm.writing.template import write_standard_workbook

ROOT = Path(__file__).resolve().parent.parent / "workbooks"


def values(path: Path) -> dict[str, list[tuple]]:
    wb = load_workbook(path)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb.worksheets}


def test_blank_template_is_current(tmp_path: Path) -> None:
    fresh = write_standard_workbook(tmp_path / "b.xlsx")
    assert values(ROOT / "标准工作簿.xlsx") == values(fresh)


def test_sample_is_current(tmp_path: Path) -> None:
    fresh = write_standard_workbook(tmp_path / "s.xlsx", generate_sample(50, 1, date(2026, 11, 20), with_history=True))
    assert values(ROOT / "示例_50客户.xlsx") == values(fresh)
