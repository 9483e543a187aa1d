"""glibc's allocator set up for one big job per process (the command line).

glibc gives every thread that allocates while another holds the lock an arena of its own, and
memory freed in a thread's arena serves only the threads that use that arena. Reading a large
workbook parses its biggest sheet in worker threads (``reading.pieces``): what they allocate and
free stays in their arenas, so the main thread's later work (checks, derive, the writer) takes new
memory from the system instead: about 90 MiB more peak memory on the 10,000-customer sample.
With one arena every thread reuses what another freed; the cost is some waiting on the
allocator's lock (about 3 % of enrich's time, bench/RESULTS.md).

Only the command line calls ``single_arena``: it changes the allocator of the whole process, which
is not a library's decision in someone else's program (a web server, a notebook kernel).
"""

from __future__ import annotations

import ctypes
import os
import sys

M_ARENA_MAX = -8  # glibc's malloc.h


def single_arena() -> bool:
    """Have every thread of this process allocate from glibc's main arena; whether it was set
    (False off Linux, on another C library, or when the call is refused)."""
    if not sys.platform.startswith("linux") or not _glibc():
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes, mallopt.restype = (ctypes.c_int, ctypes.c_int), ctypes.c_int
    return bool(mallopt(M_ARENA_MAX, 1))


def _glibc() -> bool:
    try:
        return (os.confstr("CS_GNU_LIBC_VERSION") or "").startswith("glibc")
    except (ValueError, OSError, AttributeError):
        return False
