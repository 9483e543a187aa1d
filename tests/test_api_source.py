"""The library on any Source (SPEC §7, issue #10): a path, bytes or a binary file object give the
same results as the CLI; one run opens the workbook once; bytes never pass through a temp file."""

from __future__ import annotations

import io
import json
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

import xlcrm
from xlcrm import errors
from xlcrm.enrichment import enrich_workbook
from xlcrm.validation import validate_file

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
