"""The one place that reads cell values from an .xlsx: python-calamine (fast, Rust).

calamine gives cached formula values, real dates for date-formatted serials, merged ranges and
sheet visibility. It cannot tell a formula without a cached value from a blank cell; that comes
from ``xmlparts.uncached_formula_cells``. calamine looks for the workbook at ``xl/workbook.xml``
only, so a package that keeps its parts elsewhere (or spells them in another case than its
relationships) is handed over as a minimal canonical copy (``package.canonical_copy``). The
workbook arrives as bytes (read once per run, ``source.source_data``) and reaches calamine as an
in-memory file object.

calamine's messages are English; none of them reaches the user: every failure becomes a Chinese
reason (``calamine_reason``). A number calamine cannot turn into a date (``-1e999`` or ``-INF`` in a
date-formatted cell) makes it panic, which Rust reports straight to the process's stderr: reads run
with that stream held back, and a sheet that panicked is read again with such values as text, so
the cell becomes an ordinary ``value.type`` error instead of an unreadable sheet.
"""

from __future__ import annotations

import io
import math
import os
import queue
import re
import sys
import threading
import zipfile
from collections import deque
from collections.abc import Callable, Generator, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

import python_calamine as pc

from ..errors import CorruptFileError, EncryptedFileError
from ..i18n import tr
from .package import PackageError, canonical_copy, layout, sheet_part
from .pieces import split_sheet


@dataclass
class RawSheet:
    """A sheet's cells as read: ``rows[i][j]`` is Excel row i+1, column j+1 ('' when empty).

    A big sheet streams: ``rows`` then holds its first ``HEAD_ROWS`` rows (all that recognising
    its header needs) and ``rest`` yields the others once, so the whole sheet never sits in memory
    as Python lists; ``all_rows()`` gives both. ``error`` is a Chinese reason when the sheet's part
    could not be parsed (``rows`` is then empty); the caller decides whether that sheet matters.
    A sheet that turns out unreadable while ``rest`` streams raises ``UnreadableSheet``.
    """

    name: str
    index: int
    rows: list[list[Any]]
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # 1-based r1, c1, r2, c2
    visible: bool = True
    error: str | None = None
    rest: Iterator[list[Any]] | None = None

    def all_rows(self) -> Iterator[list[Any]]:
        """Every row from row 1 (the streamed ones can be taken once)."""
        yield from self.rows
        if self.rest is not None:
            rest, self.rest = self.rest, None
            yield from rest


