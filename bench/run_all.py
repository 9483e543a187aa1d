"""Build the workbooks, run both benchmarks in one run and write ``bench/RESULTS.md``.

Run from the repo root: ``python bench/run_all.py [--repeat-validate 3] [--repeat-enrich 2]
[--profile auto|always|never] [--quick]``. ``--quick`` runs the small sample books only (a smoke
run; it does not write RESULTS.md unless ``--output`` is given).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_enrich  # noqa: E402
import bench_validate  # noqa: E402
import profile_hotspots  # noqa: E402
from common import ALL_BOOKS, AS_OF, BENCH_DIR, BIG_NAME, WORK_DIR, machine  # noqa: E402
from make_workbooks import build  # noqa: E402

# Targets from the validate and enrich issues, on the 100,000-row 跟进记录 workbook.
MAX_VALIDATE_OVER_CALAMINE = 2.5
MIN_FRICTIONLESS_OVER_VALIDATE = 4.0
MAX_ENRICH_OVER_OPENPYXL = 1.3


def _mb(n: int) -> str:
    return f"{n / 1e6:.1f} MB"


def _mib(kib: float) -> str:
    return f"{kib / 1024:.0f} MiB"


def _verdict(ok: bool) -> str:
    return "**PASS**" if ok else "**MISS**"


def validate_section(results: list[dict[str, Any]]) -> list[str]:
    out = [
        "## validate",
        "",
        "Seconds are the best of the in-process runs (all three tools with the same warm imports).",
        "*calamine* = python-calamine opening the workbook and `to_python()` of every sheet (the bare",
        "read of the same file). *frictionless* = `Resource(..., format=\"xlsx\", sheet=\"跟进记录\")",
        ".validate()` with a Table Schema declaring the same types (date, datetime, integer, number,",
        "string), required fields and enum constraints as xlcrm's schema for 跟进记录; it reads the",
        "sheet with openpyxl in read-only mode. It checks **one sheet** for types/required/enums only,",
        "while xlcrm validate reads and checks **all five sheets** with every rule (patterns, ranges,",
        "uniqueness, references, date order, state, consistency) — so the frictionless ratio is",
        "conservative. *CLI end to end* = one run of `python -m xlcrm validate PATH --format json`",
        "timed from outside (interpreter start and imports included).",
        "",
        "| workbook | file | rows (跟进记录 / all data sheets) | xlcrm validate | calamine read | frictionless (跟进记录) | validate / calamine | frictionless / validate | CLI end to end |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        rows = r["data_rows"]
        out.append(
            f"| {r['book']} | {_mb(r['bytes'])} | {rows.get('followups', 0):,} / {sum(rows.values()):,} | "
            f"{r['validate_s']:.3f} s | {r['calamine_s']:.3f} s | {r['frictionless_s']:.3f} s | "
            f"{r['ratio_validate_calamine']:.2f}× | {r['ratio_frictionless_validate']:.2f}× | "
            f"{r['cli']['seconds']:.2f} s (exit {r['cli']['exit']}) |")
    out += [
        "",
        "Peak memory: each operation alone in a fresh interpreter, peak RSS = Linux `VmHWM` of that",
        "process (not `ru_maxrss`/`RUSAGE_CHILDREN`, which Linux carries over from the parent across",
        "fork + exec); *after imports* = the peak before the operation starts (interpreter plus",
        "imported modules). tracemalloc peak = Python allocations during `validate_file`",
        "(calamine's Rust-side buffers are not traced). CLI = `xlcrm validate PATH --format json`",
        "run in the measured process (its *after imports* is the bare interpreter).",
        "",
        "| workbook | validate peak RSS (after imports) | validate tracemalloc peak | calamine peak RSS (after imports) | frictionless peak RSS (after imports) | CLI peak RSS |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        v, t = r["child_validate"], r["child_validate-tracemalloc"]
        out.append(
            f"| {r['book']} | {_mib(v['peak_kib'])} ({_mib(v['base_kib'])}) | {t['tracemalloc_peak'] / 2**20:.0f} MiB | "
            f"{_mib(r['child_calamine']['peak_kib'])} ({_mib(r['child_calamine']['base_kib'])}) | "
            f"{_mib(r['child_frictionless']['peak_kib'])} ({_mib(r['child_frictionless']['base_kib'])}) | "
            f"{_mib(r['cli']['peak_kib'])} |")
    out += [
        "",
        "Issues found by xlcrm (the books are valid; the infos are the 2 % of own IDs left blank for",
        "enrich, `id.pending`): " + "; ".join(
            f"{r['book']} {r['issues']['errors']} errors / {r['issues']['warnings']} warnings / {r['issues']['infos']} infos"
            for r in results) + ".",
        "frictionless found no errors in any book (rows it read: " + ", ".join(
            f"{r['book']} {r['frictionless_report']['rows']:,}" for r in results) + "; in the small books",
        "that includes the formatted but empty rows down to row 5001 of the standard workbook, whose",
        "`blank-row` errors it is told to skip — xlcrm skips blank rows silently).",
        "",
    ]
    return out


def enrich_section(results: list[dict[str, Any]]) -> list[str]:
    out = [
        "## enrich",
        "",
        "*enrich* = `enrich_workbook(copy, as_of, backup=False)` on a fresh copy each run (the copy",
        "is not timed; in place, so it includes the atomic replace). *openpyxl* = `load_workbook(path)`",
        "+ `wb.save(other)` of the same file, nothing else. Seconds are the best of the in-process",
        "runs; peak RSS is from one run of each alone in a fresh interpreter.",
        "",
        "| workbook | file | xlcrm enrich | openpyxl load + save | enrich / openpyxl | enrich peak RSS (after imports) | openpyxl peak RSS (after imports) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        e, o = r["child_enrich"], r["child_openpyxl"]
        out.append(
            f"| {r['book']} | {_mb(r['bytes'])} | {r['enrich_s']:.2f} s | {r['openpyxl_s']:.2f} s | "
            f"{r['ratio_enrich_openpyxl']:.2f}× | {_mib(e['peak_kib'])} ({_mib(e['base_kib'])}) | "
            f"{_mib(o['peak_kib'])} ({_mib(o['base_kib'])}) |")
    out.append("")
    return out


def targets(val: dict[str, Any] | None, enr: dict[str, Any] | None) -> tuple[list[str], dict[str, bool]]:
    out = ["## Targets (100,000-row 跟进记录 workbook)", "",
           "| target | measured | verdict |", "|---|---:|---|"]
    ok: dict[str, bool] = {}
    if val:
        ok["validate"] = val["ratio_validate_calamine"] <= MAX_VALIDATE_OVER_CALAMINE
        ok["frictionless"] = val["ratio_frictionless_validate"] >= MIN_FRICTIONLESS_OVER_VALIDATE
        out.append(f"| validate ≤ {MAX_VALIDATE_OVER_CALAMINE}× calamine's bare read of the same workbook | "
                   f"{val['ratio_validate_calamine']:.2f}× ({val['validate_s']:.2f} s vs {val['calamine_s']:.2f} s) | "
                   f"{_verdict(ok['validate'])} |")
        out.append(f"| validate ≥ {MIN_FRICTIONLESS_OVER_VALIDATE}× faster than frictionless on 跟进记录 | "
                   f"{val['ratio_frictionless_validate']:.2f}× ({val['frictionless_s']:.2f} s vs {val['validate_s']:.2f} s) | "
                   f"{_verdict(ok['frictionless'])} |")
        out.append(f"| validate peak memory reported | {_mib(val['child_validate']['peak_kib'])} RSS, "
                   f"{val['child_validate-tracemalloc']['tracemalloc_peak'] / 2**20:.0f} MiB tracemalloc | reported |")
    if enr:
        ok["enrich"] = enr["ratio_enrich_openpyxl"] <= MAX_ENRICH_OVER_OPENPYXL
        out.append(f"| enrich ≤ {MAX_ENRICH_OVER_OPENPYXL}× openpyxl's bare load + save | "
                   f"{enr['ratio_enrich_openpyxl']:.2f}× ({enr['enrich_s']:.2f} s vs {enr['openpyxl_s']:.2f} s) | "
                   f"{_verdict(ok['enrich'])} |")
        out.append(f"| enrich peak memory reported | {_mib(enr['child_enrich']['peak_kib'])} RSS "
                   f"(openpyxl alone {_mib(enr['child_openpyxl']['peak_kib'])}) | reported |")
    out.append("")
    return out, ok


def bounds_section(ops: list[str]) -> list[str]:
    """Phase breakdown (no profiler) and cProfile hot spots for ``ops`` on the 100k book."""
    if not ops:
        return []
    out = ["## What bounds it", "",
           "For each operation below: wall time per phase of one run without a profiler (phase",
           "functions wrapped with a timer; `check_book` includes the reading phases), then the",
           "cProfile hot spots of one run (the profiler inflates pure-Python code such as openpyxl",
           "far more than calamine's Rust code, so read shares from the phase table).",
           ""]
    for op in ops:
        ph = profile_hotspots.phase_times(op)
        prof = profile_hotspots.report(op)
        out += [f"### {op} on the 100,000-row book", "",
                f"Phases (one run, {ph['total_s']:.2f} s):", "", profile_hotspots.phase_table(ph), "",
                f"cProfile, by cumulative time ({prof['profiled_s']:.2f} s under the profiler):", "",
                prof["by_cumulative"], "",
                "cProfile, xlcrm's own functions by cumulative time:", "", prof["xlcrm"], "",
                "cProfile, by own time:", "", prof["by_own"], ""]
    return out


def write_results(val: list[dict[str, Any]], enr: list[dict[str, Any]], profile: str, output: Path,
                  started: datetime, seconds: float, load: str = "n/a") -> dict[str, bool]:
    big_val = next((r for r in val if r["book"] == BIG_NAME), None)
    big_enr = next((r for r in enr if r["book"] == BIG_NAME), None)
    target_lines, ok = targets(big_val, big_enr)
    missed = [op for op, key in (("validate", "validate"), ("validate", "frictionless"), ("enrich", "enrich"))
              if key in ok and not ok[key]]
    ops = list(dict.fromkeys(missed)) if profile == "auto" else (["validate", "enrich"] if profile == "always" else [])
    lines = [
        "# xlcrm benchmarks",
        "",
        f"Generated by `python bench/run_all.py` on {started:%Y-%m-%d %H:%M} (one run, {seconds / 60:.0f} min).",
        f"As-of date {AS_OF.isoformat()}; workbooks from `bench/make_workbooks.py` (see `bench/README.md`).",
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
        *[f"| {k} | {v} |" for k, v in machine().items()],
        f"| Load average at start (1/5/15 min) | {load} |",
        "",
        "Each ratio compares operations measured in the same run, one after the other; other work",
        "sharing the machine slows both sides, but absolute seconds may vary between runs.",
        "",
        "Workbooks: `sample_N` = `xlcrm init --sample N --seed 1` (N customers with their follow-ups,",
        "feedback, campaigns and tasks); `followups_100k` = the 2,000-customer sample with 跟进记录",
        "grown to 100,000 valid rows, written by the same standard-workbook writer.",
        "",
        *target_lines,
        *validate_section(val),
        *enrich_section(enr),
        *bounds_section(ops),
    ]
    output.write_text("\n".join(lines).rstrip() + "\n", encoding="utf-8")
    return ok


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat-validate", type=int, default=3)
    ap.add_argument("--repeat-enrich", type=int, default=2)
    ap.add_argument("--profile", choices=("auto", "always", "never"), default="auto",
                    help="phase breakdown and cProfile of the operations that miss a target (auto)")
    ap.add_argument("--quick", action="store_true", help="small sample books only (smoke run)")
    ap.add_argument("--rebuild", action="store_true", help="rebuild the workbooks")
    ap.add_argument("--output", type=Path, default=None, help="default bench/RESULTS.md (not with --quick)")
    args = ap.parse_args()
    started, t0 = datetime.now(), time.perf_counter()
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "n/a"
    books = ["sample_200", "sample_1000"] if args.quick else list(ALL_BOOKS)
    build(force=args.rebuild, names=books)
    val = bench_validate.run(books, args.repeat_validate)
    enr = bench_enrich.run(books, args.repeat_enrich)
    output = args.output or (None if args.quick else BENCH_DIR / "RESULTS.md")
    if output is None:
        return
    ok = write_results(val, enr, args.profile, output, started, time.perf_counter() - t0, load)
    (WORK_DIR / "targets.json").write_text(json.dumps(ok))
    print(f"wrote {output}: " + ", ".join(f"{k} {'PASS' if v else 'MISS'}" for k, v in ok.items()))


if __name__ == "__main__":
    main()
