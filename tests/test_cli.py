"""The CLI as staff meet it: help, exit codes, clean Chinese messages, never a traceback."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import run_subprocess
from test_safety import BILLION_LAUGHS, _ole2, _rezip, _workbook_bytes

COMMANDS = ["init", "validate", "enrich", "report"]


def test_help_for_every_command(run_cli) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run_cli("--help")
    assert code == 0 and all(c in out for c in COMMANDS)
    for command in COMMANDS:
        code, out, _ = run_cli(command, "--help")
        assert code == 0 and "--as-of" in out or command == "init" and "--sample" in out


def test_english_messages(run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run_cli("--lang", "en", "validate", tmp_path / "nope.xlsx")
    assert code == 2 and "File not found" in err
    monkeypatch.setenv("XLCRM_LANG", "en")
    code, _, err = run_cli("validate", tmp_path / "nope.xlsx")
    assert code == 2 and "File not found" in err


def test_bad_options_exit_2(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run_cli("validate", tmp_path / "x.xlsx", "--as-of", "2026/13/01")
    assert code == 2 and "YYYY-MM-DD" in err and "Traceback" not in err
    code, _, err = run_cli("validate", tmp_path / "x.xlsx", "--format", "xml")
    assert code == 2 and "参数错误" in err


def _encrypted() -> bytes:
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(_workbook_bytes())).encrypt("密码123", out)
    return out.getvalue()


def _bomb(path: Path) -> None:
    chunk = bytes(16 * 1024**2)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            for _ in range(70):
                member.write(chunk)


UNUSABLE = {
    "missing": (None, "找不到文件"),
    "empty.xlsx": (b"", "空的"),
    "legacy.xls": (_ole2({"Workbook": 4096}), "另存为"),
    "data.csv": ("客户编号,客户名称\nHXKJ20240001,华信\n".encode("gbk"), "CSV"),
    "secret.xlsx": (_encrypted(), "密码"),
    "random.xlsx": (bytes(range(256)) * 40, "不是有效的 .xlsx"),
    "truncated.xlsx": (_workbook_bytes()[:3000], "不是有效的 .xlsx"),
    "doctype.xlsx": (_rezip(_workbook_bytes(), {"xl/worksheets/sheet1.xml": BILLION_LAUGHS.encode()}), "不安全的 XML"),
    "bomb.xlsx": ("bomb", "解压后体积异常"),
}


@pytest.mark.parametrize("name", [pytest.param(n, marks=pytest.mark.slow) if n == "bomb.xlsx" else n for n in UNUSABLE])
@pytest.mark.parametrize("command", ["validate", "enrich", "report"])
def test_unusable_input_exit_2_with_message(run_cli, tmp_path: Path, name: str, command: str) -> None:  # type: ignore[no-untyped-def]
    data, fragment = UNUSABLE[name]
    path = tmp_path / name
    if data == "bomb":
        _bomb(path)
    elif data is not None:
        path.write_bytes(data)
    extra = ["--kind", "campaign", "-o", tmp_path / "out"] if command == "report" else []
    code, out, err = run_cli(command, path, *extra)
    assert code == 2, (out, err)
    assert fragment in err and "Traceback" not in err + out
    if data not in (None, "bomb"):
        assert path.read_bytes() == data  # the input is never modified


_MEASURE = (
    "import resource, subprocess, sys\n"
    "proc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)\n"
    "sys.stderr.buffer.write(proc.stderr)\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    "sys.exit(proc.returncode)\n"
)


def _run_measured(tmp_path: Path, *args: object) -> tuple[int, str, int]:
    """Run ``python -m xlcrm`` and return (exit code, stderr, that process's own peak RSS in KiB).

    The command runs under a small fresh Python that reports its children's peak: Linux carries a
    process's peak RSS across fork and exec, so a child of this (large) test process would report at
    least the test process's own size."""
    proc = subprocess.run(
        [sys.executable, "-c", _MEASURE, sys.executable, "-m", "xlcrm", *map(str, args)],
        capture_output=True,
        cwd=tmp_path,
    )
    return proc.returncode, proc.stderr.decode("utf-8"), int(proc.stdout.decode().strip().splitlines()[-1])


@pytest.mark.slow  # writes and refuses a 1.1 GB zip bomb: the standard library's zip code, not a dependency's
def test_unusable_input_is_refused_small_in_a_real_process(tmp_path: Path) -> None:
    _bomb(tmp_path / "bomb.xlsx")
    (tmp_path / "doctype.xlsx").write_bytes(
        _rezip(_workbook_bytes(), {"xl/worksheets/sheet1.xml": BILLION_LAUGHS.encode()})
    )
    peaks = {}
    for name in ("bomb.xlsx", "doctype.xlsx"):
        code, err, peaks[name] = _run_measured(tmp_path, "validate", tmp_path / name)
        assert code == 2 and "Traceback" not in err and err.startswith("xlcrm:")
    # peak RSS (KiB on Linux) of each refusing process: the 1.1 GB bomb and the entity expansion never inflate
    assert all(peak < 250 * 1024 for peak in peaks.values()), peaks


def test_real_process_init_then_validate_json(tmp_path: Path) -> None:
    target = tmp_path / "团队.xlsx"
    proc = run_subprocess("init", target)
    assert proc.returncode == 0 and "已生成标准工作簿" in proc.stdout, proc.stderr
    proc = run_subprocess("validate", target, "--format", "json", "--as-of", "2026-11-20")
    assert proc.returncode == 0, proc.stdout[:2000]
    assert json.loads(proc.stdout) == {
        "files": [{"path": str(target), "ok": True, "errors": 0, "warnings": 0, "issues": []}]
    }


def test_several_files_one_unusable(tmp_path: Path, run_cli, make_workbook, blank_rows) -> None:  # type: ignore[no-untyped-def]
    good = make_workbook(blank_rows())
    bad = tmp_path / "old.xls"
    bad.write_bytes(_ole2({"Workbook": 4096}))
    code, out, err = run_cli("validate", good, bad, "--as-of", "2026-11-20")
    assert code == 2 and "另存为" in err and "0 个错误" in out


def test_text_and_json_output_shapes(run_cli, make_workbook, blank_rows) -> None:  # type: ignore[no-untyped-def]
    rows = blank_rows()
    rows["customers"][0].update(scale="巨型")
    rows["followups"] += [dict(rows["followups"][0], followup_id=None) for _ in range(5)]
    path = make_workbook(rows)
    code, out, _ = run_cli("validate", path, "--as-of", "2026-11-20")
    assert code == 1
    lines = out.splitlines()
    assert "[客户信息]" in lines
    assert any(line.startswith("客户信息!E2 error value.enum “企业规模”") for line in lines)
    assert sum(line.startswith("跟进记录!A") and "id.pending" in line for line in lines) == 3
    assert any("另有 2 条同类提示" in line for line in lines)
    assert "1 个错误，0 个警告，5 条提示 —— 未通过" in lines[-1]
    code, out, _ = run_cli("validate", path, "--as-of", "2026-11-20", "--format", "json")
    doc = json.loads(out)
    f = doc["files"][0]
    assert (f["ok"], f["errors"], f["warnings"], len(f["issues"])) == (False, 1, 0, 6)
    issue = f["issues"][0]
    assert list(issue) == ["severity", "code", "sheet", "cell", "row", "column", "field", "value", "message"]
    assert (issue["sheet"], issue["cell"], issue["row"], issue["column"], issue["field"], issue["value"]) == (
        "客户信息",
        "E2",
        2,
        "E",
        "scale",
        "巨型",
    )


def test_strict_fails_on_warnings(run_cli, make_workbook, blank_rows) -> None:  # type: ignore[no-untyped-def]
    rows = blank_rows()
    rows["customers"][0].update(created="2024/3/1")
    path = make_workbook(rows)
    assert run_cli("validate", path, "--as-of", "2026-11-20")[0] == 0
    assert run_cli("validate", path, "--as-of", "2026-11-20", "--strict")[0] == 1
