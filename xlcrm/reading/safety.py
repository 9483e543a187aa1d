"""Refuse unusable input files fast and with little memory, before any Excel engine parses them.

``check_input_bytes`` looks only at the head, the zip central directory and the first bytes of
each archive member, so a 20 MB workbook is checked in milliseconds and no member is ever
decompressed in full. It works on the bytes a run read once (``source.source_data``);
``check_input_file`` is the same for a path.

About lying zip headers: the limits below are applied to the sizes *declared* in the central
directory. The Python readers (openpyxl through ``zipfile``) never return more bytes than a
member declares (``ZipExtFile`` stops at ``file_size`` and then fails the CRC check), so a member
that lies about its size cannot expand past the checked budget there.
"""

from __future__ import annotations

import codecs
import io
import pathlib
import struct
import zipfile
import zlib
from typing import BinaryIO

from ..errors import (
    CorruptFileError,
    CsvFileError,
    EmptyFileError,
    EncryptedFileError,
    LegacyXlsError,
    UnsafeXmlError,
    ZipBombError,
)
from ..i18n import tr
from .package import PackageError, workbook_part
from .source import read_file_bytes

#: Declared uncompressed size of all members together.
MAX_TOTAL_UNCOMPRESSED = 1024**3
#: A member is a bomb when it is both this large uncompressed ...
MAX_MEMBER_UNCOMPRESSED = 50 * 1024**2
#: ... and compressed more than this ratio (real sheet XML compresses about 10:1).
MAX_COMPRESSION_RATIO = 200
#: Entries in the central directory (a real workbook has tens, a few thousand with many images).
MAX_MEMBERS = 10_000
#: Decompressed bytes scanned per member for a DOCTYPE; a real prolog is under 100 bytes.
XML_HEAD_BYTES = 4096
#: Bytes sniffed at the start of a non-zip file to tell text (CSV) from binary.
TEXT_SNIFF_BYTES = 64 * 1024

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
TEXT_EXTENSIONS = frozenset({".csv", ".txt", ".tsv", ".tab"})

_EOCD = b"PK\x05\x06"
_EOCD64_LOCATOR = b"PK\x06\x07"
_EOCD64 = b"PK\x06\x06"
_EOCD_SEARCH = 22 + 65535  # the end record plus the longest zip comment


def check_input_file(path: pathlib.Path) -> None:
    """Raise the matching ``InputFileError`` when the file at *path* is not a workbook xlcrm can
    safely read: it exists and is a file (the file wrapper's checks), then ``check_input_bytes``."""
    check_input_bytes(read_file_bytes(pathlib.Path(path)), str(path))


def check_input_bytes(data: bytes, name: str) -> None:
    """Raise the matching ``InputFileError`` when *data* is not a workbook xlcrm can safely read;
    messages call it *name* (a file name, or the path as typed).

    Checks, in order: not empty; OLE2 (encrypted workbook or legacy .xls); CSV/plain text; a
    readable zip; zip-bomb limits from the central directory; no DOCTYPE/ENTITY in any XML part; a
    workbook part, found through ``_rels/.rels`` (``xl/workbook.xml`` in most packages, but OPC
    lets it live anywhere). ``.xlsx`` and ``.xlsm`` are treated alike and the file type is decided
    by content, never by the extension alone (the name's extension only helps tell a CSV).
    """
    size = len(data)
    if size == 0:
        raise EmptyFileError(path=name)
    head = data[:TEXT_SNIFF_BYTES]
    if head.startswith(OLE2_MAGIC):
        _raise_for_ole(data, name)
    if not head.startswith(ZIP_MAGICS):
        if pathlib.PurePath(name).suffix.lower() in TEXT_EXTENSIONS or _looks_like_text(head):
            raise CsvFileError(path=name)
        raise CorruptFileError(path=name, detail=tr("不是 zip 格式，.xlsx 应为 zip 压缩包", "not a zip archive"))
    fh = io.BytesIO(data)
    _check_directory_size(fh, size, name)
    _check_zip(fh, name)


