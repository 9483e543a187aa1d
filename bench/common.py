"""Shared helpers for the benchmarks: paths, the fixed as-of date, timing, child-process runs and
the machine description. Not part of the package and not a test."""

from __future__ import annotations

import gc
import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from importlib import metadata
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
WORK_DIR = BENCH_DIR / "_work"
AS_OF = date(2026, 11, 20)
SEED = 1

# name -> number of customers; "100k" additionally grows 跟进记录 to FOLLOWUPS_100K rows.
SAMPLE_SIZES: dict[str, int] = {"sample_200": 200, "sample_1000": 1000, "sample_2000": 2000}
BIG_NAME = "followups_100k"
BIG_CUSTOMERS = 2000
FOLLOWUPS_100K = 100_000
ALL_BOOKS = (*SAMPLE_SIZES, BIG_NAME)

# Report benchmark inputs (see make_workbooks.py): one 2,000-customer book with REPORT_CAMPAIGNS
# campaigns, and a folder of MONTHLY_BOOKS submitted workbooks with disjoint IDs.
REPORT_BOOK = "report_2000"
REPORT_CUSTOMERS = 2000
REPORT_CAMPAIGNS = 100
MONTHLY_FOLDER = "monthly_20"
MONTHLY_BOOKS = 20
MONTHLY_CUSTOMERS = 100
MONTHLY_PERIOD = "2026-10"


def book_path(name: str) -> Path:
    return WORK_DIR / f"{name}.xlsx"


def monthly_folder() -> Path:
    return WORK_DIR / MONTHLY_FOLDER


def best_of(fn: Callable[[], Any], repeat: int, setup: Callable[[], Any] | None = None) -> tuple[float, list[float]]:
    """Best wall-clock time of ``repeat`` calls of ``fn`` (``setup`` runs untimed before each)."""
    times = []
    for _ in range(repeat):
        if setup is not None:
            setup()
        gc.collect()
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times), times


def run_child(task: str, *args: str, tree: bool = False) -> dict[str, Any]:
    """Run ``bench/child.py TASK ARGS`` in a fresh interpreter and return its JSON result (which
    includes the child's own peak RSS, ``VmHWM``).

    ``tree=True`` also samples, every ``TREE_INTERVAL`` seconds while it runs, the memory of the
    whole job: the measured process's RSS plus the memory of its own (private, not shared with it)
    of every helper process it has forked at that moment. The largest sum is ``tree_peak_kib``
    (with its parts ``tree_peak_main_kib`` and ``tree_peak_helpers_kib``): what the machine needs,
    where VmHWM counts the measured process alone. Sampling can miss a short spike, never add one."""
    cmd = [sys.executable, str(BENCH_DIR / "child.py"), task, *args]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=REPO_DIR)
    peak = (0, 0, 0)
    if tree:
        while proc.poll() is None:
            main = _smaps_kib(proc.pid).get("Rss", 0)
            helpers = sum(_private_kib(pid) for pid in _children(proc.pid))
            if main + helpers > peak[0]:
                peak = (main + helpers, main, helpers)
            time.sleep(TREE_INTERVAL)
    out, err = proc.communicate()
    if proc.returncode != 0:
        raise RuntimeError(f"child {task} failed ({proc.returncode}):\n{err.decode(errors='replace')}")
    result = json.loads(out.decode().strip().splitlines()[-1])
    if tree:
        result["tree_peak_kib"], result["tree_peak_main_kib"], result["tree_peak_helpers_kib"] = peak
    return result


TREE_INTERVAL = 0.01


def _smaps_kib(pid: int) -> dict[str, int]:
    """The totals of ``/proc/PID/smaps_rollup`` (KiB); empty once the process is gone."""
    out: dict[str, int] = {}
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as fh:
            for line in fh:
                key, _, rest = line.partition(":")
                if rest.strip().endswith("kB"):
                    out[key] = int(rest.split()[0])
    except (OSError, ValueError):
        return {}
    return out


def _private_kib(pid: int) -> int:
    kib = _smaps_kib(pid)
    return kib.get("Private_Clean", 0) + kib.get("Private_Dirty", 0)


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as fh:
            return [int(p) for p in fh.read().split()]
    except (OSError, ValueError):
        return []


def run_timed_command(cmd: list[str]) -> tuple[float, int]:
    """Wall time (interpreter start included) and exit code of one command run to completion.
    (No RSS here: ``ru_maxrss`` of a child includes its parent's peak on Linux, see child.py.)"""
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=REPO_DIR)
    return time.perf_counter() - t0, proc.returncode


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _ram_gib() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.0f} GiB"
    except OSError:
        pass
    return "unknown"


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def _git_commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO_DIR, capture_output=True, text=True, check=True
        )
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no", "--", "xlcrm"],
            cwd=REPO_DIR,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        return out.stdout.strip() + (" (+ uncommitted changes in xlcrm/)" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def machine() -> dict[str, str]:
    """A generic description of the machine and software (no host names or paths)."""
    return {
        "CPU": f"{_cpu_model()} ({os.cpu_count()} logical cores visible)",
        "RAM": _ram_gib(),
        "OS": f"{platform.system()} {platform.release().split('-')[0]} ({platform.machine()})",
        "Python": f"{platform.python_implementation()} {platform.python_version()}",
        "xlcrm": f"{_version('xlcrm')} at commit {_git_commit()}",
        "openpyxl": _version("openpyxl"),
        "python-calamine": _version("python-calamine"),
        "frictionless": _version("frictionless"),
    }


def mib(kib: float) -> str:
    return f"{kib / 1024:.0f} MiB"


def save_results(name: str, results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Write one benchmark's results to ``bench/_work/<name>.json`` (read by run_all.py)."""
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    (WORK_DIR / f"{name}.json").write_text(json.dumps(results, indent=1, ensure_ascii=False))
    return results


def book_main(doc: str, run: Callable[[list[str], int], Any], repeat: int) -> None:
    """Command line of a per-workbook benchmark: ``[--repeat N] [BOOK ...]``, building books first."""
    import argparse

    ap = argparse.ArgumentParser(description=doc.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=repeat)
    ap.add_argument("books", nargs="*", default=list(ALL_BOOKS))
    args = ap.parse_args()
    from make_workbooks import build

    build(names=args.books)
    run(args.books, args.repeat)
