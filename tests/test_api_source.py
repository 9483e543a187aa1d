"""The library on any Source (SPEC §7, issue #10): a path, bytes or a binary file object give the
same results as the CLI; one run opens the workbook once; bytes never pass through a temp file."""

from __future__ import annotations

import io
import json
import os
import shutil
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from conftest import AS_OF
from test_excel_live import _dirty_rows
from test_safety import _ole2

import xlcrm
from xlcrm import errors
from xlcrm.enrichment import enrich_workbook
from xlcrm.validation import validate_file

RunCli = Callable[..., tuple[int, str, str]]

# --- audit hook: which files a run opens -------------------------------------------------------

_OPENED: list[tuple[str, Any, Any]] | None = None


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if event == "open" and _OPENED is not None and args and isinstance(args[0], (str, bytes, Path)):
        path = args[0].decode() if isinstance(args[0], bytes) else str(args[0])
        _OPENED.append((path, args[1] if len(args) > 1 else None, args[2] if len(args) > 2 else None))


sys.addaudithook(_hook)  # audit hooks cannot be removed; this one records only while a test asks


@contextmanager
def opened_files() -> Iterator[list[tuple[str, Any, Any]]]:
    """Every (path, mode, flags) opened by Python code inside the block."""
    global _OPENED
    _OPENED = found = []
    try:
        yield found
    finally:
        _OPENED = None


def _same_file(a: str, b: Path) -> bool:
    try:
        return Path(a).resolve() == b.resolve()
    except OSError:
        return False


# --- one open of the workbook per run ----------------------------------------------------------


def test_enrich_in_place_with_backup_opens_the_workbook_once(sample_300: Path, tmp_path: Path) -> None:
    path = tmp_path / "团队.xlsx"
    shutil.copy(sample_300, path)
    with opened_files() as opened:
        result = enrich_workbook(path, AS_OF)
    assert result.backup is not None and result.backup.exists()
    assert [o for o in opened if _same_file(o[0], path)] and len([o for o in opened if _same_file(o[0], path)]) == 1
    # the backup is the workbook as it was, byte for byte
    assert result.backup.read_bytes() == sample_300.read_bytes()


def test_validate_file_opens_the_workbook_once(sample_300: Path) -> None:
    with opened_files() as opened:
        validate_file(sample_300, AS_OF)
    assert len([o for o in opened if _same_file(o[0], sample_300)]) == 1


def test_validate_with_annotated_copy_opens_the_workbook_once(sample_300: Path, tmp_path: Path) -> None:
    import xlcrm

    with opened_files() as opened:
        outcome = xlcrm.validate_files([sample_300], as_of=AS_OF, annotate_to=tmp_path / "copy.xlsx")
    assert outcome.files[0].annotated is not None and outcome.files[0].annotated.exists()
    assert len([o for o in opened if _same_file(o[0], sample_300)]) == 1


# --- the same results as the CLI, from bytes and from a file object ----------------------------


@pytest.fixture(params=["sample_300", "dirty", "dirty_enrichable"])
def book(request: pytest.FixtureRequest, make_workbook: Any, blank_rows: Any) -> Path:
    """The 300-customer sample and the suite's dirty books (with and without duplicate IDs)."""
    if request.param == "sample_300":
        return Path(request.getfixturevalue("sample_300"))
    duplicates = request.param == "dirty"
    return Path(make_workbook(_dirty_rows(blank_rows, duplicates=duplicates), f"{request.param}.xlsx"))


