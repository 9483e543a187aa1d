"""The cyclic garbage collector, paused while a workbook is read, checked, derived and written.

Those steps allocate millions of small objects (cell values, row dicts, records) without reference
cycles; the collector would scan them again and again as they pile up (about a tenth of an enrich
of the 10,000-customer sample). Reference counting still frees everything as usual; the collector
is switched back on, as it was found, when the step ends.
"""

from __future__ import annotations

import gc
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
            gc.enable()
