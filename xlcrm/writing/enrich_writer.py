"""Write computed values back into the staff's workbook by patching the package (SPEC §5.1).

Computed columns are found by header and updated in place, or appended after the last header
with the computed-header look and a number format. Staff input cells are written only when
blank (IDs and the fill-when-blank fields). Values, never formulas. xlcrm's hidden sheets are
rewritten whole. Nothing else in the package changes.
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ..i18n import tr
from ..model import Book, CellUpdate, FillRecord, SheetData, SheetUpdates, Snapshot
from ..schema import FILLS_HEADERS, HISTORY_HEADERS, SHEETS_BY_KEY, SheetKind
from .cellxml import column_letters
from .comments import set_notes
from .package import Source
from .palette import COMMENT_AUTHOR, COMPUTED_FILL, COMPUTED_FONT, THIN_BORDER, header_note
from .patch_sheet import MAX_COLUMN, CellWrite, SheetPatch, row_values
from .patcher import Into, WorkbookPatcher
from .xmlbytes import get_attr, start_tag


@dataclass
class EnrichWrite:
    """The patched workbook: ``data`` (bytes), whether any cell or hidden sheet changed, warnings."""

    data: bytes
    changed: bool
    warnings: list[str] = field(default_factory=list)


def history_rows(existing: list[Snapshot], new: list[Snapshot]) -> list[list[Any]]:
    """The ``xlcrm_历史`` sheet (header row first): earlier snapshots, those of this run's as-of
    date replaced by this run's, ordered by date then customer."""
    dates = {s.as_of for s in new}
    kept = [s for s in existing if s.as_of not in dates]
    rows = sorted(kept + new, key=lambda s: (s.as_of, s.customer_id))
    return [list(HISTORY_HEADERS)] + [[s.as_of, s.customer_id, s.tier, s.value_segment, s.churn_risk] for s in rows]


def _header_style(patcher: WorkbookPatcher, base: int) -> int:
    st = patcher.styles
    font = st.font(
        f'<font><b/><i/><sz val="11"/><color rgb="FF{COMPUTED_FONT}"/><name val="Calibri"/><family val="2"/></font>'
    )
    side = f'style="thin"><color rgb="FF{THIN_BORDER}"/>'
    border = st.border(
        f"<border><left {side}</left><right {side}</right><top {side}</top><bottom {side}</bottom><diagonal/></border>"
    )
    return st.derive(
        base,
        fill=st.fill(COMPUTED_FILL),
        font=font,
        border=border,
        alignment='<alignment horizontal="center" vertical="center" wrapText="1"/>',
    )


def _last_header_column(patcher: WorkbookPatcher, sheet: SheetData) -> int:
    entry = patcher.entry(sheet.name)
    assert entry is not None and entry.part is not None
    with patcher.pkg.open_part(entry.part) as src:
        values = row_values(src, sheet.header_row, patcher.ctx)
    return max([*values, *sheet.columns.values(), 0])


def _widen(new_cols: dict[int, float]) -> Any:
    """A head edit adding ``<col>`` widths for appended columns no existing range covers."""

    def edit(head: bytes) -> bytes:
        cols = list(start_tag("col").finditer(head))
        covered_to = 0
        for m in cols:
            hi = get_attr(m.group(0), "max") or "0"
            covered_to = max(covered_to, int(hi) if hi.isdigit() else 0)
        add = [c for c in sorted(new_cols) if c > covered_to]
        if not add:
            return head
        container = start_tag("cols").search(head)
        root = start_tag("worksheet").search(head)
        p = (container.group(1) if container else root.group(1) if root else b"").decode()
        elements = "".join(f'<{p}col min="{c}" max="{c}" width="{new_cols[c]}" customWidth="1"/>' for c in add).encode()
        if container is not None and not container.group(2):
            close = head.find(f"</{p}cols>".encode(), container.end())
            return head[:close] + elements + head[close:]
        if container is not None:
            return (
                head[: container.start()]
                + container.group(0)[:-2].rstrip()
                + b">"
                + elements
                + f"</{p}cols>".encode()
                + head[container.end() :]
            )
        return head + f"<{p}cols>".encode() + elements + f"</{p}cols>".encode()

    return edit