def test_validate_bytes_and_file_object_match_the_cli_json(book: Path, run_cli: RunCli) -> None:
    code, out, _ = run_cli("validate", book, "--format", "json", "--as-of", AS_OF)
    assert code in (0, 1)
    expected = json.loads(out)["files"][0]
    data = book.read_bytes()
    from_bytes = xlcrm.validate(data, as_of=AS_OF, name=str(book)).to_dict()
    from_file = xlcrm.validate(io.BytesIO(data), as_of=AS_OF, name=str(book)).to_dict()
    with open(book, "rb") as fh:
        from_open_file = xlcrm.validate(fh, as_of=AS_OF).to_dict()  # its own name: the path
    for got in (from_bytes, from_file, from_open_file):
        assert json.loads(json.dumps(got, ensure_ascii=False, default=str)) == expected
    assert expected["issues"] or book.name.startswith("sample")  # the dirty books have problems
    # without a name, a bytes source is called workbook.xlsx
    assert xlcrm.validate(data, as_of=AS_OF).path == "workbook.xlsx"


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {n: zf.read(n) for n in zf.namelist() if n != "docProps/core.xml"}


@pytest.mark.parametrize("name", ["sample_300", "dirty_enrichable"])
def test_enrich_file_object_gives_the_package_the_cli_writes(
    name: str, request: pytest.FixtureRequest, make_workbook: Any, blank_rows: Any, run_cli: RunCli, tmp_path: Path
) -> None:
    if name == "sample_300":
        source = Path(request.getfixturevalue("sample_300"))
    else:
        source = Path(make_workbook(_dirty_rows(blank_rows, duplicates=False), "dirty2.xlsx"))
    original = source.read_bytes()
    target = tmp_path / "cli.xlsx"
    target.write_bytes(original)
    code, _, err = run_cli("enrich", target, "--as-of", AS_OF, "--no-backup")
    assert code == 0, err
    result = xlcrm.enrich(io.BytesIO(original), as_of=AS_OF)
    assert result.changed and result.target is None and result.backup is None
    assert _parts(result.data) == _parts(target.read_bytes())
    assert source.read_bytes() == original  # the source is never touched


def test_annotate_bytes_gives_the_copy_the_cli_writes(run_cli: RunCli, make_workbook: Any, blank_rows: Any) -> None:
    book = Path(make_workbook(_dirty_rows(blank_rows), "dirty.xlsx"))
    out = book.with_name("标注.xlsx")
    code, _, _ = run_cli("validate", book, "--annotate", out, "--as-of", AS_OF)
    assert code == 1
    data = book.read_bytes()
    annotated = xlcrm.annotate(data, as_of=AS_OF, name=str(book))
    assert _parts(annotated) == _parts(out.read_bytes())


def test_agenda_and_frames_take_bytes(sample_300: Path) -> None:
    data = sample_300.read_bytes()
    assert xlcrm.agenda(data, as_of=AS_OF) == xlcrm.agenda(sample_300, as_of=AS_OF)
    frames = xlcrm.frames(io.BytesIO(data), as_of=AS_OF)
    assert frames["customers"].equals(xlcrm.frames(sample_300, as_of=AS_OF)["customers"])
    assert len(frames["customers"]) == 300


# --- bytes never pass through a temporary file -------------------------------------------------


def _writes(mode: Any, flags: Any) -> bool:
    if isinstance(mode, str):
        return any(c in mode for c in "wax+")
    return isinstance(flags, int) and bool(flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT))


def test_the_library_on_bytes_creates_no_file(sample_300: Path, make_workbook: Any, blank_rows: Any) -> None:
    data = sample_300.read_bytes()
    dirty = Path(make_workbook(_dirty_rows(blank_rows), "dirty.xlsx")).read_bytes()

    def run() -> None:
        report = xlcrm.validate(data, as_of=AS_OF)
        xlcrm.annotate(dirty, as_of=AS_OF)
        xlcrm.enrich(io.BytesIO(data), as_of=AS_OF)
        xlcrm.agenda([data], as_of=AS_OF)
        assert report.ok()

    run()  # first run: lazy imports may compile and cache modules
    with opened_files() as opened:
        run()
    temp = Path(tempfile.gettempdir()).resolve()
    real = [o for o in opened if "__pycache__" not in o[0]]
    assert not [o for o in real if Path(o[0]).resolve().is_relative_to(temp)]
    assert not [o for o in real if _writes(o[1], o[2])]


