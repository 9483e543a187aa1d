"""enrich's checks run in a forked process while it derives (``validation.check_and_derive``): the
outcome must be that of checking first, also when a check rejects rows the derive had counted
(it derives again), when the workbook has structural errors (enrich refuses it), and when the
helper process fails (the checks run here)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from conftest import AS_OF
from odd_books import Package, cell_text, get_cell, set_text

from xlcrm import forking, validation
from xlcrm.enrichment import enrich_data
from xlcrm.errors import StructureError
from xlcrm.validation import CheckedBook, check_data


@pytest.fixture
def forks(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Speculate from any size; count the checks' helper processes started and the derives run
    (not the helper that looks up pinyin initials, ``derive.ids.Initials``)."""
    counts = {"forks": 0, "derives": 0}
    derive = validation.derive

    class CountedCall(forking.ForkedCall):
        @classmethod
        def start(cls, work):  # type: ignore[no-untyped-def]
            helper = forking.ForkedCall.start(work)
            counts["forks"] += helper is not None
            return helper

    def counted_derive(*args: Any, **kwargs: Any) -> Any:
        counts["derives"] += 1
        return derive(*args, **kwargs)

    monkeypatch.setattr(validation, "SPECULATE_MIN_ROWS", 0)
    monkeypatch.setattr(validation, "ForkedCall", CountedCall)
    monkeypatch.setattr(validation, "derive", counted_derive)
    return counts


def _checked(path: Path, monkeypatch: pytest.MonkeyPatch, parallel: bool) -> CheckedBook:
    monkeypatch.setattr(forking, "PARALLEL", parallel)
    return check_data(path.read_bytes(), AS_OF, None, None, path.name, derived=True)


def _outcome(checked: CheckedBook) -> tuple[object, ...]:
    d = checked.derived
    rejected = sorted((s.name, r.number) for s in checked.book.sheets.values() for r in s.rows if r.rejected)
    derived = None if d is None else (d.values, d.fills, d.filled_ids, d.refresh, d.snapshots)
    return [i.to_dict() for i in checked.report.issues], rejected, derived


def _edited(src: Path, tmp_path: Path, sheet: str, ref: str, text: str | None = None, like: str | None = None) -> Path:
    pkg = Package(src)

    def change(ws):  # type: ignore[no-untyped-def]
        set_text(ws, ref, text if text is not None else cell_text(get_cell(ws, like or ref)) or "")

    pkg.edit_sheet(sheet, change)
    return pkg.save(tmp_path / "book.xlsx")


def test_checks_beside_the_derive_give_what_checking_first_gives(
    sample_300: Path, forks: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    beside = _checked(sample_300, monkeypatch, parallel=True)
    assert forks == {"forks": 1, "derives": 1}  # clean rows: the derive made beside the checks stands
    first = _checked(sample_300, monkeypatch, parallel=False)
    assert _outcome(beside) == _outcome(first)
    assert beside.derived is not None and beside.derived.values["customers"]


def test_rows_a_check_rejects_are_left_out_as_when_checking_first(
    sample_300: Path, tmp_path: Path, forks: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    # a follow-up of a customer that does not exist: rejected by a check, not by the reading
    path = _edited(sample_300, tmp_path, "跟进记录", "B3", "NOPE20240001")
    beside = _checked(path, monkeypatch, parallel=True)
    assert forks == {"forks": 1, "derives": 2}  # derived again without the rejected row
    first = _checked(path, monkeypatch, parallel=False)
    assert _outcome(beside) == _outcome(first)
    assert ("跟进记录", 3) in _outcome(beside)[1]


def test_structural_errors_found_beside_the_derive_still_refuse(
    sample_300: Path, tmp_path: Path, forks: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _edited(sample_300, tmp_path, "客户信息", "A3", like="A2")  # a duplicate 客户编号
    beside = _checked(path, monkeypatch, parallel=True)
    assert forks["forks"] == 1 and beside.derived is None
    assert any(i.code == "value.duplicate" for i in beside.report.issues)
    with pytest.raises(StructureError):
        enrich_data(path.read_bytes(), AS_OF)


def test_a_failing_helper_leaves_the_checks_to_this_process(
    sample_300: Path, forks: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _checked(sample_300, monkeypatch, parallel=False)
    parent = os.getpid()
    run_checks = validation.run_checks

    def broken_in_child(*args: Any) -> Any:
        if os.getpid() != parent:
            raise RuntimeError("helper breaks")
        return run_checks(*args)

    monkeypatch.setattr(validation, "run_checks", broken_in_child)
    beside = _checked(sample_300, monkeypatch, parallel=True)
    assert forks["forks"] == 1
    assert _outcome(beside) == _outcome(first)
