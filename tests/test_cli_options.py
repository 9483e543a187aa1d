"""The command line in Chinese throughout, ``--lang`` anywhere, ``--set``, and what it prints."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from datetime import date
from pathlib import Path

import pytest
from conftest import AS_OF
from openpyxl import load_workbook

from xlcrm.schema.sheets import FOLLOWUP_STATUSES, RISK_LEVELS, SLA_STATUSES, TIERS

ARGPARSE_ENGLISH = (
    "usage:",
    "positional arguments",
    "options:",
    "show this help",
    "the following arguments",
    "invalid choice",
    "expected one argument",
    "unrecognized arguments",
    "error:",
    "default:",
)


def _patch_cell_xml(src: Path, dst: Path, old: bytes, new: bytes) -> Path:
    """Copy ``src`` to ``dst`` replacing ``old`` by ``new`` in the worksheet XML (values openpyxl cannot write)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        found = False
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename.startswith("xl/worksheets/") and old in data:
                data, found = data.replace(old, new), True
            zout.writestr(info, data)
    assert found
    return dst


def test_lang_en_after_the_subcommand(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run_cli("validate", tmp_path / "nope.xlsx", "--lang", "en")
    assert code == 2 and "File not found" in err
    code, out, _ = run_cli("enrich", "--help", "--lang=en")
    assert code == 0 and "usage:" in out and "--set KEY=VALUE" in out


@pytest.mark.parametrize("command", ["validate", "enrich", "report", "init"])
def test_help_is_chinese_and_shows_defaults(run_cli, command: str) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run_cli(command, "--help")
    assert code == 0
    assert out.startswith("用法：xlcrm " + command) and "选项：" in out and "显示本帮助并退出" in out
    assert not [w for w in ARGPARSE_ENGLISH if w in out]
    expected_default = {
        "validate": "（默认：text）",
        "report": "（默认：reports）",
        "init": "（默认：1）",
        "enrich": "--set KEY=VALUE",
    }[command]
    assert expected_default in out
    if command != "init":
        assert "--set KEY=VALUE" in out


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["validate"], "缺少必需的参数：PATH"),
        (["validate", "x.xlsx", "--format", "xml"], "参数 --format：无效的取值 'xml'"),
        (["enrich", "x.xlsx", "--as-of"], "参数 --as-of：后面需要跟一个值"),
        (["validate", "x.xlsx", "--bogus"], "无法识别的参数：--bogus"),
        (["bogus"], "无效的取值 'bogus'"),
        (["init", "x.xlsx", "--sample", "many"], "“many”不是整数"),
        (["validate", "x.xlsx", "--set", "due_soon_days"], "应写成 参数=值"),
        (["enrich", "x.xlsx", "--set", "=3"], "应写成 参数=值"),
    ],
)
def test_usage_errors_are_chinese_exit_2(run_cli, args: list[str], fragment: str) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run_cli(*args)
    assert code == 2 and out == ""
    assert fragment in err and "参数错误" in err and err.startswith("用法：")
    assert not [w for w in ARGPARSE_ENGLISH if w in err] and "Traceback" not in err


