"""Saving without ever losing a staff member's file: lock check, backup, temp file + atomic rename."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from ..errors import WorkbookLockedError


def lock_file_for(path: Path) -> Path | None:
    """The Excel/WPS owner file (``~$name.xlsx``) beside ``path`` if the workbook is open.

    Excel shortens long names (``~$`` replaces the first two characters), so both forms count.
    """
    candidates = [path.with_name("~$" + path.name), path.with_name("~$" + path.name[2:])]
    return next((c for c in candidates if c.exists()), None)


def refuse_if_open(path: Path) -> None:
    lock = lock_file_for(path)
    if lock is not None:
        raise WorkbookLockedError(path=str(path), lock=lock.name)


def backup_path(path: Path, now: datetime) -> Path:
    """``name.bak-YYYYmmdd-HHMMSS.xlsx`` beside the original, never overwriting an older backup."""
    stamp = now.strftime("%Y%m%d-%H%M%S")
    candidate = path.with_name(f"{path.stem}.bak-{stamp}{path.suffix}")
    n = 1
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}.bak-{stamp}-{n}{path.suffix}")
        n += 1
    return candidate


def make_backup(path: Path, now: datetime) -> Path:
    target = backup_path(path, now)
    shutil.copy2(path, target)
    return target


def atomic_write(target: Path, write: Callable[[Path], None]) -> None:
    """Call ``write(tmp)`` on a temp file in the target's folder, fsync, then rename over ``target``.

    If ``write`` fails (or the process dies) the original file is untouched; the temp file is removed.
    """
    target = Path(target)
    fd, tmp_name = tempfile.mkstemp(prefix=".xlcrm-", suffix=target.suffix, dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        if target.exists():
            shutil.copymode(target, tmp)  # mkstemp makes 0600; keep the original's permissions
        else:
            os.chmod(tmp, 0o666 & ~_umask())
        write(tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
