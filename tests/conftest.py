"""Shared fixtures: workbook factory, CLI runners, LibreOffice detection."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from xlcrm import i18n
from xlcrm.cli import main

AS_OF = date(2026, 11, 20)


@pytest.fixture(autouse=True)
def _chinese_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test starts in Chinese, whatever the developer's environment says."""
    monkeypatch.delenv("XLCRM_LANG", raising=False)
    i18n.set_lang(None)


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    """Run the CLI in-process: returns (exit code, stdout, stderr)."""

    def run(*args: Any) -> tuple[int, str, str]:
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:  # argparse --help / usage errors
            code = int(exc.code or 0)
        i18n.set_lang(None)
        out, err = capsys.readouterr()
        return code, out, err

    return run


def run_subprocess(*args: Any, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``python -m xlcrm`` as a real process."""
    return subprocess.run(
        [sys.executable, "-m", "xlcrm", *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=300
    )


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_libreoffice = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice (soffice) is not installed; .ci/run installs it"
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that needs LibreOffice also carries the ``libreoffice`` marker (``-m "not libreoffice"``)."""
    for item in items:
        if any(m.name == "skipif" and "LibreOffice" in str(m.kwargs.get("reason", "")) for m in item.iter_markers()):
            item.add_marker(pytest.mark.libreoffice)


def soffice_convert(src: Path, fmt: str, outdir: Path) -> Path:
    """Convert with LibreOffice headless; returns the output file (asserts it was produced)."""
    profile = outdir / "lo-profile"
    proc = subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            fmt,
            "--outdir",
            str(outdir),
            str(src),
        ],
        capture_output=True,
        text=True,
        timeout=240,
    )
    out = outdir / (src.stem + "." + fmt.split(":")[0])
    assert proc.returncode == 0 and out.exists(), f"LibreOffice failed: {proc.stdout} {proc.stderr}"
    return out


@pytest.fixture(scope="session")
def sample_300(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 300-customer sample workbook (as of AS_OF), written once per session; copy before changing it."""
    from xlcrm.sample import generate_sample
    from xlcrm.writing.template import write_standard_workbook

    path = tmp_path_factory.mktemp("sample") / "sample300.xlsx"
    write_standard_workbook(path, generate_sample(300, 7, AS_OF))
    return path


@pytest.fixture
def blank_rows() -> Callable[[], dict[str, list[dict[str, Any]]]]:
    """A tiny valid data set (one row per sheet) to be modified by a test."""

    def make() -> dict[str, list[dict[str, Any]]]:
        from datetime import datetime

        return {
            "customers": [
                {
                    "customer_id": "HXKJ20240001",
                    "name": "杭州华信科技有限公司",
                    "short_name": "华信科技",
                    "industry": "软件",
                    "scale": "中型",
                    "contact": "张伟",
                    "phone": "13800138000",
                    "stage": "已合作",
                    "manager": "李娜",
                    "created": date(2024, 3, 1),
                    "first_deal": date(2024, 4, 1),
                    "monetary": 120000.0,
                    "frequency": 3,
                    "last_purchase": date(2026, 10, 1),
                    "upsell_intent": "是",
                }
            ],
            "followups": [
                {
                    "followup_id": "GJ20261101001",
                    "customer_id": "HXKJ20240001",
                    "at": datetime(2026, 11, 1, 10, 0),
                    "channel": "电话",
                    "kind": "日常跟进",
                    "owner": "李娜",
                    "content": "回访产品使用情况，客户反馈良好",
                    "satisfaction": 90,
                    "next_action": "寄送新版资料",
                    "next_action_date": date(2026, 11, 25),
                    "campaign_id": "HD2026001",
                    "recorded": datetime(2026, 11, 1, 15, 0),
                }
            ],
            "feedback": [
                {
                    "feedback_id": "FK20261102001",
                    "customer_id": "HXKJ20240001",
                    "received": datetime(2026, 11, 2, 9, 0),
                    "source": "客户来电",
                    "type": "咨询",
                    "complexity": "一般",
                    "description": "咨询发票开具流程",
                    "assignee": "王强",
                    "status": "已解决",
                    "resolution": "已说明流程",
                    "resolved_at": datetime(2026, 11, 2, 15, 0),
                    "satisfaction": 85,
                }
            ],
            "campaigns": [
                {
                    "campaign_id": "HD2026001",
                    "name": "秋季客户关怀",
                    "scenario": "重要客户绑定",
                    "form": "电话回访",
                    "audience": "全部",
                    "start": date(2026, 10, 20),
                    "end": date(2026, 11, 30),
                    "owner": "李娜",
                    "budget": 5000.0,
                    "spent": 3000.0,
                    "goal_metric": "回访客户数",
                    "goal_target": 15,
                    "goal_actual": 18,
                }
            ],
            "tasks": [
                {
                    "campaign_id": "HD2026001",
                    "task": "整理回访名单",
                    "phase": "准备",
                    "owner": "李娜",
                    "start": date(2026, 10, 20),
                    "due": date(2026, 10, 25),
                    "status": "已完成",
                    "done_on": date(2026, 10, 24),
                }
            ],
        }

    return make


@pytest.fixture
def make_workbook(tmp_path: Path) -> Callable[..., Path]:
    """Write rows (sheet key → list of field-key dicts) as a standard workbook in tmp_path."""
    from xlcrm.writing.template import write_standard_workbook

    def make(rows: dict[str, list[dict[str, Any]]], name: str = "wb.xlsx") -> Path:
        return write_standard_workbook(tmp_path / name, rows, force=True)

    return make
