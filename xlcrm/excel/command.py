"""``xlcrm validate PATH --live`` and ``xlcrm enrich PATH --live`` (SPEC §10): the same commands
on the workbook open in Excel, printed like the file commands. The CLI only dispatches here."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any

from ..errors import UsageError
from ..i18n import tr
from ..output import format_json, format_text, use_color, write
from .attach import connected, find_open_book


def _overrides(args: argparse.Namespace) -> dict[str, Any] | None:
    """The ``--set KEY=VALUE`` overrides, in whichever form the CLI parsed them (none without the option)."""
    found = getattr(args, "overrides", None)
    if isinstance(found, dict):
        return found or None
    out: dict[str, Any] = {}
    for pair in getattr(args, "set_pairs", None) or getattr(args, "set", None) or []:
        key, value = pair if isinstance(pair, tuple) else str(pair).partition("=")[::2]
        out[str(key).strip()] = value.strip() if isinstance(value, str) else value
    return out or None


def _refuse(args: argparse.Namespace, options: dict[str, str]) -> None:
    for attr, flag in options.items():
        if getattr(args, attr, None):
            raise UsageError(
                detail=tr(
                    "{f} 不能与 --live 同时使用：--live 直接修改 Excel 中打开的工作簿，由您自己保存",
                    "{f} cannot be combined with --live (the open workbook is changed in Excel; you save it)",
                    f=flag,
                )
            )


def run_live_validate(args: argparse.Namespace, as_of: date) -> int:
    """Validate the open workbook, mark its problem cells and write 校验结果 in Excel."""
    from .live import validate_live

    _refuse(args, {"annotate": "--annotate"})
    if len(args.paths) != 1:
        raise UsageError(detail=tr("--live 一次只能处理一个工作簿", "--live takes one workbook at a time"))
    path = Path(args.paths[0])
    book = find_open_book(path)
    report = connected(lambda: validate_live(book, as_of, args.config, _overrides(args), str(path)))
    strict = bool(getattr(args, "strict", False))
    if args.format == "json":
        write(format_json([report], strict))
    else:
        write(format_text([report], strict, color=use_color(sys.stdout)))
    sys.stderr.write(
        tr(
            "已在 Excel 中标出问题单元格，并更新了首页“校验结果”。工作簿尚未保存，请检查后保存。\n",
            "Problem cells are marked in Excel and the 校验结果 sheet is updated. The workbook is not saved yet.\n",
        )
    )
    return 0 if report.ok(strict) else 1


def run_live_enrich(args: argparse.Namespace, as_of: date) -> int:
    """Enrich the open workbook in Excel; saving is left to the staff member."""
    from ..commands import enrich_summary
    from .live import enrich_live

    _refuse(args, {"output": "-o/--output"})
    book = find_open_book(Path(args.path))
    result = connected(lambda: enrich_live(book, as_of, args.config, _overrides(args), str(args.path)))
    write(enrich_summary(result))
    write(
        tr(
            "  已写入 Excel 中打开的工作簿（{n} 个单元格），尚未保存：请检查后按 Ctrl+S 保存。\n",
            "  Written into the workbook open in Excel ({n} cells), not saved yet: check it and save.\n",
            n=result.cells_written,
        )
    )
    return 0
