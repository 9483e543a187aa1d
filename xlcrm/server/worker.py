"""The report worker: a separate process started by ``xlcrm serve`` that runs queued report jobs.

A job survives the request that queued it and a restart of the server: it is a row in the
database; a job left running by a worker that died is run again when a worker starts.

    python -m xlcrm.server.worker   (with the XLCRM_* settings in the environment)
"""

from __future__ import annotations

import os
import signal
import sys
import time
from types import FrameType

_stop = False


def _on_signal(signum: int, frame: FrameType | None) -> None:
    global _stop
    _stop = True


def run_pending() -> int:
    """Run every queued job now; returns how many ran (tests and ``serve`` share this)."""
    from .inbox import jobs

    count = 0
    while (job := jobs.claim_next()) is not None:
        jobs.run(job)
        count += 1
    return count


def main(poll_seconds: float = 1.0) -> int:
    """Poll the jobs table until stopped (SIGTERM / SIGINT)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xlcrm.server.settings")
    import django

    django.setup()
    from django.db import close_old_connections

    from .inbox import jobs

    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    jobs.requeue_orphans()
    while not _stop:
        close_old_connections()
        try:
            ran = run_pending()
        except Exception as exc:  # noqa: BLE001 - the database may be briefly unavailable; try again
            sys.stderr.write(f"xlcrm worker: {type(exc).__name__}: {exc}\n")
            ran = 0
        if not ran:
            time.sleep(poll_seconds)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
