"""The OPC package of a workbook: find its parts, read them, write a patched copy.

Parts are found the way the Open Packaging Conventions say, not by assumed names: the workbook is
the target of the root ``officeDocument`` relationship (it need not be ``xl/workbook.xml``), and
every relationship target is resolved against its source part and matched to a zip entry
case-insensitively (``xl/SharedStrings.xml``). Writing copies every entry it was not told to
change, in the original order, with the same content.
"""

from __future__ import annotations

import io
import posixpath
import re
import shutil
import tempfile
import zipfile
import zlib
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO
from urllib.parse import unquote

from ..deflate import LOCAL_HEADER, big_compressor, crc32, open_entry
from ..errors import CorruptFileError
from ..i18n import tr
from .xmlbytes import get_attr, start_tag

Source = str | Path | bytes | IO[bytes]

REL_OFFICE_DOC = "/officeDocument"
REL_WORKSHEET = "/worksheet"
REL_STYLES = "/styles"
REL_SHARED_STRINGS = "/sharedStrings"
REL_COMMENTS = "/comments"
REL_VML = "/vmlDrawing"
NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CT_WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
CT_COMMENTS = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
CT_VML = "application/vnd.openxmlformats-officedocument.vmlDrawing"


@dataclass(frozen=True)
class Relationship:
    """One ``<Relationship>``: its id, type (full URI), target as written and resolved part name."""

    id: str
    type: str
    target: str
    part: str | None
    external: bool = False


@dataclass
class SheetEntry:
    """One ``<sheet>`` of workbook.xml."""

    name: str
    sheet_id: int
    rel_id: str
    part: str | None
    state: str
    kind: str  # relationship type tail: worksheet, chartsheet, dialogsheet, macrosheet …


def rels_name(part: str) -> str:
    """The relationships part of ``part`` (``xl/workbook.xml`` → ``xl/_rels/workbook.xml.rels``)."""
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def relative_target(source_part: str, target_part: str) -> str:
    """A relationship Target for ``target_part`` written from ``source_part``."""
    return posixpath.relpath(target_part, posixpath.dirname(source_part) or ".")


