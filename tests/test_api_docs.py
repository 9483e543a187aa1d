"""docs/api.md's examples run as written (SPEC §7): every ``python`` block, in order, in one namespace."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_api_examples_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    text = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    assert len(blocks) >= 5
    shutil.copy(ROOT / "workbooks" / "示例_50客户.xlsx", tmp_path / "团队.xlsx")
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {}
    for block in blocks:
        exec(compile(block, "docs/api.md", "exec"), namespace)  # noqa: S102 - our own documentation
    out = capsys.readouterr().out
    assert "客户信息" in out or "跟进记录" in out  # issues printed with their sheet
    assert (tmp_path / "团队.校验标注.xlsx").read_bytes()[:2] == b"PK"
    assert (tmp_path / "团队_已计算.xlsx").read_bytes()[:2] == b"PK"
    assert "channel" in out  # the groupby printed
    assert "坏文件.xlsx" in out and (tmp_path / "标注" / "团队.校验标注.xlsx").exists()  # validate_files
    assert "报告：已生成" in out and any((tmp_path / "报告").glob("活动复盘_*.md"))  # report