def _raise_for_ole(data: bytes, name: str) -> None:
    """An OLE2 compound file is either an encrypted OOXML package or a legacy .xls."""
    import olefile

    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            encrypted = ole.exists("EncryptionInfo") or ole.exists("EncryptedPackage")
    except Exception:  # a damaged OLE container: still not something we can read as .xlsx
        encrypted = False
    if encrypted:
        raise EncryptedFileError(path=name)
    raise LegacyXlsError(path=name)


def _looks_like_text(head: bytes) -> bool:
    """True when the sniffed bytes decode as UTF-16 (with BOM), UTF-8 or GB18030 text."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings: tuple[str, ...] = ("utf-16",)
    elif b"\x00" in head:
        return False
    else:
        encodings = ("utf-8-sig", "gb18030")
    for encoding in encodings:
        try:
            # final=False: the sniffed block may end inside a multi-byte character
            text = codecs.getincrementaldecoder(encoding)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
        return not any(ch < " " and ch not in "\t\n\r\f\v\x1a" for ch in text)
    return False


def _check_directory_size(fh: BinaryIO, size: int, name: str) -> None:
    """Refuse a central directory with too many entries before ``zipfile`` loads it all."""
    tail_start = max(0, size - _EOCD_SEARCH)
    fh.seek(tail_start)
    tail = fh.read()
    pos = tail.rfind(_EOCD)
    if pos < 0 or len(tail) - pos < 22:
        raise CorruptFileError(
            path=name,
            detail=tr("文件不完整（可能只复制了一部分）或不是 zip 格式", "truncated or not a zip"),
        )
    entries = struct.unpack_from("<H", tail, pos + 10)[0]
    if entries == 0xFFFF:  # the real count is in the zip64 end record; zipfile judges a bad one
        entries = 0
        if pos >= 20 and tail[pos - 20 : pos - 16] == _EOCD64_LOCATOR:
            fh.seek(struct.unpack_from("<Q", tail, pos - 12)[0])
            record = fh.read(56)
            if len(record) == 56 and record.startswith(_EOCD64):
                entries = struct.unpack_from("<Q", record, 32)[0]
    if entries > MAX_MEMBERS:
        raise ZipBombError(path=name, detail=tr(f"包含 {entries} 个压缩条目", f"{entries} archive entries"))


def _check_zip(fh: BinaryIO, name: str) -> None:
    fh.seek(0)
    try:
        zf = zipfile.ZipFile(fh)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError, struct.error):
        raise CorruptFileError(path=name, detail=tr("文件不完整或不是 zip 格式", "truncated or not a zip")) from None
    with zf:
        infos = zf.infolist()
        _check_bomb(infos, name)
        for info in infos:
            if not info.is_dir():
                _check_xml_head(zf, info, name)
        _check_parts(zf, infos, name)


def _check_parts(zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo], name: str) -> None:
    """The package must have a workbook part, found through ``_rels/.rels`` as OPC says."""
    try:
        workbook = workbook_part(zf)
    except PackageError as exc:
        raise CorruptFileError(path=name, detail=tr(str(exc), "broken package relationships")) from None
    if workbook is not None and not workbook.lower().endswith(".bin"):
        return
    names = {info.filename for info in infos}
    if "xl/workbook.bin" in names or workbook is not None:
        detail = tr("这是 .xlsb 二进制工作簿，请另存为 .xlsx", "an .xlsb binary workbook")
    elif "content.xml" in names and "mimetype" in names:
        detail = tr("这是 OpenDocument 表格（.ods），请另存为 .xlsx", "an OpenDocument spreadsheet")
    else:
        detail = tr("缺少 xl/workbook.xml，不是 Excel 工作簿", "no xl/workbook.xml part")
    raise CorruptFileError(path=name, detail=detail)


def _check_bomb(infos: list[zipfile.ZipInfo], name: str) -> None:
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > MAX_MEMBER_UNCOMPRESSED and ratio > MAX_COMPRESSION_RATIO:
            raise ZipBombError(
                path=name,
                detail=tr(
                    f"条目 {info.filename} 压缩比 {ratio:.0f}:1，解压后 {_mb(info.file_size)}",
                    f"member {info.filename} ratio {ratio:.0f}:1, {_mb(info.file_size)}",
                ),
            )
    if total > MAX_TOTAL_UNCOMPRESSED:
        raise ZipBombError(
            path=name,
            detail=tr(f"解压后共 {_mb(total)}", f"{_mb(total)} uncompressed in total"),
        )


def _mb(n: int) -> str:
    return f"{n / 1024**2:,.0f} MB"


def _check_xml_head(zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> None:
    """Read only the first ``XML_HEAD_BYTES`` of a member and refuse a DOCTYPE in its prolog."""
    if info.flag_bits & 0x1:
        raise CorruptFileError(path=name, detail=tr(f"条目 {info.filename} 被 zip 加密", f"{info.filename} encrypted"))
    try:
        with zf.open(info) as member:
            head = member.read(XML_HEAD_BYTES)
    except (zipfile.BadZipFile, EOFError, OSError, zlib.error, NotImplementedError, ValueError):
        raise CorruptFileError(
            path=name,
            detail=tr(f"条目 {info.filename} 无法解压", f"member {info.filename} is unreadable"),
        ) from None
    verdict = _prolog_verdict(_decode_head(head), complete=len(head) < XML_HEAD_BYTES)
    if verdict:
        raise UnsafeXmlError(path=name, detail=f"{info.filename}: {verdict}")


def _decode_head(head: bytes) -> str:
    """Decode a member head the way an XML parser would guess it (XML 1.0 appendix F)."""
    # latin-1 is ASCII-compatible: enough to see the markup of UTF-8, GBK … heads
    encoding = next((enc for prefix, enc in _ENCODING_SNIFF if head.startswith(prefix)), "latin-1")
    return codecs.getincrementaldecoder(encoding)(errors="replace").decode(head)


_ENCODING_SNIFF = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
    (b"\x00<\x00?", "utf-16-be"),
    (b"<\x00?\x00", "utf-16-le"),
    (b"\x4c\x6f\xa7\x94", "cp037"),  # EBCDIC "<?xm", which libxml2 understands
)


def _prolog_verdict(text: str, complete: bool) -> str | None:
    """Walk the prolog up to the root element; return a reason when it declares a DTD.

    Returns None for safe XML and for non-XML members (images, binaries). Comments and
    processing instructions may precede a DOCTYPE, so they are skipped rather than cut off at a
    fixed length; a prolog longer than the scanned head is refused (no real file has one).
    *complete* says the head is the whole member, so running out of text is just malformed XML.
    """
    text = text.lstrip("\ufeff")
    if not text.lstrip().startswith("<"):
        return None
    pos = 0
    while True:
        while pos < len(text) and text[pos] in " \t\r\n":
            pos += 1
        if text.startswith("<?", pos):
            close = "?>"
        elif text.startswith("<!--", pos):
            close = "-->"
        elif text.startswith("<!", pos):
            return _dtd()
        elif text.startswith("<", pos) and pos + 1 < len(text):
            return None  # the root element: a DTD can no longer follow
        elif pos >= len(text) - 1 and not complete:
            return _overlong()
        else:  # malformed or truncated; the parser will reject it, but stay strict about DTDs
            upper = text.upper()
            return _dtd() if "<!DOCTYPE" in upper or "<!ENTITY" in upper else None
        end = text.find(close, pos + 2)
        if end < 0:
            return None if complete else _overlong()
        pos = end + len(close)


def _dtd() -> str:
    return tr("含 DOCTYPE/ENTITY 声明", "DOCTYPE/ENTITY declaration")


def _overlong() -> str:
    return tr("XML 开头的声明部分过长", "overlong XML prolog")
