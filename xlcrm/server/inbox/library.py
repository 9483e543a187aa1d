"""The one place where the inbox calls the xlcrm library (SPEC §7).

Views and the worker call these functions; they never reach below the library.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
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
    sources: Sequence[Path] | Mapping[str, Path],
    *,
    kind: str,
    period: str,
    by_manager: bool,
    formats: Sequence[str],
    out_dir: Path,
    as_of: date,
    on_progress: Callable[[int, int], None] | None = None,
) -> tuple[list[Path], str]:
    """Write the reports of ``sources`` (paths, or stored paths by the name reports give them) into
    ``out_dir``; returns (every file written, including chart images in sub-folders, and the
    batch's messages and summary). ``on_progress(done, total)`` is told as reports are done."""
    out_dir.mkdir(parents=True, exist_ok=True)
    try:
        batch = xlcrm.report(
            sources if isinstance(sources, Mapping) else list(sources),
            kind=kind,
            as_of=as_of,
            period=period if kind == "monthly" else None,
            by_manager=by_manager,
            formats=tuple(formats),
            out_dir=out_dir,
            force=True,
            on_progress=on_progress,
        )
    except XlcrmError as exc:
        return [], exc.message
    log = "\n".join([*batch.messages(), batch.summary()]).strip()
    return sorted(batch.files), log


def annotated_name(original: str) -> str:
    """The annotated copy's download name (the library's rule: ``团队.xlsx`` → ``团队.校验标注.xlsx``)."""
    return xlcrm.annotated_name(original)


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
