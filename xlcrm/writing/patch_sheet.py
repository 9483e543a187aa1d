"""Stream one worksheet part, replacing or inserting exactly the target ``<c>`` elements.

The part is read in chunks and copied through as bytes. Only the ``<row>`` elements that hold a
target cell are split into cells; every other row, and every other cell of a patched row, is
written back byte for byte. Rows that do not exist yet are inserted in row order. After the last
target row the rest of ``<sheetData>`` is copied without looking at it, so a sheet formatted down
to row 1,048,576 costs one decompress/compress pass.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Container, Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any, Protocol

from .cellxml import (
    CellCache,
    CellContext,
    cell_style,
    column_index,
    column_letters,
    comparable,
    old_value,
    same_value,
    split_ref,
)
from .xmlbytes import end_tag, get_attr, set_attr, start_tag

CHUNK = 1 << 20  # what the patcher asks for at a time (a ReadAhead hands over bigger pieces)
MAX_COLUMN = 16384


class _Keep:
    def __repr__(self) -> str:
        return "KEEP"


KEEP: Any = _Keep()  # a write that changes only the style and keeps the value


@dataclass(slots=True)
class CellWrite:
    """What to do with one cell: ``value`` (``KEEP`` for style only), ``style`` maps the cell's
    current style index to the new one (None keeps it), ``only_if_blank`` protects staff input."""

    value: Any = KEEP
    style: Callable[[int], int] | None = None
    only_if_blank: bool = False


@dataclass
class SheetPatch:
    """Cell writes of one sheet (row → column → write) and optional edits of the bytes before
    ``<sheetData>`` (head) and after it (tail)."""

    cells: dict[int, dict[int, CellWrite]] = field(default_factory=dict)
    head: Callable[[bytes], bytes] | None = None
    tail: Callable[[bytes], bytes] | None = None
    restyle: dict[int, int] = field(default_factory=dict)  # style index → index, for every cell
    optional: bool = False  # an unreadable sheet is then left as it is instead of failing

    planned: PlannedRows | None = None  # writes worked out row by row as the sheet streams

    def put(self, row: int, column: int, write: CellWrite) -> None:
        if 1 <= column <= MAX_COLUMN and 1 <= row <= 1_048_576:
            self.cells.setdefault(row, {})[column] = write

    def rows(self) -> list[int]:
        """Every row with a write, in order."""
        if self.planned is None:
            return sorted(self.cells)
        return sorted(set(self.cells).union(self.planned.rows()))

    def writes(self, row: int) -> dict[int, CellWrite]:
        """Column → write of one row (a planned write wins over an explicit one)."""
        explicit = self.cells.get(row)
        planned = self.planned.get(row) if self.planned is not None else None
        if not planned:
            return explicit or {}
        return {**explicit, **planned} if explicit else planned

    def items(self) -> Iterator[tuple[int, dict[int, CellWrite]]]:
        for row in self.rows():
            yield row, self.writes(row)

    def styled(self) -> bool:
        """Whether any write may ask for a style entry."""
        if self.planned is not None and self.planned.styled:
            return True
        return any(w.style is not None for cols in self.cells.values() for w in cols.values())


class PlannedRows(Protocol):
    """Writes worked out when a row's turn comes instead of all at once (a 135,000-row sheet
    then never holds a dictionary of writes per row)."""

    styled: bool  # whether some write has a style function

    def rows(self) -> Iterable[int]: ...

    def get(self, row: int) -> dict[int, CellWrite] | None: ...

    def bounds(self, skip: Container[int]) -> tuple[int, int, int, int] | None:
        """First and last row, first and last column of the writes that put a value in a cell
        (``get``'s writes whose value is neither None nor ""), rows in ``skip`` left out; None
        when there is none. What the sheet's ``<dimension>`` must grow to cover, without working
        out every row's writes."""
        ...


class SheetFormatError(ValueError):
    """The worksheet XML is not what SpreadsheetML requires (no ``<sheetData>``, unclosed rows)."""


_COL = start_tag("col")
_CELL_TAG = start_tag("c")
# Cell start tags never hold '>' inside attribute values (r, s, t, cm, vm, ph): a simple pattern is enough.
_CELL_OPEN = re.compile(rb"<((?:[A-Za-z_][\w.-]*:)?)c(?=[\s/>])[^>]*?(/?)>")
_R_ATTR = re.compile(rb'\sr\s*=\s*["\']([A-Z]{1,3})\d+["\']')
_DIMENSION = start_tag("dimension")
_ROW_OPEN = start_tag("row")
_ROW_R = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?row\s+r="(\d+)"')
_COLUMNS: dict[bytes, int] = {}
# every cell start of a row, with its column letters when ``r`` is its first attribute
_CELL_STARTS = re.compile(rb'<c(?=[\s/>])(?:\s+r="([A-Z]{1,3})\d+")?')
_LOOK_AHEAD = 8  # columns searched to the right of a missing target for its place


def _column_of(letters: bytes) -> int:
    col = _COLUMNS[letters] = column_index(letters.decode())
    return col


class Readable(Protocol):
    """What the streaming patcher reads from: a decompressing zip reader or a read-ahead wrapper."""

    def read(self, n: int = -1, /) -> bytes: ...


class _Reader:
    def __init__(self, src: Readable) -> None:
        self.src, self.buf, self.pos, self.eof = src, b"", 0, False

    def more(self) -> bool:
        chunk = self.src.read(CHUNK)
        if not chunk:
            self.eof = True
            return False
        self.buf = self.buf[self.pos :] + chunk
        self.pos = 0
        return True


def _column_styles(head: bytes) -> dict[int, int]:
    styles: dict[int, int] = {}
    for m in _COL.finditer(head):
        tag = m.group(0)
        lo, hi, s = get_attr(tag, "min"), get_attr(tag, "max"), get_attr(tag, "style")
        if lo and hi and s and lo.isdigit() and hi.isdigit() and s.isdigit() and int(s):
            for c in range(int(lo), min(int(hi), MAX_COLUMN) + 1):
                styles[c] = int(s)
    return styles


def _grow_dimension(head: bytes, patch: SheetPatch) -> bytes:
    m = _DIMENSION.search(head)
    if m is None:
        return head
    rows: list[int] = []
    cols: list[int] = []
    for r in patch.cells:  # explicit writes (a planned write to the same cell wins)
        for c, w in patch.writes(r).items():
            if w.value is KEEP or w.value not in (None, ""):
                rows.append(r)
                cols.append(c)
    planned = patch.planned.bounds(patch.cells) if patch.planned is not None else None
    if planned is not None:
        rows += planned[:2]
        cols += planned[2:]
    if not rows:
        return head
    ref = get_attr(m.group(0), "ref") or "A1"
    parts = [split_ref(p) for p in ref.split(":")]
    if not all(parts):
        return head
    first = parts[0]
    assert first is not None
    if first == (1, 1) and len(parts) == 1:  # "A1" of an empty sheet
        rows, cols = [*rows, 1], [*cols, 1]
    else:
        rows += [p[0] for p in parts if p]
        cols += [p[1] for p in parts if p]
    new = f"{column_letters(min(cols))}{min(rows)}:{column_letters(max(cols))}{max(rows)}"
    if new == ref:
        return head
    return head[: m.start()] + set_attr(m.group(0), "ref", new) + head[m.end() :]


def _widen_spans(row_tag: bytes, added: list[int]) -> bytes:
    """The row's start tag with its ``spans`` (a single ``lo:hi`` range; any other form is left
    as it is) widened to cover the columns of the cells ``added``."""
    if not added or b"spans" not in row_tag:
        return row_tag
    spans = get_attr(row_tag, "spans")
    if spans and ":" in spans and " " not in spans.strip():
        lo, hi = spans.split(":")
        if lo.isdigit() and hi.isdigit() and (min(added) < int(lo) or max(added) > int(hi)):
            return set_attr(row_tag, "spans", f"{min(min(added), int(lo))}:{max(max(added), int(hi))}")
    return row_tag


def _whole_cell(buf: bytes, start: int, end: int) -> bool:
    """Whether ``buf[start:end]`` is exactly one ``<c>`` element and nothing after it."""
    if buf.endswith(b"</c>", start, end):
        return buf.find(b"</c>", start, end) == end - 4
    return buf.endswith(b"/>", start, end) and buf.find(b">", start, end) == end - 1


class _Patcher:
    def __init__(self, patch: SheetPatch, ctx: CellContext, out: IO[bytes]) -> None:
        self.patch, self.ctx, self.out = patch, ctx, out
        self.pending: deque[int] = deque(patch.rows())
        # the last row's writes, asked for again by each path that looks at the row
        self._writes_row, self._writes_of_row = 0, dict[int, CellWrite]()
        self.changed = False
        self.prefix = b""
        self.cache = CellCache(b"", ctx)
        self.col_styles: dict[int, int] = {}
        self._style_row: bytes | None = None
        self._row_style: int | None = None

    def _writes(self, row: int) -> dict[int, CellWrite]:
        if row != self._writes_row:
            self._writes_row, self._writes_of_row = row, self.patch.writes(row)
        return self._writes_of_row

    # --- cells ---------------------------------------------------------------------------------
    def _new_cell(self, row: int, col: int, write: CellWrite, base: int) -> bytes | None:
        value = None if write.value is KEEP else write.value
        if write.value is not KEEP and (value is None or value == ""):
            return None  # a blank cell that does not exist needs nothing
        style = write.style(base) if write.style else base
        if value is None and style == base:
            return None
        self.changed = True
        return self.cache.cell(col, row, style, value)

    def _restyled(self, data: bytes) -> bytes:
        """``data`` with every cell whose style is a key of ``restyle`` given the mapped style."""
        restyle = self.patch.restyle
        if not restyle:
            return data

        def swap(m: re.Match[bytes]) -> bytes:
            s = get_attr(m.group(0), "s")
            if s and s.isdigit() and int(s) in restyle:
                return set_attr(m.group(0), "s", str(restyle[int(s)]) if restyle[int(s)] else None)
            return m.group(0)

        new = _CELL_TAG.sub(swap, data)
        if new != data:
            self.changed = True
        return new

    def _existing_cell(self, cell: bytes, row: int, col: int, write: CellWrite) -> bytes:
        old_s = cell_style(cell)
        base = self.patch.restyle.get(old_s, old_s)
        new_s = write.style(base) if write.style else base
        if write.value is KEEP:
            if new_s == old_s:
                return cell
            tag = start_tag("c").match(cell)
            assert tag is not None
            self.changed = True
            return set_attr(tag.group(0), "s", str(new_s) if new_s else None) + cell[tag.end() :]
        rendered = None
        if not write.only_if_blank:
            # a re-run: the cell usually reads exactly as xlcrm would write it, nothing to parse
            rendered = self.cache.cell(col, row, new_s, write.value)
            if rendered == cell:
                return cell
        old, has_formula = old_value(cell, self.ctx)
        if write.only_if_blank and (old is not None or has_formula):
            return cell
        new = comparable(write.value, self.ctx)
        if not has_formula and new_s == old_s and same_value(old, new):
            return cell
        self.changed = True
        return rendered or self.cache.cell(col, row, new_s, write.value)

    def _custom_row_style(self, row_tag: bytes) -> int | None:
        """The style a row gives its new cells (``s`` with ``customFormat``), None when it gives none."""
        if row_tag is not self._style_row:  # one row's tag is asked about for each of its new cells
            s = get_attr(row_tag, "s") if b" s=" in row_tag or b"\ts=" in row_tag else None
            custom = s and s.isdigit() and (get_attr(row_tag, "customFormat") or "") in ("1", "true")
            self._style_row, self._row_style = row_tag, int(s) if custom and s else None
        return self._row_style

    def _row_base_style(self, row_tag: bytes, col: int) -> int:
        row_style = self._custom_row_style(row_tag)
        return row_style if row_style is not None else self.col_styles.get(col, 0)

    def _appended(self, buf: bytes, start: int, stop: int, row: int, tag: bytes) -> tuple[bytes, bytes] | None:
        """The row's start tag (its ``spans`` widened when needed) and the new cells of a row whose
        targets all lie after its last cell (the row's content is ``buf[start:stop]``), rendered in
        one pass, to go right before ``</row>``; None when the row needs the general path: a
        style-only write, a target at or before the last cell, a last cell without an address or
        followed by anything but its end."""
        writes = self._writes(row)
        prefix = self.prefix
        if not prefix:  # the usual row: its last cell found and checked without a regex
            j = buf.rfind(b'<c r="', start, stop)
            if j >= 0 and buf.find(b"<c", j + 6, stop) < 0:
                col = self._col_at(buf, j + 6)
                if col is None or min(writes) <= col or not _whole_cell(buf, j, stop):
                    return None
                return self._cells_after(tag, row, writes)
        marker = b"<" + prefix + b"c"
        j = stop
        while (j := buf.rfind(marker, start, j)) >= 0:
            c = _CELL_OPEN.match(buf, j)
            if c is None:
                continue
            if c.end() > stop:
                return None
            r = _R_ATTR.search(c.group(0))
            if r is None or min(writes) <= (_COLUMNS.get(r.group(1)) or _column_of(r.group(1))):
                return None
            if c.group(2):
                if c.end() != stop:
                    return None
            elif buf.find(end_tag(c.group(1), "c"), c.end(), stop) != stop - 4 - len(c.group(1)):
                return None
            break
        else:
            if stop != start:
                return None  # no cell, yet something inside the row
        return self._cells_after(tag, row, writes)

    def _cells_after(self, tag: bytes, row: int, writes: dict[int, CellWrite]) -> tuple[bytes, bytes] | None:
        """(the row tag, ``spans`` widened when needed; the new cells) of a row whose targets all
        come after its last cell; None for a style-only write."""
        parts: list[bytes] = []
        number = str(row).encode()
        cache = self.cache
        heads, tails = cache.heads, cache.tails
        row_style = self._custom_row_style(tag)
        col_styles = self.col_styles
        added: list[int] = []
        for col in sorted(writes):
            w = writes[col]
            value = w.value
            if value is KEEP:
                return None
            if value is None or value == "":
                continue  # a blank cell that does not exist needs nothing
            base = row_style if row_style is not None else col_styles.get(col, 0)
            style = w.style(base) if w.style is not None else base
            head = heads.get(col) or cache.head(col)
            try:
                tail = tails.get((style, value.__class__, value)) or cache.tail(style, value)
            except TypeError:  # an unhashable value
                tail = cache.tail(style, value)
            parts += (head, number, tail)
            added.append(col)
        if not parts:
            return tag, b""
        self.changed = True
        return _widen_spans(tag, added), b"".join(parts)

    def _row_by_cells(self, buf: bytes, start: int, stop: int, row: int, tag: bytes) -> bytes | None:
        """The row (tag and content, without ``</row>``) with its targets written, for a row whose
        cells all start ``<c r="…"`` in column order with nothing after the last one
        (``buf[start:stop]`` is its content): each target is found by its address, or its place by
        the address of the next cell. ``b""`` when nothing changes; None when the row is not like
        that (the general path then takes it)."""
        every = buf.count(b"<c ", start, stop)
        if not every or every != buf.count(b'<c r="', start, stop) or buf.find(b"<c/>", start, stop) >= 0:
            return None  # no cells, or a cell without its address first
        if buf.find(b"<c>", start, stop) >= 0 or not buf.startswith(b'<c r="', start):
            return None
        j = buf.rfind(b'<c r="', start, stop)
        last_col = self._col_at(buf, j + 6)
        if last_col is None or not _whole_cell(buf, j, stop):
            return None
        writes = self._writes(row)
        number = str(row).encode() + b'"'
        head = self.cache.head
        out: list[bytes] = []
        added: list[int] = []
        copied = pos = start
        row_style = self._custom_row_style(tag)
        for target in sorted(writes):
            write = writes[target]
            if target <= last_col:
                at = buf.find(head(target) + number, pos, stop)
                if at >= 0:  # the target cell exists
                    nxt = buf.find(b'<c r="', at + 6, stop)
                    end = nxt if nxt >= 0 else stop
                    if not _whole_cell(buf, at, end):
                        return None
                    cell = buf[at:end]
                    new_cell = self._existing_cell(cell, row, target, write)
                    if new_cell != cell:
                        out += (buf[copied:at], new_cell)
                        copied = end
                    pos = end
                    continue
                at = -1  # its place: before the next cell to its right, found by address
                for col in range(target + 1, min(target + _LOOK_AHEAD, last_col) + 1):
                    at = buf.find(head(col) + number, pos, stop)
                    if at >= 0:
                        break
                if at < 0:
                    return None  # a sparse row: the general path
                before = buf.rfind(b'<c r="', start, at)
                if before >= 0 and (self._col_at(buf, before + 6) or MAX_COLUMN + 1) >= target:
                    return None  # the columns are not in order
            else:
                at = stop
            base = row_style if row_style is not None else self.col_styles.get(target, 0)
            new = self._new_cell(row, target, write, base)
            if new:
                out += (buf[copied:at], new)
                copied = pos = at
                added.append(target)
        if not out:
            return b""
        out.append(buf[copied:stop])
        return _widen_spans(tag, added) + b"".join(out)

    @staticmethod
    def _col_at(buf: bytes, i: int) -> int | None:
        """The column of the cell address starting at ``buf[i]`` (its letters), None if none."""
        k = i
        while k < i + 3 and 65 <= buf[k] <= 90:
            k += 1
        if k == i or not 48 <= buf[k] <= 57:
            return None
        letters = buf[i:k]
        return _COLUMNS.get(letters) or _column_of(letters)

    def _fast_rows(self, rd: _Reader, last: int) -> int:
        """Patch the complete rows at the start of the buffer written the usual way (``<row
        r="N" …>`` back to back, in order, targets after each row's last cell) without the
        general row machinery; stop at the first row that is not, or that needs more bytes.
        Returns the number of the last row handled (``last`` when none)."""
        buf, pos, pending = rd.buf, rd.pos, self.pending
        out: list[bytes] = []
        copied = pos
        while pending and buf.startswith(b'<row r="', pos):
            q = buf.find(b'"', pos + 8)
            gt = buf.find(b">", q)
            if q < 0 or gt < 0 or buf[gt - 1] == 47:  # 47: '/', an empty row
                break
            digits = buf[pos + 8 : q]
            if not digits.isdigit():
                break
            row = int(digits)
            end = buf.find(b"</row>", gt)
            if end < 0 or row <= last or pending[0] < row:  # incomplete, out of order, rows to insert
                break
            if pending[0] == row:
                tag = buf[pos : gt + 1]
                found = self._appended(buf, gt + 1, end, row, tag)
                if found is not None:
                    new_tag, cells = found
                    if new_tag is not tag:
                        out += (buf[copied:pos], new_tag)
                        copied = gt + 1
                    if cells:
                        out += (buf[copied:end], cells)
                        copied = end
                else:
                    patched = self._row_by_cells(buf, gt + 1, end, row, tag)
                    if patched is None:
                        break
                    if patched:
                        out += (buf[copied:pos], patched)
                        copied = end
                pending.popleft()
            pos = end + 6
            last = row
        if pos != rd.pos:
            out.append(buf[copied:pos])
            self.out.write(b"".join(out))
            rd.pos = pos
        return last

    def _patch_row(self, row_bytes: bytes, row: int) -> bytes:
        writes = self._writes(row)
        targets = sorted(writes)
        m = start_tag("row").match(row_bytes)
        assert m is not None
        row_tag = m.group(0)
        if get_attr(row_tag, "r") is None:
            row_tag = set_attr(row_tag, "r", str(row))
        if m.group(2):
            inner, close = b"", end_tag(self.prefix, "row")
            row_tag = row_tag[:-2].rstrip() + b">"
        else:
            close = end_tag(m.group(1), "row")
            inner = row_bytes[m.end() : len(row_bytes) - len(close)]
        out: list[bytes] = []
        added: list[int] = []
        copied = pos = col = last_end = 0
        i, n = 0, len(targets)
        restyle = bool(self.patch.restyle)
        exhausted = True
        while True:
            if i >= n and not restyle:
                exhausted = False  # the rest of the row is copied as it is
                break
            c = _CELL_OPEN.search(inner, pos)
            if c is None:
                break
            if c.group(2):
                end = c.end()
            else:
                e = inner.find(end_tag(c.group(1), "c"), c.end())
                if e < 0:
                    raise SheetFormatError("unclosed <c>")
                end = e + 3 + len(c.group(1)) + 1
            r = _R_ATTR.search(c.group(0))
            col = column_index(r.group(1).decode()) if r else col + 1
            while i < n and targets[i] < col:
                new = self._new_cell(row, targets[i], writes[targets[i]], self._row_base_style(row_tag, targets[i]))
                if new:
                    out += [inner[copied : c.start()], new]
                    copied = c.start()
                    added.append(targets[i])
                i += 1
            cell = inner[c.start() : end]
            if r is None:  # an implicit position becomes explicit
                cell = set_attr(c.group(0), "r", f"{column_letters(col)}{row}") + inner[c.end() : end]
            if i < n and targets[i] == col:
                cell = self._existing_cell(cell, row, col, writes[col])
                i += 1
            elif restyle:
                cell = self._restyled(cell)
            if cell != inner[c.start() : end]:
                out += [inner[copied : c.start()], cell]
                copied = end
            pos = last_end = end
        if exhausted and i < n:
            out.append(inner[copied:last_end])
            copied = last_end
            for target in targets[i:]:
                new = self._new_cell(row, target, writes[target], self._row_base_style(row_tag, target))
                if new:
                    out.append(new)
                    added.append(target)
        out.append(inner[copied:])
        row_tag = _widen_spans(row_tag, added)
        body = b"".join(out)
        if not body.strip() and m.group(2):
            return row_bytes
        return row_tag + body + close

    def _new_row(self, row: int) -> bytes:
        p = self.prefix.decode()
        cells = b"".join(
            filter(
                None,
                (self._new_cell(row, c, w, self.col_styles.get(c, 0)) for c, w in sorted(self._writes(row).items())),
            )
        )
        if not cells:
            return b""
        return f'<{p}row r="{row}">'.encode() + cells + f"</{p}row>".encode()

    # --- stream --------------------------------------------------------------------------------
    def run(self, src: Readable) -> None:
        rd = _Reader(src)
        sd_re = start_tag("sheetData")
        while True:
            m = sd_re.search(rd.buf, rd.pos)
            if m is not None:
                break
            if not rd.more():
                raise SheetFormatError("no <sheetData>")
        self.prefix = m.group(1)
        self.cache = CellCache(self.prefix, self.ctx)
        head = rd.buf[: m.start()]
        self.col_styles = _column_styles(head)
        new_head = _grow_dimension(head, self.patch)
        if self.patch.head:
            new_head = self.patch.head(new_head)
        if new_head != head:
            self.changed = True
        self.out.write(new_head)
        if m.group(2):  # <sheetData/>
            rows = b"".join(self._new_row(r) for r in self.pending)
            if rows:
                self.out.write(m.group(0)[:-2].rstrip() + b">" + rows + end_tag(self.prefix, "sheetData"))
            else:
                self.out.write(m.group(0))
            rd.pos = m.end()
        else:
            self.out.write(m.group(0))
            rd.pos = m.end()
            self._body(rd)
        self._tail(rd)

    def _body(self, rd: _Reader) -> None:
        row_re = start_tag("row")
        close_sd = end_tag(self.prefix, "sheetData")
        last, implicit = 0, False
        fast = not self.prefix and not self.patch.restyle
        while True:
            if not self.pending and not implicit and not self.patch.restyle:
                self._copy_until(rd, close_sd)
                return
            if fast and not implicit:
                last = self._fast_rows(rd, last)
                if not self.pending:
                    continue
            m = row_re.search(rd.buf, rd.pos)
            e = rd.buf.find(close_sd, rd.pos, m.start() if m is not None else len(rd.buf))
            if e >= 0:
                self.out.write(rd.buf[rd.pos : e])
                rd.pos = e
                for r in self.pending:
                    self.out.write(self._new_row(r))
                self.pending.clear()
                return
            if m is None:
                keep = max(rd.pos, len(rd.buf) - 4096)
                self.out.write(rd.buf[rd.pos : keep])
                rd.pos = keep
                if not rd.more():
                    raise SheetFormatError("no </sheetData>")
                continue
            if m.start() > rd.pos:
                self.out.write(rd.buf[rd.pos : m.start()])
            rd.pos = m.start()
            tag = m.group(0)
            quick = _ROW_R.match(tag)
            r_attr = quick.group(1).decode() if quick else get_attr(tag, "r")
            if r_attr is None:
                implicit = True
            row = int(r_attr) if r_attr and r_attr.isdigit() else last + 1
            while self.pending and self.pending[0] < row:
                self.out.write(self._new_row(self.pending.popleft()))
            idx = -1
            if m.group(2):
                end = m.end() - rd.pos
            else:
                close = end_tag(m.group(1), "row")
                while True:
                    idx = rd.buf.find(close, rd.pos + len(tag))
                    if idx >= 0:
                        end = idx + len(close) - rd.pos
                        break
                    if not rd.more():
                        raise SheetFormatError("unclosed <row>")
            if self.pending and self.pending[0] == row:
                self.pending.popleft()
                appended = None
                if idx >= 0 and quick is not None and not self.patch.restyle:
                    appended = self._appended(rd.buf, rd.pos + len(tag), idx, row, tag)
                if appended is not None:  # new cells after the last one: spliced in before </row>
                    self.out.write(appended[0] + rd.buf[rd.pos + len(tag) : idx] + appended[1] + close)
                else:
                    self.out.write(self._patch_row(rd.buf[rd.pos : rd.pos + end], row))
                rd.pos += end
                last = row
                continue
            row_bytes = rd.buf[rd.pos : rd.pos + end]
            if r_attr is None and implicit and self.changed:
                self.changed = True
                self.out.write(set_attr(tag, "r", str(row)) + row_bytes[len(tag) :])
            else:
                self.out.write(self._restyled(row_bytes))
            rd.pos += end
            last = row

    def _copy_until(self, rd: _Reader, marker: bytes) -> None:
        while True:
            idx = rd.buf.find(marker, rd.pos)
            if idx >= 0:
                self.out.write(rd.buf[rd.pos : idx])
                rd.pos = idx
                return
            keep = max(rd.pos, len(rd.buf) - len(marker))
            self.out.write(rd.buf[rd.pos : keep])
            rd.pos = keep
            if not rd.more():
                raise SheetFormatError("no </sheetData>")

    def _tail(self, rd: _Reader) -> None:
        if self.patch.tail is None:
            self.out.write(rd.buf[rd.pos :])
            while rd.more():
                self.out.write(rd.buf)
                rd.pos = len(rd.buf)
            return
        while rd.more():
            pass
        tail = rd.buf[rd.pos :]
        new = self.patch.tail(tail)
        if new != tail:
            self.changed = True
        self.out.write(new)


def patch_sheet(src: Readable, out: Any, patch: SheetPatch, ctx: CellContext) -> bool:
    """Copy the worksheet XML from ``src`` to ``out`` with ``patch`` applied; True when any byte
    changed. Raises ``SheetFormatError`` for XML that is not a worksheet."""
    p = _Patcher(patch, ctx, out)
    p.run(src)
    return p.changed


_SHEET_VIEW = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?sheetView(?=[\s/>])[^>]*>")


def drop_tab_selected(head: bytes) -> bytes:
    """The head with ``tabSelected`` removed from every sheet view (another tab becomes active)."""
    return _SHEET_VIEW.sub(lambda m: set_attr(m.group(0), "tabSelected", None), head)


def row_values(src: IO[bytes], row: int, ctx: CellContext) -> dict[int, Any]:
    """Column → value of the non-empty cells of one row (read up to that row only)."""
    rd = _Reader(src)
    row_re, cell_re = start_tag("row"), start_tag("c")
    last = 0
    while True:
        m = row_re.search(rd.buf, rd.pos)
        if m is None:
            rd.pos = max(rd.pos, len(rd.buf) - 4096)
            if not rd.more():
                return {}
            continue
        r_attr = get_attr(m.group(0), "r")
        number = int(r_attr) if r_attr and r_attr.isdigit() else last + 1
        if number > row:
            return {}
        if m.group(2):
            rd.pos, last = m.end(), number
            continue
        close = end_tag(m.group(1), "row")
        idx = rd.buf.find(close, m.end())
        if idx < 0:
            rd.pos = m.start()
            if not rd.more():
                return {}
            continue
        if number < row:
            rd.pos, last = idx, number
            continue
        inner = rd.buf[m.end() : idx]
        values: dict[int, Any] = {}
        col, pos = 0, 0
        while (c := cell_re.search(inner, pos)) is not None:
            e = c.end() if c.group(2) else inner.find(end_tag(c.group(1), "c"), c.end())
            end = c.end() if c.group(2) else (e + len(end_tag(c.group(1), "c")) if e >= 0 else len(inner))
            ref = get_attr(c.group(0), "r")
            where = split_ref(ref) if ref else None
            col = where[1] if where else col + 1
            value, _ = old_value(inner[c.start() : end], ctx)
            if value is not None and not (isinstance(value, str) and not value.strip()):
                values[col] = value
            pos = end
        return values
