"""``xlcrm agenda``: build the agenda, then print it or write one file per format (and person).

Exit codes (SPEC §5): 0 done; 1 a workbook was left out for errors, workbooks conflict or none
was usable; 2 unusable input or a bad option (raised as ``XlcrmError``).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from ..choices import pick_choices
from ..errors import UsageError
from ..i18n import tr
from ..output import printable_lines, use_color, write
from ..reporting.filenames import report_filename
from .items import Agenda
from .render import render_json, render_markdown, render_text, xlsx_sheets
from .source import load_agenda

FORMATS = ("text", "md", "json", "xlsx")
EXTENSIONS = {"text": "txt", "md": "md", "json": "json", "xlsx": "xlsx"}
FILE_PREFIX = "待办"
DEFAULT_FOLDER = Path("agenda")
MAX_DAYS = 366
LIST_FILES = 8  # written files listed one by one up to this many


def parse_formats(text: str | None) -> tuple[str, ...]:
    """``text``, ``md``, ``json``, ``xlsx`` or a comma list (``md,xlsx``) → formats in a fixed order."""
    chosen = pick_choices(text or "text", FORMATS)
    if chosen is None:
        raise UsageError(
            detail=tr(
                "--format 只能是 text、md、json、xlsx 或用逗号连接的组合，如 md,xlsx（收到 {v}）",
                "--format must be text, md, json, xlsx or a comma list such as md,xlsx (got {v})",
                v=text,
            )
        )
    return chosen


def check_days(days: int | None) -> None:
    """``--days`` must be a whole number of days from 0 to 366."""
    if days is not None and not 0 <= days <= MAX_DAYS:
        raise UsageError(
            detail=tr(
                "--days 应为 0 到 {m} 之间的整数（收到 {v}）", "--days must be 0 to {m} (got {v})", m=MAX_DAYS, v=days
            )
        )


def _say(text: str) -> None:
    sys.stderr.write(printable_lines(text) + "\n")  # a cell's control characters shown escaped
    sys.stderr.flush()


def _render(agenda: Agenda, fmt: str, person: str | None) -> str:
    if fmt == "md":
        return render_markdown(agenda, person)
    if fmt == "json":
        return render_json(agenda)
    return render_text(agenda, color=False, person=person)


def _targets(
    agenda: Agenda, by_manager: bool, fmt: str, out: Path, single_file: bool
) -> list[tuple[Path, Agenda, str | None]]:
    """(file, agenda, person) per file: the team's agenda, or one per person; names made safe and
    unique (``_2``) when two names clean up to the same file name."""
    ext = EXTENSIONS[fmt]
    if single_file:
        return [(out, agenda, None)]
    stem = (FILE_PREFIX, agenda.as_of.isoformat())
    wanted = (
        [(stem + (p.name,), agenda.only(p.name), p.name) for p in agenda.people]
        if by_manager
        else [(stem, agenda, None)]
    )
    used: set[str] = set()
    result = []
    for parts, part_agenda, person in wanted:
        name, n = report_filename(parts, ext), 2
        while name.lower() in used:
            name, n = report_filename((*parts, str(n)), ext), n + 1
        used.add(name.lower())
        result.append((out / name, part_agenda, person))
    return result


def _write_file(path: Path, fmt: str, agenda: Agenda, person: str | None) -> None:
    from ..writing.safe_save import atomic_write

    if fmt == "xlsx":
        from ..writing.tables import write_tables

        write_tables(path, xlsx_sheets(agenda))
        return
    data = _render(agenda, fmt, person).encode("utf-8")

    def save(tmp: Path) -> None:
        tmp.write_bytes(data)

    atomic_write(path, save)


def _inputs(paths: Sequence[Path], sources: Sequence[Path]) -> set[Path]:
    return {Path(p).resolve() for p in (*paths, *sources) if Path(p).is_file()}


def write_files(
    agenda: Agenda, formats: tuple[str, ...], by_manager: bool, output: Path | None, inputs: set[Path]
) -> list[Path]:
    """Write the agenda files; an input workbook is never overwritten (exit 2 instead)."""
    out = output or DEFAULT_FOLDER
    single = (
        not by_manager and len(formats) == 1 and out.suffix.lower() == "." + EXTENSIONS[formats[0]] and not out.is_dir()
    )
    if not single and out.exists() and not out.is_dir():
        raise UsageError(
            detail=tr(
                "-o {p} 是一个已有的文件，不能用作输出文件夹（只有一种格式、不加 --by manager 且扩展名与格式一致时 -o 才是文件）",
                "-o {p} is an existing file, not a folder (-o names a file only for one format, without --by manager, "
                "with that format's extension)",
                p=out,
            )
        )
    planned = [(fmt, *target) for fmt in formats for target in _targets(agenda, by_manager, fmt, out, single)]
    for _, path, _, _ in planned:
        if path.resolve() in inputs:
            raise UsageError(
                detail=tr(
                    "输出文件 {p} 是输入的工作簿，不能覆盖；请换一个 -o", "output {p} is an input workbook", p=path
                )
            )
    (out.parent if single else out).mkdir(parents=True, exist_ok=True)
    written = []
    for fmt, path, part, person in planned:
        _write_file(path, fmt, part, person)
        written.append(path)
    return written


def run_agenda(
    paths: Sequence[Path],
    as_of: date,
    days: int | None,
    by_manager: bool,
    fmt: str | None,
    output: Path | None,
    config: Path | None,
    overrides: dict[str, str] | None = None,
) -> int:
    """The ``agenda`` command (SPEC §8); returns the exit code."""
    formats = parse_formats(fmt)
    check_days(days)
    run = load_agenda(paths, as_of, days, config, overrides)
    for message in (*run.skipped, *run.conflicts, *run.warnings):
        _say(message)
    if run.agenda is None:
        return 1
    agenda = run.agenda
    to_stdout = output is None and not by_manager and len(formats) == 1 and formats[0] != "xlsx"
    if to_stdout:
        text = (
            render_text(agenda, color=use_color(sys.stdout))
            if formats[0] == "text"
            else _render(agenda, formats[0], None)
        )
        write(text)
    elif by_manager and not agenda.people:
        write(tr("没有待办事项，未写入文件。\n", "Nothing to do; no file written.\n"))
    else:
        written = write_files(agenda, formats, by_manager, output, _inputs(paths, run.sources))
        listed = len(written) <= LIST_FILES
        for path in written if listed else []:
            write(tr("已写入：{p}\n", "Written: {p}\n", p=path))
        where = "" if listed else tr("（{d}）", " ({d})", d=written[0].parent)
        write(
            tr(
                "待办清单：{n} 人 {i} 项，已写入 {f} 个文件{w}\n",
                "Agenda: {n} people, {i} items, {f} files written{w}\n",
                n=len(agenda.people),
                i=agenda.count,
                f=len(written),
                w=where,
            )
        )
    return 0 if run.complete else 1
