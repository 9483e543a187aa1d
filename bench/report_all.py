"""``python -m xlcrm`` with ``report --all`` (review every campaign, finished or not), for the
benchmark while the command line does not offer ``--all`` yet; other arguments pass through."""

from __future__ import annotations

import argparse
import sys
from datetime import date

from xlcrm.reporting import command

_run_report = command.run_report


def _run_report_all(args: argparse.Namespace, as_of: date) -> int:
    args.all = True
    return _run_report(args, as_of)


if __name__ == "__main__":
    command.run_report = _run_report_all  # cli imports run_report when the command runs
    from xlcrm.cli import main

    raise SystemExit(main([a for a in sys.argv[1:] if a != "--all"]))
