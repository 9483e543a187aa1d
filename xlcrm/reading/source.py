"""``Source``: what every reader accepts — a path, the workbook's bytes, or a binary file object.

A run turns its source into bytes exactly once (``source_data``); everything after that (the
safety checks, calamine, the formula scan, the patching writer) works on those bytes, so a
workbook on disk is opened once per run and bytes from a browser upload never pass through a
temporary file. What only makes sense for a file on disk — "file missing", "is a folder", the
lock file beside it, an ``xlcrm.toml`` beside it, backups — belongs to the file wrapper.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO, Union

from ..errors import CorruptFileError, FileMissingError, ZipBombError
from ..i18n import tr

Source = Union[str, "os.PathLike[str]", bytes, bytearray, memoryview, IO[bytes]]

#: What a source that is not a path is called in messages and reports, unless told otherwise.
DEFAULT_NAME = "workbook.xlsx"
#: Bytes read first from a file on disk, to refuse a non-workbook without reading all of it.
HEAD_BYTES = 64 * 1024
#: A file larger than this cannot be a workbook xlcrm reads: it holds at least this much once
#: decompressed, over ``safety.MAX_TOTAL_UNCOMPRESSED`` (kept equal to it).
MAX_FILE_BYTES = 1024**3

__all__ = ["DEFAULT_NAME", "Source", "is_path", "read_file_bytes", "source_data", "source_name"]


def is_path(source: object) -> bool:
    """True for a file-system path (``str`` or ``os.PathLike``)."""
    return isinstance(source, (str, os.PathLike))


def source_name(source: Source, name: str | None = None) -> str:
    """What messages and reports call the workbook: ``name`` when given, the path as typed for a
    path, a file object's own ``name`` (``open(p, "rb")``), else ``workbook.xlsx``."""
    if name:
        return name
    if is_path(source):
        return str(source)
    own = getattr(source, "name", None)
    return own if isinstance(own, str) and own else DEFAULT_NAME


def read_file_bytes(path: Path, name: str | None = None) -> bytes:
    """The file wrapper's read: refuse a missing path or a folder, then read the file in one open.

    A file whose first bytes are neither a zip nor an OLE2 container is refused from those bytes
    alone (empty, CSV/text, not a zip: the safety checks' own messages), and an oversized zip is
    not read at all, so an unusable file fails fast and small whatever its size."""
    label = name or str(path)
    path = Path(path)
    if not path.is_file():
        raise FileMissingError(path=label)
    try:
        with path.open("rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            head = fh.read(HEAD_BYTES)
            if not head.startswith((b"PK", b"\xd0\xcf\x11\xe0")):
                from .safety import check_input_bytes  # here: safety reads files through this module

                check_input_bytes(head, label)  # raises: this is no workbook
                raise CorruptFileError(path=label, detail=tr("不是 zip 格式", "not a zip archive"))
            if size > MAX_FILE_BYTES:
                raise ZipBombError(
                    path=label,
                    detail=tr(f"文件本身就有 {size / 1024**2:,.0f} MB", f"the file itself is {size / 1024**2:,.0f} MB"),
                )
            return head + fh.read()
    except (IsADirectoryError, FileNotFoundError, NotADirectoryError):
        raise FileMissingError(path=label) from None


def source_data(source: Source, name: str | None = None) -> tuple[bytes, str]:
    """The workbook's bytes (read once) and what to call it (see ``source_name``)."""
    label = source_name(source, name)
    if is_path(source):
        return read_file_bytes(Path(source), label), label  # type: ignore[arg-type]
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source), label
    read = getattr(source, "read", None)
    if read is None:
        raise TypeError(f"not a workbook source: {type(source).__name__} (a path, bytes or a binary file object)")
    data = read()
    if isinstance(data, str):
        raise TypeError("the file object must be opened in binary mode ('rb')")
    return bytes(data), label
