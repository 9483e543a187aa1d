"""The derive layer: every computed column of SPEC §2 as pure functions of the typed book.

``derive(book, config, as_of)`` returns a ``Derived``. No files, no clock: as-of is an argument.
Rejected rows are left out of every computation and get blank computed cells.
"""

from __future__ import annotations

from datetime import date
from operator import itemgetter
from typing import Any

from ..config import Config
from ..model import Book, CellUpdate, FillRecord, Row, SheetData
from ..schema import DATA_SHEETS, SHEETS_BY_KEY
from .campaigns import apply_campaigns
from .common import Record, fill_customer_names, group_by
from .contract import DeriveContractError, contract_errors
from .feedback import apply_feedback_rows
from .followup import apply_cadence, apply_followup_rows, done_by_customer
from .ids import fill_ids, own_id_key
from .result import Derived
from .rfm import apply_rfm
from .risk import apply_risk
from .snapshots import apply_tier_changes, previous_snapshots, snapshots_for
from .tasks import apply_tasks
from .tiers import apply_tiers
from .workdays import WorkCalendar

__all__ = ["DeriveContractError", "Derived", "derive"]


def _records(book: Book, key: str, new_ids: dict[int, str], lent: dict[str, _Lent] | None) -> list[Record]:
    """Valid rows as mutable records (input values, filled ID, ``row``); rules add computed keys.
    With ``lent`` (``derive(lookups=False)``) a row's record is its own ``values`` dict, changed in
    place and given back as read once derive is done (``_Lent``); otherwise a copy."""
    sheet = book.sheets.get(key)
    if sheet is None:
        return []
    id_key = own_id_key(sheet.kind) if sheet.kind.own_id else None
    if lent is not None:
        records = _lend(sheet, lent.setdefault(key, _Lent(sheet)))
    else:
        records = [_copied(row) for row in sheet.rows if not row.rejected]
    if id_key:
        for rec in records:
            if rec["row"] in new_ids:
                rec[id_key] = new_ids[rec["row"]]
    return records


def _copied(row: Row) -> Record:
    """A row's record as a copy of its values: a cell still holding enrich's own earlier value is
    recomputed as if blank (SPEC §2)."""
    if row.refreshable:
        return {**row.values, **dict.fromkeys(row.refreshable), "row": row.number}
    return {**row.values, "row": row.number}


class _Lent:
    """The ``values`` dicts of one sheet's rows lent to derive as its records (no copy: in a large
    workbook the copies would be a sixth of enrich's peak memory), and what it takes to give them
    back exactly as read. Rules only add keys, and write an input field only where it is blank (a
    filled ID, ``fill_when_blank``) or refreshable (set blank here first). A dict keeps its keys in
    insertion order, so giving back removes the keys added after the row's own (``popitem``, which
    leaves the dict as it was, not only equal) and puts back the fillable and refreshable cells as
    read (``as_read``). A row with another number of keys than the sheet's first is copied instead."""

    def __init__(self, sheet: SheetData) -> None:
        self.width = len(sheet.rows[0].values) if sheet.rows else 0
        self.fillable = [f.key for f in sheet.kind.fields if (f.own_id or f.fill_when_blank) and not f.computed]
        self.lent: list[Record] = []
        self.as_read: dict[int, dict[str, Any]] = {}  # row → fillable/refreshable cells as read

    def give_back(self) -> None:
        width, as_read = self.width, self.as_read
        for rec in self.lent:
            number = rec["row"]
            for _ in range(len(rec) - width):
                rec.popitem()
            if number in as_read:
                for key, value in as_read[number].items():
                    if key in rec:
                        rec[key] = value
        self.lent, self.as_read = [], {}


def _lend(sheet: SheetData, lent: _Lent) -> list[Record]:
    records = []
    width, fillable, as_read = lent.width, lent.fillable, lent.as_read
    for row in sheet.rows:
        if row.rejected:
            continue
        values = row.values
        if len(values) != width:  # not shaped like the sheet's first row: copied
            records.append(_copied(row))
            continue
        blank = [k for k in fillable if values.get(k) is None]
        if blank or row.refreshable:
            as_read[row.number] = {**dict.fromkeys(blank), **{k: values.get(k) for k in row.refreshable}}
            for k in row.refreshable:
                values[k] = None  # recomputed as if blank (SPEC §2)
        values["row"] = row.number
        lent.lent.append(values)
        records.append(values)
    return records


