"""Saving without ever losing a staff member's file: lock check, backup, temp file + atomic rename.

A workbook reached through a symbolic link is saved into the file the link points to (the link
stays a link), and its backup is written beside that file.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

from ..errors import FolderNotWritableError, WorkbookLockedError
from ..i18n import tr

# errors that mean "this folder does not take new files" (permissions, read-only media, full disk)
_NOT_WRITABLE = (errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOSPC, errno.EDQUOT)


def real_file(path: Path) -> Path:
    """The file a (chain of) symbolic link(s) points to; ``path`` itself when it is not a link."""
    path = Path(path)
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def lock_file_for(path: Path) -> Path | None:
    """The lock file beside ``path`` if the workbook is open in a spreadsheet program, else ``None``.

    Excel/WPS write ``~$name.xlsx`` (for long names ``~$`` replaces the first two characters, so
    both forms count); LibreOffice writes ``.~lock.name.xlsx#``. For a symbolic link, lock files
    beside the link and beside the file it points to both count.
    """
    places = dict.fromkeys([Path(path), real_file(path)])
    for place in places:
        candidates = [
            place.with_name("~$" + place.name),
            place.with_name("~$" + place.name[2:]),
            place.with_name(f".~lock.{place.name}#"),
        ]
        found = next((c for c in candidates if c.exists()), None)
        if found is not None:
            return found
    return None


def refuse_if_open(path: Path) -> None:
    """Raise ``WorkbookLockedError`` when Excel, WPS or LibreOffice has the workbook open."""
    lock = lock_file_for(path)
    if lock is not None:
        app = "LibreOffice" if lock.name.startswith(".~lock.") else "Excel/WPS"
        raise WorkbookLockedError(path=str(path), lock=lock.name, app=app)


def _not_writable(folder: Path, what_zh: str, what_en: str, exc: OSError) -> FolderNotWritableError:
    if exc.errno == errno.EROFS:
        reason = tr("只读文件系统", "read-only file system")
    elif exc.errno in (errno.ENOSPC, errno.EDQUOT):
        reason = tr("磁盘空间不足", "no space left")
    else:
        reason = tr("没有写入权限", "permission denied")
    return FolderNotWritableError(folder=str(folder), what=tr(what_zh, what_en), detail=reason)


def backup_path(path: Path, now: datetime) -> Path:
    """``name.bak-YYYYmmdd-HHMMSS.xlsx`` beside the original, never overwriting an older backup."""
    stamp = now.strftime("%Y%m%d-%H%M%S")
    candidate = path.with_name(f"{path.stem}.bak-{stamp}{path.suffix}")
    n = 1
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}.bak-{stamp}-{n}{path.suffix}")
        n += 1
    return candidate


def make_backup(path: Path, now: datetime, data: bytes | None = None) -> Path:
    """A new backup file beside the workbook (the file a link points to): ``data`` when given
    (the bytes the run read, so the workbook is not opened a second time), else a copy of the
    file. The backup keeps the workbook's permissions and times."""
    path = real_file(path)
    target = backup_path(path, now)
    try:
        if data is None:
            shutil.copy2(path, target)
        else:
            with open(target, "xb") as fh:  # "x": never over an existing file
                fh.write(data)
            shutil.copystat(path, target)
    except OSError as exc:
        if exc.errno not in _NOT_WRITABLE:
            raise
        with contextlib.suppress(OSError):  # a partial copy, if the folder let us start one
            target.unlink(missing_ok=True)
        raise _not_writable(path.parent, "备份文件", "the backup file", exc) from None
    return target


def atomic_write(target: Path, write: Callable[[Path], object]) -> None:
    """Call ``write(tmp)`` on a temp file in the target's folder, fsync, then rename over ``target``.

    If ``write`` fails (or the process dies) the original file is untouched; the temp file is removed.
    A symbolic link ``target`` keeps being a link: the file it points to is replaced.
    """
    with atomic_file(target) as tmp:
        write(tmp)


@contextlib.contextmanager
def atomic_file(target: Path) -> Iterator[Path]:
    """``atomic_write`` as a context: yields the temp file's path; when the block ends normally
    the file is fsynced and renamed over ``target``, when it raises it is removed."""
    target = real_file(target)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=".xlcrm-", suffix=target.suffix, dir=target.parent)
    except OSError as exc:
        if exc.errno not in _NOT_WRITABLE:
            raise
        raise _not_writable(target.parent, "临时文件", "the temporary file", exc) from None
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        if target.exists():
            shutil.copymode(target, tmp)  # mkstemp makes 0600; keep the original's permissions
        else:
            os.chmod(tmp, 0o666 & ~_umask())
        yield tmp
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        if exc.errno not in _NOT_WRITABLE:
            raise
        raise _not_writable(target.parent, "临时文件", "the temporary file", exc) from None
    finally:
        if tmp.exists():
            tmp.unlink()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
