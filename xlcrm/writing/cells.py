"""Writing one cell value: text is always text (a staff string like ``=cmd|...`` never becomes a formula)."""

from __future__ import annotations

from typing import Any


def set_value(cell: Any, value: Any) -> None:
    """Set ``cell`` to ``value``; openpyxl turns strings starting with ``=`` into formulas, undo that."""
    cell.value = value
    if isinstance(value, str) and cell.data_type == "f":
        cell.data_type = "s"
