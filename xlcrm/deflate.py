"""Deflate for the large worksheet parts: ISA-L (the ``isal`` package) when it is installed.

A sheet of the 10,000-customer sample is 168 MB of XML. Python's zlib inflates it in ~0.4 s and
deflates it at level 1 in ~0.7 s; ISA-L does both in ~0.2 s each, and its level 2 still packs
tighter than zlib's level 1. The streams are ordinary raw deflate: any zip reader opens them. Where
``isal`` has no wheel, the standard ``zlib`` is used (slower, same bytes inside the zip).
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from typing import IO, Any

_isal: Any
try:
    from isal import isal_zlib as _isal
except ImportError:  # pragma: no cover - a platform without an isal wheel
    _isal = None

FAST = _isal is not None
# ISA-L knows levels 0-3; 2 is its best speed/size balance (24 MB for the 168 MB sheet).
FAST_LEVEL = 2
LOCAL_HEADER = struct.Struct("<4s5H3L2H")  # a zip entry's local file header


def big_compressor() -> Any:
    """A raw-deflate compressor for a large part: fast, reasonably tight."""
    if _isal is not None:
        return _isal.compressobj(FAST_LEVEL, _isal.DEFLATED, -15)
    return zlib.compressobj(1, zlib.DEFLATED, -15)


def compress_fast(data: bytes) -> bytes:
    """Raw deflate of bytes that are inflated again at once, in one call: speed over size."""
    if _isal is not None:
        return _isal.compress(data, 1, -15)  # type: ignore[no-any-return]
    return zlib.compress(data, 1, wbits=-15)


def crc32(data: bytes | memoryview, value: int = 0) -> int:
    return (_isal or zlib).crc32(data, value)


class RawInflater:
    """Reads one deflated zip entry of an in-memory package, inflating as it goes and checking the
    CRC at the end (``zipfile.BadZipFile`` when it does not match), like ``ZipFile.open``."""

    def __init__(self, package: bytes | memoryview, offset: int, info: zipfile.ZipInfo) -> None:
        self._src = memoryview(package)[offset : offset + info.compress_size]
        self._pos = 0
        self._inflate = (_isal or zlib).decompressobj(-15)
        self._crc, self._expected = 0, info.CRC
        self._size, self._expected_size = 0, info.file_size
        self._done = False

    def read(self, n: int = -1) -> bytes:
        if self._done:
            return b""
        want = n if n > 0 else 1 << 62
        out: list[bytes] = []
        got = 0
        while got < want and not self._done:
            tail = self._inflate.unconsumed_tail
            if tail:
                chunk = self._inflate.decompress(tail, want - got)
            elif self._pos < len(self._src):
                piece = self._src[self._pos : self._pos + (1 << 20)]
                self._pos += len(piece)
                chunk = self._inflate.decompress(piece, want - got)
            else:
                chunk = self._inflate.flush()
                self._finish(chunk)
                out.append(chunk)
                got += len(chunk)
                break
            if chunk:
                self._crc = crc32(chunk, self._crc)
                self._size += len(chunk)
                out.append(chunk)
                got += len(chunk)
            elif self._inflate.eof:
                self._finish(b"")
        return b"".join(out)

    def _finish(self, last: bytes) -> None:
        if last:
            self._crc = crc32(last, self._crc)
            self._size += len(last)
        self._done = True
        if self._crc != self._expected or self._size != self._expected_size:
            raise zipfile.BadZipFile("CRC or size mismatch")

    def close(self) -> None:
        self._src.release()

    def __enter__(self) -> RawInflater:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_entry(zf: zipfile.ZipFile, package: bytes | None, name: str) -> IO[bytes] | RawInflater:
    """A streaming reader of zip entry ``name``: ISA-L inflation straight from the package bytes for
    a plain deflated entry when ISA-L is there, ``zf.open`` otherwise."""
    info = zf.getinfo(name)
    if _isal is None or package is None or info.compress_type != zipfile.ZIP_DEFLATED or info.flag_bits & 0x1:
        return zf.open(name)
    header = package[info.header_offset : info.header_offset + LOCAL_HEADER.size]
    if len(header) != LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
        return zf.open(name)
    fields = LOCAL_HEADER.unpack(header)
    start = info.header_offset + LOCAL_HEADER.size + fields[-2] + fields[-1]
    if start + info.compress_size > len(package):
        return zf.open(name)
    return RawInflater(package, start, info)