def test_init_summary_names_sheets(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run_cli("init", tmp_path / "s.xlsx", "--sample", 3, "--as-of", AS_OF)
    assert code == 0
    assert re.search(r"客户信息 3，跟进记录 \d+，反馈处理 \d+，维护活动 \d+，活动任务 \d+", out), out
    assert not re.search(r"customers|followups|feedback|campaigns|tasks", out)


def _next_due(path: Path) -> date:
    ws = load_workbook(path)["客户信息"]
    headers = [c.value for c in ws[1]]
    return ws.cell(2, headers.index("下次跟进日期") + 1).value.date()


def test_set_reaches_enrich_and_validate(run_cli, make_workbook, blank_rows, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = make_workbook(blank_rows())
    # the A customer's last follow-up was 2026-11-01: 7 days by default → 11-08; 10 days → 11-11
    assert run_cli("enrich", path, "--as-of", AS_OF, "--no-backup")[0] == 0
    assert _next_due(path) == date(2026, 11, 8)
    code, out, err = run_cli(
        "enrich", path, "--as-of", AS_OF, "--no-backup", "--set", "cadence_days.A=10", "--set", "due_soon_days=0"
    )
    assert code == 0, err
    assert _next_due(path) == date(2026, 11, 11)
    # the command line wins over xlcrm.toml beside the workbook
    (tmp_path / "xlcrm.toml").write_text("[cadence_days]\nA = 12\n", encoding="utf-8")
    assert run_cli("enrich", path, "--as-of", AS_OF, "--no-backup", "--set", "cadence_days.A=9")[0] == 0
    assert _next_due(path) == date(2026, 11, 10)
    code, _, err = run_cli("validate", path, "--as-of", AS_OF, "--set", "no_such_key=1")
    assert code == 2 and "未知参数 no_such_key" in err and "命令行" in err
    code, _, err = run_cli("enrich", path, "--as-of", AS_OF, "--set", "sla_clock=lunar")
    assert code == 2 and "calendar / workday" in err


def _order(line: str, values: tuple[str, ...]) -> list[str]:
    present = [v for v in values if re.search(rf"(^|，|：){re.escape(v)} \d", line)]
    return sorted(present, key=lambda v: re.search(rf"(^|，|：){re.escape(v)} \d", line).start())  # type: ignore[union-attr]


def test_enrich_summary_in_schema_order_and_escaped(run_cli, sample_300: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # a file name with an escape sequence and a bell: printed escaped, never raw to the terminal
    path = tmp_path / "团队\x1b[31m\x07.xlsx"
    shutil.copy(sample_300, path)
    code, out, err = run_cli("enrich", path, "--as-of", AS_OF)
    assert code == 0, err
    assert "\x1b" not in out and "\x07" not in out and "团队\\x1b[31m\\x07.xlsx" in out
    lines = {line.split("：")[0].strip(): line for line in out.splitlines() if "：" in line}
    for label, values in (
        ("流失风险", RISK_LEVELS),
        ("跟进状态", FOLLOWUP_STATUSES),
        ("客户分层", TIERS),
        ("反馈时效", SLA_STATUSES),
    ):
        shown = _order(lines[label], values)
        assert len(shown) >= 2, lines[label]
        assert shown == [v for v in values if v in shown], lines[label]


def test_enrich_summary_when_nothing_changed(make_workbook, blank_rows) -> None:  # type: ignore[no-untyped-def]
    from xlcrm.commands import enrich_summary
    from xlcrm.enrichment import enrich_workbook

    path = make_workbook(blank_rows())
    result = enrich_workbook(path, AS_OF, backup=False)
    result.changed = False  # type: ignore[attr-defined]  # what enrich reports when the file already holds the results
    text = enrich_summary(result)
    assert text.startswith("无需更新") and str(path) in text
    assert "已完成计算" not in text and "备份到" not in text and len(text.splitlines()) == 1


def test_control_characters_escaped_in_validate_text(run_cli, make_workbook, blank_rows, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    rows = blank_rows()
    rows["customers"][0]["scale"] = "CTRLMARK"
    src = make_workbook(rows)
    # Excel stores control characters as _xHHHH_ escapes; openpyxl refuses to write them itself
    path = _patch_cell_xml(src, tmp_path / "ctrl.xlsx", b"CTRLMARK", "巨_x001B_[31m型_x0007_".encode())
    code, out, _ = run_cli("validate", path, "--as-of", AS_OF)
    assert code == 1
    assert "\x1b" not in out and "\x07" not in out
    assert any(
        line.startswith("客户信息!E2 error value.enum") and "巨\\x1b[31m型\\x07" in line for line in out.splitlines()
    )
    code, out, _ = run_cli("validate", path, "--as-of", AS_OF, "--format", "json")
    issue = next(i for i in json.loads(out)["files"][0]["issues"] if i["cell"] == "E2")
    assert issue["value"] == "巨\x1b[31m型\x07" and "\x1b" not in out  # escaped by JSON itself


def _reject_constants(name: str) -> None:
    raise AssertionError(f"not strict JSON: {name}")


def test_json_output_is_strict_for_non_finite_numbers(run_cli, make_workbook, blank_rows, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    rows = blank_rows()
    rows["customers"][0]["monetary"] = 12345.5
    path = _patch_cell_xml(make_workbook(rows), tmp_path / "inf.xlsx", b"<v>12345.5</v>", b"<v>-1e999</v>")
    code, out, _ = run_cli("validate", path, "--as-of", AS_OF, "--format", "json")
    assert code in (0, 1)
    doc = json.loads(out, parse_constant=_reject_constants)
    assert doc["files"][0]["path"] == str(path)


def test_error_messages_escape_control_characters_in_file_names(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    missing = tmp_path / "团队\x1b[2J.xlsx"  # ESC [2J would clear the staff member's terminal
    for args in (["validate", missing], ["validate", missing, missing], ["enrich", missing]):
        code, out, err = run_cli(*args)
        assert code == 2 and "找不到文件" in err
        assert "\x1b" not in err + out and "团队\\x1b[2J.xlsx" in err
