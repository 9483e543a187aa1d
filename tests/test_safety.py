"""check_input_file refuses every kind of unusable input with the right error, built in code."""

from __future__ import annotations

import io
import os
import pathlib
import struct
import zipfile

import openpyxl
import pytest

from xlcrm import errors
from xlcrm.reading import safety
from xlcrm.reading.safety import check_input_file

BILLION_LAUGHS = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol3;</t></is></c></row>'
    "</sheetData></worksheet>"
)


def _workbook_bytes() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "客户信息"
    ws.append(["客户编号", "客户名称", "建档日期"])
    for i in range(50):
        ws.append([f"HXKJ2024{i:04d}", f"客户{i}", "2024-06-01"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.fixture(scope="module")
def good_bytes() -> bytes:
    return _workbook_bytes()


def _write(tmp_path: pathlib.Path, name: str, data: bytes) -> pathlib.Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _rezip(data: bytes, replace: dict[str, bytes]) -> bytes:
    """The workbook *data* with some members replaced or added."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename not in replace:
                dst.writestr(info.filename, src.read(info))
        for name, payload in replace.items():
            dst.writestr(name, payload)
    return out.getvalue()


def _ole2(streams: dict[str, int]) -> bytes:
    """A minimal valid OLE2 compound file (CFB v3) whose streams hold zeros, like a .xls."""
    end, free, fat_sect, no_stream = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    header = bytearray(512)
    header[:8] = safety.OLE2_MAGIC
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIII", header, 44, 1, 1, 0, 4096, end, 0, end, 0)
    fat = [fat_sect, end]  # sector 0 is the FAT, sector 1 the directory
    entries = [_dir_entry("Root Entry", 5, end, 0, child=1 if streams else no_stream)]
    data = b""
    for i, (name, size) in enumerate(streams.items()):
        size = max(size, 4096)  # above the mini-stream cutoff: plain sectors only
        first = len(fat)
        count = -(-size // 512)
        fat += list(range(first + 1, first + count)) + [end]
        right = i + 2 if i + 1 < len(streams) else no_stream
        entries.append(_dir_entry(name, 2, first, size, right=right))
        data += bytes(count * 512)
    assert len(entries) <= 4 and len(fat) <= 128
    struct.pack_into("<109I", header, 76, 0, *[free] * 108)
    fat_sector = struct.pack(f"<{len(fat)}I", *fat) + b"\xff" * (512 - 4 * len(fat))
    directory = b"".join(entries).ljust(512, b"\x00")
    return bytes(header) + fat_sector + directory + data


def _dir_entry(name: str, kind: int, start: int, size: int, child: int = 0xFFFFFFFF, right: int = 0xFFFFFFFF) -> bytes:
    raw = name.encode("utf-16-le") + b"\x00\x00"
    entry = bytearray(128)
    entry[: len(raw)] = raw
    struct.pack_into("<HBBIII", entry, 64, len(raw), kind, 1, 0xFFFFFFFF, right, child)
    struct.pack_into("<IQ", entry, 116, start, size)
    return bytes(entry)


# ------------------------------------------------------------------ accepted


@pytest.mark.parametrize("name", ["ok.xlsx", "ok.xlsm", "ok.XLSX", "misnamed.xls", "misnamed.csv"])
def test_a_real_workbook_passes_whatever_its_name(tmp_path, good_bytes, name):
    check_input_file(_write(tmp_path, name, good_bytes))


def test_a_member_just_under_the_ratio_limit_passes(tmp_path, good_bytes, monkeypatch):
    # a big, very repetitive sheet that is nevertheless a plausible workbook
    monkeypatch.setattr(safety, "MAX_MEMBER_UNCOMPRESSED", 1024**2)
    sheet = (
        b"<worksheet>"
        + b"".join(b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (i, i, i * 7919 % 100003) for i in range(1, 60_000))
        + b"</worksheet>"
    )
    path = _write(tmp_path, "big.xlsx", _rezip(good_bytes, {"xl/worksheets/sheet1.xml": sheet}))
    check_input_file(path)


def test_a_safe_prolog_with_comments_and_instructions_passes(tmp_path, good_bytes):
    sheet = (
        b'<?xml version="1.0"?>\n<!-- made by a tool -->\n<?mso-application progid="Excel"?>\n'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b"<sheetData/></worksheet>"
    )
    path = _write(tmp_path, "c.xlsx", _rezip(good_bytes, {"xl/worksheets/sheet1.xml": sheet}))
    check_input_file(path)


# ------------------------------------------------------------------ missing / empty


def test_missing_path(tmp_path):
    with pytest.raises(errors.FileMissingError) as exc:
        check_input_file(tmp_path / "nope.xlsx")
    assert "nope.xlsx" in str(exc.value)
    assert exc.value.exit_code == 2


def test_directory_is_missing_file(tmp_path):
    with pytest.raises(errors.FileMissingError):
        check_input_file(tmp_path)


def test_empty_file(tmp_path):
    with pytest.raises(errors.EmptyFileError):
        check_input_file(_write(tmp_path, "empty.xlsx", b""))


# ------------------------------------------------------------------ OLE2


@pytest.mark.parametrize("name", ["old.xls", "renamed.xlsx"])
def test_legacy_xls_by_content(tmp_path, name):
    data = _ole2({"Workbook": 5000, "\x05SummaryInformation": 4096})
    with pytest.raises(errors.LegacyXlsError) as exc:
        check_input_file(_write(tmp_path, name, data))
    assert name in str(exc.value)


def test_bare_ole_magic_is_legacy_xls(tmp_path):
    data = safety.OLE2_MAGIC + bytes(1024)
    with pytest.raises(errors.LegacyXlsError):
        check_input_file(_write(tmp_path, "broken.xls", data))


@pytest.mark.parametrize("name", ["secret.xlsx", "secret.xls"])
def test_encrypted_workbook(tmp_path, good_bytes, name):
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(good_bytes)).encrypt("密码123", out)
    with pytest.raises(errors.EncryptedFileError):
        check_input_file(_write(tmp_path, name, out.getvalue()))


def test_crafted_ole_with_encryption_streams_is_encrypted(tmp_path):
    data = _ole2({"EncryptionInfo": 4096, "EncryptedPackage": 4096})
    with pytest.raises(errors.EncryptedFileError):
        check_input_file(_write(tmp_path, "x.xlsx", data))


# ------------------------------------------------------------------ text


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("客户.csv", "客户编号,客户名称\nHXKJ20240001,华信科技\n".encode()),
        ("客户.xlsx", "客户编号,客户名称\nHXKJ20240001,华信科技\n".encode("gbk")),
        ("bom.xlsx", "\ufeff客户编号,客户名称\n".encode()),
        ("unicode.txt", "客户编号\t客户名称\r\n".encode("utf-16")),
        ("export.xls", b"<html><table><tr><td>1</td></tr></table></html>"),
        ("binary.csv", os.urandom(2048)),  # the extension says text
    ],
)
def test_text_and_csv(tmp_path, name, data):
    with pytest.raises(errors.CsvFileError):
        check_input_file(_write(tmp_path, name, data))


# ------------------------------------------------------------------ corrupt


def test_random_bytes(tmp_path):
    with pytest.raises(errors.CorruptFileError) as exc:
        check_input_file(_write(tmp_path, "noise.xlsx", b"\x01\x02\x00" + os.urandom(4096)))
    assert "zip" in str(exc.value)


def test_truncated_workbook(tmp_path, good_bytes):
    path = _write(tmp_path, "half.xlsx", good_bytes[: len(good_bytes) // 2])
    with pytest.raises(errors.CorruptFileError) as exc:
        check_input_file(path)
    assert "不完整" in str(exc.value)


def test_damaged_central_directory(tmp_path, good_bytes):
    data = bytearray(good_bytes)
    cd = data.rfind(b"PK\x01\x02")
    data[cd : cd + 40] = os.urandom(40)
    with pytest.raises(errors.CorruptFileError):
        check_input_file(_write(tmp_path, "cd.xlsx", bytes(data)))


def test_damaged_member_data(tmp_path, good_bytes):
    with zipfile.ZipFile(io.BytesIO(good_bytes)) as zf:
        info = zf.getinfo("xl/workbook.xml")
    data = bytearray(good_bytes)
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    data[start : start + 16] = b"\xff" * 16
    with pytest.raises(errors.CorruptFileError):
        check_input_file(_write(tmp_path, "member.xlsx", bytes(data)))


@pytest.mark.parametrize(
    ("members", "hint"),
    [
        ({"word/document.xml": b"<w:document/>", "[Content_Types].xml": b"<Types/>"}, "workbook"),
        ({"xl/workbook.bin": b"\x83\x01", "[Content_Types].xml": b"<Types/>"}, "xlsb"),
        ({"mimetype": b"application/vnd.oasis", "content.xml": b"<office/>"}, "ods"),
        ({}, "workbook"),
    ],
)
def test_zip_that_is_not_a_workbook(tmp_path, members, hint):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, payload in members.items():
            zf.writestr(name, payload)
    with pytest.raises(errors.CorruptFileError) as exc:
        check_input_file(_write(tmp_path, "doc.xlsx", buf.getvalue()))
    assert hint in str(exc.value).lower()


# ------------------------------------------------------------------ zip bombs


def test_real_zip_bomb_of_zeros(tmp_path):
    path = tmp_path / "bomb.xlsx"
    chunk = bytes(16 * 1024**2)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            for _ in range(70):  # 1.1 GiB of zeros, about 5 MB on disk
                member.write(chunk)
    with pytest.raises(errors.ZipBombError) as exc:
        check_input_file(path)
    assert "sheet1.xml" in str(exc.value)


def test_total_size_limit(tmp_path, good_bytes, monkeypatch):
    monkeypatch.setattr(safety, "MAX_TOTAL_UNCOMPRESSED", 4 * 1024**2)
    extra = {f"xl/media/image{i}.png": os.urandom(1024**2) for i in range(5)}
    path = _write(tmp_path, "big.xlsx", _rezip(good_bytes, extra))
    with pytest.raises(errors.ZipBombError) as exc:
        check_input_file(path)
    assert "MB" in str(exc.value)


def test_ratio_limit(tmp_path, good_bytes, monkeypatch):
    monkeypatch.setattr(safety, "MAX_MEMBER_UNCOMPRESSED", 1024**2)
    sheet = b"<worksheet>" + bytes(4 * 1024**2) + b"</worksheet>"
    path = _write(tmp_path, "r.xlsx", _rezip(good_bytes, {"xl/worksheets/sheet1.xml": sheet}))
    with pytest.raises(errors.ZipBombError):
        check_input_file(path)


def test_declared_sizes_are_what_is_checked(tmp_path, good_bytes):
    """A central directory that claims ~3.7 GB for a tiny member is refused before reading it."""
    data = bytearray(good_bytes)
    cd = data.rfind(b"PK\x01\x02")
    struct.pack_into("<I", data, cd + 24, 0xEE000000)
    with pytest.raises(errors.ZipBombError):
        check_input_file(_write(tmp_path, "liar.xlsx", bytes(data)))


def test_too_many_members(tmp_path, good_bytes, monkeypatch):
    monkeypatch.setattr(safety, "MAX_MEMBERS", 20)
    extra = {f"xl/media/image{i}.png": b"x" for i in range(30)}
    path = _write(tmp_path, "many.xlsx", _rezip(good_bytes, extra))
    with pytest.raises(errors.ZipBombError):
        check_input_file(path)


# ------------------------------------------------------------------ unsafe XML


def _utf16(text: str) -> bytes:
    return text.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")


@pytest.mark.parametrize(
    ("member", "payload"),
    [
        ("xl/worksheets/sheet1.xml", BILLION_LAUGHS.encode()),
        ("xl/worksheets/sheet1.xml", _utf16(BILLION_LAUGHS)),
        ("xl/worksheets/sheet1.xml", BILLION_LAUGHS.encode("utf-16-le")),
        ("xl/worksheets/sheet1.xml", b"\xef\xbb\xbf" + BILLION_LAUGHS.encode()),
        ("xl/_rels/workbook.xml.rels", b'<?xml version="1.0"?><!DOCTYPE r SYSTEM "http://x/"><Relationships/>'),
        ("xl/sharedStrings.xml", b"<!-- hi --><!DOCTYPE s [<!ENTITY x SYSTEM 'file:///etc/passwd'>]><sst>&x;</sst>"),
        ("xl/worksheets/sheet9.dat", BILLION_LAUGHS.encode()),  # any name, judged by content
        (
            "xl/worksheets/sheet1.xml",
            b"<?xml version='1.0'?><!--" + b"x" * 8000 + b"-->" + BILLION_LAUGHS.split("\n", 1)[1].encode(),
        ),  # DOCTYPE hidden behind a long comment
    ],
)
def test_doctype_or_entity_is_refused(tmp_path, good_bytes, member, payload):
    path = _write(tmp_path, "evil.xlsx", _rezip(good_bytes, {member: payload}))
    with pytest.raises(errors.UnsafeXmlError) as exc:
        check_input_file(path)
    assert member in str(exc.value)
