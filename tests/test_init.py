"""``xlcrm init``: the standard workbook matches the schema and opens in LibreOffice."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from conftest import needs_libreoffice, soffice_convert
from openpyxl import load_workbook

from xlcrm.config import defaults_as_rows
from xlcrm.schema import CONFIG, DATA_SHEETS, HELP_SHEET_NAME
from xlcrm.writing.styles import COMPUTED_FILL


@pytest.fixture(scope="module")
def blank(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from xlcrm.writing.template import write_standard_workbook

    return write_standard_workbook(tmp_path_factory.mktemp("init") / "b.xlsx")


def test_sheets_in_order(blank: Path) -> None:
    wb = load_workbook(blank)
    assert wb.sheetnames == [k.name for k in DATA_SHEETS] + [CONFIG.name, HELP_SHEET_NAME]


@pytest.mark.parametrize("kind", DATA_SHEETS, ids=lambda k: k.key)
def test_headers_comments_and_styles(blank: Path, kind) -> None:  # type: ignore[no-untyped-def]
    ws = load_workbook(blank)[kind.name]
    headers = [c.value for c in ws[1]]
    assert headers == [f.header for f in kind.fields]
    for col, f in enumerate(kind.fields, start=1):
        cell = ws.cell(1, col)
        assert cell.comment is not None and f.description in cell.comment.text
        if f.computed:
            assert cell.fill.fgColor.rgb.endswith(COMPUTED_FILL.fgColor.rgb[-6:])
            assert "xlcrm enrich" in cell.comment.text
        else:
            assert not cell.fill.fgColor.rgb.endswith(COMPUTED_FILL.fgColor.rgb[-6:])
        if f.required and not f.computed:
            assert cell.font.b and cell.font.color.rgb.endswith("C00000")
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref.startswith("A1:")


@pytest.mark.parametrize("kind", DATA_SHEETS, ids=lambda k: k.key)
def test_dropdowns_equal_schema_enums(blank: Path, kind) -> None:  # type: ignore[no-untyped-def]
    ws = load_workbook(blank)[kind.name]
    found = {}
    for dv in ws.data_validations.dataValidation:
        assert dv.type == "list"
        values = tuple(dv.formula1.strip('"').split(","))
        for rng in str(dv.sqref).split():
            col = "".join(ch for ch in rng.split(":")[0] if ch.isalpha())
            last_row = int("".join(ch for ch in rng.split(":")[1] if ch.isdigit()))
            assert last_row >= 5001
            found[col] = values
    from openpyxl.utils import get_column_letter

    expected = {get_column_letter(i): f.enum for i, f in enumerate(kind.fields, start=1) if f.enum}
    assert found == expected


def test_typed_columns_have_formats(blank: Path) -> None:
    ws = load_workbook(blank)["跟进记录"]
    headers = [c.value for c in ws[1]]
    at = headers.index("跟进时间") + 1
    plan = headers.index("下一步计划日期") + 1
    assert ws.cell(5001, at).number_format == "yyyy-mm-dd hh:mm"
    assert ws.cell(2, plan).number_format == "yyyy-mm-dd"


def test_config_and_help_sheets(blank: Path) -> None:
    wb = load_workbook(blank)
    rows = [tuple(c.value for c in r) for r in wb[CONFIG.name].iter_rows(min_row=2)]
    # SPEC §1.6: 值 is empty (a filled 值 is always an explicit choice), the default is shown beside it
    assert [(k, v, d) for k, v, d, _ in rows] == [(k, None, d) for k, d, _ in defaults_as_rows()]
    text = "\n".join(str(r[0].value) for r in wb[HELP_SHEET_NAME].iter_rows() if r[0].value)
    for word in ("validate", "enrich", "report", *[k.name for k in DATA_SHEETS]):
        assert word in text


def test_refuses_to_overwrite_without_force(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "b.xlsx"
    assert run_cli("init", target)[0] == 0
    before = hashlib.sha256(target.read_bytes()).hexdigest()
    code, out, err = run_cli("init", target)
    assert code == 2 and "已存在" in err and "--force" in err and "Traceback" not in err
    assert hashlib.sha256(target.read_bytes()).hexdigest() == before
    assert run_cli("init", target, "--force")[0] == 0


def test_blank_workbook_validates_clean(blank: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run_cli("validate", blank, "--as-of", "2026-11-20")
    assert code == 0 and "0 个错误" in out, err


@needs_libreoffice
def test_opens_in_libreoffice(blank: Path, tmp_path: Path) -> None:
    pdf = soffice_convert(blank, "pdf", tmp_path)
    assert pdf.stat().st_size > 1000


def test_sample_200_seed_7_twice_identical(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    from test_workbooks import values

    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    for target in (a, b):
        assert run_cli("init", target, "--sample", 200, "--seed", 7, "--as-of", "2026-11-20")[0] == 0
    assert values(a) == values(b)
    customers = [r for r in values(a)["客户信息"] if any(v is not None for v in r)]
    assert len(customers) == 201  # header + 200 customers
