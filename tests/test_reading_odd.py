"""Reading odd-but-valid packages and odd cell values (built in ``odd_books``), as a user sees it."""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import odd_books as ob
import pytest
from conftest import AS_OF, run_subprocess

from xlcrm.reading import read_book
from xlcrm.reading.safety import check_input_file
from xlcrm.validation import validate_file

_ENGLISH = re.compile(r"\b[A-Za-z]{2,}[ ,:]+[A-Za-z]{2,}[ ,:]+[A-Za-z]{2,}\b")


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return ob.build_base(tmp_path_factory.mktemp("base"))


@pytest.fixture(scope="module")
def base_flat(base: Path) -> list[tuple]:
    return validate_file(base, AS_OF).flatten()


def _mutated(base: Path, tmp_path: Path, mutate: Callable[[ob.Package], None], name: str = "odd.xlsx") -> Path:
    pkg = ob.Package(base)
    mutate(pkg)
    return pkg.save(tmp_path / name)


def test_workbook_part_is_found_through_the_package_relationships(base, base_flat, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = _mutated(base, tmp_path, ob._workbook_elsewhere)
    check_input_file(path)  # a valid package: not refused
    assert validate_file(path, AS_OF).flatten() == base_flat
    assert (
        read_book(path).book.sheets["customers"].rows[0].values
        == read_book(base).book.sheets["customers"].rows[0].values
    )


def test_part_names_differing_in_case_from_their_relationships(base, base_flat, tmp_path) -> None:  # type: ignore[no-untyped-def]
    def mutate(pkg: ob.Package) -> None:
        def uncached(ws) -> None:  # type: ignore[no-untyped-def]
            ob.set_formula(ws, f"{ob.column_of(ws, '交付物')}2", '"名"&"单"', None, string=True)

        pkg.edit_sheet("活动任务", uncached)
        ob._shared_strings_case(pkg)  # xl/SharedStrings.xml, relationship target sharedStrings.xml
        part = pkg.sheet_parts()["活动任务"]
        folder, leaf = part.rsplit("/", 1)
        pkg.parts[f"{folder}/{leaf.capitalize()}"] = pkg.parts.pop(part)  # sheet5.xml → Sheet5.xml

    path = _mutated(base, tmp_path, mutate)
    flat = validate_file(path, AS_OF).flatten()
    assert sorted(flat, key=str) == sorted(
        [*base_flat, ("活动任务", "G2", "value.formula_uncached", "warning")], key=str
    )
    assert (
        read_book(path).book.sheets["tasks"].rows[0].values["task"]
        == read_book(base).book.sheets["tasks"].rows[0].values["task"]
    )


def test_unparsable_sheet_that_is_not_ours_is_ignored(base, tmp_path, run_cli) -> None:  # type: ignore[no-untyped-def]
    path = _mutated(base, tmp_path, ob._broken_extra_sheet)
    code, out, err = run_cli("validate", path, "--as-of", AS_OF.isoformat())
    assert code == 0, out + err
    assert (
        "草稿备用 info sheet.unknown 工作表“草稿备用”无法读取（XML 内容无法解析）；xlcrm 不需要读取这张表，已忽略。"
        in out
    )


def test_unparsable_data_sheet_is_refused_with_a_chinese_reason(base, tmp_path, run_cli) -> None:  # type: ignore[no-untyped-def]
    def mutate(pkg: ob.Package) -> None:
        part = pkg.sheet_parts()["活动任务"]
        pkg.parts[part] = pkg.parts[part][:-40]  # cut off: the XML never closes

    path = _mutated(base, tmp_path, mutate)
    # one preflight and one reader for every command
    for command in (
        ["validate", path],
        ["validate", path, "--annotate", tmp_path / "out.xlsx"],
        ["enrich", path, "-o", tmp_path / "out.xlsx"],
        ["report", path, "--kind", "monthly", "--format", "md", "-o", tmp_path / "reports"],
    ):
        code, out, err = run_cli(*command, "--as-of", AS_OF.isoformat())
        assert code == 2
        assert "工作表“活动任务”无法读取：XML 内容无法解析" in err
        assert not _ENGLISH.search(out + err), err
    assert not (tmp_path / "out.xlsx").exists()
    assert not list((tmp_path / "reports").glob("*.md"))


def test_non_finite_numbers_are_type_errors_and_json_stays_strict(base, tmp_path, run_cli) -> None:  # type: ignore[no-untyped-def]
    path = _mutated(base, tmp_path, ob._infinite)
    flat = validate_file(path, AS_OF).flatten()
    for where in [("客户信息", "O2"), ("反馈处理", "P2"), ("维护活动", "I2"), ("维护活动", "L2"), ("维护活动", "M2")]:
        assert (*where, "value.type", "error") in flat
    code, out, _ = run_cli("validate", path, "--format", "json", "--as-of", AS_OF.isoformat())
    assert code == 1

    def refuse(name: str) -> None:
        raise AssertionError(f"not JSON: {name}")

    issues = json.loads(out, parse_constant=refuse)["files"][0]["issues"]
    money = next(i for i in issues if i["cell"] == "O2")
    assert money["message"] == "“近12月消费金额”的数值无效（超出范围或不是数字），请改为正常的数字。"


def test_header_past_row_20_is_one_error_naming_its_row(base, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = _mutated(base, tmp_path, ob._header_row_25)
    issues = [i for i in validate_file(path, AS_OF).issues if i.sheet == "活动任务"]
    assert [(i.code, i.severity, i.cell) for i in issues] == [("header.missing", "error", None)]
    assert issues[0].message.startswith("工作表“活动任务”在前 20 行中找不到表头（第 25 行像是表头）")


def test_control_characters_are_kept_as_typed(base, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = _mutated(base, tmp_path, ob._control_chars)
    book = read_book(path).book
    assert book.sheets["customers"].rows[0].values["note"] == "\x1f备注\x01\x02\x03\x07"
    assert book.sheets["followups"].rows[0].values["content"] == "客户说\x07明天\x01再联系\x1b[31m红色\x1b[0m结束"
    assert book.sheets["followups"].rows[1].values["next_action"] == "\x1b]0;标题\x07发送资料"


def test_one_person_names_fold_spaces_between_chinese_characters(tmp_path, make_workbook, blank_rows, run_cli) -> None:  # type: ignore[no-untyped-def]
    rows = blank_rows()
    first = rows["customers"][0]
    rows["customers"] = [
        dict(first, manager="蒋 静"),
        dict(first, customer_id="HXKJ20240002", name="杭州二号科技有限公司", phone="13800138001", manager="蒋\u3000静"),
        dict(first, customer_id="HXKJ20240003", name="杭州三号科技有限公司", phone="13800138002", manager="蒋静"),
        dict(first, customer_id="HXKJ20240004", name="杭州四号科技有限公司", phone="13800138003", manager="Li  Lei"),
    ]
    rows["followups"][0]["owner"] = "李 娜、王 强"
    rows["feedback"][0]["assignee"] = "王 强"
    rows["campaigns"][0]["owner"] = "李\u3000娜"
    rows["tasks"][0]["owner"] = " 李 娜 "
    path = make_workbook(rows)
    book = read_book(path).book
    assert [r.values["manager"] for r in book.sheets["customers"].rows] == ["蒋静", "蒋静", "蒋静", "Li Lei"]
    assert book.sheets["followups"].rows[0].values["owner"] == "李 娜、王 强"  # several people: separators kept
    assert book.sheets["feedback"].rows[0].values["assignee"] == "王强"
    assert book.sheets["campaigns"].rows[0].values["owner"] == "李娜"
    assert book.sheets["tasks"].rows[0].values["owner"] == "李娜"
    out_dir = tmp_path / "reports"
    code, out, err = run_cli(
        "report",
        path,
        "--kind",
        "monthly",
        "--period",
        "2026-11",
        "--by",
        "manager",
        "--format",
        "md",
        "-o",
        out_dir,
        "--as-of",
        AS_OF.isoformat(),
    )
    assert code == 0, out + err
    per_manager = sorted(p.name for p in out_dir.glob("月度复盘_2026-11_*.md"))
    assert per_manager == ["月度复盘_2026-11_Li Lei.md", "月度复盘_2026-11_蒋静.md"]


def test_numbers_no_date_can_hold_in_date_cells_are_type_errors(base, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """-1e999 or -INF in a date-formatted cell makes the Excel engine panic; the user sees a located
    value.type error and nothing of the engine (checked in a real process: the panic text goes to fd 2)."""
    path = _mutated(base, tmp_path, ob._date_cell_overflow)
    proc = run_subprocess("validate", path, "--format", "json", "--as-of", AS_OF.isoformat())
    assert proc.returncode == 1
    assert proc.stderr == ""
    issues = json.loads(proc.stdout)["files"][0]["issues"]
    errors = {(i["sheet"], i["cell"], i["code"], i["value"]) for i in issues if i["severity"] == "error"}
    assert errors == {
        ("客户信息", "M2", "value.type", "-1e999"),
        ("客户信息", "Q3", "value.type", "-99999999999999"),
        ("跟进记录", "D2", "value.type", "-INF"),
        ("跟进记录", "O3", "value.type", "NaN"),
        ("反馈处理", "D3", "value.type", "1899-12-30"),
    }


@pytest.mark.parametrize(
    ("xml", "found"),
    [
        (b'<c r="A1"><f>SUM(B1:B2)</f><v>3</v></c>', True),
        (b'<x:c r="A1"><x:f t="shared" si="0"/></x:c>', True),
        (b'<c r="A1"><f/></c>', True),
        (b'<c r="A1" t="inlineStr"><is><t>fff of the <font> f:f</t></is></c>', False),
        (b'<pageMargins footer="0.3"/><dimension ref="A1:F9"/>', False),
    ],
)
def test_the_formula_scan_tells_a_formula_tag_from_other_fs(xml: bytes, found: bool, tmp_path: Path) -> None:
    """The scan looks for the rare byte "f" and confirms a tag around it; across a read boundary too."""
    from xlcrm.reading import xmlparts

    assert xmlparts._formula_tag_in(xml) is found
    part = (
        b'<worksheet><sheetData><row r="1">' + b" " * (xmlparts._CHUNK - 20) + xml + b"</row></sheetData></worksheet>"
    )
    path = tmp_path / "f.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("s.xml", part)
    with zipfile.ZipFile(path) as zf:
        assert xmlparts._has_formula(zf, "s.xml", path.read_bytes()) is found
