"""``validate --annotate OUT``: a working copy of the workbook with every problem marked (SPEC §5).

Problem cells get a red (error) or yellow (warning) fill on top of their own style and a note with
the message; a first sheet 校验结果 lists every problem with a link to its cell. The copy is
written by patching the package, so everything else in it stays as it was (§5.1).

xlcrm recognises its own marks when a copy is annotated again (docs/decisions.md): notes by the
author ``xlcrm 校验``, and mark styles listed in the hidden defined name ``_xlcrm_marks``
(mark style index → the cell's own style index). Those are restored and removed before the new
marks go on, so there is only ever one set; staff fills and notes are not touched.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..errors import UsageError
from ..i18n import tr
from ..issues import FileReport
from .package import Source
from .palette import ERROR_FILL, WARNING_FILL
from .patch_sheet import CellWrite, SheetPatch, drop_tab_selected
from .patcher import WorkbookPatcher
from .results_sheet import put_results_sheet
from .safe_save import atomic_write
from .workbook_parts import start_tag
from .xmlbytes import end_tag, get_attr, set_attr

ANNOTATE_AUTHOR = "xlcrm 校验"
MARKS_NAME = "_xlcrm_marks"
NOTE_LIMIT = 200
SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}
_FOLLOWERS = (
    "calcPr",
    "oleSize",
    "customWorkbookViews",
    "pivotCaches",
    "smartTagPr",
    "smartTagTypes",
    "webPublishing",
    "fileRecoveryPr",
    "webPublishObjects",
    "extLst",
)


def _is_own_sheet(name: str) -> bool:
    from ..schema import RESULTS_SHEET_NAME

    return name == RESULTS_SHEET_NAME or name.lower().startswith("xlcrm_")


def read_marks(workbook_xml: bytes) -> dict[int, int]:
    """The mark style → own style map recorded by an earlier annotation (empty when none)."""
    m = _marks_element(workbook_xml)
    if m is None:
        return {}
    pairs = re.findall(r"(\d+):(\d+)", m.group(2).decode("utf-8", "replace"))
    return {int(a): int(b) for a, b in pairs}


def _marks_element(data: bytes) -> re.Match[bytes] | None:
    return re.search(
        rb"<(\w+:)?definedName\b[^>]*name=\"" + MARKS_NAME.encode() + rb"\"[^>]*>(.*?)</\1?definedName>", data, re.S
    )


def _write_marks(data: bytes, marks: dict[int, int]) -> bytes:
    old = _marks_element(data)
    if old is not None:
        data = data[: old.start()] + data[old.end() :]
    if not marks:
        return data
    text = " ".join(f"{k}:{v}" for k, v in sorted(marks.items()))
    chunks = [text[i : i + 250] for i in range(0, len(text), 250)][:30]  # a formula holds 8,192 characters
    formula = "&amp;".join(f"&quot;{c}&quot;" for c in chunks)
    sheets = start_tag("sheets").search(data)
    p = (sheets.group(1) if sheets else b"").decode()
    element = f'<{p}definedName name="{MARKS_NAME}" hidden="1">{formula}</{p}definedName>'.encode()
    names = start_tag("definedNames").search(data)
    if names is not None and not names.group(2):
        close = data.find(end_tag(names.group(1), "definedNames"), names.end())
        return data[:close] + element + data[close:]
    block = f"<{p}definedNames>".encode() + element + f"</{p}definedNames>".encode()
    if names is not None:
        return data[: names.start()] + block + data[names.end() :]
    at = [m.start() for local in _FOLLOWERS if (m := start_tag(local).search(data))]
    close = data.rfind(b"</" + p.encode() + b"workbook>")
    pos = min(at) if at else close
    return data[:pos] + block + data[pos:]


def _note(issues: list[Any]) -> str:
    lines = []
    for i in issues:
        message = i.message if len(i.message) <= NOTE_LIMIT else i.message[:NOTE_LIMIT] + "…"
        lines.append(f"[{SEVERITY_ZH.get(i.severity, i.severity)}] {message}")
    return "\n".join(lines)


def _activate_results(patcher: WorkbookPatcher, results: str) -> None:
    """Make 校验结果 the open tab: no other sheet stays selected."""
    wb = patcher.workbook_part
    data = patcher.pkg.read(wb)
    names = [e.name for e in patcher.entries]
    if results in names:
        view = start_tag("workbookView").search(data)
        if view is not None:
            index = names.index(results)
            tag = set_attr(view.group(0), "activeTab", str(index) if index else None)
            if index < int(get_attr(view.group(0), "firstSheet") or "0"):
                tag = set_attr(tag, "firstSheet", None)
            data = data[: view.start()] + tag + data[view.end() :]
            patcher.pkg.set(wb, data)
    for entry in patcher.entries:
        if entry.name == results or entry.kind != "worksheet" or entry.part is None:
            continue
        patch = patcher.patches.get(entry.part)
        if patch is None:
            with patcher.pkg.open_part(entry.part) as fh:
                head = fh.read(1 << 16)
            if not re.search(rb'tabSelected\s*=\s*["\'](1|true)', head.split(b"sheetData", 1)[0]):
                continue
            patch = patcher.patches.setdefault(entry.part, SheetPatch(optional=True))
        previous = patch.head
        patch.head = (lambda prev: lambda h: drop_tab_selected(prev(h) if prev else h))(previous)


def annotate_bytes(source: Source, report: FileReport) -> bytes:
    """The annotated working copy of ``source`` as bytes (see the module docstring)."""
    from ..schema import RESULTS_SHEET_NAME

    patcher = WorkbookPatcher(source)
    wb_xml = patcher.pkg.read(patcher.workbook_part)
    old_marks = read_marks(wb_xml)
    marks: dict[int, int] = dict(old_marks)
    by_cell: dict[tuple[str, str], list[Any]] = {}
    for issue in report.issues:
        if issue.cell and issue.sheet and issue.severity in ("error", "warning"):
            by_cell.setdefault((issue.sheet, issue.cell), []).append(issue)
    styles = patcher.styles
    fills = {
        "error": styles.fill(ERROR_FILL),
        "warning": styles.fill(WARNING_FILL),
    }

    def mark(severity: str) -> Any:
        def style(own: int) -> int:
            new = styles.derive(own, fill=fills[severity], reuse=set(old_marks))
            if new != own:
                marks[new] = own
            return new

        return style

    from .cellxml import split_ref
    from .comments import set_notes

    for entry in list(patcher.entries):
        if entry.kind != "worksheet" or entry.part is None or _is_own_sheet(entry.name):
            continue
        cells = {ref: issues for (sheet, ref), issues in by_cell.items() if sheet == entry.name}
        if old_marks:
            patcher.patches.setdefault(entry.part, SheetPatch(optional=not cells)).restyle = dict(old_marks)
        for ref, issues in cells.items():
            where = split_ref(ref)
            if where:
                worst = "error" if any(i.severity == "error" for i in issues) else "warning"
                patcher.sheet(entry.name).put(where[0], where[1], CellWrite(style=mark(worst)))
        set_notes(patcher, entry.name, {ref: _note(issues) for ref, issues in cells.items()}, ANNOTATE_AUTHOR)
    put_results_sheet(patcher, report, RESULTS_SHEET_NAME)
    _activate_results(patcher, RESULTS_SHEET_NAME)

    def record_marks() -> None:  # the marks are known once the sheets are patched
        xml = patcher.pkg.read(patcher.workbook_part)
        new = _write_marks(xml, marks)
        if new != xml:
            patcher.pkg.set(patcher.workbook_part, new)

    data, _ = patcher.build(before_write=record_marks)
    return data


def write_annotated(source: Path, report: FileReport, out: Path) -> Path:
    """Write the annotated copy of ``source`` to ``out`` (never ``source`` itself)."""
    source, out = Path(source), Path(out)
    if out.resolve() == source.resolve():
        raise UsageError(
            detail=tr("--annotate 的输出文件不能是输入文件本身", "--annotate must not overwrite the input")
        )
    data = annotate_bytes(source, report)
    out.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(out, lambda tmp: tmp.write_bytes(data))
    return out