@dataclass
class Package:
    """A workbook zip opened for patching. ``changes`` maps entry name → new content; ``added``
    lists new entry names in the order they are appended."""

    zf: zipfile.ZipFile
    label: str
    changes: dict[str, bytes | Deflated] = field(default_factory=dict)
    added: list[str] = field(default_factory=list)
    _lower: dict[str, str] = field(default_factory=dict)
    _rels: dict[str, list[Relationship]] = field(default_factory=dict)
    raw: bytes | None = None  # the package's bytes, when it was opened from bytes

    @classmethod
    def open(cls, source: Source) -> Package:
        """Open a path, bytes or binary file; a non-zip raises ``CorruptFileError``."""
        label = str(source) if isinstance(source, (str, Path)) else "<workbook>"
        try:
            handle: str | Path | IO[bytes] = io.BytesIO(source) if isinstance(source, bytes) else source
            zf = zipfile.ZipFile(handle)
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise CorruptFileError(path=label, detail=str(exc)[:160]) from exc
        pkg = cls(zf, label, raw=source if isinstance(source, bytes) else None)
        pkg._lower = {}
        for info in zf.infolist():
            pkg._lower.setdefault(info.filename.lower(), info.filename)
        return pkg

    # --- reading -------------------------------------------------------------------------------
    def corrupt(self, detail: str) -> CorruptFileError:
        """A ``CorruptFileError`` about this package."""
        return CorruptFileError(path=self.label, detail=detail)

    def entry(self, part: str) -> str | None:
        """The zip entry name for a part name, matched case-insensitively; None when absent."""
        part = part.lstrip("/")
        if part in self.changes:
            return part
        return self._lower.get(part.lower())

    def has(self, part: str) -> bool:
        return self.entry(part) is not None

    def read(self, part: str) -> bytes:
        """The (decompressed or pending new) content of a part."""
        name = self.entry(part)
        if name is None:
            raise self.corrupt(tr("缺少部件 {p}", "missing part {p}", p=part))
        pending = self.changes.get(name)
        if isinstance(pending, bytes):
            return pending
        if pending is not None:  # a part already rewritten and compressed
            return pending.inflated()
        try:
            return self.zf.read(name)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, KeyError) as exc:
            raise self.corrupt(f"{name}: {str(exc)[:120]}") from exc

    def open_part(self, part: str) -> IO[bytes]:
        """A streaming reader of an original part."""
        name = self.entry(part)
        if name is None:
            raise self.corrupt(tr("缺少部件 {p}", "missing part {p}", p=part))
        return open_entry(self.zf, self.raw, name)  # type: ignore[return-value]

    def rels(self, source_part: str) -> list[Relationship]:
        """The relationships of ``source_part`` ('' for the package root), targets resolved."""
        key = source_part
        if key in self._rels:
            return self._rels[key]
        rels_part = "_rels/.rels" if not source_part else rels_name(source_part)
        out: list[Relationship] = []
        if self.has(rels_part):
            data = self.read(rels_part)
            base = posixpath.dirname(source_part)
            for m in start_tag("Relationship").finditer(data):
                tag = m.group(0)
                rid, typ, target = get_attr(tag, "Id") or "", get_attr(tag, "Type") or "", get_attr(tag, "Target") or ""
                external = (get_attr(tag, "TargetMode") or "") == "External"
                part = None
                if not external and target:
                    t = unquote(target)
                    resolved = t.lstrip("/") if t.startswith("/") else posixpath.normpath(posixpath.join(base, t))
                    part = self.entry(resolved) or resolved
                out.append(Relationship(rid, typ, target, part, external))
        self._rels[key] = out
        return out

    def rel_of_type(self, source_part: str, tail: str) -> Relationship | None:
        return next((r for r in self.rels(source_part) if r.type.endswith(tail)), None)

    def workbook_part(self) -> str:
        """The workbook part, found through ``_rels/.rels``."""
        rel = self.rel_of_type("", REL_OFFICE_DOC)
        if rel is None or rel.part is None or not self.has(rel.part):
            if self.has("xl/workbook.xml"):
                return self.entry("xl/workbook.xml") or "xl/workbook.xml"
            raise self.corrupt(tr("找不到工作簿部件", "no workbook part"))
        return rel.part

    def sheets(self) -> list[SheetEntry]:
        """Every sheet listed in workbook.xml, in tab order."""
        wb = self.workbook_part()
        data = self.read(wb)
        by_id = {r.id: r for r in self.rels(wb)}
        out = []
        for m in start_tag("sheet").finditer(data):
            tag = m.group(0)
            rid = _namespaced_attr(tag, "id") or ""
            rel = by_id.get(rid)
            kind = rel.type.rsplit("/", 1)[-1] if rel else ""
            sid = get_attr(tag, "sheetId") or "0"
            out.append(
                SheetEntry(
                    get_attr(tag, "name") or "",
                    int(sid) if sid.isdigit() else 0,
                    rid,
                    rel.part if rel else None,
                    get_attr(tag, "state") or "visible",
                    kind,
                )
            )
        return out

    def date1904(self) -> bool:
        m = start_tag("workbookPr").search(self.read(self.workbook_part()))
        return m is not None and (get_attr(m.group(0), "date1904") or "").lower() in ("1", "true")

    # --- changing ------------------------------------------------------------------------------
    def set(self, part: str, content: bytes | Deflated) -> None:
        """Replace a part (an existing one keeps its zip entry name and position) or add a new one."""
        name = self.entry(part) or part.lstrip("/")
        if name not in self._lower.values() and name not in self.added:
            self.added.append(name)
        self.changes[name] = content
        self._rels.pop(_source_of_rels(name), None)

    def unused_name(self, pattern: str) -> str:
        """The first ``pattern.format(n)`` (n = 1, 2 …) that is not a part yet."""
        n = 1
        while self.has(pattern.format(n)):
            n += 1
        return pattern.format(n)

    def write(self, out: IO[bytes]) -> None:
        """Write the patched package: original entries in order (changed ones replaced), then new
        ones. Unchanged entries are copied as their compressed bytes (nothing to recompress)."""
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as dst:
            for info in self.zf.infolist():
                if info.filename in self.changes:
                    big = info.file_size > BIG_PART
                    self._write_entry(dst, info.filename, info.compress_type, 1 if big else 6)
                elif not _copy_raw(self.zf, info, dst):
                    copy = zipfile.ZipInfo(info.filename, info.date_time)
                    copy.compress_type = info.compress_type
                    copy.external_attr = info.external_attr
                    copy.create_system = info.create_system
                    with self.zf.open(info) as src, dst.open(copy, "w", force_zip64=info.file_size > 1 << 30) as fh:
                        while chunk := src.read(1 << 20):
                            fh.write(chunk)
            for name in self.added:
                self._write_entry(dst, name, zipfile.ZIP_DEFLATED, 6)

    def _write_entry(self, dst: zipfile.ZipFile, name: str, compress_type: int, level: int) -> None:
        info = zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0))
        info.compress_type = compress_type
        # a per-entry level: ``compress_level`` from Python 3.13 on, ``_compresslevel`` before
        setattr(info, "compress_level" if hasattr(info, "compress_level") else "_compresslevel", level)
        content = self.changes[name]
        if isinstance(content, bytes):
            dst.writestr(info, content)
            return
        info.compress_type, info.CRC = zipfile.ZIP_DEFLATED, content.crc
        info.file_size, info.compress_size = content.size, content.data.tell()
        content.data.seek(0)
        _write_raw(dst, info, content.data)