def _plan_sheet(patcher: WorkbookPatcher, sheet: SheetData, updates: SheetUpdates, warnings: list[str]) -> None:
    kind = sheet.kind
    columns = dict(sheet.columns)
    patch = patcher.sheet(sheet.name)
    missing = [f for f in kind.computed_fields if f.key not in columns]
    if missing:
        last = _last_header_column(patcher, sheet)
        widths: dict[int, float] = {}
        for f in missing:
            if last >= MAX_COLUMN:
                warnings.append(
                    tr(
                        "工作表“{s}”已用到最后一列（XFD），无法追加计算列“{h}”。",
                        "Sheet '{s}' reaches the last column (XFD); computed column '{h}' was not added.",
                        s=sheet.name,
                        h=f.header,
                    )
                )
                continue
            last += 1
            columns[f.key] = last
            widths[last] = float(max(f.width, len(f.header) * 2 + 4))
            patch.put(sheet.header_row, last, CellWrite(f.header, style=lambda base: _header_style(patcher, base)))
        if widths:
            patch.head = _widen(widths)
            notes = {
                f"{column_letters(columns[f.key])}{sheet.header_row}": header_note(f)
                for f in missing
                if f.key in columns
            }
            set_notes(patcher, sheet.name, notes, COMMENT_AUTHOR, replace=False)
    _plan_rows(patcher, kind, columns, updates, patch)


_BLANK = CellWrite(None)  # a computed cell that must end up blank (shared: writes are never mutated)


def _plan_rows(
    patcher: WorkbookPatcher, kind: SheetKind, columns: dict[str, int], updates: SheetUpdates, patch: SheetPatch
) -> None:
    """Every row's writes: computed fields get the cell's style with their number format (resolved
    once per format), input fields are written only when blank unless enrich's own earlier value
    may be refreshed. Worked out row by row as the sheet streams (``_RowWrites``)."""
    key = kind.key
    styles: dict[str, Any] = {}
    spec: dict[str, tuple[int, bool, Any]] = {}
    for f in kind.fields:
        col = columns.get(f.key)
        if col is None or not 1 <= col <= MAX_COLUMN:
            continue
        fmt = f.excel_format
        style = None
        if f.computed and fmt and fmt != "General":
            style = styles.get(fmt) or styles.setdefault(fmt, _format_style(patcher, fmt))
        spec[f.key] = (col, f.computed, style)
    refresh = {(r, k) for s, r, k in updates.refresh if s == key}
    patch.planned = _RowWrites(updates.values.get(key, {}), spec, refresh)


class _RowWrites:
    """The writes of one sheet's rows, from the values derive gave (row → field key → value)."""

    def __init__(
        self,
        values: Mapping[int, Mapping[str, Any]],
        spec: dict[str, tuple[int, bool, Any]],
        refresh: set[tuple[int, str]],
    ) -> None:
        self.values, self.spec, self.refresh = values, spec, refresh
        self.styled = any(style is not None for _, _, style in spec.values())
        # computed values repeat (tiers, statuses, dates, reasons): one shared write per value and
        # column style (writes are never mutated); keyed by type too, as 1 == 1.0 == True
        self._shared: dict[tuple[type, Any, Any], CellWrite] = {}

    def rows(self) -> list[int]:
        """The rows ``get`` gives writes for: a computed field, or an input value to fill in."""
        computed = {k for k, (_, is_computed, _) in self.spec.items() if is_computed}
        inputs = [k for k, (_, is_computed, _) in self.spec.items() if not is_computed]
        return [
            r
            for r, fields in self.values.items()
            if 1 <= r <= 1_048_576
            and (not computed.isdisjoint(fields) or any(fields.get(k) is not None for k in inputs))
        ]

    def bounds(self, skip: Container[int]) -> tuple[int, int, int, int] | None:
        """See ``PlannedRows.bounds``: rows from either end until one puts a value, and the
        columns put in one pass over the rows that stops once every column was seen."""
        spec = self.spec

        def put(fields: Mapping[str, Any]) -> list[str]:  # the planned fields a row puts a value in
            return [k for k, v in fields.items() if k in spec and v is not None and v != ""]

        rows = [r for r in sorted(self.values) if 1 <= r <= 1_048_576 and r not in skip]
        first, unseen = None, set(spec)  # unseen: planned fields no row put a value in yet
        for r in rows:
            keys = put(self.values[r])
            if keys:
                first = r if first is None else first
                unseen.difference_update(keys)
                if not unseen:
                    break
        if first is None:
            return None
        last = next(r for r in reversed(rows) if put(self.values[r]))
        cols = [col for key, (col, _, _) in spec.items() if key not in unseen]
        return first, last, min(cols), max(cols)

    def get(self, row: int) -> dict[int, CellWrite] | None:
        fields = self.values.get(row)
        if fields is None or not 1 <= row <= 1_048_576:
            return None
        spec, shared = self.spec, self._shared
        writes: dict[int, CellWrite] = {}
        for field_key, value in fields.items():
            found = spec.get(field_key)
            if found is None:
                continue
            col, computed, style = found
            if computed:
                if value is None:
                    writes[col] = _BLANK
                    continue
                try:
                    write = shared.get((value.__class__, value, style))
                    if write is None:
                        write = shared[(value.__class__, value, style)] = CellWrite(value, style)
                except TypeError:  # an unhashable value
                    write = CellWrite(value, style)
                writes[col] = write
            elif value is not None:
                # staff input: only a blank cell, or one still holding enrich's own earlier value
                writes[col] = CellWrite(value, only_if_blank=(row, field_key) not in self.refresh)
        return writes or None


