"""Benchmark ``xlcrm report`` end to end: campaign reports with ``--jobs 2`` vs ``--jobs 1``, and
monthly reports over a folder of 20 submitted workbooks.

Each scenario is the CLI run as a subprocess (``python -m xlcrm report ... --force`` into an
emptied output folder; interpreter start and imports included), timed from outside, best of N
rounds; the rounds run every scenario once, one after the other, so the jobs 1 / jobs 2 pair
shares the machine's conditions. While it runs, the benchmark samples the process and its worker
processes every 0.1 s from ``/proc``: peak RSS (``VmHWM``) of the main process and of the largest
worker, and the peak of the summed PSS of all of them (memory of forked workers shared copy-on-write
with the main process counted once). CPU time (user + sys, workers included) comes from ``wait4``.

Separately, the serial part — interpreter start and imports (a fresh interpreter importing the
CLI), then consolidate + derive + building every report context (timed in this process once per
input) — so the best possible time with two workers, serial + (jobs-1 time − serial) / 2, can be
set against the measured one.

Campaign runs review all 100 campaigns (``--all``: by default only finished campaigns get a
review).

Run from the repo root: ``python bench/bench_report.py [--repeat N] [--only campaign]``; results
go to ``bench/_work/report.json`` (``bench/run_all.py`` turns them into ``bench/RESULTS.md``).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import AS_OF, MONTHLY_PERIOD, REPO_DIR, REPORT_BOOK, WORK_DIR  # noqa: E402

SAMPLE_INTERVAL = 0.1


def scenarios(book: Path, folder: Path) -> list[dict[str, Any]]:
    """The measured CLI runs: name, input, extra arguments, worker count."""
    campaign = ["--kind", "campaign", "--format", "md,docx", "--all"]
    monthly = ["--kind", "monthly", "--period", MONTHLY_PERIOD, "--format", "md,docx"]
    return [
        {"name": "campaign-jobs2", "input": book, "args": [*campaign, "--jobs", "2"], "jobs": 2},
        {"name": "campaign-jobs1", "input": book, "args": [*campaign, "--jobs", "1"], "jobs": 1},
        {"name": "monthly-team", "input": folder, "args": monthly, "jobs": 1},
        {
            "name": "monthly-by-manager-jobs2",
            "input": folder,
            "args": [*monthly, "--by", "manager", "--jobs", "2"],
            "jobs": 2,
        },
        {
            "name": "monthly-by-manager-jobs1",
            "input": folder,
            "args": [*monthly, "--by", "manager", "--jobs", "1"],
            "jobs": 1,
        },
    ]


def _status_kib(pid: int, key: str) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as f:
            for line in f:
                if line.startswith(key):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _pss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except (OSError, ValueError):
        return []


def run_cli(input_path: Path, args: list[str], out: Path) -> dict[str, Any]:
    """One ``python -m xlcrm report`` run into an emptied ``out``: wall time, exit code, CPU time,
    peak memory (sampled), files written."""
    shutil.rmtree(out, ignore_errors=True)
    cmd = [
        sys.executable,
        "-m",
        "xlcrm",
        "report",
        str(input_path),
        *args,
        "--as-of",
        AS_OF.isoformat(),
        "-o",
        str(out),
        "--force",
    ]
    env = {**os.environ, "CI": "1"}  # no progress bar even when run from a terminal
    with tempfile.TemporaryFile() as stdout, tempfile.TemporaryFile() as stderr:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=stdout, stderr=stderr, cwd=REPO_DIR, env=env)
        main_hwm, worker_hwm, pss_sum, workers = 0, 0, 0, set()
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                seconds = time.perf_counter() - t0
                break
            main_hwm = max(main_hwm, _status_kib(proc.pid, "VmHWM:"))
            kids = _children(proc.pid)
            workers.update(kids)
            for kid in kids:
                worker_hwm = max(worker_hwm, _status_kib(kid, "VmHWM:"))
            pss_sum = max(pss_sum, _pss_kib(proc.pid) + sum(_pss_kib(k) for k in kids))
            time.sleep(SAMPLE_INTERVAL)
        proc.returncode = os.waitstatus_to_exitcode(status)
        stderr.seek(0)
        err = stderr.read().decode(errors="replace")
    md = sorted(out.glob("*.md"))
    docx = sorted(out.glob("*.docx"))
    result = {
        "seconds": seconds,
        "exit": proc.returncode,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "main_peak_kib": main_hwm,
        "worker_peak_kib": worker_hwm,
        "pss_peak_kib": pss_sum,
        "workers_seen": len(workers),
        "md": len(md),
        "docx": len(docx),
        "reports": max(len(md), len(docx)),
    }
    if proc.returncode != 0:
        result["stderr"] = err[-2000:]
    return result


def serial_part(input_path: Path, kind: str, by_manager: bool) -> dict[str, float]:
    """Seconds of what the main process does before rendering, in this (warm) process, step by step
    as ``xlcrm.reporting.run`` does them (garbage collector paused the same way)."""
    from xlcrm.derive import derive
    from xlcrm.reporting.consolidate import consolidate
    from xlcrm.reporting.jobs import campaign_reports, monthly_reports
    from xlcrm.reporting.options import parse_period
    from xlcrm.reporting.run import _collector_paused

    t0 = time.perf_counter()
    with _collector_paused():
        merged = consolidate([input_path], AS_OF)
    t1 = time.perf_counter()
    with _collector_paused():
        derived = derive(merged.book, merged.config, AS_OF)
        t2 = time.perf_counter()
        if kind == "campaign":
            reports = campaign_reports(derived, AS_OF, include_all=True, config=merged.config)
        else:
            period = parse_period(MONTHLY_PERIOD, AS_OF)
            reports = monthly_reports(
                derived, period, AS_OF, by_manager, lambda day: derive(merged.book, merged.config, day)
            )
    t3 = time.perf_counter()
    return {
        "consolidate_s": t1 - t0,
        "derive_s": t2 - t1,
        "contexts_s": t3 - t2,
        "serial_s": t3 - t0,
        "reports": len(reports),
        "workbooks": len(merged.sources),
        "conflicts": len(merged.conflicts),
    }


def startup_seconds(repeat: int = 3) -> float:
    """Best wall time of a fresh interpreter importing what ``xlcrm report`` imports."""
    cmd = [sys.executable, "-c", "import xlcrm.cli, xlcrm.commands, xlcrm.reporting.run"]
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run(cmd, cwd=REPO_DIR, check=True)
        times.append(time.perf_counter() - t0)
    return min(times)


def run(repeat: int = 2, only: str | None = None) -> dict[str, Any]:
    from common import book_path, monthly_folder
    from make_workbooks import build_report_inputs

    book, folder = book_path(REPORT_BOOK), monthly_folder()
    if not book.exists() or only != "campaign":  # the campaign runs need only the 2,000-customer book
        book, folder = build_report_inputs()
    plan = [s for s in scenarios(book, folder) if only is None or s["name"].startswith(only)]
    runs: dict[str, list[dict[str, Any]]] = {s["name"]: [] for s in plan}
    tmp = Path(tempfile.mkdtemp(prefix="xlcrm-bench-report-"))
    try:
        for round_no in range(1, repeat + 1):
            for s in plan:
                r = run_cli(s["input"], s["args"], tmp / s["name"])
                runs[s["name"]].append(r)
                print(
                    f"[report] round {round_no} {s['name']}: {r['seconds']:.2f}s exit {r['exit']} "
                    f"{r['reports']} reports ({r['md']} md + {r['docx']} docx), cpu {r['cpu_s']:.1f}s, "
                    f"peak RSS main {r['main_peak_kib'] / 1024:.0f} MiB / worker {r['worker_peak_kib'] / 1024:.0f} MiB",
                    flush=True,
                )
                if r["exit"] != 0:
                    raise SystemExit(f"{s['name']} exited {r['exit']}:\n{r.get('stderr', '')}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    results: dict[str, Any] = {"scenarios": []}
    serial_cache: dict[tuple[str, str, bool], dict[str, float]] = {}
    for s in plan:
        best = min(runs[s["name"]], key=lambda r: r["seconds"])
        kind = s["args"][s["args"].index("--kind") + 1]
        by_manager = "--by" in s["args"]
        key = (str(s["input"]), kind, by_manager)
        if key not in serial_cache:
            serial_cache[key] = serial_part(s["input"], kind, by_manager)
        results["scenarios"].append(
            {
                "name": s["name"],
                "input": s["input"].name,
                "args": s["args"],
                "jobs": s["jobs"],
                "best": best,
                "runs_s": [r["seconds"] for r in runs[s["name"]]],
                "per_report_s": best["seconds"] / max(best["reports"], 1),
                "serial": serial_cache[key],
            }
        )
    results["startup_s"] = startup = startup_seconds()
    by_name = {s["name"]: s for s in results["scenarios"]}
    pairs = [p for p in ("campaign", "monthly-by-manager") if f"{p}-jobs1" in by_name and f"{p}-jobs2" in by_name]
    for pair in pairs:
        j1, j2 = by_name[f"{pair}-jobs1"], by_name[f"{pair}-jobs2"]
        serial = startup + j1["serial"]["serial_s"]
        render_j1 = j1["best"]["seconds"] - serial  # rendering (and exit), sequential
        results[f"speedup_{pair}"] = {
            "jobs1_s": j1["best"]["seconds"],
            "jobs2_s": j2["best"]["seconds"],
            "speedup": j1["best"]["seconds"] / j2["best"]["seconds"],
            "serial_s": serial,
            "render_jobs1_s": render_j1,
            "ideal_jobs2_s": serial + render_j1 / 2,
        }
    if "monthly-team" in by_name:
        results["workbooks_in_folder"] = by_name["monthly-team"]["serial"]["workbooks"]
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    name = "report.json" if only is None else f"report-{only}.json"
    (WORK_DIR / name).write_text(json.dumps(results, indent=1, ensure_ascii=False))
    for pair in pairs:
        sp = results[f"speedup_{pair}"]
        print(
            f"[report] {pair}: jobs 1 {sp['jobs1_s']:.2f}s, jobs 2 {sp['jobs2_s']:.2f}s, speed-up "
            f"{sp['speedup']:.2f}x (ideal with 2 workers ≈ {sp['ideal_jobs2_s']:.2f}s)",
            flush=True,
        )
    return results


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=2, help="rounds; the best of them is kept (default 2)")
    ap.add_argument("--only", choices=["campaign", "monthly"], help="run only the campaign or the monthly scenarios")
    args = ap.parse_args()
    run(args.repeat, args.only)


if __name__ == "__main__":
    main()
