"""Interpreter settings for the heavy steps: the cyclic garbage collector paused while a workbook
is read, checked, derived and written; quick lock hand-overs while worker threads help.

Those steps allocate millions of small objects (cell values, row dicts, records) without reference
cycles; the collector would scan them again and again as they pile up (about a tenth of an enrich
of the 10,000-customer sample). Reference counting still frees everything as usual; the collector
is switched back on, as it was found, when the step ends, with what the step left alive counted as
long-lived.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            # What the step leaves alive (a book, its derived values) is long-lived: moved to the
            # oldest generation in one step (freeze + unfreeze only relink lists), so the first
            # collection after the step does not walk the million objects it just made (~0.1 s
            # on the 10,000-customer sample). Cyclic garbage among them is still found by the
            # next full collection.
            gc.freeze()
            gc.unfreeze()
            gc.enable()


# While a worker thread (de)compresses beside the main one, each hand-over waits for the
# interpreter lock, which a busy thread gives up only every switch interval (5 ms by default).
QUICK_SWITCH = 0.0005


@contextmanager
def quick_handoffs() -> Iterator[None]:
    """A shorter switch interval for the duration: worker threads doing zlib or calamine work get
    the interpreter lock back sooner (a large sheet is patched ~15 % faster). Restored as found."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(min(before, QUICK_SWITCH))
    try:
        yield
    finally:
        sys.setswitchinterval(before)