class UnreadableSheet(Exception):
    """A streamed sheet that could not be read to its end; ``reason`` is Chinese."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class RowsOutOfOrder(Exception):
    """A sheet read in pieces has a row numbered before rows already handed over (rows out of
    order, which a whole parse puts in place): ``again()`` gives the sheet read whole."""

    def __init__(self, again: Callable[[], RawSheet]) -> None:
        super().__init__("rows out of order")
        self.again = again


SEPARATE_PARSE = 8 << 20  # sheet XML from which the largest sheet is parsed beside the others
PIECES_PARSE = 48 << 20  # ... and from which it is parsed in pieces, typed as they come (pieces.py)
PIECES_AHEAD = 4  # pieces parsed or being parsed ahead of the caller at most
PIECE_PARSERS = 2  # threads parsing pieces (calamine releases the GIL)
HEAD_ROWS = 1000  # rows read ahead of the rest: header recognition looks no further (recognize.py)


def calamine_reason(exc: BaseException) -> str:
    """A Chinese reason for a python-calamine failure (its own text is never shown)."""
    if isinstance(exc, getattr(pc, "XmlError", ())):
        return tr("XML 内容无法解析", "unparsable XML")
    if isinstance(exc, getattr(pc, "ZipError", ())) or isinstance(exc, (zipfile.BadZipFile, EOFError)):
        return tr("压缩数据损坏", "damaged zip data")
    text = str(exc).lower()
    if "not found" in text or "missing" in text:
        return tr("缺少必要的组成部分", "a required part is missing")
    return tr("Excel 读取组件无法解析该文件", "the Excel reader cannot parse it")


def _is_panic(exc: BaseException) -> bool:
    # A Rust panic surfaces as pyo3's PanicException, which derives from BaseException.
    return type(exc).__name__ == "PanicException"


def _source(data: bytes, name: str) -> io.BytesIO:
    """What to hand calamine: the package itself, or a canonical copy of an unusual package."""
    package = io.BytesIO(data)
    try:
        with zipfile.ZipFile(package) as zf:
            parts = layout(zf)
            if not parts.canonical and parts.workbook_rels is not None:
                return canonical_copy(zf, parts)
    except PackageError as exc:
        raise CorruptFileError(path=name, detail=tr(str(exc), "broken package structure")) from None
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, ValueError):
        raise CorruptFileError(path=name, detail=tr("压缩数据损坏", "damaged zip data")) from None
    package.seek(0)
    return package


def _open(data: bytes, name: str) -> Any:
    source = _source(data, name)
    try:
        with _rust_panic_output_held_back():
            return pc.CalamineWorkbook.from_filelike(source)
    except pc.PasswordError:
        raise EncryptedFileError(path=name) from None
    except BaseException as exc:
        if not isinstance(exc, Exception) and not _is_panic(exc):
            raise
        raise CorruptFileError(path=name, detail=calamine_reason(exc)) from None


def read_raw_sheets(data: bytes, name: str = "workbook.xlsx") -> list[RawSheet]:
    """Every worksheet of the workbook ``data`` (the package's bytes) with all its values and
    merged ranges; messages call it ``name``. ``iter_raw_sheets`` is the streaming form.

    An unopenable workbook raises ``CorruptFileError``/``EncryptedFileError``; a single
    unparsable worksheet comes back with ``error`` set instead.
    """
    names, sheets = iter_raw_sheets(data, name)
    out = []
    with closing(sheets):
        for raw in sheets:
            try:
                raw.rows = list(raw.all_rows())
            except UnreadableSheet as exc:
                raw.rows, raw.error = [], exc.reason
            out.append(raw)
    return out


def iter_raw_sheets(
    data: bytes, name: str = "workbook.xlsx", *, last: Callable[[list[str], str], bool] | None = None
) -> tuple[list[str], Generator[RawSheet, None, None]]:
    """The worksheet names of ``data`` and a generator of its worksheets, each streaming its rows
    (``RawSheet.rest``). Sheets are parsed in worker threads (calamine releases the GIL) while the
    caller works on the one before; the sheet with by far the most XML is parsed from the start,
    beside the others, and comes last when ``last(names, its name)`` says its place does not
    matter to the caller (tab order otherwise). Raises like ``read_raw_sheets`` for an unopenable
    workbook; close the generator when stopping early."""
    wb = _open(data, name)
    try:
        metas = [
            (index, meta)
            for index, meta in enumerate(wb.sheets_metadata)
            if str(meta.typ) == str(pc.SheetTypeEnum.WorkSheet)
        ]
    except BaseException:
        wb.close()
        raise
    names = [m.name for _, m in metas]
    largest = _largest(data, metas)
    big = largest[0] if largest is not None else None
    if big is not None and last is not None:
        meta = next(m for i, m in metas if i == big)
        if last(names, meta.name):
            metas = [(i, m) for i, m in metas if i != big] + [(big, meta)]
    in_pieces = largest is not None and largest[1] >= PIECES_PARSE
    return names, _sheets(wb, metas, data, big, in_pieces)


def _parse(wb: Any, index: int) -> tuple[Any, list[tuple[int, int, int, int]]]:
    sheet = wb.get_sheet_by_index(index)
    merged = [(r1 + 1, c1 + 1, r2 + 1, c2 + 1) for (r1, c1), (r2, c2) in (sheet.merged_cell_ranges or [])]
    return sheet, merged


def _largest(data: bytes, metas: list[tuple[int, Any]]) -> tuple[int, int] | None:
    """The index and XML size of the worksheet with by far the most XML, worth a workbook object
    of its own."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            parts = layout(zf).sheets
            sizes = {index: zf.getinfo(parts[m.name]).file_size for index, m in metas if m.name in parts}
    except (PackageError, zipfile.BadZipFile, KeyError, OSError, EOFError, ValueError):
        return None
    if len(sizes) < 2:
        return None
    index = max(sizes, key=lambda i: sizes[i])
    return (index, sizes[index]) if sizes[index] >= SEPARATE_PARSE else None


def _parse_alone(data: bytes, name: str, index: int) -> tuple[Any, list[tuple[int, int, int, int]]]:
    """Parse one sheet with a workbook object of its own (one object parses one sheet at a time)."""
    wb = pc.CalamineWorkbook.from_filelike(_source(data, name))
    try:
        return _parse(wb, index)
    finally:
        wb.close()


def _sheets(
    wb: Any, metas: list[tuple[int, Any]], data: bytes, big: int | None, in_pieces: bool = False
) -> Generator[RawSheet, None, None]:
    others = [index for index, _ in metas if index != big]
    pool = ThreadPoolExecutor(1, "xlcrm-calamine")  # one workbook object parses one sheet at a time
    solo = ThreadPoolExecutor(1, "xlcrm-calamine-big") if big is not None else None
    held = _rust_panic_output_held_back()
    state = held.__enter__()
    alone: Future[tuple[Any, list[tuple[int, int, int, int]]]] | _Stream | None = None
    try:
        # the largest sheet starts at once, beside the others, which follow one another in tab order
        if solo is not None and big is not None:
            if in_pieces:
                alone = _Stream()
                solo.submit(_produce, alone, data, big, next(m.name for i, m in metas if i == big))
            else:
                alone = solo.submit(_parse_alone, data, "", big)
        upcoming = iter(others)

        def parse_next() -> Future[tuple[Any, list[tuple[int, int, int, int]]]] | None:
            following = next(upcoming, None)
            return pool.submit(_parse, wb, following) if following is not None else None

        ahead = parse_next()  # the next of the other sheets, parsing while the current one is typed
        for index, meta in metas:
            if index == big:
                assert alone is not None
                current = alone
            else:
                assert ahead is not None
                current = ahead
                ahead = parse_next()
            visible = str(meta.visible) == str(pc.SheetVisibleEnum.Visible)

            def rows_of(
                sheet: Any,
                merged: list[Any],
                current: Any = current,
                name: str = meta.name,
                index: int = index,
                visible: bool = visible,
            ) -> Iterator[list[Any]]:
                if isinstance(current, _Stream) and current.in_pieces:
                    return _piece_rows(current, sheet, merged, data, name, index, visible, state)
                return _rows(sheet, data, name, index, state)

            yield _raw(data, meta.name, index, visible, state, current.result, rows_of)
    finally:
        if isinstance(alone, _Stream):
            alone.stop.set()
        pool.shutdown(wait=True)
        if solo is not None:
            solo.shutdown(wait=True)
        wb.close()
        held.__exit__(None, None, None)


def _raw(
    data: bytes,
    name: str,
    index: int,
    visible: bool,
    state: _Held,
    parsed: Callable[[], tuple[Any, list[Any]]],
    rows_of: Callable[[Any, list[Any]], Iterator[list[Any]]],
) -> RawSheet:
    """A sheet once ``parsed()`` gives it: its first rows, the rest streaming; or its error (a
    panic: read again with such numbers as text)."""
    try:
        sheet, merged = parsed()
    except BaseException as exc:
        if not isinstance(exc, Exception) and not _is_panic(exc):
            raise
        state.panicked |= _is_panic(exc)
        retried = _read_with_values_as_text(data, name, index) if _is_panic(exc) else None
        if retried is None:
            return RawSheet(name, index, [], [], visible, error=calamine_reason(exc))
        return RawSheet(name, index, retried[0], retried[1], visible)
    rows = rows_of(sheet, merged)
    del sheet
    try:
        head = list(islice(rows, HEAD_ROWS))
    except UnreadableSheet as exc:
        return RawSheet(name, index, [], [], visible, error=exc.reason)
    return RawSheet(name, index, head, merged, visible, rest=rows)


def _whole(data: bytes, name: str, index: int, visible: bool, state: _Held) -> RawSheet:
    """The sheet parsed whole by a workbook object of its own, its rows streaming."""
    return _raw(
        data,
        name,
        index,
        visible,
        state,
        lambda: _parse_alone(data, "", index),
        lambda sheet, _: _rows(sheet, data, name, index, state),
    )


class _Stream:
    """The largest sheet as its thread hands it over: parsed in pieces (``in_pieces``), or whole
    when it could not be cut. ``result()`` waits for the first piece (or the whole sheet) as a
    future's would; ``next()`` gives the following pieces, None after the last."""

    def __init__(self) -> None:
        self.items: queue.Queue[tuple[str, Any]] = queue.Queue(PIECES_AHEAD)
        self.stop = threading.Event()  # the caller stopped reading: the producer ends
        self.in_pieces = False

    def put(self, kind: str, item: Any) -> bool:
        while not self.stop.is_set():
            try:
                self.items.put((kind, item), timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def result(self) -> tuple[Any, list[tuple[int, int, int, int]]]:
        kind, item = self.items.get()
        if kind == "error":
            raise item
        self.in_pieces = kind == "piece"
        return item  # type: ignore[no-any-return]

    def next(self) -> tuple[Any, list[tuple[int, int, int, int]]] | None:
        kind, item = self.items.get()
        if kind == "error":
            raise item
        return item if kind == "piece" else None


def _parse_piece(package: bytes) -> tuple[Any, list[tuple[int, int, int, int]]]:
    wb = pc.CalamineWorkbook.from_filelike(io.BytesIO(package))
    try:
        return _parse(wb, 0)
    finally:
        wb.close()


def _produce(stream: _Stream, data: bytes, index: int, name: str) -> None:
    """The largest sheet's thread: its pieces parsed two at a time, handed over in order (the caller
    types each while the next ones are parsed), or the whole sheet when it cannot be cut. Whatever
    happens, the caller gets an item: after some pieces, a failure is passed on (it goes on from
    where it is)."""
    handed = 0
    try:
        packages = split_sheet(data, name)
        if packages is not None:
            packages.reverse()
            pending: deque[Future[tuple[Any, list[tuple[int, int, int, int]]]]] = deque()
            with ThreadPoolExecutor(PIECE_PARSERS, "xlcrm-calamine-piece") as parsers:
                try:
                    while packages or pending:
                        while packages and len(pending) < PIECES_AHEAD:
                            pending.append(parsers.submit(_parse_piece, packages.pop()))
                        if not stream.put("piece", pending.popleft().result()):
                            return
                        handed += 1
                finally:
                    for future in pending:
                        future.cancel()
            stream.put("end", None)
            return
    except BaseException as exc:  # noqa: BLE001 - a worker thread: hand everything to the caller
        if handed:
            stream.put("error", exc)
            return
    try:
        stream.put("whole", _parse_alone(data, "", index))
    except BaseException as exc:  # noqa: BLE001
        stream.put("error", exc)


def _piece_rows(
    stream: _Stream,
    first: Any,
    merged: list[tuple[int, int, int, int]],
    data: bytes,
    name: str,
    index: int,
    visible: bool,
    state: _Held,
) -> Iterator[list[Any]]:
    """The rows of a sheet parsed in pieces, from row 1, as ``_rows`` gives them for the whole
    sheet (a row is as wide as its piece; rows between pieces are blank). A piece calamine cannot
    read sends the rest to the whole sheet's reading (a panic: with such numbers as text); rows
    out of order raise ``RowsOutOfOrder`` (the caller reads the sheet again, whole)."""
    done = 0
    sheet = first
    try:
        while sheet is not None:
            if sheet.start is not None:
                top, left = sheet.start
                if top < done:  # a row numbered before one already handed over: rows out of order
                    stream.stop.set()
                    raise RowsOutOfOrder(lambda: _whole(data, name, index, visible, state))
                while done < top:
                    done += 1
                    yield [""] * (left + sheet.width)
                pad = [""] * left
                for row in sheet.to_python(skip_empty_area=True):
                    done += 1
                    yield pad + row if left else row
            parsed = stream.next()
            sheet = None
            if parsed is not None:
                sheet, more = parsed
                merged += more
    except BaseException as exc:
        if not isinstance(exc, Exception) and not _is_panic(exc) or isinstance(exc, (UnreadableSheet, RowsOutOfOrder)):
            raise
        if _is_panic(exc):
            state.panicked = True
            retried = _read_with_values_as_text(data, name, index)
            if retried is None:
                raise UnreadableSheet(tr("Excel 读取组件无法解析该文件", "the Excel reader cannot parse it")) from None
            merged[:] = retried[1]
            yield from retried[0][done:]
            return
        whole = _whole(data, name, index, visible, state)  # calamine failed on a piece: the rest, read whole
        if whole.error is not None:
            raise UnreadableSheet(whole.error) from None
        merged[:] = whole.merged
        yield from islice(whole.all_rows(), done, None)


def _rows(sheet: Any, data: bytes, name: str, index: int, state: _Held) -> Iterator[list[Any]]:
    """The rows of a parsed sheet from row 1, as ``to_python(skip_empty_area=False)`` gives them.
    A number calamine cannot turn into a date makes it panic part way: the rest then comes from
    the sheet read again with such values as text (the rows before are the same)."""
    done = 0
    left = (sheet.start or (0, 0))[1]
    try:
        if left:  # iter_rows starts at row 1 but at the first used column
            pad = [""] * left
            for row in sheet.iter_rows():
                done += 1
                yield pad + row
        else:
            for row in sheet.iter_rows():
                done += 1
                yield row
        return
    except BaseException as exc:
        if not _is_panic(exc):
            raise
        state.panicked = True
    retried = _read_with_values_as_text(data, name, index)
    if retried is None:
        raise UnreadableSheet(tr("Excel 读取组件无法解析该文件", "the Excel reader cannot parse it"))
    yield from retried[0][done:]


@dataclass
class _Held:
    """Whether calamine panicked while its output was held back (then that output is dropped)."""

    panicked: bool = False


@contextmanager
def _rust_panic_output_held_back() -> Iterator[_Held]:
    """Send file descriptor 2 into a pipe while calamine runs; pass on what was written unless
    calamine panicked (its panic message is English and useless to staff): a panic raised inside
    the block, or one the block caught and recorded in the yielded ``_Held``. A pipe drained by a
    thread, not a temporary file: reading bytes never creates a file. Descriptor 2 belongs to the
    whole process, so a panic in a worker thread started inside the block is held back too.

    Only in the main thread: a server reading in worker threads must not have its log redirected
    under it (there the panic text goes to the log).
    """
    state = _Held()
    if threading.current_thread() is not threading.main_thread():
        yield state
        return
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError, AttributeError):
        yield state  # no usable descriptor 2 (embedded use): nothing to hold back
        return
    read_end, write_end = os.pipe()
    held: list[bytes] = []
    drain = threading.Thread(target=_drain, args=(read_end, held), daemon=True)
    drain.start()
    os.dup2(write_end, 2)
    os.close(write_end)
    try:
        yield state
    except BaseException as exc:
        state.panicked |= _is_panic(exc)
        raise
    finally:
        os.dup2(saved, 2)  # closes the pipe's last write end: the drain sees its end
        os.close(saved)
        drain.join()
        os.close(read_end)
        if not state.panicked and held:
            os.write(2, b"".join(held))


def _drain(fd: int, into: list[bytes]) -> None:
    while chunk := os.read(fd, 1 << 16):
        into.append(chunk)


# A number cell, possibly with a formula before its value: <c r="B2" s="3"><f>…</f><v>-1e999</v>
_VALUE_CELL = re.compile(rb"<c\b([^>]*)>(\s*<f\b[^>]*(?:/>|>[^<]*</f>))?\s*<v>\s*([^<]*?)\s*</v>")
_TYPE_ATTR = re.compile(rb"\s+t=\"[^\"]*\"")
# calamine turns a date-formatted serial into a date with chrono, which panics below this
_MIN_SAFE_SERIAL = -1e9


def _as_text_when_unsafe(match: re.Match[bytes]) -> bytes:
    attrs, formula, literal = match.group(1), match.group(2), match.group(3)
    if b't="' in attrs and not re.search(rb'\st="n"', attrs):
        return match.group(0)  # not a number cell
    try:
        number = float(literal)
    except ValueError:
        return match.group(0)
    if math.isfinite(number) and number > _MIN_SAFE_SERIAL:
        return match.group(0)
    attrs = _TYPE_ATTR.sub(b"", attrs)
    if formula:
        return b"<c" + attrs + b' t="str">' + formula + b"<v>" + literal + b"</v>"
    return b"<c" + attrs + b' t="inlineStr"><is><t>' + literal + b"</t></is>"


def _read_with_values_as_text(data: bytes, name: str, index: int) -> tuple[list[list[Any]], list[Any]] | None:
    """Read one sheet again with every number calamine cannot take turned into text; None if
    that does not help either."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            found = sheet_part(zf, name)
            if found is None:
                return None
            parts, part = found
            fixed = _VALUE_CELL.sub(_as_text_when_unsafe, zf.read(part))
            copy = canonical_copy(zf, parts, {part: fixed})
        wb = pc.CalamineWorkbook.from_filelike(copy)
    except (PackageError, zipfile.BadZipFile, KeyError, OSError, EOFError, ValueError):
        return None
    except BaseException as exc:
        if not isinstance(exc, Exception) and not _is_panic(exc):
            raise
        return None
    try:
        with _rust_panic_output_held_back():
            sheet, merged = _parse(wb, index)
            return sheet.to_python(skip_empty_area=False), merged
    except BaseException as exc:
        if not isinstance(exc, Exception) and not _is_panic(exc):
            raise
        return None
    finally:
        wb.close()
