"""The large-part deflate (ISA-L when installed): what it writes is ordinary deflate any zip reader
takes, and what it reads is checked like ``zipfile`` checks it."""

from __future__ import annotations

import io
import zipfile
import zlib

import pytest

from xlcrm import deflate
from xlcrm.writing.package import BIG_PART, Deflated, Package


def _zip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return out.getvalue()


BIG = b"".join(
    b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>\xe5\xae\xa2%d</t></is></c></row>' % (i, i, i) for i in range(400_000)
)


def test_isal_is_what_runs_here() -> None:
    assert deflate.FAST  # a declared dependency: the fast path is the one the suite exercises


def test_entries_read_the_same_as_zipfile() -> None:
    data = _zip({"a.xml": BIG, "b.xml": b"<x/>", "empty.xml": b""})
    zf = zipfile.ZipFile(io.BytesIO(data))
    for name in ("a.xml", "b.xml", "empty.xml"):
        for size in (4096, 1 << 20, -1) if name == "a.xml" else (1, 7, -1):
            with deflate.open_entry(zf, data, name) as fh:
                parts = []
                while chunk := fh.read(size):
                    parts.append(chunk)
                    if size == -1:
                        break
            assert b"".join(parts) == zf.read(name)


def test_a_damaged_entry_is_refused() -> None:
    data = bytearray(_zip({"a.xml": BIG}))
    zf = zipfile.ZipFile(io.BytesIO(bytes(data)))
    zf.getinfo("a.xml").CRC ^= 1  # what a flipped byte in the stored CRC looks like to the reader
    with pytest.raises(zipfile.BadZipFile), deflate.open_entry(zf, bytes(data), "a.xml") as fh:
        while fh.read(1 << 20):
            pass


def test_a_big_rewritten_part_is_plain_deflate() -> None:
    assert len(BIG) > BIG_PART
    buffer = Deflated(True, True)
    for i in range(0, len(BIG), 123_457):
        buffer.write(BIG[i : i + 123_457])
    buffer.finish()
    buffer.data.seek(0)
    packed = buffer.data.read()
    assert zlib.decompressobj(-15).decompress(packed) == BIG
    assert buffer.crc == zlib.crc32(BIG) and buffer.size == len(BIG)
    assert len(packed) < len(BIG) // 5


def test_a_patched_package_with_a_big_part_opens_everywhere() -> None:
    data = _zip({"[Content_Types].xml": b"<Types/>", "big.xml": BIG})
    pkg = Package.open(data)
    buffer = Deflated(True, True)
    with pkg.open_part("big.xml") as src:
        while chunk := src.read(1 << 20):
            buffer.write(chunk)
    buffer.finish()
    pkg.set("big.xml", buffer)
    out = io.BytesIO()
    pkg.write(out)
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as zf:
        assert zf.testzip() is None
        assert zf.read("big.xml") == BIG


def test_without_isal_the_standard_zlib_does_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(deflate, "_isal", None)
    data = _zip({"a.xml": BIG})
    zf = zipfile.ZipFile(io.BytesIO(data))
    with deflate.open_entry(zf, data, "a.xml") as fh:  # zipfile's own reader then
        assert fh.read() == BIG
    compressor = deflate.big_compressor()
    packed = compressor.compress(BIG) + compressor.flush()
    assert zlib.decompressobj(-15).decompress(packed) == BIG
    assert deflate.crc32(BIG) == zlib.crc32(BIG)
