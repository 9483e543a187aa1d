"""The largest worksheet is patched in a forked process while this one does the rest: the package
must come out byte for byte as when everything is patched here, also when the helper fails."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest
from conftest import AS_OF

from xlcrm.enrichment import enrich_data
from xlcrm.writing import patcher


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.testzip() is None
        return {i.filename: zf.read(i) for i in zf.infolist() if i.filename != "docProps/core.xml"}


def _enrich(path: Path) -> bytes:
    return enrich_data(path.read_bytes(), AS_OF).data


@pytest.fixture
def forks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Fork for parts of any size, and record which parts went to a helper process."""
    started: list[str] = []
    original = patcher._Forked.start.__func__  # type: ignore[attr-defined]

    def start(cls, part, work, size):  # type: ignore[no-untyped-def]
        started.append(part)
        return original(cls, part, work, size)

    monkeypatch.setattr(patcher, "FORK_MIN_PART", 0)
    monkeypatch.setattr(patcher._Forked, "start", classmethod(start))
    return started


def test_forked_patching_gives_the_same_package(sample_300: Path, forks: list[str], monkeypatch) -> None:  # type: ignore[no-untyped-def]
    parallel = _enrich(sample_300)
    assert forks, "no part was patched in a helper process"
    monkeypatch.setattr(patcher, "PARALLEL", False)
    alone = _enrich(sample_300)
    assert _parts(parallel) == _parts(alone)
    assert _parts(parallel) != _parts(sample_300.read_bytes())  # enrich did write something


def _raising(stream, self, part, patch, buffer):  # type: ignore[no-untyped-def]
    raise OSError("disk gone")


def _cut_off(stream, self, part, patch, buffer):  # type: ignore[no-untyped-def]
    stream(self, part, patch, buffer)
    buffer._flush()
    buffer._drain()
    buffer.data._out.flush()  # what was compressed so far reaches the parent, without the trailer
    os._exit(0)


@pytest.mark.parametrize("in_child", [_raising, _cut_off], ids=["raises", "cut-off-mid-stream"])
def test_a_failing_helper_leaves_the_part_to_this_process(  # type: ignore[no-untyped-def]
    sample_300: Path, forks: list[str], monkeypatch, in_child
) -> None:
    """A helper that fails, or that ends after part of the compressed stream even with exit status
    0 (its CRC and sizes come last), is not taken for a finished one: this process patches the part."""
    monkeypatch.setattr(patcher, "PARALLEL", False)
    alone = _enrich(sample_300)
    monkeypatch.setattr(patcher, "PARALLEL", True)
    parent = os.getpid()
    stream = patcher.WorkbookPatcher._stream_part

    def failing_in_child(self, part, patch, buffer):  # type: ignore[no-untyped-def]
        if os.getpid() != parent:
            return in_child(stream, self, part, patch, buffer)
        return stream(self, part, patch, buffer)

    monkeypatch.setattr(patcher.WorkbookPatcher, "_stream_part", failing_in_child)
    recovered = _enrich(sample_300)
    assert forks
    assert _parts(recovered) == _parts(alone)