# The bytes a worker thread (de)compresses at a time. Each hand-over between the patching thread
# and a worker waits for the interpreter lock; with the short switch interval the patcher sets
# while workers help (``collector.quick_handoffs``) 1 MB pieces cost no more time than 4 MB ones,
# and the buffers in flight (read ahead, batched, compressing) stay about 6 MB instead of 24.
STREAM_CHUNK = 1 << 20
# Compressed bytes a ``Deflated`` keeps in memory before it moves them to a temporary file.
SPOOL = 16 << 20
# Rewritten parts larger than this (a sheet formatted to the last row, a long follow-up sheet) are
# compressed by ``deflate.big_compressor`` (ISA-L level 2): several times faster than zlib's
# default, at a modestly larger file.
BIG_PART = 16 << 20


def _copy_raw(src: zipfile.ZipFile, info: zipfile.ZipInfo, dst: zipfile.ZipFile) -> bool:
    """Copy one entry's compressed bytes as they are; False when that is not safe (then the caller
    copies it through decompression)."""
    if (
        info.flag_bits & 0x1
        or info.file_size >= 0xFFFFFFFF
        or info.compress_size >= 0xFFFFFFFF
        or info.header_offset >= 0xFFFFFFFF
        or dst.fp is None
        or src.fp is None
    ):
        return False
    fp = src.fp
    fp.seek(info.header_offset)
    header = fp.read(LOCAL_HEADER.size)
    if len(header) != LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
        return False
    fields = LOCAL_HEADER.unpack(header)
    fp.seek(fields[-2] + fields[-1], 1)  # file name and extra field
    raw = fp.read(info.compress_size)
    if len(raw) != info.compress_size:
        return False
    copy = zipfile.ZipInfo(info.filename, info.date_time)
    copy.compress_type, copy.CRC = info.compress_type, info.CRC
    copy.compress_size, copy.file_size = info.compress_size, info.file_size
    copy.external_attr, copy.create_system = info.external_attr, info.create_system
    copy.flag_bits = info.flag_bits & 0x800  # keep only the UTF-8 name flag; sizes are in the header
    _write_raw(dst, copy, io.BytesIO(raw))
    return True


def _write_raw(dst: zipfile.ZipFile, info: zipfile.ZipInfo, raw: IO[bytes]) -> None:
    """Append an entry whose compressed bytes, CRC and sizes are already known."""
    assert dst.fp is not None
    zip64 = info.file_size >= 0xFFFFFFFF or info.compress_size >= 0xFFFFFFFF
    info.header_offset = dst.fp.tell()
    dst.fp.write(info.FileHeader(zip64))
    shutil.copyfileobj(raw, dst.fp, 1 << 20)
    dst.start_dir = dst.fp.tell()
    dst.filelist.append(info)
    dst.NameToInfo[info.filename] = info
    dst._didModify = True  # type: ignore[attr-defined]


