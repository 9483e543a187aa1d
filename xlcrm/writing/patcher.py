"""``WorkbookPatcher``: the one writer that changes an existing workbook (SPEC §5.1).

Callers describe cell writes per sheet (``SheetPatch``), style entries (``styles``) and whole
sheets xlcrm owns (``put_sheet``); ``build()`` streams the changed worksheets, edits the parts
that list sheets, and copies every other zip entry as it was.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from contextlib import nullcontext
from datetime import datetime
from typing import Any

from ..collector import quick_handoffs
from ..i18n import tr
from .cellxml import CellContext
from .new_sheet import SheetLayout, render_sheet
from .package import BIG_PART, REL_SHARED_STRINGS, REL_STYLES, Deflated, Package, ReadAhead, SheetEntry, Source
from .patch_sheet import SheetFormatError, SheetPatch, patch_sheet
from .patch_styles import StylesPatch
from .workbook_parts import add_sheet, set_sheet_state, touch_modified
from .xmlbytes import end_tag, start_tag, text_of

THREADED_PART = 2 << 20
_PHONETIC = re.compile(rb"<(\w+:)?rPh\b.*?</\1?rPh>", re.S)


class WorkbookPatcher:
    """Pending changes to one workbook package."""

    def __init__(self, source: Source) -> None:
        self.pkg = Package.open(source)
        self.workbook_part = self.pkg.workbook_part()
        self.entries: list[SheetEntry] = self.pkg.sheets()
        self.ctx = CellContext(self.pkg.date1904(), self._shared_string)
        self.patches: dict[str, SheetPatch] = {}
        self._styles: StylesPatch | None = None
        self._shared: list[str] | None = None
        self._new_sheets: list[tuple[str, Callable[[], bytes], bool, bool]] = []
        self.extra_changed = False
        self._buffers: list[Any] = []  # Deflated buffers and plain spooled files

    # --- lookups -------------------------------------------------------------------------------
    def entry(self, name: str) -> SheetEntry | None:
        """The listed sheet called ``name`` (exact, then case-insensitive)."""
        return next((e for e in self.entries if e.name == name), None) or next(
            (e for e in self.entries if e.name.lower() == name.lower()), None
        )

    @property
    def styles(self) -> StylesPatch:
        if self._styles is None:
            rel = self.pkg.rel_of_type(self.workbook_part, REL_STYLES)
            if rel is None or rel.part is None or not self.pkg.has(rel.part):
                raise self.pkg.corrupt(tr("缺少样式部件", "no styles part"))
            self._styles = StylesPatch(self.pkg.read(rel.part))
        return self._styles

    def _shared_string(self, index: int) -> str | None:
        if self._shared is None:
            self._shared = []
            rel = self.pkg.rel_of_type(self.workbook_part, REL_SHARED_STRINGS)
            if rel is not None and rel.part and self.pkg.has(rel.part):
                data = self.pkg.read(rel.part)
                pattern, close = start_tag("si"), None
                pos = 0
                while (m := pattern.search(data, pos)) is not None:
                    if m.group(2):
                        self._shared.append("")
                        pos = m.end()
                        continue
                    close = end_tag(m.group(1), "si")
                    e = data.find(close, m.end())
                    if e < 0:
                        break
                    self._shared.append(text_of(_PHONETIC.sub(b"", data[m.end() : e])))
                    pos = e
        return self._shared[index] if 0 <= index < len(self._shared) else None

    # --- describing changes --------------------------------------------------------------------
    def sheet(self, name: str) -> SheetPatch:
        """The patch of an existing worksheet (created on first use)."""
        entry = self.entry(name)
        if entry is None or entry.part is None:
            raise KeyError(name)
        return self.patches.setdefault(entry.part, SheetPatch())

    def put_sheet(
        self,
        name: str,
        rows: list[list[Any]],
        *,
        hidden: bool,
        first: bool = False,
        style: Callable[[int, int, Any], int] | None = None,
        layout: SheetLayout | None = None,
    ) -> None:
        """Write a whole sheet xlcrm owns: replace the part of an existing one, or add a new one."""

        def content() -> bytes:
            return render_sheet(rows, self.ctx, style or self.default_style, layout)

        self._new_sheets.append((name, content, hidden, first))

    def default_style(self, row: int, col: int, value: Any) -> int:
        """Dates and datetimes get a date format; everything else the workbook's default style."""
        if isinstance(value, datetime):
            return self.styles.derive(0, number_format="yyyy-mm-dd hh:mm")
        if hasattr(value, "isoformat") and hasattr(value, "year"):
            return self.styles.derive(0, number_format="yyyy-mm-dd")
        return 0

    # --- building ------------------------------------------------------------------------------
    def build(
        self, *, touch_core: bool = True, now: datetime | None = None, before_write: Callable[[], None] | None = None
    ) -> tuple[bytes, bool]:
        """The patched package as bytes and whether anything but core.xml changed.
        ``before_write`` runs once every sheet is patched, before the package is written."""
        changed = self.extra_changed
        for part, patch in self.patches.items():
            changed |= self._patch_part(part, patch)
        for name, content, hidden, first in self._new_sheets:
            data = content()
            entry = self.entry(name)
            if entry is not None and entry.part and self.pkg.has(entry.part):
                if self.pkg.read(entry.part) != data:
                    self.pkg.set(entry.part, data)
                    changed = True
                if hidden and entry.state == "visible":
                    set_sheet_state(self.pkg, entry.name, "hidden")
                    changed = True
            else:
                self.entries.append(add_sheet(self.pkg, name, data, hidden=hidden, first=first))
                changed = True
        if self._styles is not None:
            styles = self._styles.result()
            if styles is not None:
                rel = self.pkg.rel_of_type(self.workbook_part, REL_STYLES)
                assert rel is not None and rel.part is not None
                self.pkg.set(rel.part, styles)
                changed = True
        if before_write is not None:
            before_write()
        if changed and touch_core:
            touch_modified(self.pkg, now)
        out = io.BytesIO()
        try:
            self.pkg.write(out)
        finally:
            for buffer in self._buffers:
                buffer.close()
        return out.getvalue(), changed

    def _patch_part(self, part: str, patch: SheetPatch) -> bool:
        # compressed while it streams: a sheet formatted to the last row never sits in memory whole
        size = self.pkg.zf.getinfo(self.pkg.entry(part) or part).file_size
        # a big part: (de)compression runs in worker threads beside the patching
        threaded = size > THREADED_PART
        buffer = Deflated(size > BIG_PART, threaded)
        try:
            with (
                self.pkg.open_part(part) as raw,
                ReadAhead(raw) if threaded else nullcontext(raw) as src,
                quick_handoffs() if threaded else nullcontext(),
            ):
                changed = patch_sheet(src, buffer, patch, self.ctx)
        except (SheetFormatError, ValueError, OSError, EOFError, zipfile.BadZipFile, KeyError) as exc:
            buffer.close()
            if patch.optional:
                return False
            raise self.pkg.corrupt(f"{part}: {str(exc)[:120]}") from exc
        if not changed:
            buffer.close()
            return False
        buffer.finish()
        self._buffers.append(buffer)
        self.pkg.set(part, buffer)
        return True
