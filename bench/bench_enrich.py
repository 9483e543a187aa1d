"""Benchmark ``enrich`` against openpyxl's bare ``load_workbook`` + ``save`` of the same file.

In-process timings (best of N; enrich works on a fresh copy each time, the copy is not timed),
then one fresh child process per operation for peak RSS.
Run from the repo root: ``python bench/bench_enrich.py [--repeat N] [BOOK ...]``; results go to
``bench/_work/enrich.json`` (``bench/run_all.py`` turns them into ``bench/RESULTS.md``).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ALL_BOOKS, AS_OF, best_of, book_main, book_path, run_child, save_results  # noqa: E402


def openpyxl_load_save(path: Path, out: Path) -> None:
    """The bare round trip enrich cannot avoid: load the whole workbook, save it elsewhere."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    wb.save(out)


def _enrich(copy: Path) -> Any:
    from xlcrm.enrichment import enrich_workbook

    return enrich_workbook(copy, AS_OF, backup=False)


def bench_book(name: str, repeat: int) -> dict[str, Any]:
    path = book_path(name)
    tmp = Path(tempfile.mkdtemp(prefix="xlcrm-bench-"))
    copy, saved = tmp / path.name, tmp / "saved.xlsx"
    try:

        def fresh_copy() -> None:
            shutil.copyfile(path, copy)

        out: dict[str, Any] = {"book": name, "bytes": path.stat().st_size}
        out["enrich_s"], out["enrich_runs"] = best_of(lambda: _enrich(copy), repeat, setup=fresh_copy)
        out["enriched_bytes"] = copy.stat().st_size
        out["openpyxl_s"], out["openpyxl_runs"] = best_of(lambda: openpyxl_load_save(path, saved), repeat)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    out["ratio_enrich_openpyxl"] = out["enrich_s"] / out["openpyxl_s"]
    for task in ("enrich", "openpyxl"):
        out[f"child_{task}"] = run_child(task, str(path))
    return out


def run(books: list[str] | tuple[str, ...] = ALL_BOOKS, repeat: int = 2) -> list[dict[str, Any]]:
    results = []
    for name in books:
        r = bench_book(name, repeat)
        print(
            f"[enrich] {name}: enrich {r['enrich_s']:.2f}s  openpyxl load+save {r['openpyxl_s']:.2f}s  "
            f"ratio {r['ratio_enrich_openpyxl']:.2f}x  peak RSS enrich "
            f"{r['child_enrich']['peak_kib'] / 1024:.0f} MiB / openpyxl {r['child_openpyxl']['peak_kib'] / 1024:.0f} MiB",
            flush=True,
        )
        results.append(r)
    return save_results("enrich", results)


def main() -> None:
    book_main(__doc__ or "", run, repeat=2)


if __name__ == "__main__":
    main()
