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

Inputs of the report benchmark (``bench_report.py``), both enriched once after writing (as a
submitted workbook would be; ``report`` does not need it, it derives everything itself) and
checked to validate with no errors:

* ``report_2000.xlsx``: the 2,000-customer sample (seed 1) with 维护活动 grown from the 80
  generated campaigns to 100. Each extra campaign copies a generated one picked at even spacing
  along the sheet (so the mix of states — not started, running, to review, reviewed — stays the
  same), named ``<name>（第二场）``, with a fresh 活动编号 ``HD`` + year of 开始日期 + the next free
  3-digit serial of that year, and copies of its 活动任务 rows. Every second follow-up and
  feedback row linked to the source campaign is re-linked to the copy, so both reports have data.
* ``monthly_20/team_01..20.xlsx``: twenty submitted team workbooks, ``generate_sample(100,
  seed=i)`` for i = 1..20, whose own IDs are renumbered into disjoint ranges so consolidation
  meets no conflict: 客户编号 keeps its letters and year with serial ``ii`` + a 2-digit counter
  (book ``ii``); 记录编号 / 反馈编号 get serial ``(i - 1) * 49 + n`` for the n-th row of the day;
  活动编号 ``(i - 1) * 40 + n`` for the n-th campaign of the year. Blank own IDs are filled the
  same way (so enrich has none to generate, which could collide across books), and every
  reference (客户编号 / 活动编号 in follow-ups, feedback and tasks) follows its record.

Run from the repo root: ``python bench/make_workbooks.py [--force] [NAME ...]``.
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
    MONTHLY_BOOKS,
    MONTHLY_CUSTOMERS,
    MONTHLY_FOLDER,
    REPO_DIR,
    REPORT_BOOK,
    REPORT_CAMPAIGNS,
    REPORT_CUSTOMERS,
    SAMPLE_SIZES,
    SEED,
    WORK_DIR,
    book_path,
    monthly_folder,
)

MAX_PER_DAY = 999
BLANK_ID_SHARE = 0.02
# serial block per monthly workbook: 20 books x 49 rows a day / 40 campaigns a year fit 3 digits
DAY_BLOCK = 49
YEAR_BLOCK = 40
REPORT_NAMES = (REPORT_BOOK, MONTHLY_FOLDER)


def _sample_book(n: int, path: Path) -> None:
    cmd = [
        sys.executable,
        "-m",
        "xlcrm",
        "init",
        str(path),
        "--sample",
        str(n),
        "--seed",
        str(SEED),
        "--as-of",
        AS_OF.isoformat(),
        "--force",
    ]
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
    templates = [
        r for r in followups if "campaign_id" not in r and latest[r["customer_id"]] > created[r["customer_id"]]
    ]
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


