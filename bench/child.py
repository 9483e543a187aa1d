"""One measured operation in a fresh interpreter, for peak memory: ``python bench/child.py TASK PATH``.

Prints one JSON line: ``seconds`` (wall time of the operation, imports excluded), ``base_kib``
(peak RSS after imports, before the operation), ``peak_kib`` (peak RSS at the end) and, for
``validate-tracemalloc``, ``tracemalloc_peak`` in bytes.

An optional third argument is the as-of date (default the benchmarks' fixed date).

Tasks: validate, validate-tracemalloc, calamine, frictionless, enrich, annotate (validate and
write the annotated copy, as ``validate --annotate`` does), openpyxl, and
cli-validate (``xlcrm validate PATH --format json`` run in this process, output discarded; its
``base_kib`` is the bare interpreter, its ``seconds`` include the CLI's imports).
"""

from __future__ import annotations

import json
import resource
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import AS_OF  # noqa: E402


def _rss_kib() -> int:
    """Peak RSS of this process so far, KiB. Linux' ``VmHWM`` belongs to this process image;
    ``ru_maxrss`` is not used where VmHWM exists because Linux carries it over from the parent
    across fork + exec, so a child of a big benchmark process would report the parent's peak."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def main() -> None:
    task, path = sys.argv[1], Path(sys.argv[2])
    as_of = date.fromisoformat(sys.argv[3]) if len(sys.argv) > 3 else AS_OF
    result: dict[str, object] = {"task": task, "book": path.name}
    tmp = Path(tempfile.mkdtemp(prefix="xlcrm-bench-"))
    try:
        if task in ("validate", "validate-tracemalloc"):
            from xlcrm.validation import validate_file

            def op() -> None:
                validate_file(path, as_of)
        elif task == "calamine":
            from bench_validate import calamine_read as op_read

            def op() -> None:
                op_read(path)
        elif task == "frictionless":
            from bench_validate import frictionless_validate

            def op() -> None:
                report = frictionless_validate(path)
                result["frictionless"] = report
        elif task == "enrich":
            from xlcrm.allocator import single_arena
            from xlcrm.enrichment import enrich_workbook

            single_arena()  # as the command line does

            copy = tmp / path.name
            shutil.copyfile(path, copy)

            def op() -> None:
                enrich_workbook(copy, as_of, backup=False)
        elif task == "annotate":
            from xlcrm.allocator import single_arena
            from xlcrm.validation import validate_file
            from xlcrm.writing.annotate import write_annotated

            single_arena()  # as the command line does

            def op() -> None:
                write_annotated(path, validate_file(path, as_of), tmp / "annotated.xlsx")
        elif task == "openpyxl":
            from bench_enrich import openpyxl_load_save

            def op() -> None:
                openpyxl_load_save(path, tmp / "saved.xlsx")
        elif task == "cli-validate":
            import contextlib
            import io
            import runpy

            def op() -> None:
                sys.argv = ["xlcrm", "validate", str(path), "--as-of", AS_OF.isoformat(), "--format", "json"]
                with contextlib.redirect_stdout(io.StringIO()):
                    try:
                        runpy.run_module("xlcrm", run_name="__main__", alter_sys=True)
                    except SystemExit as exc:
                        result["exit"] = exc.code
        else:
            raise SystemExit(f"unknown task {task}")

        result["base_kib"] = _rss_kib()
        if task == "validate-tracemalloc":
            import tracemalloc

            tracemalloc.start()
            t0 = time.perf_counter()
            op()
            result["seconds"] = time.perf_counter() - t0
            result["tracemalloc_peak"] = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        else:
            t0 = time.perf_counter()
            op()
            result["seconds"] = time.perf_counter() - t0
        result["peak_kib"] = _rss_kib()
        if task in ("enrich", "annotate"):
            from xlcrm.writing import patcher

            # memory of its own of the forked helper that patched the largest sheet (0: none ran)
            result["helper_private_kib"] = patcher.last_helper_private_kib
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
