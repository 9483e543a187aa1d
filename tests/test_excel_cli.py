"""``--live`` on the command line, the clear refusals without Excel, the buttons, and the rule that
nothing but ``xlcrm/excel`` imports xlwings."""

from __future__ import annotations

import ast
import subprocess
import sys
import types
from pathlib import Path
from typing import Any

import pytest
from conftest import AS_OF
from excel_standin import App, Book, open_standin

import xlcrm
from xlcrm.excel import attach, buttons, command
from xlcrm.schema import RESULTS_SHEET_NAME

ROOT = Path(__file__).resolve().parents[1]

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]


@pytest.fixture
def book_path(make_workbook: Any, blank_rows: Any) -> Path:
    rows = blank_rows()
    rows["customers"][0]["scale"] = "巨型"  # one error: 客户信息!E2 value.enum
    rows["customers"].append({**rows["customers"][0], "customer_id": None, "scale": "中型", "name": "第二家公司"})
    return make_workbook(rows, "团队.xlsx")


def _lock(path: Path) -> Path:
    lock = path.with_name("~$" + path.name)
    lock.write_bytes(b"")
    return lock


# --- through the CLI, with the stand-in in place of Excel ----------------------------------------


def test_validate_live_prints_what_validate_prints(
    book_path: Path, run_cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    code_file, out_file, _ = run_cli("validate", book_path, "--as-of", AS_OF)
    book = open_standin(book_path)
    monkeypatch.setattr(command, "find_open_book", lambda path: book)
    code, out, err = run_cli("validate", book_path, "--live", "--as-of", AS_OF)
    assert (code, code_file) == (1, 1)
    assert "客户信息!E2 error value.enum" in out
    assert out == out_file  # the same listing, under the path as typed
    assert "已在 Excel 中标出问题单元格" in err and "尚未保存" in err
    assert book.names()[0] == RESULTS_SHEET_NAME


def test_enrich_live_prints_the_summary_and_leaves_saving_to_the_user(
    book_path: Path, run_cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = book_path.read_bytes()
    book = open_standin(book_path)
    monkeypatch.setattr(command, "find_open_book", lambda path: book)
    code, out, err = run_cli("enrich", book_path, "--live", "--as-of", AS_OF)
    assert code == 0, err
    assert "补全编号：1 个" in out and "尚未保存" in out
    assert book.sheet("客户信息").range("A3").value == "HXKJ20240002"  # the blank ID filled in Excel
    assert book_path.read_bytes() == before  # the file on disk is Excel's to save


@pytest.mark.parametrize("args", [["validate", "--annotate", "out.xlsx"], ["enrich", "-o", "out.xlsx"]])
def test_options_that_make_no_sense_live_are_refused(args: list[str], book_path: Path, run_cli: Any) -> None:
    code, _, err = run_cli(args[0], book_path, "--live", *args[1:])
    assert code == 2 and "不能与 --live 同时使用" in err


# --- without Excel: a clear message and exit code 2 ----------------------------------------------


def test_not_open_says_run_without_live(book_path: Path, run_cli: Any) -> None:
    code, _, err = run_cli("enrich", book_path, "--live")
    assert code == 2 and "没有在 Excel 中打开" in err and "不加 --live" in err


def test_missing_file_is_the_usual_message(tmp_path: Path, run_cli: Any) -> None:
    code, _, err = run_cli("validate", tmp_path / "无.xlsx", "--live")
    assert code == 2 and "找不到文件" in err


def test_without_xlwings_says_how_to_install(book_path: Path, run_cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    _lock(book_path)
    monkeypatch.setitem(sys.modules, "xlwings", None)  # import xlwings → ImportError
    code, _, err = run_cli("validate", book_path, "--live")
    assert code == 2 and 'pip install "xlcrm[excel]"' in err and "Traceback" not in err


def test_on_linux_says_there_is_no_excel(book_path: Path, run_cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    _lock(book_path)
    monkeypatch.setitem(sys.modules, "xlwings", types.ModuleType("xlwings"))
    monkeypatch.setattr(attach.sys, "platform", "linux")
    code, _, err = run_cli("enrich", book_path, "--live")
    assert code == 2 and "没有可连接的 Microsoft Excel" in err and "xlcrm serve" in err


def test_this_machine_gives_the_clear_message(book_path: Path) -> None:
    """A real process on this machine (no Excel): exit 2 and Chinese, whether xlwings is installed or not."""
    _lock(book_path)
    proc = subprocess.run(
        [sys.executable, "-m", "xlcrm", "validate", str(book_path), "--live"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 2
    assert (
        "没有可连接的 Microsoft Excel" in proc.stderr or "xlwings" in proc.stderr
    ) and "Traceback" not in proc.stderr


def _fake_xlwings(monkeypatch: pytest.MonkeyPatch, apps: list[App]) -> None:
    class Apps(list):  # type: ignore[type-arg]
        @property
        def count(self) -> int:
            return len(self)

    monkeypatch.setitem(sys.modules, "xlwings", types.SimpleNamespace(apps=Apps(apps)))
    monkeypatch.setattr(attach.sys, "platform", "win32")


def test_lock_but_no_excel_running_points_to_wps_and_the_inbox(
    book_path: Path, run_cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _lock(book_path)
    _fake_xlwings(monkeypatch, [])
    code, _, err = run_cli("validate", book_path, "--live")
    assert code == 2 and "Excel 没有在运行" in err and "WPS" in err and "xlcrm serve" in err


def test_open_in_libreoffice_points_to_the_inbox(
    book_path: Path, run_cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    book_path.with_name(f".~lock.{book_path.name}#").write_text("x", encoding="utf-8")
    _fake_xlwings(monkeypatch, [])
    code, _, err = run_cli("enrich", book_path, "--live")
    assert code == 2 and "LibreOffice" in err and "xlcrm serve" in err


def test_open_in_another_program_points_to_wps_and_the_inbox(
    book_path: Path, run_cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _lock(book_path)
    app = App()
    Book(str(book_path.with_name("别的.xlsx")), app)
    _fake_xlwings(monkeypatch, [app])
    code, _, err = run_cli("validate", book_path, "--live")
    assert code == 2 and "不是在 Microsoft Excel 中" in err and "xlcrm serve" in err


def test_the_open_book_is_found_by_path_or_by_name(book_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _lock(book_path)
    app = App()
    Book(str(book_path.with_name("别的.xlsx")), app)
    mine = open_standin(book_path)
    app.books.append(mine)
    _fake_xlwings(monkeypatch, [app])
    assert attach.find_open_book(book_path) is mine
    mine.fullname = "https://example.sharepoint.com/团队.xlsx"  # a OneDrive copy: matched by its name
    assert attach.find_open_book(book_path) is mine


# --- buttons (RunPython) -------------------------------------------------------------------------


def test_validate_button_marks_and_says_how_many(book_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    book = open_standin(book_path)
    monkeypatch.setattr(buttons, "active_book", lambda: book)
    monkeypatch.setattr(buttons, "_today", lambda: AS_OF)
    xlcrm.excel.validate_active()
    prompt, title, mode = book.app.alerts[-1]
    assert "发现 1 个错误" in prompt and title == "xlcrm" and mode == "info"
    assert book.sheet("客户信息").range("E2").color == (255, 199, 206)


def test_enrich_button_fills_and_reminds_to_save(book_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    book = open_standin(book_path)
    monkeypatch.setattr(buttons, "active_book", lambda: book)
    monkeypatch.setattr(buttons, "_today", lambda: AS_OF)
    xlcrm.excel.enrich_active()
    prompt = book.app.alerts[-1][0]
    assert "补全编号 1 个" in prompt and "有 1 行因错误未计算" in prompt and "尚未保存" in prompt


def test_a_failing_button_shows_a_message_box_not_a_traceback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "随便"
    wb.save(tmp_path / "x.xlsx")
    book = open_standin(tmp_path / "x.xlsx")
    monkeypatch.setattr(buttons, "active_book", lambda: book)
    xlcrm.excel.enrich_active()
    prompt, _, mode = book.app.alerts[-1]
    assert mode == "critical" and "缺少工作表" in prompt and "xlcrm validate" in prompt


def test_agenda_button_writes_todays_agenda_first(book_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    book = open_standin(book_path)
    monkeypatch.setattr(buttons, "active_book", lambda: book)
    monkeypatch.setattr(buttons, "_today", lambda: AS_OF)
    xlcrm.excel.agenda_active()
    prompt, _, mode = book.app.alerts[-1]
    assert mode == "info" and "今日待办" in prompt
    assert book.names()[0] == "今日待办" and book.sheets.active.name == "今日待办"
    sheet = book.sheet("今日待办")
    column_a = [sheet.range((r, 1)).value for r in range(1, 40)]
    assert column_a[0] == "今日待办（统计日 2026-11-20，向后看 7 天）"
    assert any(str(v).startswith("【逾期未跟进】") for v in column_a)
    xlcrm.excel.agenda_active()  # pressed again: replaced, not added
    assert book.names().count("今日待办") == 1


def test_agenda_button_without_the_agenda_asks_for_a_newer_xlcrm(
    book_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    book = open_standin(book_path)
    monkeypatch.setattr(buttons, "active_book", lambda: book)
    monkeypatch.setitem(sys.modules, "xlcrm.agenda", None)  # an xlcrm from before the agenda
    xlcrm.excel.agenda_active()
    prompt, _, mode = book.app.alerts[-1]
    assert mode == "critical" and "升级 xlcrm" in prompt and "今日待办" not in book.names()


# --- packaging and imports -----------------------------------------------------------------------


def test_excel_extra_installs_open_source_xlwings() -> None:
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    extra = meta["project"]["optional-dependencies"]["excel"]
    assert extra == ["xlwings>=0.37.8"]
    assert "xlwings" not in " ".join(meta["project"]["dependencies"])


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_only_the_excel_package_imports_xlwings() -> None:
    package = ROOT / "xlcrm"
    importers = sorted(p.relative_to(package).as_posix() for p in package.rglob("*.py") if "xlwings" in _imports(p))
    assert importers and all(p.startswith("excel/") for p in importers), importers


def test_xlcrm_runs_without_importing_xlwings(book_path: Path) -> None:
    code = (
        "import sys, datetime, xlcrm, xlcrm.excel, xlcrm.excel.command, xlcrm.excel.buttons\n"
        f"p = r'{book_path}'\n"
        "xlcrm.validate(p, as_of=datetime.date(2026, 11, 20))\n"
        "xlcrm.enrich(p, as_of=datetime.date(2026, 11, 20))\n"
        "assert 'xlwings' not in sys.modules, 'xlwings imported'\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr


def test_an_unexpected_failure_in_a_button_is_a_message_box(book_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import xlcrm.excel.live as live

    book = open_standin(book_path)
    monkeypatch.setattr(buttons, "active_book", lambda: book)
    monkeypatch.delenv("XLCRM_DEBUG", raising=False)

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(live, "validate_live", broken)
    xlcrm.excel.validate_active()
    prompt, _, mode = book.app.alerts[-1]
    assert mode == "critical" and "意外错误" in prompt and "boom" in prompt


def test_set_overrides_reach_the_live_run(
    book_path: Path, run_cli: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import python_calamine as pc

    overrides = {"cadence_days.A": "10", "cadence_days.B": "10", "cadence_days.C": "10"}
    expected = tmp_path / "file.xlsx"
    expected.write_bytes(xlcrm.enrich(book_path, as_of=AS_OF, overrides=overrides).data)
    rows = pc.CalamineWorkbook.from_path(str(expected)).get_sheet_by_name("客户信息").to_python()
    col = rows[0].index("跟进周期(天)")
    book = open_standin(book_path)
    monkeypatch.setattr(command, "find_open_book", lambda path: book)
    sets = [a for k, v in overrides.items() for a in ("--set", f"{k}={v}")]
    code, _, err = run_cli("enrich", book_path, "--live", "--as-of", AS_OF, *sets)
    assert code == 0, err
    got = book.sheet("客户信息").range((3, col + 1)).value  # row 2 has an error: not computed
    assert got == rows[2][col] == 10


def test_a_staff_sheet_named_like_xlcrms_is_never_overwritten(book_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    book = open_standin(book_path)
    mine = book.sheets.add("今日待办", after=book.sheets[len(book.sheets) - 1])
    mine.range("A1").value = [["我自己的待办清单"]]
    marks = book.sheets.add("xlcrm_标注", after=mine)
    marks.range("A1").value = [["随手记"]]
    monkeypatch.setattr(buttons, "active_book", lambda: book)
    monkeypatch.setattr(buttons, "_today", lambda: AS_OF)
    xlcrm.excel.agenda_active()
    assert book.app.alerts[-1][2] == "critical" and "今日待办" in book.app.alerts[-1][0]
    xlcrm.excel.validate_active()
    assert book.app.alerts[-1][2] == "critical" and "xlcrm_标注" in book.app.alerts[-1][0]
    assert mine.range("A1").value == "我自己的待办清单" and marks.range("A1").value == "随手记"
    assert RESULTS_SHEET_NAME not in book.names()
