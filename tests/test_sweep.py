"""The robustness sweep: every command over every odd-but-valid book (``tests/odd_books.py``).

What a user must never see, whatever the book: a traceback, the CLI's "unexpected error" line,
English library text in a Chinese run, an exit code outside {0, 1, 2}, non-strict JSON, or an
exit 2 without a Chinese reason.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import AS_OF, run_subprocess
from odd_books import CASES, build_odd_books

COMMANDS = [
    "validate",
    "validate_json",
    "annotate",
    "enrich_copy",
    "enrich_in_place",
    "report_campaign",
    "report_monthly",
]

_CJK = re.compile(r"[\u4e00-\u9fff]")
# Three Latin words in a row is library or exception text (our messages quote cells, which are
# Chinese in these books, and codes like value.type, which are single tokens).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ENGLISH = re.compile(r"\b[A-Za-z]{2,}[ ,:]+[A-Za-z]{2,}[ ,:]+[A-Za-z]{2,}\b")

# Cases still failing on this branch because the code that fails belongs to parts being rewritten
# (the enrich/annotate writer, the reporting package). After those land these must flip to passing.
_RAW_CONTROL = "text output prints a cell's control characters (ESC, BEL) raw instead of escaped"
_OPENPYXL = "the openpyxl-based writer {what}; the package-patching writer replaces it"
_KNOWN: dict[tuple[str, str], str] = {}  # every odd book is handled: no known failure left


@pytest.fixture(scope="session")
def odd_books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return build_odd_books(tmp_path_factory.mktemp("odd"))


@pytest.fixture(scope="session")
def first_campaign(odd_books: dict[str, Path]) -> str:
    """The campaign the odd books change (row 2 of 维护活动); campaign reports are limited to it for speed."""
    from xlcrm.reading import read_book

    return read_book(odd_books["symlink"]).book.sheets["campaigns"].rows[0].values["campaign_id"]


def _reject_constant(name: str) -> Any:
    raise ValueError(f"non-strict JSON constant {name}")


def assert_user_facing(code: int, out: str, err: str, *, json_out: bool = False) -> None:
    """What any run of any command on any book must satisfy (see the module docstring)."""
    text = out + err
    assert code in (0, 1, 2), (code, text[-2000:])
    assert "Traceback" not in text, text[-2000:]
    assert "意外错误" not in text, text[-2000:]
    english = _ENGLISH.findall(text)
    assert not english, (english[:5], text[-2000:])
    if code == 2:
        assert _CJK.search(err), err
    raw_control = _CONTROL.findall(text)  # a cell's ESC sequence must not reach the terminal as is
    assert not raw_control, (raw_control[:5], text[-2000:])
    if json_out and out.strip():
        json.loads(out, parse_constant=_reject_constant)


def _args(command: str, book: Path, work: Path, campaign: str) -> list[Any]:
    as_of = ["--as-of", AS_OF.isoformat()]
    if command == "validate":
        return ["validate", book, *as_of]
    if command == "validate_json":
        return ["validate", book, "--format", "json", *as_of]
    if command == "annotate":
        return ["validate", book, "--annotate", work / "标注.xlsx", *as_of]
    if command == "enrich_copy":
        return ["enrich", book, "-o", work / "计算结果.xlsx", *as_of]
    if command == "enrich_in_place":
        copy = work / "copy"
        shutil.copytree(book.parent, copy, symlinks=True)
        return ["enrich", copy / book.name, "--no-backup", *as_of]
    kind = command.split("_")[1]
    only = ["--period", "2026-10"] if kind == "monthly" else ["--campaign", campaign]
    # the case's folder: lock files beside the book must be skipped
    return ["report", book.parent, "--kind", kind, *only, "--format", "md", "-o", work / "reports", *as_of]


def _params() -> list[Any]:
    out = []
    for case in CASES:
        for command in COMMANDS:
            reason = _KNOWN.get((case, command))
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            out.append(pytest.param(case, command, marks=marks, id=f"{case}-{command}"))
    return out


@pytest.mark.parametrize(("case", "command"), _params())
def test_sweep(
    case: str,
    command: str,
    odd_books: dict[str, Path],
    first_campaign: str,
    run_cli: Callable[..., tuple[int, str, str]],
    tmp_path: Path,
) -> None:
    book = odd_books[case]
    code, out, err = run_cli(*_args(command, book, tmp_path, first_campaign))
    assert_user_facing(code, out, err, json_out=command == "validate_json")
    if command in ("validate", "validate_json"):
        assert code != 2, err  # every book here is a valid package: it must be read, not refused
    if case.endswith("_lock") and command == "enrich_in_place":
        assert code == 2 and "打开" in err, out + err  # the book is open in Excel/WPS or LibreOffice
    if case == "symlink" and command == "enrich_in_place":
        assert (tmp_path / "copy" / book.name).is_symlink()  # the target is updated, the link kept
    if case == "history_sheet_visible" and command.startswith("enrich"):
        assert code == 2 and "xlcrm_历史" in err, out + err  # a staff sheet is never overwritten


def test_sweep_in_a_real_process(odd_books: dict[str, Path]) -> None:
    """The same promises hold for ``python -m xlcrm`` (encoding, stderr, exit status of a real process)."""
    books = [odd_books[c] for c in CASES]
    proc = run_subprocess("validate", *books, "--format", "json", "--as-of", AS_OF.isoformat())
    assert_user_facing(proc.returncode, proc.stdout, proc.stderr, json_out=True)
    files = json.loads(proc.stdout)["files"]
    assert [f["path"] for f in files] == [str(b) for b in books]  # every book read, none refused
    texts = [odd_books[c] for c in CASES if c != "control_chars"]
    proc = run_subprocess("validate", *texts, "--as-of", AS_OF.isoformat())
    assert_user_facing(proc.returncode, proc.stdout, proc.stderr)


def test_control_characters_in_a_real_terminal_run(odd_books: dict[str, Path]) -> None:
    proc = run_subprocess("validate", odd_books["control_chars"], "--as-of", AS_OF.isoformat())
    assert_user_facing(proc.returncode, proc.stdout, proc.stderr)
