"""The one place where the inbox calls the xlcrm library (SPEC §7).

Views and the worker call these functions; when the library grows ``xlcrm.report`` and
``xlcrm.agenda``, only this module changes.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import xlcrm
from xlcrm.errors import XlcrmError


@dataclass(frozen=True)
class Checked:
    """A validated upload: the §5 JSON object and the annotated copy (None when clean)."""

    report: dict[str, Any]
    errors: int
    warnings: int
    annotated: bytes | None


class Unusable(Exception):
    """The file cannot be used at all; ``message`` is the library's Chinese message."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def check(data: bytes, name: str, as_of: date, with_annotated: bool = True) -> Checked:
    """Validate an uploaded workbook's bytes (the library refuses unusable files before parsing;
    its messages call the file ``name``, the uploaded file's name)."""
    try:
        report = xlcrm.validate(data, as_of=as_of, name=name)
        annotated = xlcrm.annotate(data, report) if with_annotated else None
    except XlcrmError as exc:  # InputFileError and its kin: the CLI's Chinese message
        raise Unusable(exc.message) from None
    result = report.to_dict()
    return Checked(result, int(result["errors"]), int(result["warnings"]), annotated)


def run_report_batch(
    sources: Sequence[Path],
    *,
    kind: str,
    period: str,
    by_manager: bool,
    formats: Sequence[str],
    out_dir: Path,
    as_of: date,
    on_file: Callable[[int], None] | None = None,
) -> tuple[list[Path], str]:
    """Write the reports of ``sources`` into ``out_dir``; returns (every file written, including
    chart images in sub-folders, and the batch's messages).

    Today this drives the ``report`` command's function; ``on_file(n)`` is told how many report
    files exist so far (the folder is watched while the batch runs)."""
    from xlcrm.reporting.command import run_report

    args = argparse.Namespace(
        paths=[Path(p) for p in sources],
        kind=kind,
        campaign=None,
        period=period if kind == "monthly" else None,
        by="manager" if by_manager else None,
        format=",".join(formats),
        output=out_dir,
        as_of=None,
        template_dir=None,
        jobs=1,
        on_conflict=None,
        config=None,
        force=True,
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    stop = threading.Event()
    watcher = threading.Thread(target=_watch, args=(out_dir, stop, on_file), daemon=True) if on_file else None
    if watcher:
        watcher.start()
    buffer = io.StringIO()
    try:
        with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(buffer):
            try:
                run_report(args, as_of)
            except XlcrmError as exc:
                buffer.write(exc.message + "\n")
    finally:
        stop.set()
        if watcher:
            watcher.join()
    # Reports and what they link to (the Markdown reports' chart folders).
    files = sorted(p for p in out_dir.rglob("*") if p.is_file())
    return files, buffer.getvalue().strip()


def _watch(folder: Path, stop: threading.Event, on_file: Callable[[int], None] | None) -> None:
    seen = -1
    while not stop.wait(0.5):
        count = sum(1 for p in folder.iterdir() if p.suffix in (".md", ".docx"))
        if count != seen and on_file:
            seen = count
            on_file(count)


AGENDA_AVAILABLE = True


def agenda(sources: Sequence[Path], *, as_of: date, person: str | None) -> dict[str, Any] | None:
    """The §8 agenda of ``sources`` for ``person`` (None: the team); with no workbook, an empty one."""
    if not sources:
        return {"as_of": as_of.isoformat(), "days": None, "people": []}
    return xlcrm.agenda(list(sources), as_of=as_of, person=person)


def agenda_tables(result: dict[str, Any]) -> list[dict[str, Any]]:
    """The §8 JSON as tables for a page: per person, the non-empty sections in order, each with its
    Chinese title, column headers and rows of display values (blank shown as —)."""
    from xlcrm.agenda.sections import SECTIONS

    people = []
    for person in result.get("people", []):
        tables = []
        for section in SECTIONS:
            items = person["sections"].get(section.key) or []
            if items:
                rows = [
                    ["—" if item.get(c.key) in (None, "") else item.get(c.key) for c in section.columns]
                    for item in items
                ]
                tables.append({"title": section.title, "headers": [c.header for c in section.columns], "rows": rows})
        people.append({"name": person["name"], "tables": tables})
    return people
