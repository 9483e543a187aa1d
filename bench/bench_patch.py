"""Benchmark the patching writer: ``enrich`` and ``validate --annotate``.

* ``sample_10000_asof_2025-06-30``: ``xlcrm init --sample 10000 --seed 1 --as-of 2025-06-30``.
  enrich (as of 2025-06-30, on a fresh copy each run) vs openpyxl's bare ``load_workbook`` +
  ``save`` of the same book (target: enrich ≥ 7× faster) and vs python-calamine's bare read (open +
  ``to_python()`` of every sheet); peak RSS of enrich in a fresh process (target ≤ 400 MB), and
  the sampled peak of the whole job (that process + its forked helpers' own memory).
* ``styled_1m``: the 200-customer sample (as of 2026-11-20) whose 客户信息 sheet carries a fill
  on columns A–H of every row down to row 1,048,576 (as when a person formats whole columns by
  selecting them down to the bottom), 200 data rows. enrich and ``validate --annotate`` (validate
  + write the annotated copy), each in a fresh process: time and peak RSS (targets ≤ 5 s, ≤ 300 MB).

Run from the repo root: ``python bench/bench_patch.py [--repeat N]``; raw figures go to
``bench/_work/patch.json``. Building the inputs the first time takes a few minutes (openpyxl writes
the 10,000-customer sample).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import REPO_DIR, WORK_DIR, best_of, run_child  # noqa: E402

BIG = WORK_DIR / "sample_10000_asof_2025-06-30.xlsx"
BIG_AS_OF = date(2025, 6, 30)
STYLED = WORK_DIR / "styled_1m.xlsx"
STYLED_AS_OF = date(2026, 11, 20)
LAST_ROW = 1_048_576
STYLED_COLUMNS = "ABCDEFGH"


def _init(path: Path, n: int, as_of: date) -> None:
    cmd = [
        sys.executable,
        "-m",
        "xlcrm",
        "init",
        str(path),
        "--sample",
        str(n),
        "--seed",
        "1",
        "--as-of",
        as_of.isoformat(),
        "--force",
    ]
    subprocess.run(cmd, cwd=REPO_DIR, check=True, stdout=subprocess.DEVNULL)


def build_styled(path: Path) -> None:
    """The 200-customer sample with 客户信息 formatted (a fill on A–H) down to the last row."""
    base = path.with_name("styled_base.xlsx")
    _init(base, 200, STYLED_AS_OF)
    with zipfile.ZipFile(base) as zf:
        infos = zf.infolist()
        styles = zf.read("xl/styles.xml")
        sheet = zf.read("xl/worksheets/sheet1.xml")
        others = {i.filename: zf.read(i.filename) for i in infos}
    # a new xf with a light fill for the formatted area
    fills = re.search(rb'<fills count="(\d+)">', styles)
    xfs = re.search(rb'<cellXfs count="(\d+)">', styles)
    assert fills and xfs
    fill_id, xf_id = int(fills.group(1)), int(xfs.group(1))
    styles = styles.replace(fills.group(0), b'<fills count="%d">' % (fill_id + 1)).replace(
        b"</fills>",
        b'<fill><patternFill patternType="solid"><fgColor rgb="FFF2F2F2"/><bgColor indexed="64"/>'
        b"</patternFill></fill></fills>",
    )
    styles = styles.replace(xfs.group(0), b'<cellXfs count="%d">' % (xf_id + 1)).replace(
        b"</cellXfs>", b'<xf numFmtId="0" fontId="0" fillId="%d" borderId="0" applyFill="1"/></cellXfs>' % fill_id
    )
    last = max(int(r) for r in re.findall(rb'<row r="(\d+)"', sheet))
    head, tail = sheet.split(b"</sheetData>")
    head = re.sub(
        rb'<dimension ref="([A-Z]+)1:([A-Z]+)\d+"/>',
        lambda m: b'<dimension ref="A1:%s%d"/>' % (m.group(2), LAST_ROW),
        head,
    )
    others["xl/styles.xml"] = styles
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in infos:
            if info.filename != "xl/worksheets/sheet1.xml":
                out.writestr(info.filename, others[info.filename])
                continue
            with out.open(info.filename, "w", force_zip64=True) as fh:
                fh.write(head)
                for start in range(last + 1, LAST_ROW + 1, 10_000):
                    rows = []
                    for r in range(start, min(start + 10_000, LAST_ROW + 1)):
                        cells = "".join(f'<c r="{c}{r}" s="{xf_id}"/>' for c in STYLED_COLUMNS)
                        rows.append(f'<row r="{r}" spans="1:8" s="{xf_id}" customFormat="1">{cells}</row>')
                    fh.write("".join(rows).encode())
                fh.write(b"</sheetData>" + tail)
    base.unlink()


def ensure_books() -> None:
    WORK_DIR.mkdir(exist_ok=True)
    if not BIG.exists():
        _init(BIG, 10_000, BIG_AS_OF)
    if not STYLED.exists():
        build_styled(STYLED)


def sheet_rows(path: Path) -> dict[str, int]:
    """Rows per worksheet part, from each part's ``<dimension>`` (the book's shape, so figures from
    books built by different versions of the sample generator are not compared by mistake)."""
    out: dict[str, int] = {}
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            if name.startswith("xl/worksheets/sheet") and name.endswith(".xml"):
                with zf.open(name) as fh:
                    m = re.search(rb'<dimension ref="[A-Z]+\d+:[A-Z]+(\d+)"', fh.read(4096))
                out[name.rsplit("/", 1)[-1]] = int(m.group(1)) if m else 0
    return out


def _enrich(copy: Path, as_of: date) -> Any:
    from xlcrm.enrichment import enrich_workbook

    return enrich_workbook(copy, as_of, backup=False)


def run(repeat: int) -> dict[str, Any]:
    from bench_enrich import openpyxl_load_save
    from bench_validate import calamine_read

    from xlcrm.allocator import single_arena

    single_arena()  # as the command line does (the references are single-threaded: no effect on them)
    ensure_books()
    tmp = Path(tempfile.mkdtemp(prefix="xlcrm-bench-"))
    out: dict[str, Any] = {
        "big": BIG.name,
        "big_bytes": BIG.stat().st_size,
        "big_rows": sheet_rows(BIG),
        "styled": STYLED.name,
        "styled_bytes": STYLED.stat().st_size,
    }
    try:
        copy = tmp / BIG.name
        out["enrich_s"], out["enrich_runs"] = best_of(
            lambda: _enrich(copy, BIG_AS_OF), repeat, setup=lambda: shutil.copyfile(BIG, copy)
        )
        out["calamine_s"], out["calamine_runs"] = best_of(lambda: calamine_read(BIG), repeat)
        out["openpyxl_s"], out["openpyxl_runs"] = best_of(lambda: openpyxl_load_save(BIG, tmp / "saved.xlsx"), 1)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    out["speedup_vs_openpyxl"] = out["openpyxl_s"] / out["enrich_s"]
    out["ratio_vs_calamine"] = out["enrich_s"] / out["calamine_s"]
    out["child_enrich_big"] = run_child("enrich", str(BIG), BIG_AS_OF.isoformat(), tree=True)
    out["child_enrich_styled"] = run_child("enrich", str(STYLED), STYLED_AS_OF.isoformat())
    out["child_annotate_styled"] = run_child("annotate", str(STYLED), STYLED_AS_OF.isoformat())
    (WORK_DIR / "patch.json").write_text(json.dumps(out, indent=1), encoding="utf-8")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    r = run(args.repeat)
    mib = 1024
    print(f"[patch] {r['big']}: {r['big_bytes'] / 1e6:.1f} MB, rows per sheet part {r['big_rows']}")
    print(
        f"[patch] 10k enrich {r['enrich_s']:.2f}s, openpyxl load+save {r['openpyxl_s']:.2f}s "
        f"({r['speedup_vs_openpyxl']:.1f}x faster), calamine read {r['calamine_s']:.2f}s "
        f"({r['ratio_vs_calamine']:.2f}x); peak RSS {r['child_enrich_big']['peak_kib'] / mib:.0f} MiB"
        f" + the forked writer's own {r['child_enrich_big'].get('helper_private_kib', 0) / mib:.0f} MiB"
    )
    c = r["child_enrich_big"]
    print(
        f"[patch] 10k enrich, whole job (sampled): {c['tree_peak_kib'] / mib:.0f} MiB ="
        f" {c['tree_peak_main_kib'] / mib:.0f} MiB enrich process + {c['tree_peak_helpers_kib'] / mib:.0f} MiB"
        " its helpers' own at that moment"
    )
    for key in ("child_enrich_styled", "child_annotate_styled"):
        c = r[key]
        print(f"[patch] styled_1m {c['task']}: {c['seconds']:.2f}s, peak RSS {c['peak_kib'] / mib:.0f} MiB")


if __name__ == "__main__":
    main()
