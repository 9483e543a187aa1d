"""The cyclic garbage collector around the heavy steps (``xlcrm/collector.py``): paused inside,
switched back on as it was found, what the step made counted as long-lived, and no cycle lost."""

from __future__ import annotations

import gc
import weakref

from xlcrm.collector import collector_paused


class _Node:
    def __init__(self) -> None:
        self.other: _Node | None = None


def test_the_collector_is_paused_inside_and_restored_as_found() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():  # nested: the outer step restores it
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # it was off: it stays off
    finally:
        gc.enable()


def test_what_the_step_made_is_not_walked_by_the_next_young_collection_and_cycles_are_still_freed() -> None:
    with collector_paused():
        kept = [[i] for i in range(50_000)]  # a step's result: many small tracked objects
        a, b = _Node(), _Node()
        a.other, b.other = b, a  # and some cyclic garbage
        probe = weakref.ref(a)
        del a, b
    assert gc.get_count()[0] < 1000  # the young generation starts empty: no walk of 50,000 lists
    assert probe() is not None  # the cycle waits for a full collection...
    gc.collect()
    assert probe() is None  # ...which still frees it
    assert len(kept) == 50_000