class Deflated:
    """A part being written: deflated as it streams in (raw deflate, as zip stores it), with its
    CRC and size, so a large rewritten sheet never sits in memory uncompressed. A big part is
    compressed by a worker thread (zlib releases the GIL) while the caller renders the next rows."""

    def __init__(self, big: bool, threaded: bool | None = None, *, data: IO[bytes] | None = None) -> None:
        # where the compressed bytes go: ``data`` (a stream that counts them, see ``tell``) or
        # memory, then a temporary file from ``SPOOL`` bytes on
        self.data: IO[bytes] = data if data is not None else tempfile.SpooledTemporaryFile(max_size=SPOOL)
        self._z = big_compressor() if big else zlib.compressobj(6, zlib.DEFLATED, -15)
        self._pending: list[bytes] = []
        self._pending_size = 0
        self.crc = 0
        self.size = 0
        self._worker = ThreadPoolExecutor(1, "xlcrm-deflate") if (big if threaded is None else threaded) else None
        self._inflight: deque[Future[None]] = deque()

    def write(self, chunk: bytes) -> int:
        self._pending.append(chunk)  # rows arrive in small pieces: compress in STREAM_CHUNK batches
        self._pending_size += len(chunk)
        if self._pending_size >= STREAM_CHUNK:
            self._flush()
        return len(chunk)

    def _flush(self) -> None:
        chunk = b"".join(self._pending)
        self._pending, self._pending_size = [], 0
        self.size += len(chunk)
        if self._worker is None:
            self._compress(chunk)
            return
        # one worker runs the batches in order; at most two wait, so memory stays bounded
        self._inflight.append(self._worker.submit(self._compress, chunk))
        while len(self._inflight) > 2:
            self._inflight.popleft().result()

    def _compress(self, chunk: bytes) -> None:
        self.crc = crc32(chunk, self.crc)
        self.data.write(self._z.compress(chunk))

    def inflated(self) -> bytes:
        """The content (a finished part): decompressed from the start, the write position kept."""
        at = self.data.tell()
        self.data.seek(0)
        try:
            return zlib.decompress(self.data.read(), -15)
        finally:
            self.data.seek(at)

    def finish(self) -> None:
        self._flush()
        self._drain()
        self.data.write(self._z.flush())

    def _drain(self, *, check: bool = True) -> None:
        try:
            while self._inflight:
                future = self._inflight.popleft()
                if check:
                    future.result()
        finally:
            if self._worker is not None:
                self._worker.shutdown(wait=True)
                self._worker = None

    def close(self) -> None:
        self._drain(check=False)  # cleanup after an error: the worker's own error does not matter
        self.data.close()


class ReadAhead:
    """A part's reader that decompresses the next chunk in a worker thread (zlib releases the
    GIL) while the caller works on the current one. ``read`` returns chunks of ``size`` bytes."""

    def __init__(self, src: IO[bytes], size: int = STREAM_CHUNK) -> None:
        self._src, self._size = src, size
        self._pool = ThreadPoolExecutor(1, "xlcrm-inflate")
        self._next: Future[bytes] | None = self._pool.submit(src.read, size)

    def read(self, n: int = -1) -> bytes:
        if self._next is None:
            return b""
        chunk = self._next.result()
        self._next = self._pool.submit(self._src.read, self._size) if chunk else None
        return chunk

    def close(self) -> None:
        self._pool.shutdown(wait=True)

    def __enter__(self) -> ReadAhead:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _source_of_rels(name: str) -> str:
    if name == "_rels/.rels":
        return ""
    m = re.fullmatch(r"(.*?)_rels/([^/]+)\.rels", name)
    return (m.group(1) + m.group(2)) if m else "\0"


def _namespaced_attr(tag: bytes, local: str) -> str | None:
    """An attribute in the relationships namespace whatever its prefix (``r:id``)."""
    m = re.search(rb"\s[A-Za-z_][\w.-]*:" + local.encode() + rb"\s*=\s*(\"([^\"]*)\"|'([^']*)')", tag)
    if m is None:
        return None
    return (m.group(2) if m.group(2) is not None else m.group(3)).decode()
