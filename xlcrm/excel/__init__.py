"""Live in Excel (SPEC §10): validate, enrich and the agenda on a workbook open in Excel, through
the open-source part of xlwings (``pip install "xlcrm[excel]"``).

This package is the only part of xlcrm that imports xlwings, and only inside functions, so
``import xlcrm.excel`` works without it. The adapter translates between Excel ranges and the
library's neutral workbook and cell updates; every rule runs in the same core as the CLI.

Buttons call ``validate_active()``, ``enrich_active()`` or ``agenda_active()`` through
``RunPython "import xlcrm.excel; xlcrm.excel.validate_active()"`` (see docs/excel.md).
"""

from __future__ import annotations


def validate_active() -> str:
    """Check the workbook the button is in: marks on problem cells and a 校验结果 sheet."""
    from .buttons import validate_active as run

    return run()


def enrich_active() -> str:
    """Fill the IDs and computed columns of the workbook the button is in (not saved)."""
    from .buttons import enrich_active as run

    return run()


def agenda_active() -> str:
    """Write the 今日待办 sheet of the workbook the button is in."""
    from .buttons import agenda_active as run

    return run()


__all__ = ["agenda_active", "enrich_active", "validate_active"]
