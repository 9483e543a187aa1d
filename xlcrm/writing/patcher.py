"""``WorkbookPatcher``: the one writer that changes an existing workbook (SPEC §5.1).

Callers describe cell writes per sheet (``SheetPatch``), style entries (``styles``) and whole
sheets xlcrm owns (``put_sheet``); ``build()`` streams the changed worksheets, edits the parts
that list sheets, and copies every other zip entry as it was.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import signal
import struct
import sys
import tempfile
import threading
import zipfile
from collections.abc import Callable
from contextlib import nullcontext
from datetime import datetime
from typing import IO, Any, cast

from ..allocator import give_back
from ..collector import quick_handoffs
from ..forking import fork_to, private_kib
from ..i18n import tr
from .cellxml import CellContext
from .new_sheet import SheetLayout, render_sheet
from .package import BIG_PART, REL_SHARED_STRINGS, REL_STYLES, Deflated, Package, ReadAhead, SheetEntry, Source
from .patch_sheet import SheetFormatError, SheetPatch, patch_sheet
from .patch_styles import StylesPatch
from .workbook_parts import add_sheet, set_sheet_state, touch_modified
from .xmlbytes import end_tag, start_tag, text_of

THREADED_PART = 2 << 20
# Where ``build`` writes the package: given whether anything changed, a stream, or None for nowhere.
Into = Callable[[bool], IO[bytes] | None]
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
        self,
        *,
        touch_core: bool = True,
        now: datetime | None = None,
        before_write: Callable[[], None] | None = None,
        into: Into | None = None,
    ) -> tuple[bytes, bool]:
        """The patched package as bytes and whether anything but core.xml changed.
        ``before_write`` runs once every sheet is patched, before the package is written.
        ``into``: called with that answer once every part is ready; the package is written into
        the stream it returns, or nowhere when it returns None, and the bytes returned are empty
        (a file wrapper saves a copy of the whole package in memory).
        The patcher is spent afterwards (its plans are dropped)."""
        try:
            return self._build(touch_core, now, before_write, into)
        finally:
            # The plans hold closures back to the patcher (style functions, sheet renderers): a
            # reference cycle that would keep tens of thousands of rows and cell writes for the
            # cyclic collector. Dropped here, reference counting frees them at once.
            self.patches, self._new_sheets = {}, []

    def _build(
        self, touch_core: bool, now: datetime | None, before_write: Callable[[], None] | None, into: Into | None
    ) -> tuple[bytes, bool]:
        changed = self.extra_changed
        forked = self._fork_biggest() if PARALLEL else None
        try:
            # while the helper works; xlcrm's own sheets first, while the helper is young: they
            # are rendered whole, and the helper's memory of its own grows as it goes
            changed |= self._put_new_sheets()
            for part, patch in self.patches.items():
                if forked is None or part != forked.part:
                    changed |= self._patch_part(part, patch)
        except BaseException:
            if forked is not None:
                forked.abandon()
            raise
        if forked is not None:
            received = forked.result()
            if received is None:  # the helper process failed: patch the part here (same bytes, or the error)
                changed |= self._patch_part(forked.part, self.patches[forked.part])
            else:
                part_changed, buffer = received
                self._buffers.append(buffer)
                if part_changed:
                    self.pkg.set(forked.part, buffer)
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
        try:
            if into is None:
                out = io.BytesIO()
                self.pkg.write(out)
                return out.getvalue(), changed
            stream = into(changed)
            if stream is not None:
                self.pkg.write(stream)
            return b"", changed
        finally:
            for buffer in self._buffers:
                buffer.close()

    def _put_new_sheets(self) -> bool:
        """Render xlcrm's own sheets into the package; whether that changed anything."""
        changed = False
        for name, content, hidden, first in self._new_sheets:
            data = content()
            entry = self.entry(name)
            if entry is not None and entry.part and self.pkg.has(entry.part):
                if self.pkg.read(entry.part) != data:
                    self.pkg.set(entry.part, self._compressed(data))
                    changed = True
                if hidden and entry.state == "visible":
                    set_sheet_state(self.pkg, entry.name, "hidden")
                    changed = True
            else:
                self.entries.append(add_sheet(self.pkg, name, self._compressed(data), hidden=hidden, first=first))
                changed = True
            del data
        give_back()  # the rendering's buffers (a long history sheet's XML and its pieces)
        return changed

    def _compressed(self, data: bytes) -> bytes | Deflated:
        """A new sheet's XML compressed now, while a helper may still be patching: the package
        then holds a few MB instead of the XML, and writing it is a copy. Small parts stay bytes."""
        if len(data) < 1 << 20:
            return data
        buffer = Deflated(False, False)
        self._buffers.append(buffer)
        buffer.write(data)
        buffer.finish()
        return buffer

    def _fork_biggest(self) -> _Forked | None:
        """Patch the largest worksheet in a forked process while this one does the rest (Linux,
        a process without other threads, a part of ``FORK_MIN_PART`` bytes or more and other work
        beside it). Only a part whose writes need no new style entries: every style index a
        patch uses then exists before it starts, so the bytes are the same as patching here."""
        if not sys.platform.startswith("linux") or not hasattr(os, "fork") or threading.active_count() > 1:
            return None
        sizes = {part: self.pkg.zf.getinfo(self.pkg.entry(part) or part).file_size for part in self.patches}
        if not sizes or (len(sizes) < 2 and not self._new_sheets):
            return None
        part = max(sizes, key=lambda p: sizes[p])
        patch = self.patches[part]
        if sizes[part] < FORK_MIN_PART or patch.restyle:
            return None
        if patch.styled():
            return None
        before = self._style_additions()

        def work(out: Deflated) -> bool:
            changed = self._stream_part(part, patch, out)
            if self._style_additions() != before:
                # a head or tail edit wanted a new style (none does today): the helper gives up and
                # the part is patched in this process, its new styles after the other sheets'
                raise RuntimeError("styles touched")
            return changed

        # free heap pages go back to the system first: the helper's allocations then take fresh
        # pages instead of copies of pages this process keeps (both are counted, see give_back)
        give_back()
        return _Forked.start(part, work, sizes[part])

    def _style_additions(self) -> tuple[int, ...]:
        if self._styles is None:
            return (0,) * 5
        return tuple(len(v) for v in self._styles.added.values())

    def _stream_part(self, part: str, patch: SheetPatch, buffer: Deflated) -> bool:
        size = self.pkg.zf.getinfo(self.pkg.entry(part) or part).file_size
        threaded = size > THREADED_PART
        with (
            self.pkg.open_part(part) as raw,
            ReadAhead(raw) if threaded else nullcontext(raw) as src,
            quick_handoffs() if threaded else nullcontext(),
        ):
            return patch_sheet(src, buffer, patch, self.ctx)

    def _patch_part(self, part: str, patch: SheetPatch) -> bool:
        # compressed while it streams: a sheet formatted to the last row never sits in memory whole
        size = self.pkg.zf.getinfo(self.pkg.entry(part) or part).file_size
        # a big part: (de)compression runs in worker threads beside the patching
        threaded = size > THREADED_PART
        buffer = Deflated(size > BIG_PART, threaded)
        try:
            changed = self._stream_part(part, patch, buffer)
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


