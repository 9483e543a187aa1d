"""The file store: every file under its SHA-256, written once, never changed or deleted."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from django.conf import settings


def file_path(sha256: str) -> Path:
    """Where the file with this digest lives (two-character fan-out keeps folders small)."""
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise ValueError("not a SHA-256 hex digest")
    return Path(settings.FILES_DIR) / sha256[:2] / sha256


def store(data: bytes) -> str:
    """Store ``data`` (if not stored yet) and return its SHA-256; the write is atomic."""
    digest = hashlib.sha256(data).hexdigest()
    target = file_path(digest)
    if target.exists():
        return digest
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return digest


def load(sha256: str) -> bytes:
    """The stored bytes."""
    return file_path(sha256).read_bytes()