def _collect_values(
    book: Book, records: dict[str, list[Record]], lent: dict[str, _Lent]
) -> tuple[dict[str, dict[int, dict[str, Any]]], list[FillRecord], set[tuple[str, int, str]]]:
    """Per sheet and row, the cells to write in schema order: every computed field, plus a filled
    own ID or ``fill_when_blank`` field where the staff cell is blank or still holds enrich's own
    earlier value. Rejected rows: all blank. Also the ``xlcrm_填写`` records of this run and the
    cells that may be overwritten because they hold enrich's earlier value."""
    result: dict[str, dict[int, dict[str, Any]]] = {}
    fills: list[FillRecord] = []
    refresh: set[tuple[str, int, str]] = set()
    for kind in DATA_SHEETS:
        sheet = book.sheets.get(kind.key)
        if sheet is None:
            continue
        by_row = {rec["row"]: rec for rec in records[kind.key]}
        computed = [f.key for f in kind.computed_fields]
        fillable = [f.key for f in kind.fields if (f.own_id or f.fill_when_blank) and not f.computed]
        id_key = own_id_key(kind) if kind.own_id else None
        blank = dict.fromkeys(computed)
        computed_of = itemgetter(*computed, computed[0]) if computed else (lambda rec: ())  # always a tuple
        cells: dict[int, dict[str, Any]] = {}
        # rows with the same computed values and nothing filled share one read-only dict (most
        # follow-ups: a tier, 是/否, a status); by value and type, so 1, 1.0 and True stay apart
        shared: dict[tuple[object, ...], dict[str, Any]] = {}
        as_read = lent[kind.key].as_read if kind.key in lent else {}
        for row in sheet.rows:
            rec = None if row.rejected else by_row.get(row.number)
            row_id = (rec or row.values).get(id_key) if id_key else None
            if rec is None:
                cells[row.number] = blank
                # keep the records of a rejected row: once fixed, its cells refresh again
                fills += [
                    FillRecord(kind.key, str(row_id), k, row.values[k]) for k in sorted(row.refreshable) if row_id
                ]
                continue
            filled = {}
            values, refreshable = row.values, row.refreshable
            if rec is values and row.number in as_read:  # lent: the cells derive filled, as read
                values = {**rec, **as_read[row.number]}
            for k in fillable:
                ours = k in refreshable
                if not ours and values.get(k) is not None:
                    continue  # the usual case: the staff filled it in
                if rec.get(k) is not None:
                    filled[k] = rec[k]
                    if ours:
                        refresh.add((kind.key, row.number, k))
                elif ours:  # recomputed blank: leave the cell and its record as they are
                    rec[k] = values[k]
                if k != id_key and (k in filled or ours) and row_id is not None:
                    fills.append(FillRecord(kind.key, str(row_id), k, rec[k]))
            # contract_errors() proved every key is there
            found = computed_of(rec)
            if filled:  # a filled ID or name: the row's own dict
                filled.update(zip(computed, found, strict=False))  # computed_of gives one more
                cells[row.number] = filled
                continue
            try:
                key: tuple[object, ...] | None = (found, tuple(map(type, found)))
                same = shared.get(key)  # type: ignore[arg-type]
            except TypeError:  # an unhashable value: not shared
                key, same = None, None
            if same is None:
                same = dict(zip(computed, found, strict=False))
                if key is not None:
                    shared[key] = same
            cells[row.number] = same
        result[kind.key] = cells
    return result, fills, refresh


def derive(book: Book, config: Config, as_of: date, *, lookups: bool = True) -> Derived:
    """Compute every computed column, missing ID and snapshot of ``book`` at ``as_of``.

    ``lookups=False`` (enrich): the result carries no lookup records (``Derived.drop_lookups``),
    and derive works on the rows' own ``values`` dicts instead of copies (``_Lent``), given back
    exactly as read before it returns, also when it fails."""
    if lookups:
        return _derive(book, config, as_of, None)
    lent: dict[str, _Lent] = {}
    try:
        derived = _derive(book, config, as_of, lent)
    finally:
        for rows in lent.values():
            rows.give_back()
    derived.drop_lookups()
    return derived


def _derive(book: Book, config: Config, as_of: date, lent: dict[str, _Lent] | None) -> Derived:
    cal = WorkCalendar.from_config(config)
    new_ids = fill_ids(book)
    records = {kind.key: _records(book, kind.key, new_ids.get(kind.key, {}), lent) for kind in DATA_SHEETS}
    customers, followups, feedback = records["customers"], records["followups"], records["feedback"]
    campaigns, tasks = records["campaigns"], records["tasks"]

    followups_done = done_by_customer(followups, as_of)
    feedback_by_customer = group_by(feedback, "customer_id")
    apply_tasks(tasks, as_of)
    apply_feedback_rows(feedback, as_of, config, cal)
    apply_rfm(customers, as_of, config)
    apply_tiers(customers, config)
    apply_cadence(customers, followups_done, as_of, config)
    apply_risk(customers, followups_done, feedback_by_customer, as_of, config)
    previous = previous_snapshots(book.history, as_of)
    apply_tier_changes(customers, previous)

    customers_by_id: dict[str, Record] = {}
    for c in customers:  # a duplicate ID is a structural error; the first row stands
        if c.get("customer_id") is not None:
            customers_by_id.setdefault(c["customer_id"], c)
    apply_followup_rows(followups, customers_by_id, followups_done, as_of, config)
    fill_customer_names(feedback, customers_by_id)
    apply_campaigns(campaigns, customers, followups, feedback, tasks, as_of, config, cal)

    campaigns_by_id: dict[str, Record] = {}
    for camp in campaigns:
        if camp.get("campaign_id") is not None:
            campaigns_by_id.setdefault(camp["campaign_id"], camp)
    filled = []
    for sheet_key, rows in new_ids.items():
        id_key = own_id_key(SHEETS_BY_KEY[sheet_key])
        filled += [CellUpdate(sheet_key, row, id_key, value) for row, value in rows.items()]
    message = cal.uncovered_message()
    broken = contract_errors(records)
    if broken:  # a rule forgot or misspelt a column: fail loudly instead of writing a blank column
        raise DeriveContractError("; ".join(broken[:5]))
    values, fills, refresh = _collect_values(book, records, lent or {})
    return Derived(
        as_of=as_of,
        values=values,
        fills=fills,
        refresh=refresh,
        filled_ids=filled,
        snapshots=snapshots_for(customers, as_of),
        warnings=[message] if message else [],
        customers=customers_by_id,
        campaigns=campaigns_by_id,
        followup_rows=followups,
        feedback_rows=feedback,
        task_rows=tasks,
        previous_snapshots=previous,
    )
