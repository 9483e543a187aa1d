"""Benchmark ``xlcrm validate`` against python-calamine's bare read of the same workbook and
against frictionless' ``validate`` of the 跟进记录 sheet with an equivalent Table Schema.

In-process timings (best of N, same warm imports for all three), then one fresh child process per
operation for peak RSS (and one with tracemalloc for validate), then the CLI end to end once.
Run from the repo root: ``python bench/bench_validate.py [--repeat N] [BOOK ...]``; results go to
``bench/_work/validate.json`` (``bench/run_all.py`` turns them into ``bench/RESULTS.md``).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ALL_BOOKS, AS_OF, best_of, book_main, book_path, run_child, run_timed_command, save_results  # noqa: E402

SHEET = "跟进记录"


def calamine_read(path: Path) -> int:
    """Bare read: open the workbook and ``to_python()`` every sheet. Returns the row count."""
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(str(path))
    try:
        return sum(len(wb.get_sheet_by_name(name).to_python()) for name in wb.sheet_names)
    finally:
        wb.close()


def followups_table_schema() -> dict[str, Any]:
    """A Table Schema for 跟进记录 declaring the same types, required fields and enums as xlcrm's
    schema (patterns, ranges, uniqueness, references and cross-field rules are xlcrm-only)."""
    from xlcrm.schema import FOLLOWUPS
    from xlcrm.schema import FieldType as T

    types = {
        T.DATE: "date",
        T.DATETIME: "datetime",
        T.MONEY: "number",
        T.NUMBER: "number",
        T.PERCENT: "number",
        T.INT: "integer",
        T.SCORE: "integer",
    }
    fields = []
    for f in FOLLOWUPS.fields:
        spec: dict[str, Any] = {"name": f.header, "type": "string" if f.computed else types.get(f.type, "string")}
        constraints: dict[str, Any] = {}
        if f.required and not f.computed:
            constraints["required"] = True
        if f.enum:
            constraints["enum"] = list(f.enum)
        if constraints:
            spec["constraints"] = constraints
        fields.append(spec)
    return {"fields": fields}


def frictionless_validate(path: Path) -> dict[str, Any]:
    """frictionless ``validate`` of the 跟进记录 sheet of the .xlsx (its own openpyxl reader).

    Returns the outcome; raises when frictionless finds an error, since a report cut short at its
    error limit would make the timing meaningless (the benchmark books are valid)."""
    from frictionless import Checklist, Resource, Schema
    from frictionless.formats import ExcelControl

    path = Path(path).resolve()
    resource = Resource(
        path.name,
        basepath=str(path.parent),
        format="xlsx",
        control=ExcelControl(sheet=SHEET),
        schema=Schema.from_descriptor(followups_table_schema()),
    )
    # The standard workbook formats its columns down to row 5001, so openpyxl yields formatted
    # but empty rows after the data of the small books; xlcrm skips blank rows silently, so
    # frictionless is told to as well (otherwise it stops at 1,000 blank-row errors).
    report = resource.validate(Checklist(skip_errors=["blank-row"]))
    task = report.tasks[0]
    if not report.valid:
        raise RuntimeError(
            f"frictionless found errors in {path.name}: " + "; ".join(f"{e.type}: {e.note}" for e in task.errors[:5])
        )
    return {"valid": report.valid, "rows": task.stats.get("rows")}


def _validate(path: Path) -> Any:
    from xlcrm.validation import validate_file

    return validate_file(path, AS_OF)


def bench_book(name: str, repeat: int) -> dict[str, Any]:
    path = book_path(name)
    from xlcrm.validation import check_book

    checked = check_book(path, AS_OF)
    report = checked.report
    sheet_rows = {k: len(s.rows) for k, s in checked.book.sheets.items() if k != "config"}
    counts = {
        "errors": sum(i.severity == "error" for i in report.issues),
        "warnings": sum(i.severity == "warning" for i in report.issues),
        "infos": sum(i.severity == "info" for i in report.issues),
    }
    rows = calamine_read(path)
    fl = frictionless_validate(path)
    out: dict[str, Any] = {
        "book": name,
        "bytes": path.stat().st_size,
        "rows_all_sheets": rows,
        "data_rows": sheet_rows,
        "issues": counts,
        "frictionless_report": fl,
    }
    out["validate_s"], out["validate_runs"] = best_of(lambda: _validate(path), repeat)
    out["calamine_s"], out["calamine_runs"] = best_of(lambda: calamine_read(path), repeat)
    out["frictionless_s"], out["frictionless_runs"] = best_of(lambda: frictionless_validate(path), repeat)
    out["ratio_validate_calamine"] = out["validate_s"] / out["calamine_s"]
    out["ratio_frictionless_validate"] = out["frictionless_s"] / out["validate_s"]
    for task in ("validate", "validate-tracemalloc", "calamine", "frictionless", "cli-validate"):
        out[f"child_{task}"] = run_child(task, str(path))
    seconds, code = run_timed_command(
        [sys.executable, "-m", "xlcrm", "validate", str(path), "--as-of", AS_OF.isoformat(), "--format", "json"]
    )
    out["cli"] = {"seconds": seconds, "exit": code, "peak_kib": out["child_cli-validate"]["peak_kib"]}
    return out


def run(books: list[str] | tuple[str, ...] = ALL_BOOKS, repeat: int = 3) -> list[dict[str, Any]]:
    results = []
    for name in books:
        r = bench_book(name, repeat)
        print(
            f"[validate] {name}: validate {r['validate_s']:.3f}s  calamine {r['calamine_s']:.3f}s  "
            f"frictionless({SHEET}) {r['frictionless_s']:.3f}s  validate/calamine "
            f"{r['ratio_validate_calamine']:.2f}x  frictionless/validate {r['ratio_frictionless_validate']:.2f}x  "
            f"peak RSS {r['child_validate']['peak_kib'] / 1024:.0f} MiB",
            flush=True,
        )
        results.append(r)
    return save_results("validate", results)


def main() -> None:
    book_main(__doc__ or "", run, repeat=3)


if __name__ == "__main__":
    main()
