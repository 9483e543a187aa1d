"""cProfile of ``validate_file`` and ``enrich_workbook`` on a benchmark workbook: where the time goes.

Run from the repo root: ``python bench/profile_hotspots.py [validate|enrich ...] [--book NAME]``.
Prints the top functions by cumulative and by own time and saves ``bench/_work/<op>.prof``
(open it with ``python -m pstats`` or snakeviz). ``run_all.py`` puts the tables in RESULTS.md
for the operations that miss their target.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import AS_OF, BIG_NAME, REPO_DIR, WORK_DIR, book_path  # noqa: E402

SITE_MARKERS = ("site-packages/", "dist-packages/")


def short_file(filename: str) -> str:
    """A file name without this machine's directories: ``xlcrm/…``, ``<package>/…`` or the stdlib name."""
    p = filename.replace("\\", "/")
    for marker in SITE_MARKERS:
        if marker in p:
            return p.split(marker, 1)[1]
    repo = str(REPO_DIR).replace("\\", "/") + "/"
    if p.startswith(repo):
        return p[len(repo) :]
    if p.startswith("<") or "/" not in p:
        return p
    parts = p.split("/")
    return "stdlib/" + "/".join(parts[-2:]) if "python3" in p else parts[-1]


def profile(op: str, name: str = BIG_NAME) -> tuple[pstats.Stats, float, Path]:
    """Profile one run of ``op`` (validate or enrich) on workbook ``name``; (stats, wall seconds, .prof)."""
    from xlcrm.enrichment import enrich_workbook
    from xlcrm.validation import validate_file

    path = book_path(name)
    tmp = Path(tempfile.mkdtemp(prefix="xlcrm-bench-"))
    try:
        if op == "validate":
            validate_file(path, AS_OF)  # warm imports and caches, as in the timings

            def call() -> Any:
                return validate_file(path, AS_OF)
        else:
            copy = tmp / path.name
            shutil.copyfile(path, copy)
            enrich_workbook(copy, AS_OF, backup=False)
            shutil.copyfile(path, copy)

            def call() -> Any:
                return enrich_workbook(copy, AS_OF, backup=False)

        prof = cProfile.Profile()
        t0 = time.perf_counter()
        prof.runcall(call)
        wall = time.perf_counter() - t0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    out = WORK_DIR / f"{op}_{name}.prof"
    prof.dump_stats(out)
    return pstats.Stats(prof), wall, out


PHASES: dict[str, tuple[tuple[str, str], ...]] = {
    "validate": (
        ("xlcrm.reading", "check_input_bytes"),
        ("xlcrm.reading", "read_raw_sheets"),
        ("xlcrm.reading", "uncached_formula_cells"),
        ("xlcrm.reading", "type_rows"),
        ("xlcrm.validation", "load_config"),
        ("xlcrm.validation", "run_checks"),
        ("xlcrm.validation", "mark_rejected"),
        ("xlcrm.validation", "order_issues"),
    ),
    "enrich": (
        ("xlcrm.enrichment", "refuse_if_open"),
        ("xlcrm.enrichment", "check_data"),
        ("xlcrm.enrichment", "unpreservable_content"),
        ("xlcrm.enrichment", "derive"),
        ("xlcrm.enrichment", "load_for_update"),
        ("xlcrm.enrichment", "apply_to_workbook"),
        ("xlcrm.enrichment", "make_backup"),
        ("xlcrm.enrichment", "atomic_write"),
    ),
}