# Patching a sheet in a forked process pays off from this size of its XML on (a fork of a large
# process costs a few milliseconds; the 10,000-customer sample's follow-up sheet is 168 MB).
FORK_MIN_PART = 16 << 20
PARALLEL = True  # tests switch it off to compare the bytes with patching in one process
_HEADER = struct.Struct("<?IQQQ")  # changed, crc, uncompressed size, compressed size, helper's private KiB
# The memory (KiB) the last helper process did not share with this one when it finished, for the
# benchmarks: a forked helper is a process of its own, not counted in this process's peak.
last_helper_private_kib = 0


class _Forked:
    """One worksheet patched by a forked copy of this process. The child streams the part into a
    ``Deflated`` whose compressed bytes go straight into a pipe, then sends (changed, CRC, sizes)
    after them; a thread here moves them into a temporary file as they come, so neither process
    holds the compressed part in memory. Any failure of the child (a broken part included)
    leaves ``result()`` None, and the parent patches that part itself."""

    def __init__(self, part: str, pid: int, fd: int, size: int) -> None:
        self.part, self.pid, self._fd = part, pid, fd
        self._buffer = Deflated(size > BIG_PART, False, data=tempfile.SpooledTemporaryFile(max_size=1 << 20))
        self._header: tuple[bool, int, int, int, int] | None = None
        self._reader = threading.Thread(target=self._read, name="xlcrm-fork-reader", daemon=True)
        self._reader.start()

    @classmethod
    def start(cls, part: str, work: Callable[[Deflated], bool], size: int) -> _Forked | None:
        def child(out: IO[bytes]) -> None:  # patch into the pipe, then what the parent needs
            sent = _Counting(out)
            buffer = Deflated(size > BIG_PART, size > THREADED_PART, data=cast(IO[bytes], sent))  # write, tell
            changed = work(buffer)
            buffer.finish()
            out.write(_HEADER.pack(changed, buffer.crc, buffer.size, sent.count, private_kib()))

        started = fork_to(child)
        return cls(part, *started, size) if started is not None else None

    def _read(self) -> None:
        """Everything the child sends but the last ``_HEADER.size`` bytes is the compressed part."""
        data, held = self._buffer.data, b""
        with os.fdopen(self._fd, "rb", buffering=0) as src:
            while chunk := src.read(1 << 20):
                held += chunk
                if len(held) > _HEADER.size:
                    data.write(held[: -_HEADER.size])
                    held = held[-_HEADER.size :]
        if len(held) == _HEADER.size:
            header = _HEADER.unpack(held)
            if header[3] == data.tell():
                self._header = header

    def result(self) -> tuple[bool, Deflated] | None:
        """(changed, the compressed part) once the child is done; None when it failed."""
        self._reader.join()
        _, status = os.waitpid(self.pid, 0)
        if status != 0 or self._header is None:
            self._buffer.close()
            return None
        global last_helper_private_kib
        changed, crc, size, _, private = self._header
        self._buffer.crc, self._buffer.size = crc, size
        last_helper_private_kib = private
        return changed, self._buffer

    def abandon(self) -> None:
        """The parent failed: end the child and forget what it sends."""
        with contextlib.suppress(OSError):
            os.kill(self.pid, signal.SIGKILL)
        self._reader.join()
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)
        self._buffer.close()


class _Counting:
    """A write-only stream that passes bytes on and counts them (``tell``), for ``Deflated``."""

    def __init__(self, out: IO[bytes]) -> None:
        self._out, self.count = out, 0

    def write(self, data: bytes) -> int:
        self._out.write(data)
        self.count += len(data)
        return len(data)

    def tell(self) -> int:
        return self.count

    def close(self) -> None:
        pass
