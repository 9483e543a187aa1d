"""enrich never harms the staff's file: lock files, content it cannot keep, backups, crashes."""

from __future__ import annotations

import hashlib
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


@pytest.mark.parametrize("what, label", [("chart", "图表"), ("image", "图片")])
def test_content_loss_refused_unless_allowed(small: Path, tmp_path: Path, run_cli, what: str, label: str) -> None:  # type: ignore[no-untyped-def]
    _add_chart(small) if what == "chart" else _add_image(small, tmp_path)
    before = digest(small)
    code, _, err = run_cli("enrich", small, "--as-of", AS_OF)
    assert code == 2 and label in err and "--allow-loss" in err
    assert digest(small) == before
    assert not list(small.parent.glob("*.bak-*"))
    code, out, err = run_cli("enrich", small, "--as-of", AS_OF, "--allow-loss")
    assert code == 0, err
    assert list(small.parent.glob("*.bak-*"))


def test_output_to_new_file_warns_about_loss(small: Path, tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    _add_chart(small)
    before = digest(small)
    out_file = tmp_path / "enriched.xlsx"
    code, out, _ = run_cli("enrich", small, "-o", out_file, "--as-of", AS_OF)
    assert code == 0 and "图表" in out and out_file.exists()
    assert digest(small) == before


def test_backup_equals_original(small: Path) -> None:
    original = small.read_bytes()
    result = enrich_workbook(small, AS_OF)
    assert result.backup is not None and result.backup.read_bytes() == original
    assert small.read_bytes() != original


def test_no_backup_option(small: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    assert run_cli("enrich", small, "--as-of", AS_OF, "--no-backup")[0] == 0
    assert not list(small.parent.glob("*.bak-*"))


def test_crash_during_save_leaves_original_intact(small: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from openpyxl.workbook.workbook import Workbook

    before = digest(small)

    def exploding_save(self, filename):  # type: ignore[no-untyped-def]
        Path(filename).write_bytes(b"half a file")
        raise OSError("disk full")

    monkeypatch.setattr(Workbook, "save", exploding_save)
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
    with pytest.raises(WorkbookLockedError):  # --allow-loss never overrides an open workbook
        enrich_workbook(small, AS_OF, allow_loss=True)
