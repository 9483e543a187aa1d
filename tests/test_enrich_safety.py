"""enrich never harms the staff's file: lock files, content it cannot keep, backups, crashes."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import pytest
from conftest import AS_OF
from openpyxl import load_workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.drawing.image import Image

from xlcrm.enrichment import enrich_workbook
from xlcrm.errors import StructureError, WorkbookLockedError


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def small(make_workbook, blank_rows) -> Path:  # type: ignore[no-untyped-def]
    return make_workbook(blank_rows())


def test_lock_file_refuses_and_writes_nothing(small: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    lock = small.with_name("~$" + small.name)
    lock.write_bytes(b"owner")
    before = digest(small)
    files_before = sorted(p.name for p in small.parent.iterdir())
    code, out, err = run_cli("enrich", small, "--as-of", AS_OF)
    assert code == 2 and "正在被 Excel/WPS 打开" in err and "Traceback" not in err
    assert digest(small) == before
    assert sorted(p.name for p in small.parent.iterdir()) == files_before  # no backup, no temp file


def _add_chart(path: Path) -> None:
    wb = load_workbook(path)
    ws = wb["维护活动"]
    chart = BarChart()
    chart.add_data(Reference(ws, min_col=12, min_row=1, max_row=2), titles_from_data=True)
    ws.add_chart(chart, "AF2")
    wb.save(path)


def _add_image(path: Path, tmp_path: Path) -> None:
    from PIL import Image as PILImage

    png = tmp_path / "logo.png"
    PILImage.new("RGB", (20, 20), "red").save(png)
    wb = load_workbook(path)
    wb["说明"].add_image(Image(str(png)), "C3")
    wb.save(path)


@pytest.mark.parametrize("what", ["chart", "image"])
def test_charts_and_images_are_enriched_and_kept(small: Path, tmp_path: Path, run_cli, what: str) -> None:  # type: ignore[no-untyped-def]
    _add_chart(small) if what == "chart" else _add_image(small, tmp_path)
    with zipfile.ZipFile(small) as zf:
        before = {n: zf.read(n) for n in zf.namelist() if n.startswith(("xl/charts/", "xl/media/", "xl/drawings/"))}
    assert before
    code, out, err = run_cli("enrich", small, "--as-of", AS_OF)
    assert code == 0, err
    assert list(small.parent.glob("*.bak-*"))
    with zipfile.ZipFile(small) as zf:
        assert {n: zf.read(n) for n in before} == before
    ws = load_workbook(small)["客户信息"]
    headers = [c.value for c in ws[1]]
    assert ws.cell(2, headers.index("客户分层") + 1).value in ("A", "B", "C")


def test_allow_loss_option_is_gone(small: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run_cli("enrich", small, "--as-of", AS_OF, "--allow-loss")
    assert code == 2 and "--allow-loss" in err


def test_backup_equals_original(small: Path) -> None:
    original = small.read_bytes()
    result = enrich_workbook(small, AS_OF)
    assert result.backup is not None and result.backup.read_bytes() == original
    assert small.read_bytes() != original


def test_no_backup_option(small: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    assert run_cli("enrich", small, "--as-of", AS_OF, "--no-backup")[0] == 0
    assert not list(small.parent.glob("*.bak-*"))


def test_crash_during_save_leaves_original_intact(small: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from xlcrm.writing.package import Package

    before = digest(small)
    real_write = Package.write

    def exploding_write(self, out):  # type: ignore[no-untyped-def]
        real_write(self, out)  # the whole package reaches the temp file, then the disk fills up
        raise OSError("disk full")

    monkeypatch.setattr(Package, "write", exploding_write)
    with pytest.raises(OSError):
        enrich_workbook(small, AS_OF, backup=False)
    assert digest(small) == before
    assert not [p for p in small.parent.iterdir() if p.name.startswith(".xlcrm-")]


def test_structural_errors_refuse(make_workbook, blank_rows, run_cli) -> None:  # type: ignore[no-untyped-def]
    rows = blank_rows()
    rows["followups"].append(dict(rows["followups"][0]))  # duplicate 记录编号
    path = make_workbook(rows)
    before = digest(path)
    code, _, err = run_cli("enrich", path, "--as-of", AS_OF)
    assert code == 2 and "value.duplicate" in err and "跟进记录!A3" in err
    assert digest(path) == before
    with pytest.raises(StructureError):
        enrich_workbook(path, AS_OF)


def test_locked_error_type(small: Path) -> None:
    small.with_name("~$" + small.name).write_bytes(b"")
    with pytest.raises(WorkbookLockedError):
        enrich_workbook(small, AS_OF)
