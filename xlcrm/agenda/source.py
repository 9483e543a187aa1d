"""The agenda of one or several workbooks: consolidate them as ``report`` does, derive, build.

This is the library policy behind ``xlcrm agenda`` (several files, unusable or conflicting ones);
the command only prints and writes what it returns.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..derive import derive
from ..i18n import tr
from ..reporting.consolidate import Consolidated, consolidate
from .build import build_agenda
from .items import Agenda


@dataclass(frozen=True)
class AgendaRun:
    """The agenda (None when nothing usable was left) and what the user must be told about."""

    agenda: Agenda | None
    sources: tuple[Path, ...] = ()
    skipped: tuple[str, ...] = ()  # messages: workbooks left out and why
    conflicts: tuple[str, ...] = ()  # messages: the same ID with different content
    warnings: tuple[str, ...] = field(default=())

    @property
    def complete(self) -> bool:
        """True when every workbook was used and none conflicted."""
        return self.agenda is not None and not self.skipped and not self.conflicts


def _consolidate(
    paths: Sequence[Path],
    as_of: date,
    config_file: Path | None,
    overrides: dict[str, str] | None = None,
    held: Mapping[Path, bytes] | None = None,
) -> Consolidated:
    """The one call into the shared consolidation of ``report`` (keep it the only one)."""
    held = held or {}
    inputs = [(str(p), held[p]) if p in held else p for p in paths]  # held bytes go in as named data
    return consolidate(inputs, as_of, config_file, overrides=overrides)


def load_agenda(
    paths: Sequence[Path],
    as_of: date,
    days: int | None = None,
    config_file: Path | None = None,
    overrides: dict[str, str] | None = None,
    held: Mapping[Path, bytes] | None = None,
) -> AgendaRun:
    """Check and merge the workbooks under ``paths`` (files or folders; ``held`` gives workbooks
    already in memory by the name that stands for them in ``paths``) and build the agenda.

    Workbooks with errors are left out and named, as in ``report``; an ID that differs between
    two workbooks is a conflict and no agenda is built (its items would be ambiguous). An unusable
    file raises when it is the only input. ``days`` defaults to the config's ``agenda_days``.
    """
    merged = _consolidate(paths, as_of, config_file, overrides, held)
    skipped = tuple(s.message() for s in merged.skipped)
    conflicts = tuple(c.message() for c in merged.conflicts)
    if conflicts:
        conflicts += (
            tr(
                "存在 {n} 处编号冲突，未生成待办清单。请统一各工作簿中的记录。",
                "{n} ID conflicts; no agenda was made. Reconcile the workbooks first.",
                n=len(merged.conflicts),
            ),
        )
        return AgendaRun(None, tuple(merged.sources), skipped, conflicts)
    if not merged.sources:
        return AgendaRun(
            None, (), skipped + (tr("没有可用的工作簿，未生成待办清单。", "No usable workbook; no agenda was made."),)
        )
    derived = derive(merged.book, merged.config, as_of)
    agenda = build_agenda(derived, merged.book, merged.config, as_of, days)
    warnings = tuple(dict.fromkeys((*derived.warnings, *agenda.warnings)))
    return AgendaRun(agenda, tuple(merged.sources), skipped, (), warnings)
