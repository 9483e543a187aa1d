"""Saving safely: LibreOffice's lock file, symbolic links, read-only folders, no English warnings."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import AS_OF, run_subprocess
from openpyxl import load_workbook


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _tier(path: Path) -> str | None:
    ws = load_workbook(path)["客户信息"]
    headers = [c.value for c in ws[1]]
    return ws.cell(2, headers.index("客户分层") + 1).value


@pytest.fixture
def small(make_workbook, blank_rows) -> Path:  # type: ignore[no-untyped-def]
    return make_workbook(blank_rows())


def test_libreoffice_lock_file_refuses_and_writes_nothing(small: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    small.with_name(f".~lock.{small.name}#").write_text(",张伟,PC-01,20/11/2026 09:30,张伟;", encoding="utf-8")
    before = digest(small)
    files_before = sorted(p.name for p in small.parent.iterdir())
    for args in (["enrich", small], ["init", small, "--force"]):
        code, out, err = run_cli(*args, "--as-of", AS_OF)
        assert code == 2 and "正在被 LibreOffice 打开" in err and f".~lock.{small.name}#" in err, err
        assert digest(small) == before
        assert sorted(p.name for p in small.parent.iterdir()) == files_before  # no backup, no temp file


def test_enrich_through_a_symlink_updates_the_target_and_keeps_the_link(small: Path, tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    links = tmp_path / "桌面"
    links.mkdir()
    link = links / "团队.xlsx"
    link.symlink_to(small)
    code, out, err = run_cli("enrich", link, "--as-of", AS_OF)
    assert code == 0, err
    assert link.is_symlink() and link.resolve() == small.resolve()
    assert _tier(small) in ("A", "B", "C")  # the target holds the computed columns
    backups = sorted(small.parent.glob(f"{small.stem}.bak-*"))
    assert len(backups) == 1 and _tier(backups[0]) is None  # the backup, beside the target, is the original
    assert sorted(p.name for p in links.iterdir()) == ["团队.xlsx"]  # nothing written beside the link
    # a lock file beside the real file also counts when the workbook is reached through the link
    small.with_name("~$" + small.name).write_bytes(b"owner")
    code, _, err = run_cli("enrich", link, "--as-of", AS_OF)
    assert code == 2 and "正在被 Excel/WPS 打开" in err


def _in_read_only_folder(folder: Path, *args: object) -> subprocess.CompletedProcess[str]:
    """Run the CLI with ``folder`` read-only: by permissions, or (as root, whom permissions do not stop)
    by a read-only bind mount in a private mount namespace."""
    command = [sys.executable, "-m", "xlcrm", *map(str, args)]
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            return subprocess.run(command, capture_output=True, text=True, timeout=300)
        finally:
            folder.chmod(0o755)
    unshare = shutil.which("unshare")
    probe = unshare and subprocess.run([unshare, "-rm", "true"], capture_output=True)
    if not probe or probe.returncode != 0:
        pytest.skip("running as root without user namespaces: no way to make a folder read-only")
    script = 'mount --bind -o ro "$1" "$1" && shift && exec "$@"'
    return subprocess.run(
        [unshare, "-rm", "sh", "-c", script, "sh", str(folder), *command],  # type: ignore[list-item]
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.parametrize("backup", [True, False], ids=["backup", "no-backup"])
def test_read_only_folder_is_a_clear_error_and_nothing_changes(small: Path, backup: bool) -> None:
    folder = small.parent
    before = digest(small)
    files_before = sorted(p.name for p in folder.iterdir())
    proc = _in_read_only_folder(folder, "enrich", small, "--as-of", AS_OF, *([] if backup else ["--no-backup"]))
    assert proc.returncode == 2, proc.stderr
    what = "备份文件" if backup else "临时文件"
    assert proc.stderr.startswith("xlcrm: 无法在文件夹") and what in proc.stderr and "未做任何修改" in proc.stderr
    assert "Traceback" not in proc.stderr and "Errno" not in proc.stderr and "denied" not in proc.stderr
    assert digest(small) == before and sorted(p.name for p in folder.iterdir()) == files_before


def _with_data_validation_extension(src: Path, dst: Path) -> Path:
    """A copy with a cross-sheet dropdown stored as an x14 extension (as Excel saves it); openpyxl warns on it."""
    ext = (
        '<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" '
        'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
        '<x14:dataValidations xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main" count="1">'
        '<x14:dataValidation type="list" allowBlank="1"><x14:formula1><xm:f>配置!$A$2:$A$5</xm:f>'
        "</x14:formula1><xm:sqref>T2:T100</xm:sqref></x14:dataValidation></x14:dataValidations></ext></extLst>"
    )
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</worksheet>", ext.encode() + b"</worksheet>")
            zout.writestr(info, data)
    return dst


def test_library_warnings_never_reach_stderr(small: Path, tmp_path: Path) -> None:
    book = _with_data_validation_extension(small, tmp_path / "扩展下拉.xlsx")
    proc = run_subprocess("enrich", book, "-o", tmp_path / "out.xlsx", "--as-of", AS_OF)
    assert proc.returncode == 0, proc.stderr
    proc2 = run_subprocess("validate", book, "--annotate", tmp_path / "标注.xlsx", "--as-of", AS_OF)
    assert proc2.returncode == 0, proc2.stderr
    for err in (proc.stderr, proc2.stderr):
        assert "UserWarning" not in err and "warn(" not in err and "not supported" not in err, err
    assert _tier(tmp_path / "out.xlsx") in ("A", "B", "C")