# --- unusable bytes: the same refusals as for a file, naming the given name ----------------------


def _zip_without_workbook() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("readme.txt", "not a workbook")
    return out.getvalue()


UNUSABLE = {
    "empty": (b"", errors.EmptyFileError, "空的"),
    "text": ("客户编号,客户名称\nHXKJ20240001,华信\n".encode(), errors.CsvFileError, "CSV"),
    "not_a_zip": (b"\x01\x02\x00" + bytes(range(256)) * 8, errors.CorruptFileError, "不是有效的 .xlsx"),
    "encrypted": (_ole2({"EncryptionInfo": 4096, "EncryptedPackage": 4096}), errors.EncryptedFileError, "密码"),
    "legacy_xls": (_ole2({"Workbook": 4096}), errors.LegacyXlsError, "另存为"),
    "no_workbook": (_zip_without_workbook(), errors.CorruptFileError, "缺少 xl/workbook.xml"),
}


@pytest.mark.parametrize("case", sorted(UNUSABLE))
def test_unusable_bytes_are_refused_like_the_file_naming_the_given_name(case: str, tmp_path: Path) -> None:
    data, error, words = UNUSABLE[case]
    path = tmp_path / "上传.xlsx"
    path.write_bytes(data)
    with pytest.raises(error) as from_file:
        validate_file(path, AS_OF)
    calls: list[Callable[[], object]] = [
        lambda: xlcrm.validate(data, as_of=AS_OF, name="上传.xlsx"),
        lambda: xlcrm.enrich(io.BytesIO(data), as_of=AS_OF, name="上传.xlsx"),
        lambda: xlcrm.annotate(data, as_of=AS_OF, name="上传.xlsx"),
    ]
    for call in calls:
        with pytest.raises(error) as got:
            call()
        assert type(got.value) is type(from_file.value)
        assert got.value.message == from_file.value.message.replace(str(path), "上传.xlsx")
        assert "上传.xlsx" in got.value.message and words in got.value.message
    with pytest.raises(error) as unnamed:
        xlcrm.validate(io.BytesIO(data), as_of=AS_OF)
    assert "workbook.xlsx" in unnamed.value.message


def test_a_path_that_is_missing_or_a_folder_is_refused_by_the_file_wrapper(tmp_path: Path) -> None:
    for where in (tmp_path / "没有.xlsx", tmp_path):
        with pytest.raises(errors.FileMissingError) as got:
            xlcrm.validate(where, as_of=AS_OF)
        assert str(where) in got.value.message


def test_a_file_too_large_to_be_a_workbook_is_refused_without_reading_it(
    sample_300: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from xlcrm.reading import source

    monkeypatch.setattr(source, "MAX_FILE_BYTES", 1024)  # stands for 1 GB: the sample is far larger
    with pytest.raises(errors.ZipBombError) as got:
        validate_file(sample_300, AS_OF)
    assert str(sample_300) in got.value.message and "解压后体积异常" in got.value.message


def test_agenda_of_several_bytes_names_the_unusable_one(sample_300: Path) -> None:
    data = sample_300.read_bytes()
    alone = xlcrm.agenda(data, as_of=AS_OF)
    mixed = xlcrm.agenda([data, b""], as_of=AS_OF)  # the second one is an empty upload
    assert mixed["people"] == alone["people"]
    with pytest.raises(errors.EmptyFileError) as only:
        xlcrm.agenda([b""], as_of=AS_OF)  # alone, an unusable source stops the run
    assert "workbook0.xlsx" in only.value.message
    from xlcrm.agenda.source import load_agenda

    run = load_agenda(
        [Path("上传1.xlsx"), Path("上传2.xlsx")], AS_OF, held={Path("上传1.xlsx"): data, Path("上传2.xlsx"): b""}
    )
    assert run.agenda is not None and any("上传2.xlsx" in m and "空的" in m for m in run.skipped)
