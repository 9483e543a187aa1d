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
``give_back`` (``malloc_trim``) only returns free memory to the system; any caller may use it.
"""

from __future__ import annotations

import ctypes
import functools
import os
import sys
from typing import Any

M_ARENA_MAX = -8  # glibc's malloc.h


def single_arena() -> bool:
    """Have every thread of this process allocate from glibc's main arena; whether it was set
    (False off Linux, on another C library, or when the call is refused)."""
    mallopt = _glibc_function("mallopt", ctypes.c_int, ctypes.c_int)
    return mallopt is not None and bool(mallopt(M_ARENA_MAX, 1))


def give_back() -> None:
    """Return the memory glibc holds free to the system (``malloc_trim(0)``; a few milliseconds).
    After reading a large workbook some 40–90 MiB of parsing buffers lie free in the heap; whether
    glibc trims them by itself depends on where they lie, which made enrich's peak vary by ~50 MiB
    from run to run. Nothing off glibc."""
    trim = _glibc_function("malloc_trim", ctypes.c_size_t)
    if trim is not None:
        trim(0)


@functools.cache
def _glibc_function(name: str, *argtypes: Any) -> Any:
    """glibc's function ``name`` (returning int) through ctypes; None off Linux or off glibc."""
    if not sys.platform.startswith("linux") or not _glibc():
        return None
    try:
        function = getattr(ctypes.CDLL(None), name)
    except (OSError, AttributeError):
        return None
    function.argtypes, function.restype = argtypes, ctypes.c_int
    return function


def _glibc() -> bool:
    try:
        return (os.confstr("CS_GNU_LIBC_VERSION") or "").startswith("glibc")
    except (ValueError, OSError, AttributeError):
        return False