def add_campaigns(rows: dict[str, list[dict[str, Any]]], target: int) -> int:
    """Grow 维护活动 to ``target`` campaigns in place (see the module docstring); returns how many
    were added."""
    campaigns = rows["campaigns"]
    missing = target - len(campaigns)
    if missing <= 0:
        return 0
    last: Counter[str] = Counter()
    for c in campaigns:
        cid = c.get("campaign_id")
        if cid:
            last[cid[2:6]] = max(last[cid[2:6]], int(cid[6:]))
    sources = [campaigns[(k * len(campaigns)) // missing % len(campaigns)] for k in range(missing)]
    added = []
    for src in sources:
        year = f"{src['start'].year:04d}"
        last[year] += 1
        assert last[year] <= 999, year
        new_id = f"HD{year}{last[year]:03d}"
        added.append({**src, "campaign_id": new_id, "name": f"{src['name']}（第二场）"})
        old_id = src.get("campaign_id")
        if not old_id:
            continue
        rows["tasks"] += [{**t, "campaign_id": new_id} for t in rows["tasks"] if t.get("campaign_id") == old_id]
        for sheet in ("followups", "feedback"):
            linked = [r for r in rows[sheet] if r.get("campaign_id") == old_id]
            for r in linked[1::2]:
                r["campaign_id"] = new_id
    campaigns += added
    return len(added)


def _report_book(path: Path) -> dict[str, int]:
    from xlcrm.enrichment import enrich_workbook
    from xlcrm.sample import generate_sample
    from xlcrm.writing.template import write_standard_workbook

    rows = generate_sample(REPORT_CUSTOMERS, SEED, AS_OF)
    add_campaigns(rows, REPORT_CAMPAIGNS)
    write_standard_workbook(path, rows, force=True)
    enrich_workbook(path, AS_OF, backup=False)
    _assert_valid(path)
    return {k: len(v) for k, v in rows.items()}


def _assert_valid(path: Path) -> None:
    from xlcrm.validation import validate_file

    report = validate_file(path, AS_OF)
    if report.errors:
        raise SystemExit(f"{path.name}: {report.errors} validation errors")


def disjoint_sample(book: int) -> dict[str, list[dict[str, Any]]]:
    """``generate_sample(100, seed=book)`` with its own IDs renumbered into the range of ``book``
    (1..20) and every reference updated (see the module docstring)."""
    from xlcrm.derive.ids import customer_prefix
    from xlcrm.sample import generate_sample

    rows = generate_sample(MONTHLY_CUSTOMERS, book, AS_OF)
    customers: dict[str, str] = {}
    counter: Counter[str] = Counter()
    renamed = []
    for c in rows["customers"]:
        old = c.get("customer_id")
        group = old[:-4] if old else f"{customer_prefix(c.get('short_name'), c.get('name'))}{c['created'].year:04d}"
        counter[group] += 1
        assert counter[group] < 100, group
        new = f"{group}{book:02d}{counter[group]:02d}"
        if old:
            customers[old] = new
        renamed.append({"customer_id": new, **{k: v for k, v in c.items() if k != "customer_id"}})
    rows["customers"] = renamed

    campaigns: dict[str, str] = {}
    per_year: Counter[int] = Counter()
    for c in rows["campaigns"]:
        year = c["start"].year
        per_year[year] += 1
        assert per_year[year] <= YEAR_BLOCK, year
        new = f"HD{year:04d}{(book - 1) * YEAR_BLOCK + per_year[year]:03d}"
        if c.get("campaign_id"):
            campaigns[c["campaign_id"]] = new
        c["campaign_id"] = new
    for t in rows["tasks"]:
        t["campaign_id"] = campaigns[t["campaign_id"]]

    for sheet, id_key, prefix, when in (
        ("followups", "followup_id", "GJ", "at"),
        ("feedback", "feedback_id", "FK", "received"),
    ):
        per_day: Counter[date] = Counter()
        renumbered = []
        for r in rows[sheet]:
            day = r[when].date()
            per_day[day] += 1
            assert per_day[day] <= DAY_BLOCK, (sheet, day)
            new_id = f"{prefix}{day:%Y%m%d}{(book - 1) * DAY_BLOCK + per_day[day]:03d}"
            r = {id_key: new_id, **{k: v for k, v in r.items() if k != id_key}}
            if r.get("customer_id"):
                r["customer_id"] = customers[r["customer_id"]]
            if r.get("campaign_id"):
                r["campaign_id"] = campaigns[r["campaign_id"]]
            renumbered.append(r)
        rows[sheet] = renumbered
    return rows


def _monthly_books(folder: Path) -> int:
    from xlcrm.enrichment import enrich_workbook
    from xlcrm.writing.template import write_standard_workbook

    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.xlsx"):
        old.unlink()
    for book in range(1, MONTHLY_BOOKS + 1):
        path = folder / f"team_{book:02d}.xlsx"
        write_standard_workbook(path, disjoint_sample(book), force=True)
        enrich_workbook(path, AS_OF, backup=False)
        _assert_valid(path)
    return MONTHLY_BOOKS


def build_report_inputs(force: bool = False) -> tuple[Path, Path]:
    """Build the report benchmark's inputs if missing (all with ``force``): the 2,000-customer
    book with 100 campaigns and the folder of 20 workbooks."""
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    path, folder = book_path(REPORT_BOOK), monthly_folder()
    if force or not path.exists():
        t0 = time.perf_counter()
        counts = _report_book(path)
        print(f"built {path.name} {counts} in {time.perf_counter() - t0:.1f}s", flush=True)
    if force or len(list(folder.glob("team_*.xlsx"))) != MONTHLY_BOOKS:
        t0 = time.perf_counter()
        n = _monthly_books(folder)
        print(
            f"built {folder.name}/ ({n} workbooks of {MONTHLY_CUSTOMERS} customers) in {time.perf_counter() - t0:.1f}s",
            flush=True,
        )
    return path, folder


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
    books = [n for n in args.names if n not in REPORT_NAMES]
    if books or not args.names:
        for p in build(args.force, books or None):
            print(f"{p.name}: {p.stat().st_size / 1e6:.1f} MB")
    if not args.names or set(args.names) & set(REPORT_NAMES):
        path, folder = build_report_inputs(args.force)
        print(
            f"{path.name}: {path.stat().st_size / 1e6:.1f} MB; {folder.name}/: "
            f"{sum(p.stat().st_size for p in folder.glob('*.xlsx')) / 1e6:.1f} MB"
        )


if __name__ == "__main__":
    main()