def phase_times(op: str, name: str = BIG_NAME) -> dict[str, Any]:
    """Wall time per phase of one un-profiled run: the phase functions, looked up in the module
    that calls them, are wrapped with a timer (names that no longer exist are skipped)."""
    import importlib

    from xlcrm.enrichment import enrich_workbook
    from xlcrm.validation import validate_file

    spent: dict[str, float] = {}
    originals = []
    for module_name, attr in PHASES[op]:
        module = importlib.import_module(module_name)
        fn = getattr(module, attr, None)
        if fn is None:
            continue

        def timed(*args: Any, __fn: Any = fn, __key: str = f"{attr}", **kwargs: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return __fn(*args, **kwargs)
            finally:
                spent[__key] = spent.get(__key, 0.0) + time.perf_counter() - t0

        originals.append((module, attr, fn))
        setattr(module, attr, timed)
    path = book_path(name)
    tmp = Path(tempfile.mkdtemp(prefix="xlcrm-bench-"))
    try:
        if op == "validate":
            validate_file(path, AS_OF)
            spent.clear()
            t0 = time.perf_counter()
            validate_file(path, AS_OF)
        else:
            copy = tmp / path.name
            shutil.copyfile(path, copy)
            t0 = time.perf_counter()
            enrich_workbook(copy, AS_OF, backup=False)
        total = time.perf_counter() - t0
    finally:
        for module, attr, fn in originals:
            setattr(module, attr, fn)
        shutil.rmtree(tmp, ignore_errors=True)
    # check_book contains the reading phases; report them nested rather than twice.
    return {"op": op, "book": name, "total_s": total, "phases": spent}


def phase_table(result: dict[str, Any]) -> str:
    total = result["total_s"]
    lines = ["| phase (function) | seconds | share |", "|---|---:|---:|"]
    for key, sec in result["phases"].items():
        lines.append(f"| `{key}` | {sec:.2f} | {100 * sec / total:.0f} % |")
    rest = total - sum(result["phases"].values())
    lines.append(f"| everything else | {rest:.2f} | {100 * rest / total:.0f} % |")
    lines.append(f"| **total** | **{total:.2f}** | 100 % |")
    return "\n".join(lines)


def top(stats: pstats.Stats, key: str, n: int) -> list[dict[str, Any]]:
    """The top ``n`` functions by ``key`` ('cumulative' or 'tottime')."""
    rows = []
    for (filename, line, func), (_cc, nc, tt, ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        rows.append(
            {"function": func, "file": f"{short_file(filename)}:{line}", "calls": nc, "tottime": tt, "cumtime": ct}
        )
    field = "cumtime" if key == "cumulative" else "tottime"
    rows.sort(key=lambda r: r[field], reverse=True)
    return rows[:n]


def table(rows: list[dict[str, Any]], total: float) -> str:
    lines = [
        "| function | file:line | calls | own s | cumulative s | cumulative share |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| `{r['function']}` | `{r['file']}` | {r['calls']:,} | {r['tottime']:.2f} | "
            f"{r['cumtime']:.2f} | {100 * r['cumtime'] / total:.0f} % |"
        )
    return "\n".join(lines)


def report(op: str, name: str = BIG_NAME, n_cum: int = 25, n_own: int = 15) -> dict[str, Any]:
    stats, wall, prof = profile(op, name)
    cum = top(stats, "cumulative", n_cum + 5)
    cum = [r for r in cum if not r["file"].startswith("bench/") and r["function"] != "runcall"][:n_cum]
    total = max(cum[0]["cumtime"], 1e-9)  # the profiled xlcrm entry point
    own = top(stats, "tottime", n_own)
    ours = [r for r in top(stats, "cumulative", 10_000) if r["file"].startswith("xlcrm/")][:n_cum]
    return {
        "op": op,
        "book": name,
        "wall_s": wall,
        "profiled_s": total,
        "prof_file": prof.name,
        "by_cumulative": table(cum, total),
        "by_own": table(own, total),
        "xlcrm": table(ours, total),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("ops", nargs="*", default=["validate", "enrich"])
    ap.add_argument("--book", default=BIG_NAME)
    args = ap.parse_args()
    for op in args.ops:
        ph = phase_times(op, args.book)
        print(f"## {op} on {args.book}: phases (no profiler)\n\n{phase_table(ph)}\n")
        r = report(op, args.book)
        print(f"## {op} on {r['book']}: {r['profiled_s']:.2f}s under cProfile ({r['wall_s']:.2f}s wall)\n")
        print("By cumulative time:\n\n" + r["by_cumulative"] + "\n")
        print("By own time:\n\n" + r["by_own"] + "\n")
        print("xlcrm's own functions by cumulative time:\n\n" + r["xlcrm"] + "\n")


if __name__ == "__main__":
    main()
