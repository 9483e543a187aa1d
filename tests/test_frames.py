"""``xlcrm.frames`` (SPEC §7): typed DataFrames of a real workbook, computed columns as enrich
writes them, ``row`` and ``ok`` as validate sees the rows."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from conftest import AS_OF
from python_calamine import CalamineWorkbook
from test_validate_dirty import DEFECTS

import xlcrm
from xlcrm.errors import FileMissingError
from xlcrm.schema import DATA_SHEETS, FieldType

RunCli = Callable[..., tuple[int, str, str]]
SHEET_KEYS = ["customers", "followups", "feedback", "campaigns", "tasks"]


@pytest.fixture(scope="module")
def sample_frames(sample_300: Path) -> dict[str, pd.DataFrame]:
    return xlcrm.frames(sample_300, as_of=AS_OF)


def _sheet_rows(path: Path, name: str) -> list[list[Any]]:
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name).to_python()
    return [r for r in rows[1:] if any(v != "" for v in r)]


def test_one_frame_per_sheet_kind_with_row_and_ok(sample_frames: dict[str, pd.DataFrame]) -> None:
    assert list(sample_frames) == SHEET_KEYS
    for kind in DATA_SHEETS:
        df = sample_frames[kind.key]
        assert list(df.columns) == ["row", *(f.key for f in kind.fields), "ok"]
        assert df["row"].tolist() == list(range(2, len(df) + 2)) and df["ok"].all()
    assert len(sample_frames["customers"]) == 300


def test_dtypes_follow_the_schema(sample_frames: dict[str, pd.DataFrame]) -> None:
    for kind in DATA_SHEETS:
        df = sample_frames[kind.key]
        for f in kind.fields:
            dtype = df[f.key].dtype
            if f.enum:
                assert isinstance(dtype, pd.CategoricalDtype) and list(dtype.categories) == list(f.enum), f.key
            elif f.type in (FieldType.DATE, FieldType.DATETIME):
                assert pd.api.types.is_datetime64_dtype(dtype), f.key
            elif f.type == FieldType.INT:
                assert dtype == "Int64", f.key
            elif f.type in (FieldType.MONEY, FieldType.NUMBER, FieldType.SCORE, FieldType.PERCENT):
                assert dtype == "float64", f.key
    customers = sample_frames["customers"]
    assert list(customers["churn_risk"].cat.categories) == ["高", "中", "低"]
    assert list(customers["followup_status"].cat.categories) == ["已逾期", "今日到期", "即将到期", "正常"]
    assert customers["phone"].dtype == "string" and customers["phone"].str.len().min() >= 11
    assert sample_frames["feedback"]["deadline"].notna().all()


def test_groupby_channel_counts_every_followup(sample_300: Path, sample_frames: dict[str, pd.DataFrame]) -> None:
    sizes = sample_frames["followups"].groupby("channel").size()
    assert int(sizes.sum()) == len(_sheet_rows(sample_300, "跟进记录")) > 300
    assert list(sizes.index) == ["电话", "拜访", "邮件", "微信", "视频会议", "其他"]


def test_computed_columns_are_what_enrich_writes(
    sample_300: Path, sample_frames: dict[str, pd.DataFrame], tmp_path: Path, run_cli: RunCli
) -> None:
    enriched = tmp_path / "enriched.xlsx"
    code, _, err = run_cli(
        "enrich", shutil.copy(sample_300, tmp_path / "in.xlsx"), "-o", enriched, "--as-of", AS_OF.isoformat()
    )
    assert code == 0, err
    rows = CalamineWorkbook.from_path(str(enriched)).get_sheet_by_name("客户信息").to_python()
    header = [str(h) for h in rows[0]]
    written = {r[header.index("客户编号")]: r for r in rows[1:] if r[0] != ""}
    df = sample_frames["customers"].set_index("customer_id")
    for cid, r in written.items():
        assert df.at[cid, "tier"] == r[header.index("客户分层")]
        assert df.at[cid, "churn_risk"] == r[header.index("流失风险")]
        assert df.at[cid, "next_due"].date() == r[header.index("下次跟进日期")]
        assert df.at[cid, "overdue_days"] == r[header.index("逾期天数")]


@pytest.fixture(scope="module")
def dirty_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import conftest

    from xlcrm.writing.template import write_standard_workbook

    rows = conftest.blank_rows.__wrapped__()()
    for sheet, row, _ in DEFECTS:
        rows[sheet].append(row)
    return write_standard_workbook(tmp_path_factory.mktemp("dirty") / "dirty.xlsx", rows)


def test_ok_is_false_exactly_for_rows_validate_rejects(dirty_book: Path, run_cli: RunCli) -> None:
    code, out, _ = run_cli("validate", dirty_book, "--format", "json", "--as-of", AS_OF.isoformat())
    assert code == 1
    keys = {kind.name: kind.key for kind in DATA_SHEETS}
    with_errors = {
        (keys[i["sheet"]], i["row"])
        for i in json.loads(out)["files"][0]["issues"]
        if i["severity"] == "error" and i["row"] is not None
    }
    got = xlcrm.frames(dirty_book, as_of=AS_OF)
    rejected = {(key, int(r)) for key, df in got.items() for r in df.loc[~df["ok"], "row"]}
    assert rejected == with_errors and len(rejected) > 20
    followups = got["followups"]
    bad, good = followups[~followups["ok"]], followups[followups["ok"]]
    assert bad["customer_tier"].isna().all() and bad["next_action_status"].isna().all()
    assert good["customer_tier"].notna().all()
    customers = got["customers"]
    assert customers.loc[~customers["ok"], ["tier", "next_due", "churn_risk"]].isna().all().all()
    # a rejected row keeps the values that could be read: the bad enum is blank, the rest is there
    row4 = customers[customers["row"] == 4].iloc[0]
    assert (
        pd.isna(row4["scale"]) and row4["name"] == "测试客户4有限公司" and row4["created"] == pd.Timestamp(2024, 3, 1)
    )


def test_a_missing_file_is_a_clean_error(tmp_path: Path) -> None:
    with pytest.raises(FileMissingError) as info:
        xlcrm.frames(tmp_path / "没有.xlsx", as_of=date(2026, 11, 20))
    assert "没有.xlsx" in info.value.message


def test_a_missing_sheet_gives_an_empty_typed_frame(
    blank_rows: Callable[[], dict[str, list[dict[str, Any]]]], make_workbook: Callable[..., Path]
) -> None:
    import openpyxl

    path = make_workbook(blank_rows())
    wb = openpyxl.load_workbook(path)
    del wb["活动任务"]
    wb.save(path)
    got = xlcrm.frames(path, as_of=AS_OF)
    tasks = got["tasks"]
    assert tasks.empty and list(tasks.columns) == ["row", *(f.key for f in DATA_SHEETS[4].fields), "ok"]
    assert pd.api.types.is_datetime64_dtype(tasks["due"]) and isinstance(tasks["status"].dtype, pd.CategoricalDtype)
    assert got["customers"]["ok"].tolist() == [True] and got["customers"]["tier"].notna().all()


def test_pandas_is_imported_only_by_frames_and_only_when_called() -> None:
    import re
    import subprocess
    import sys

    package = Path(xlcrm.__file__).parent
    importers = [
        p.relative_to(package).as_posix()
        for p in package.rglob("*.py")
        if re.search(r"^\s*(import|from) pandas\b", p.read_text(encoding="utf-8"), re.M)
    ]
    assert importers == ["frames.py"]
    proc = subprocess.run(
        [sys.executable, "-c", "import sys, xlcrm; print('pandas' in sys.modules)"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.stdout.strip() == "False", proc.stderr
