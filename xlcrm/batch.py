"""Policies every front end shares (SPEC §7): several workbooks in one run with unusable ones among
them, and the name of an annotated copy. The CLI, the inbox and the Excel adapter call these and
only print or store what comes back.

    outcome = xlcrm.validate_files(["a.xlsx", "b.xlsx"], as_of=date(2026, 11, 20), annotate_to=Path("标注"))
    for f in outcome.files:
        print(f.name, f.report.errors if f.report else f.message)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from .errors import XlcrmError
from .issues import FileReport
from .reading.source import Source, is_path

# One source, several, or several by name (the name is what messages and reports call a bytes source).
Sources = Source | Sequence[Source] | Mapping[str, Source]

ANNOTATED_MARK = ".校验标注"
DEFAULT_NAME = "workbook.xlsx"


def annotated_name(name: str) -> str:
    """The annotated copy's file name: ``团队.xlsx`` → ``团队.校验标注.xlsx`` (``.xlsx`` when the name
    has no extension). The one rule the CLI's ``--annotate`` and the inbox's downloads share."""
    path = Path(Path(name).name or DEFAULT_NAME)
    return f"{path.stem}{ANNOTATED_MARK}{path.suffix or '.xlsx'}"


def annotated_target(out: Path, name: str, several: bool) -> Path:
    """Where ``--annotate OUT`` puts the copy of ``name``: inside OUT when several workbooks are
    checked or OUT is a folder, else OUT itself."""
    if several or out.is_dir():
        return out / annotated_name(name)
    return out


def named_sources(sources: Sources) -> list[tuple[str, Source]]:
    """``(name, source)`` pairs: a path is named by itself; bytes and file objects by the mapping's
    key, else ``workbook.xlsx`` (``workbook2.xlsx`` … when there are several)."""
    if isinstance(sources, Mapping):
        return [(str(name), source) for name, source in sources.items()]
    if is_path(sources) or isinstance(sources, (bytes, bytearray, memoryview)) or hasattr(sources, "read"):
        items: list[Any] = [sources]
    else:
        items = list(sources)  # type: ignore[arg-type]
    pairs = []
    for index, source in enumerate(items, start=1):
        if is_path(source):
            pairs.append((str(source), source))
        else:
            pairs.append((DEFAULT_NAME if index == 1 else f"workbook{index}.xlsx", source))
    return pairs


@dataclass(frozen=True)
class FileOutcome:
    """One workbook of a batch: its ``report``, or ``error`` when the file cannot be used at all;
    ``annotated`` is where its annotated copy was written."""

    name: str
    report: FileReport | None = None
    error: XlcrmError | None = None
    annotated: Path | None = None

    @property
    def message(self) -> str:
        """The Chinese message of an unusable file ('' when it was checked)."""
        return self.error.message if self.error is not None else ""


@dataclass(frozen=True)
class ValidationBatch:
    """Every workbook of a ``validate_files`` run, in the order given."""

    files: tuple[FileOutcome, ...]

    @property
    def reports(self) -> list[FileReport]:
        return [f.report for f in self.files if f.report is not None]

    @property
    def unusable(self) -> list[FileOutcome]:
        return [f for f in self.files if f.error is not None]

    def ok(self, strict: bool = False) -> bool:
        """No unusable file, and no errors (nor warnings, ``strict``) in any report."""
        return not self.unusable and all(r.ok(strict) for r in self.reports)


def validate_files(
    sources: Sources,
    *,
    as_of: date,
    config: Path | str | None = None,
    overrides: dict[str, Any] | None = None,
    annotate_to: Path | str | None = None,
) -> ValidationBatch:
    """Validate several workbooks (SPEC §5 validate): an unusable one is reported with its Chinese
    message and the others are still checked. With ``annotate_to`` each checked workbook's
    annotated copy is written there (``annotated_target``: a folder for several workbooks)."""
    from . import api
    from .reading.source import source_data
    from .validation import config_file_for

    pairs = named_sources(sources)
    several = len(pairs) > 1
    out = Path(annotate_to) if annotate_to is not None else None
    files = []
    for name, source in pairs:
        try:
            # read once: the same bytes are checked and, with annotate_to, annotated
            data, _ = source_data(source, name)
            toml = config_file_for(source, config)  # an xlcrm.toml beside a workbook given by path
            report = api.validate(data, as_of=as_of, config=toml, overrides=overrides, name=name)
        except XlcrmError as exc:
            files.append(FileOutcome(name, error=exc))
            continue
        target = None
        if out is not None:
            target = annotated_target(out, name, several)
            _write_annotated(source, data, report, target)
        files.append(FileOutcome(name, report=report, annotated=target))
    return ValidationBatch(tuple(files))


def _write_annotated(source: Source, data: bytes, report: FileReport, target: Path) -> None:
    """The annotated copy at ``target``, never over the input itself, replaced atomically."""
    from . import api
    from .errors import UsageError
    from .i18n import tr
    from .writing.safe_save import atomic_write

    if is_path(source) and target.resolve() == Path(source).resolve():  # type: ignore[arg-type]
        raise UsageError(
            detail=tr("--annotate 的输出文件不能是输入文件本身", "--annotate must not overwrite the input")
        )
    annotated = api.annotate(data, report)
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(target, lambda tmp: tmp.write_bytes(annotated))
