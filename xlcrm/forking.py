"""A function run in a forked copy of this process, beside the caller's own work (Linux only).

Python runs one thread of Python code at a time; the two cores of an ordinary office PC are used
for pure-Python work only by a second process. A forked child sees the parent's objects as they
were at the fork (copy-on-write: nothing is pickled on the way in) and sends its result back
pickled through a pipe. Used where the result is small and the child touches few of the parent's
objects: the pinyin initials of new customers (``derive.ids.Initials``). A child that reads many
objects pays for them in memory: CPython writes an object's reference count when it reads it, so
every page it reads becomes a private copy.

A fork is made only where it is safe and pays: on Linux, in a process that runs no other thread
(a thread holding a lock at the fork would leave the child stuck: a web server's workers, a
notebook kernel), and when ``PARALLEL`` is on. Anything going wrong in the child gives the
caller None, and the caller does the work itself.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable
from typing import IO, Any

PARALLEL = True  # tests switch it off to compare with the work done in one process
# The memory (KiB) the last helper process did not share with this one when it finished, for the
# benchmarks: a forked helper is a process of its own, not counted in this process's peak.
last_private_kib = 0


def private_kib() -> int:
    """Memory this (helper) process does not share with its parent, KiB: what the fork costs."""
    total = 0
    try:
        with open("/proc/self/smaps_rollup", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith(("Private_Clean:", "Private_Dirty:")):
                    total += int(line.split()[1])
    except (OSError, ValueError, IndexError):
        return 0
    return total


def can_fork() -> bool:
    """Whether a helper process may be forked here and now."""
    return PARALLEL and sys.platform.startswith("linux") and hasattr(os, "fork") and threading.active_count() == 1


def fork_to(child: Callable[[IO[bytes]], None]) -> tuple[int, int] | None:
    """Fork; the child runs ``child`` with the write end of a pipe and leaves without running any
    of the parent's exit code (exit status 0 when ``child`` returned, 1 when it raised). The
    parent gets (the child's pid, the read end) or None when no fork could be made."""
    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return None
    if pid == 0:
        code = 1
        try:
            os.close(read_end)
            with os.fdopen(write_end, "wb", buffering=1 << 20) as out:
                child(out)
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)
    return pid, read_end


class ForkedCall:
    """``work()`` running in a forked child; ``result()`` waits for its return value."""

    def __init__(self, pid: int, fd: int) -> None:
        self.pid, self._fd = pid, fd
        self._done = False

    @classmethod
    def start(cls, work: Callable[[], Any]) -> ForkedCall | None:
        """Fork and run ``work`` in the child; None when no fork can be made (see ``can_fork``)."""
        if not can_fork():
            return None

        def child(out: IO[bytes]) -> None:
            value = work()
            out.write(pickle.dumps((value, private_kib()), protocol=pickle.HIGHEST_PROTOCOL))

        started = fork_to(child)
        return cls(*started) if started is not None else None

    def result(self) -> Any | None:
        """The child's return value once it is done; None when it failed (then do the work here)."""
        if self._done:
            return None
        self._done = True
        with os.fdopen(self._fd, "rb") as src:
            payload = src.read()
        _, status = os.waitpid(self.pid, 0)
        if status != 0 or not payload:
            return None
        global last_private_kib
        try:
            value, last_private_kib = pickle.loads(payload)  # noqa: S301 - our own child's bytes
        except Exception:  # noqa: BLE001 - a truncated payload: the caller does the work itself
            return None
        return value

    def abandon(self) -> None:
        """Stop the child (the caller failed and no longer needs it)."""
        if self._done:
            return
        self._done = True
        try:
            os.kill(self.pid, signal.SIGKILL)
        except OSError:
            pass
        os.close(self._fd)
        os.waitpid(self.pid, 0)