def _format_style(patcher: WorkbookPatcher, code: str) -> Any:
    """A style function: the cell's own style with number format ``code`` (memoised per style)."""
    memo: dict[int, int] = {}

    def style(base: int) -> int:
        found = memo.get(base)
        if found is None:
            found = memo[base] = patcher.styles.derive(base, number_format=code)
        return found

    return style


def write_enriched(
    source: Source,
    book: Book,
    updates: Iterable[CellUpdate] | SheetUpdates,
    hidden_sheets: dict[str, list[list[Any]]],
    *,
    now: datetime | None = None,
    into: Into | None = None,
) -> EnrichWrite:
    """Patch ``source`` with every cell update (one by one, or grouped per sheet and row) and
    rewrite each hidden sheet (name → rows, the header row first; dates become date cells).
    ``changed`` is False when no cell and no hidden sheet would change (the bytes are then the
    package as it was). ``into``: see ``WorkbookPatcher.build`` (the bytes are then empty)."""
    patcher = WorkbookPatcher(source)
    warnings: list[str] = []
    grouped = updates if isinstance(updates, SheetUpdates) else _group(updates)
    for key in grouped.sheets():
        sheet = book.sheets.get(key)
        if not grouped.values[key] or sheet is None or not sheet.columns or patcher.entry(sheet.name) is None:
            continue
        _plan_sheet(patcher, sheet, grouped, warnings)
    for name, rows in hidden_sheets.items():
        patcher.put_sheet(name, rows, hidden=True)
    data, changed = patcher.build(now=now, into=into)
    return EnrichWrite(data, changed, warnings)


def _group(updates: Iterable[CellUpdate]) -> SheetUpdates:
    values: dict[str, dict[int, dict[str, Any]]] = {}
    refresh: set[tuple[str, int, str]] = set()
    for u in updates:
        values.setdefault(u.sheet, {}).setdefault(u.row, {})[u.field] = u.value
        if getattr(u, "refresh", False):
            refresh.add((u.sheet, u.row, u.field))
    return SheetUpdates(values, refresh, tuple(values))


def fill_rows(fills: list[FillRecord]) -> list[list[Any]]:
    """The ``xlcrm_填写`` sheet (header row first): sheet name, row ID, field header, value of each
    fill-when-blank cell enrich wrote and still owns (SPEC §2 "Cells enrich fills…")."""
    rows: list[list[Any]] = [list(FILLS_HEADERS)]
    for f in fills:
        kind = SHEETS_BY_KEY[f.sheet]
        rows.append([kind.name, f.row_id, kind.field(f.field).header, f.value])
    return rows
