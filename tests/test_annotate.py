"""validate --annotate: fills, comments, a 校验结果 sheet with working links; the input untouched."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from conftest import AS_OF, needs_libreoffice, soffice_convert
from openpyxl import load_workbook

from xlcrm.schema import RESULTS_SHEET_NAME


@pytest.fixture
def dirty(make_workbook, blank_rows) -> Path:  # type: ignore[no-untyped-def]
    rows = blank_rows()
    rows["customers"][0].update(scale="巨型", created="2024/3/1")  # enum error, text-date warning
    rows["followups"][0].update(content="=cmd|' /C calc'!A0")  # staff text that looks like a formula
    rows["feedback"][0].update(resolution=None)  # 已解决 without 处理结果
    return make_workbook(rows)


def test_annotated_copy(dirty: Path, tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    before = hashlib.sha256(dirty.read_bytes()).hexdigest()
    out = tmp_path / "标注.xlsx"
    code, stdout, err = run_cli("validate", dirty, "--annotate", out, "--as-of", AS_OF)
    assert code == 1
    assert hashlib.sha256(dirty.read_bytes()).hexdigest() == before
    wb = load_workbook(out)
    assert wb.sheetnames[0] == RESULTS_SHEET_NAME
    cust = wb["客户信息"]
    assert cust["E2"].fill.fgColor.rgb.endswith("FFC7CE")  # red: error
    assert cust["M2"].fill.fgColor.rgb.endswith("FFEB9C")  # yellow: warning
    assert "企业规模" in cust["E2"].comment.text and "大型" in cust["E2"].comment.text
    assert wb["反馈处理"]["M2"].fill.fgColor.rgb.endswith("FFC7CE")
    results = wb[RESULTS_SHEET_NAME]
    rows = [[c.value for c in r] for r in results.iter_rows(min_row=2) if r[0].value]
    cells = {(r[1], r[2], r[7]) for r in rows}
    assert ("客户信息", "E2", "value.enum") in cells and ("反馈处理", "M2", "state") in cells
    assert {(r[2], r[4]) for r in rows} >= {("E2", "企业规模"), ("M2", "处理结果")}  # headers, not English keys
    links = {
        r[2].value: r[2].hyperlink.location or r[2].hyperlink.target
        for r in results.iter_rows(min_row=2)
        if r[2].hyperlink
    }
    assert links["E2"] in ("'客户信息'!E2", "#'客户信息'!E2")
    # staff text stays text, in the data sheet and wherever the copy repeats it
    with zipfile.ZipFile(out) as zf:
        xml = b"".join(zf.read(n) for n in zf.namelist() if n.startswith("xl/worksheets/"))
    assert b"<f>cmd" not in xml and b"<f>" not in xml


def test_annotate_refuses_to_overwrite_input(dirty: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    before = dirty.read_bytes()
    code, _, err = run_cli("validate", dirty, "--annotate", dirty, "--as-of", AS_OF)
    assert code == 2 and "输入文件" in err
    assert dirty.read_bytes() == before


@needs_libreoffice
def test_annotated_copy_opens_in_libreoffice(dirty: Path, tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "annotated.xlsx"
    run_cli("validate", dirty, "--annotate", out, "--as-of", AS_OF)
    # round-trip through LibreOffice: the result sheet, comments and links survive
    back = soffice_convert(out, "xlsx:Calc MS Excel 2007 XML", tmp_path / "lo")
    wb = load_workbook(back)
    assert wb.sheetnames[0] == RESULTS_SHEET_NAME
    assert wb["客户信息"]["E2"].comment is not None
    linked = [c for c in wb[RESULTS_SHEET_NAME]["C"] if c.hyperlink]
    assert linked and all("!" in (c.hyperlink.location or c.hyperlink.target or "") for c in linked)


@pytest.fixture
def wordy(make_workbook, blank_rows) -> Path:  # type: ignore[no-untyped-def]
    """A long message (a follow-up naming a customer that does not exist) and several blank IDs."""
    rows = blank_rows()
    first = rows["followups"][0]
    rows["followups"] += [dict(first) for _ in range(3)]
    for row in rows["followups"]:
        row.update(followup_id=None)
    first.update(customer_id="CUS-999999")
    return make_workbook(rows)


def test_results_sheet_rows_tall_enough_for_wrapped_messages(wordy: Path, tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "标注.xlsx"
    run_cli("validate", wordy, "--annotate", out, "--as-of", AS_OF)
    results = load_workbook(out)[RESULTS_SHEET_NAME]
    long_rows = [r for r in results.iter_rows(min_row=2) if r[6].value and len(str(r[6].value)) > 40]
    assert long_rows
    for row in long_rows:
        assert row[6].alignment.wrap_text
        assert (results.row_dimensions[row[0].row].height or 0) >= 30  # two lines at least
    notes = [r for r in results.iter_rows(min_row=2) if r[7].value == "id.pending"]
    assert notes and notes[0][2].value.endswith(" 等")  # the narrow cell column names the first cell
    assert "共" in notes[0][6].value and "、" in notes[0][6].value  # the message lists the cells


@needs_libreoffice
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_results_sheet_prints_whole_messages(wordy: Path, tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "annotated.xlsx"
    run_cli("validate", wordy, "--annotate", out, "--as-of", AS_OF)
    pdf = soffice_convert(out, "pdf", tmp_path / "lo")
    text = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, text=True).stdout
    flat = "".join(text.split())
    for code in ("ref.missing", "id.pending"):  # the code column's text lands between wrapped lines
        flat = flat.replace(code, "")
    message = next(i["message"] for i in _issues(wordy) if i["code"] == "ref.missing")
    assert "".join(message.split()) in flat  # printed whole on the first page, not cut at the column edge


def _issues(path: Path) -> list[dict]:  # type: ignore[type-arg]
    import xlcrm

    return [i.to_dict() for i in xlcrm.validate(path, as_of=AS_OF).issues]
