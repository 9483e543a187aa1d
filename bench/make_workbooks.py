"""Build the benchmark workbooks into ``bench/_work/`` (git-ignored).

* ``sample_200/1000/2000.xlsx``: ``xlcrm init --sample N --seed 1 --as-of 2026-11-20`` — the
  standard workbook with N sample customers, exactly as a user would get it.
* ``followups_100k.xlsx``: the 2,000-customer sample with 跟进记录 grown to 100,000 rows, written
  by the same standard-workbook writer (same sheets, headers, formats and dropdowns).

The extra follow-ups are copies of generated ones moved to another day of the same customer,
strictly before that customer's latest follow-up and not before its 建档日期, so the book stays
valid (no errors, no warnings) and every customer's latest follow-up is unchanged. Times, the
下一步计划日期 and the 录入日期 move with the row (so 下一步计划日期 ≥ 跟进时间 and 录入日期 ≥
跟进时间 still hold; 录入日期 is capped at the as-of day). Copies never carry an 活动编号 (a
campaign touch only makes sense while the campaign runs). 记录编号 is then renumbered for the whole
sheet, ``GJ`` + yyyymmdd + a 3-digit serial per day, with no day above 999 rows, and 2 % left blank
like the generator does (``id.pending`` infos, which enrich fills).

Run from the repo root: ``python bench/make_workbooks.py [--force]``.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import time
from collections import Counter
from datetime import date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (  # noqa: E402
    AS_OF,
    BIG_CUSTOMERS,
    BIG_NAME,
    FOLLOWUPS_100K,
    REPO_DIR,
    SAMPLE_SIZES,
    SEED,
    WORK_DIR,
    book_path,
)

MAX_PER_DAY = 999
BLANK_ID_SHARE = 0.02


def _sample_book(n: int, path: Path) -> None:
    cmd = [sys.executable, "-m", "xlcrm", "init", str(path), "--sample", str(n), "--seed", str(SEED),
           "--as-of", AS_OF.isoformat(), "--force"]
    subprocess.run(cmd, cwd=REPO_DIR, check=True, stdout=subprocess.DEVNULL)


def grow_followups(rows: dict[str, list[dict[str, Any]]], target: int, as_of: date, seed: int) -> list[dict[str, Any]]:
    """The 跟进记录 rows grown to ``target`` rows, renumbered (see the module docstring)."""
    rng = random.Random(seed)
    created = {c["customer_id"]: c["created"] for c in rows["customers"] if c.get("customer_id")}
    followups = [{k: v for k, v in r.items() if k != "followup_id"} for r in rows["followups"]]
    latest: dict[str, date] = {}
    for r in followups:
        day = r["at"].date()
        latest[r["customer_id"]] = max(latest.get(r["customer_id"], day), day)
    per_day = Counter(r["at"].date() for r in followups)
    templates = [r for r in followups if "campaign_id" not in r
                 and latest[r["customer_id"]] > created[r["customer_id"]]]
    cap = datetime.combine(as_of, dtime(23, 30))
    extra: list[dict[str, Any]] = []
    while len(followups) + len(extra) < target:
        src = rng.choice(templates)
        cid = src["customer_id"]
        lo, hi = created[cid], latest[cid] - timedelta(days=1)
        day = lo + timedelta(days=rng.randint(0, (hi - lo).days))
        if per_day[day] >= MAX_PER_DAY:
            continue
        per_day[day] += 1
        shift = day - src["at"].date()
        row = dict(src)
        row["at"] = src["at"] + shift
        if "next_action_date" in row:
            row["next_action_date"] = src["next_action_date"] + shift
        if "recorded" in row:
            row["recorded"] = min(src["recorded"] + shift, cap)
        extra.append(row)
    out = sorted(followups + extra, key=lambda r: (r["at"], r["customer_id"]))
    blank = set(rng.sample(range(len(out)), round(BLANK_ID_SHARE * len(out))))
    serials: Counter[str] = Counter()
    numbered = []
    for i, r in enumerate(out):
        if i in blank:
            numbered.append(r)
            continue
        day = r["at"].strftime("%Y%m%d")
        serials[day] += 1
        numbered.append({"followup_id": f"GJ{day}{serials[day]:03d}", **r})
    assert max(serials.values()) <= MAX_PER_DAY
    return numbered


def _big_book(path: Path) -> dict[str, int]:
    from xlcrm.sample import generate_sample
    from xlcrm.writing.template import write_standard_workbook

    rows = generate_sample(BIG_CUSTOMERS, SEED, AS_OF)
    rows["followups"] = grow_followups(rows, FOLLOWUPS_100K, AS_OF, SEED)
    write_standard_workbook(path, rows, force=True)
    return {k: len(v) for k, v in rows.items()}


def build(force: bool = False, names: list[str] | None = None) -> list[Path]:
    """Build the missing workbooks (all of them with ``force``); returns their paths."""
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    built = []
    for name, n in SAMPLE_SIZES.items():
        path = book_path(name)
        if names and name not in names:
            continue
        if force or not path.exists():
            t0 = time.perf_counter()
            _sample_book(n, path)
            print(f"built {path.name} ({n} customers) in {time.perf_counter() - t0:.1f}s", flush=True)
        built.append(path)
    path = book_path(BIG_NAME)
    if not names or BIG_NAME in names:
        if force or not path.exists():
            t0 = time.perf_counter()
            counts = _big_book(path)
            print(f"built {path.name} {counts} in {time.perf_counter() - t0:.1f}s", flush=True)
        built.append(path)
    return built


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--force", action="store_true", help="rebuild even when the files exist")
    ap.add_argument("names", nargs="*", help="only these workbooks (default: all)")
    args = ap.parse_args()
    for p in build(args.force, args.names):
        print(f"{p.name}: {p.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
