"""Build the workbooks, run the validate, enrich and report benchmarks in one run and write
``bench/RESULTS.md``.

Run from the repo root: ``python bench/run_all.py [--repeat-validate 3] [--repeat-enrich 2]
[--repeat-report 2] [--profile auto|always|never] [--quick]``. ``--quick`` runs validate and
enrich on the small sample books only and skips the report benchmark (a smoke run; it does not
write RESULTS.md unless ``--output`` is given).
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
import bench_report  # noqa: E402
import bench_validate  # noqa: E402
import profile_hotspots  # noqa: E402
from common import (  # noqa: E402
    ALL_BOOKS,
    AS_OF,
    BENCH_DIR,
    BIG_NAME,
    MONTHLY_BOOKS,
    MONTHLY_CUSTOMERS,
    MONTHLY_PERIOD,
    REPORT_CAMPAIGNS,
    REPORT_CUSTOMERS,
    WORK_DIR,
    machine,
)
from make_workbooks import build, build_report_inputs  # noqa: E402

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
        'read of the same file). *frictionless* = `Resource(..., format="xlsx", sheet="跟进记录")',
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
            f"{r['cli']['seconds']:.2f} s (exit {r['cli']['exit']}) |"
        )
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
            f"{_mib(r['cli']['peak_kib'])} |"
        )
    out += [
        "",
        "Issues found by xlcrm (the books are valid; the infos are the 2 % of own IDs left blank for",
        "enrich, `id.pending`): "
        + "; ".join(
            f"{r['book']} {r['issues']['errors']} errors / {r['issues']['warnings']} warnings / {r['issues']['infos']} infos"
            for r in results
        )
        + ".",
        "frictionless found no errors in any book (rows it read: "
        + ", ".join(f"{r['book']} {r['frictionless_report']['rows']:,}" for r in results)
        + "; in the small books",
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
            f"{_mib(o['peak_kib'])} ({_mib(o['base_kib'])}) |"
        )
    out.append("")
    return out


SCENARIO_LABELS = {
    "campaign-jobs2": "campaign, `--jobs 2`",
    "campaign-jobs1": "campaign, `--jobs 1`",
    "monthly-team": "monthly (team)",
    "monthly-by-manager-jobs2": "monthly `--by manager`, `--jobs 2`",
    "monthly-by-manager-jobs1": "monthly `--by manager`, `--jobs 1`",
}


def report_section(rep: dict[str, Any] | None) -> list[str]:
    if not rep:
        return []
    out = [
        "## report",
        "",
        "`python -m xlcrm report INPUT --as-of 2026-11-20 --format md,docx -o DIR --force ...` run as a",
        "subprocess into an emptied folder and timed from outside (interpreter start, imports,",
        "consolidation, derive, contexts, charts and both files of every report). Best of the rounds;",
        "each round runs every row once, one after the other, so the jobs 1 / jobs 2 pair shares the",
        "machine's conditions.",
        "",
        f"Inputs (enriched once, valid): *report_2000* = the {REPORT_CUSTOMERS:,}-customer sample (seed 1)",
        f"with 维护活动 grown to {REPORT_CAMPAIGNS} campaigns; *monthly_20* = a folder of {MONTHLY_BOOKS} submitted",
        f"workbooks of {MONTHLY_CUSTOMERS} customers each (seeds 1–{MONTHLY_BOOKS}, IDs renumbered into disjoint",
        f"ranges, so no conflicts), period {MONTHLY_PERIOD}. A report is one Markdown file (with its chart",
        "PNGs) plus one Word file; s / report = wall time / reports. CPU = user + sys of the CLI and",
        "its workers (`wait4`).",
        "",
        "| run | input | reports (md + docx files) | wall (best) | all rounds | s / report | CPU | exit |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for sc in rep["scenarios"]:
        b = sc["best"]
        out.append(
            f"| {SCENARIO_LABELS.get(sc['name'], sc['name'])} | {sc['input']} | {b['reports']} ({b['md']} + {b['docx']}) | "
            f"{b['seconds']:.2f} s | {' / '.join(f'{t:.1f}' for t in sc['runs_s'])} s | "
            f"{sc['per_report_s']:.3f} s | {b['cpu_s']:.1f} s | {b['exit']} |"
        )
    out += [
        "",
        "Speed-up of `--jobs 2` (2 worker processes) over `--jobs 1` on this 2-core machine. *Serial part* =",
        "interpreter start + imports (a fresh interpreter importing the CLI) + consolidate + derive +",
        "building every report context (timed in a warm process), which runs",
        "in the main process before any rendering; *ideal* = serial + (jobs 1 time − serial) / 2, i.e.",
        "rendering perfectly split over two workers.",
        "",
        "| reports | jobs 1 | jobs 2 | speed-up | ideal jobs 2 | serial part (start + imports / consolidate / derive / contexts) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    by_name = {sc["name"]: sc for sc in rep["scenarios"]}
    for pair, label in (("campaign", "campaign"), ("monthly-by-manager", "monthly `--by manager`")):
        sp, ser = rep[f"speedup_{pair}"], by_name[f"{pair}-jobs1"]["serial"]
        out.append(
            f"| {label} | {sp['jobs1_s']:.2f} s | {sp['jobs2_s']:.2f} s | {sp['speedup']:.2f}× | "
            f"{sp['ideal_jobs2_s']:.2f} s | {sp['serial_s']:.2f} s ({rep['startup_s']:.2f} / {ser['consolidate_s']:.2f} / "
            f"{ser['derive_s']:.2f} / {ser['contexts_s']:.2f}) |"
        )
    out.append("")
    for pair, label in (("campaign", "campaign reports"), ("monthly-by-manager", "monthly reports by manager")):
        sp = rep[f"speedup_{pair}"]
        faster = "faster" if sp["speedup"] >= 1 else "**slower**"
        out.append(
            f"{label.capitalize()}: `--jobs 2` is {faster} than `--jobs 1` ({sp['speedup']:.2f}×; "
            f"{sp['jobs2_s'] / sp['ideal_jobs2_s']:.2f}× the ideal)."
        )
    out += [
        "",
        "Peak memory, sampled every 0.1 s from `/proc` while the CLI runs: `VmHWM` of the main process",
        "and of the largest worker (a forked worker's RSS includes pages it still shares with the main",
        "process), and the peak of the summed PSS of the main process and its workers (shared pages",
        "counted once).",
        "",
        "| run | main process peak RSS | largest worker peak RSS | workers | peak PSS, all processes |",
        "|---|---:|---:|---:|---:|",
    ]
    for sc in rep["scenarios"]:
        b = sc["best"]
        worker = _mib(b["worker_peak_kib"]) if b["workers_seen"] else "—"
        out.append(
            f"| {SCENARIO_LABELS.get(sc['name'], sc['name'])} | {_mib(b['main_peak_kib'])} | {worker} | "
            f"{b['workers_seen']} | {_mib(b['pss_peak_kib'])} |"
        )
    out.append("")
    return out


def targets(val: dict[str, Any] | None, enr: dict[str, Any] | None) -> tuple[list[str], dict[str, bool]]:
    out = ["## Targets (100,000-row 跟进记录 workbook)", "", "| target | measured | verdict |", "|---|---:|---|"]
    ok: dict[str, bool] = {}
    if val:
        ok["validate"] = val["ratio_validate_calamine"] <= MAX_VALIDATE_OVER_CALAMINE
        ok["frictionless"] = val["ratio_frictionless_validate"] >= MIN_FRICTIONLESS_OVER_VALIDATE
        out.append(
            f"| validate ≤ {MAX_VALIDATE_OVER_CALAMINE}× calamine's bare read of the same workbook | "
            f"{val['ratio_validate_calamine']:.2f}× ({val['validate_s']:.2f} s vs {val['calamine_s']:.2f} s) | "
            f"{_verdict(ok['validate'])} |"
        )
        out.append(
            f"| validate ≥ {MIN_FRICTIONLESS_OVER_VALIDATE}× faster than frictionless on 跟进记录 | "
            f"{val['ratio_frictionless_validate']:.2f}× ({val['frictionless_s']:.2f} s vs {val['validate_s']:.2f} s) | "
            f"{_verdict(ok['frictionless'])} |"
        )
        out.append(
            f"| validate peak memory reported | {_mib(val['child_validate']['peak_kib'])} RSS, "
            f"{val['child_validate-tracemalloc']['tracemalloc_peak'] / 2**20:.0f} MiB tracemalloc | reported |"
        )
    if enr:
        ok["enrich"] = enr["ratio_enrich_openpyxl"] <= MAX_ENRICH_OVER_OPENPYXL
        out.append(
            f"| enrich ≤ {MAX_ENRICH_OVER_OPENPYXL}× openpyxl's bare load + save | "
            f"{enr['ratio_enrich_openpyxl']:.2f}× ({enr['enrich_s']:.2f} s vs {enr['openpyxl_s']:.2f} s) | "
            f"{_verdict(ok['enrich'])} |"
        )
        out.append(
            f"| enrich peak memory reported | {_mib(enr['child_enrich']['peak_kib'])} RSS "
            f"(openpyxl alone {_mib(enr['child_openpyxl']['peak_kib'])}) | reported |"
        )
    out.append("")
    return out, ok


def bounds_section(ops: list[str]) -> list[str]:
    """Phase breakdown (no profiler) and cProfile hot spots for ``ops`` on the 100k book."""
    if not ops:
        return []
    out = [
        "## What bounds it",
        "",
        "For each operation below: wall time per phase of one run without a profiler (phase",
        "functions wrapped with a timer; `check_book` includes the reading phases), then the",
        "cProfile hot spots of one run (the profiler inflates pure-Python code such as openpyxl",
        "far more than calamine's Rust code, so read shares from the phase table).",
        "",
    ]
    for op in ops:
        ph = profile_hotspots.phase_times(op)
        prof = profile_hotspots.report(op)
        out += [
            f"### {op} on the 100,000-row book",
            "",
            f"Phases (one run, {ph['total_s']:.2f} s):",
            "",
            profile_hotspots.phase_table(ph),
            "",
            f"cProfile, by cumulative time ({prof['profiled_s']:.2f} s under the profiler):",
            "",
            prof["by_cumulative"],
            "",
            "cProfile, xlcrm's own functions by cumulative time:",
            "",
            prof["xlcrm"],
            "",
            "cProfile, by own time:",
            "",
            prof["by_own"],
            "",
        ]
    return out


def write_results(
    val: list[dict[str, Any]],
    enr: list[dict[str, Any]],
    profile: str,
    output: Path,
    started: datetime,
    seconds: float,
    load: str = "n/a",
    rep: dict[str, Any] | None = None,
) -> dict[str, bool]:
    big_val = next((r for r in val if r["book"] == BIG_NAME), None)
    big_enr = next((r for r in enr if r["book"] == BIG_NAME), None)
    target_lines, ok = targets(big_val, big_enr)
    missed = [
        op
        for op, key in (("validate", "validate"), ("validate", "frictionless"), ("enrich", "enrich"))
        if key in ok and not ok[key]
    ]
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
        "grown to 100,000 valid rows, written by the same standard-workbook writer. The report",
        "inputs are described in the report section.",
        "",
        *target_lines,
        *validate_section(val),
        *enrich_section(enr),
        *report_section(rep),
        *bounds_section(ops),
    ]
    output.write_text("\n".join(lines).rstrip() + "\n", encoding="utf-8")
    return ok


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat-validate", type=int, default=3)
    ap.add_argument("--repeat-enrich", type=int, default=2)
    ap.add_argument("--repeat-report", type=int, default=2, help="rounds of the report benchmark (0 skips it)")
    ap.add_argument(
        "--profile",
        choices=("auto", "always", "never"),
        default="auto",
        help="phase breakdown and cProfile of the operations that miss a target (auto)",
    )
    ap.add_argument("--quick", action="store_true", help="small sample books only (smoke run)")
    ap.add_argument("--rebuild", action="store_true", help="rebuild the workbooks")
    ap.add_argument("--output", type=Path, default=None, help="default bench/RESULTS.md (not with --quick)")
    args = ap.parse_args()
    started, t0 = datetime.now(), time.perf_counter()
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "n/a"
    books = ["sample_200", "sample_1000"] if args.quick else list(ALL_BOOKS)
    with_report = not args.quick and args.repeat_report > 0
    build(force=args.rebuild, names=books)
    if with_report:
        build_report_inputs(force=args.rebuild)
    val = bench_validate.run(books, args.repeat_validate)
    enr = bench_enrich.run(books, args.repeat_enrich)
    rep = bench_report.run(args.repeat_report) if with_report else None
    output = args.output or (None if args.quick else BENCH_DIR / "RESULTS.md")
    if output is None:
        return
    ok = write_results(val, enr, args.profile, output, started, time.perf_counter() - t0, load, rep)
    (WORK_DIR / "targets.json").write_text(json.dumps(ok))
    summary = [f"{k} {'PASS' if v else 'MISS'}" for k, v in ok.items()]
    if rep:
        summary += [
            f"report {pair} jobs 2 speed-up {rep[f'speedup_{pair}']['speedup']:.2f}x"
            for pair in ("campaign", "monthly-by-manager")
        ]
    print(f"wrote {output}: " + ", ".join(summary))


if __name__ == "__main__":
    main()
