"""Command line: parse options, call one library function, map ``XlcrmError`` to a message and an
exit code (0 success, 1 the data has errors / some inputs failed, 2 unusable input or usage)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from . import i18n
from .allocator import single_arena
from .cli_text import DefaultsHelpFormatter, chinese_argparse
from .errors import UsageError, XlcrmError
from .i18n import tr
from .output import printable, printable_lines


class _Parser(argparse.ArgumentParser):
    """argparse with usage errors as a clean Chinese/English message and exit code 2, defaults in help."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("formatter_class", DefaultsHelpFormatter)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(
            tr(
                "xlcrm：参数错误：{m}（用 --help 查看用法）\n",
                "xlcrm: bad usage: {m} (see --help)\n",
                m=printable_lines(message),
            )
        )
        raise SystemExit(2)


def _whole_number(text: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(tr("“{t}”不是整数", "'{t}' is not a whole number", t=text)) from None


def _key_value(text: str) -> tuple[str, str]:
    """One ``--set KEY=VALUE`` pair (SPEC §4); the key is checked later against the config keys."""
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise argparse.ArgumentTypeError(
            tr("“{t}”应写成 参数=值，如 cadence_days.A=10", "'{t}' must be KEY=VALUE, e.g. cadence_days.A=10", t=text)
        )
    return key.strip(), value.strip()


def _add_common(q: argparse.ArgumentParser, computes: bool) -> None:
    """Options every subcommand takes (``--lang`` also after the subcommand), and ``--set`` where it computes."""
    q.add_argument(
        "--lang",
        choices=["zh", "en"],
        default=argparse.SUPPRESS,
        help=tr("界面语言（默认中文，也可设 XLCRM_LANG=en）", "message language (or XLCRM_LANG=en)"),
    )
    if computes:
        q.add_argument(
            "--set",
            dest="set_pairs",
            type=_key_value,
            action="append",
            default=[],
            metavar="KEY=VALUE",
            help=tr(
                "临时修改一个参数，可重复，如 --set cadence_days.A=10（优先于配置文件和“配置”表）",
                "override one setting, repeatable, e.g. --set cadence_days.A=10 (wins over the config file and sheet)",
            ),
        )


def parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(
            detail=tr("日期“{t}”格式不对，应为 YYYY-MM-DD，如 2024-06-30", "date '{t}' must be YYYY-MM-DD", t=text)
        ) from None


def _as_of(args: argparse.Namespace) -> date:
    if args.as_of:
        return parse_date(args.as_of)
    from .writing.template import today  # imports openpyxl (0.2–0.3 s): only when the clock is read

    return today()


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="xlcrm",
        description=tr(
            "xlcrm：Excel 客户关系维护工具。流程：init 生成标准工作簿 → 员工填写 → validate 提交前校验 → enrich 计算分层/跟进/风险等列 → report 批量生成复盘报告。",
            "xlcrm: Excel-first customer-relationship maintenance. Workflow: init → fill in → validate → enrich → report.",
        ),
    )
    p.add_argument(
        "--lang", choices=["zh", "en"], help=tr("界面语言（默认中文，也可设 XLCRM_LANG=en）", "message language")
    )
    p.add_argument(
        "--version", action="version", version="xlcrm 0.1.0", help=tr("显示版本号并退出", "show the version and exit")
    )
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser, title=tr("命令", "commands"))

    q = sub.add_parser(
        "init",
        help=tr("生成标准工作簿（可带示例数据）", "write the standard workbook"),
        description=tr(
            "生成标准工作簿：五张数据表（带下拉列表、日期格式、冻结表头）、配置和说明。加 --sample N 生成 N 个客户的示例数据。",
            "Write the standard workbook; --sample N adds N realistic sample customers.",
        ),
    )
    q.add_argument("path", type=Path, metavar="PATH", help=tr("输出的 .xlsx 路径", "output .xlsx path"))
    q.add_argument(
        "--sample", type=_whole_number, metavar="N", help=tr("生成 N 个客户的示例数据", "add N sample customers")
    )
    q.add_argument(
        "--seed",
        type=_whole_number,
        default=1,
        metavar="S",
        help=tr("示例数据随机种子（相同种子结果相同）", "sample seed"),
    )
    q.add_argument(
        "--as-of", metavar="YYYY-MM-DD", help=tr("示例数据的统计日（默认今天）", "as-of date for the sample")
    )
    q.add_argument("--force", action="store_true", help=tr("覆盖已存在的文件", "overwrite an existing file"))
    _add_common(q, computes=False)

    q = sub.add_parser(
        "validate",
        help=tr("提交前校验工作簿", "check workbooks before submitting"),
        description=tr(
            "逐个单元格校验工作簿，列出每个问题的位置和中文说明。退出码：0 通过，1 有错误，2 文件无法使用。",
            "Check workbooks; exit 0 clean, 1 errors, 2 unusable input.",
        ),
    )
    q.add_argument("paths", type=Path, nargs="+", metavar="PATH", help=tr("一个或多个 .xlsx", "one or more .xlsx"))
    q.add_argument("--format", choices=["text", "json"], default="text", help=tr("输出格式", "output format"))
    q.add_argument(
        "--annotate",
        type=Path,
        metavar="OUT",
        help=tr(
            "另存一份标注副本：问题单元格标红/黄并加批注，首页为“校验结果”（多个文件时 OUT 为文件夹）",
            "write an annotated copy (a folder when several files are given)",
        ),
    )
    q.add_argument("--as-of", metavar="YYYY-MM-DD", help=tr("统计日（默认今天）", "as-of date (default today)"))
    q.add_argument("--strict", action="store_true", help=tr("警告也视为不通过", "warnings fail too"))
    q.add_argument("--config", type=Path, metavar="F", help=tr("配置文件 xlcrm.toml", "config file"))
    q.add_argument(
        "--live",
        action="store_true",
        help=tr(
            "直接校验 Excel 中打开的这个工作簿：在单元格上标出问题并更新“校验结果”（需 xlcrm[excel]，Windows/macOS 的 Excel）",
            "check the workbook open in Excel and mark it there (needs xlcrm[excel] and Excel)",
        ),
    )
    _add_common(q, computes=True)

    q = sub.add_parser(
        "enrich",
        help=tr("填写计算列（分层、RFM、跟进、风险、时效等）", "fill the computed columns"),
        description=tr(
            "补全空白编号并计算全部自动列。默认原地修改：先备份、写临时文件后替换；工作簿在 Excel/WPS/LibreOffice 中打开时拒绝执行。",
            "Fill blank IDs and every computed column, in place with a backup by default.",
        ),
    )
    q.add_argument("path", type=Path, metavar="PATH", help=tr("工作簿 .xlsx", "workbook .xlsx"))
    q.add_argument(
        "-o", "--output", type=Path, metavar="OUT", help=tr("另存到新文件（不修改原文件）", "write to a new file")
    )
    q.add_argument("--as-of", metavar="YYYY-MM-DD", help=tr("统计日（默认今天）", "as-of date (default today)"))
    q.add_argument("--config", type=Path, metavar="F", help=tr("配置文件 xlcrm.toml", "config file"))
    q.add_argument("--no-backup", action="store_true", help=tr("不生成备份", "skip the backup"))
    q.add_argument(
        "--live",
        action="store_true",
        help=tr(
            "直接在 Excel 中打开的这个工作簿里计算，由您检查后保存（需 xlcrm[excel]，Windows/macOS 的 Excel）",
            "enrich the workbook open in Excel; you save it (needs xlcrm[excel] and Excel)",
        ),
    )
    _add_common(q, computes=True)

    q = sub.add_parser(
        "report",
        help=tr("批量生成复盘报告（Word/Markdown）", "generate review reports"),
        description=tr(
            "汇总一个或多个工作簿（或文件夹），生成活动复盘或月度复盘报告。",
            "Consolidate workbooks and write campaign or monthly reviews.",
        ),
    )
    q.add_argument("paths", type=Path, nargs="+", metavar="PATH", help=tr("工作簿或文件夹", "workbooks or folders"))
    q.add_argument("--kind", choices=["campaign", "monthly"], required=True, help=tr("报告类型", "report kind"))
    q.add_argument("--campaign", metavar="ID", help=tr("只生成该活动", "only this campaign"))
    q.add_argument(
        "--period", metavar="YYYY-MM", help=tr("月度复盘的月份（默认统计日所在月）", "month for monthly reviews")
    )
    q.add_argument("--by", choices=["manager"], help=tr("按客户经理分别生成", "one report per manager"))
    q.add_argument("--format", default="md,docx", help=tr("md、docx 或 md,docx", "md, docx or md,docx"))
    q.add_argument(
        "-o", "--output", type=Path, default=Path("reports"), metavar="DIR", help=tr("输出文件夹", "output folder")
    )
    q.add_argument("--as-of", metavar="YYYY-MM-DD", help=tr("统计日（默认今天）", "as-of date (default today)"))
    q.add_argument("--template-dir", type=Path, metavar="DIR", help=tr("自定义模板文件夹", "custom templates"))
    q.add_argument("--jobs", type=_whole_number, default=1, metavar="N", help=tr("并行进程数", "worker processes"))
    q.add_argument(
        "--on-conflict",
        choices=["first", "last"],
        help=tr("多个工作簿编号冲突时取第一个/最后一个", "resolve ID conflicts"),
    )
    q.add_argument(
        "--all",
        action="store_true",
        help=tr(
            "活动复盘也包括未开始、进行中的活动（带“中期数据”提示，不作结论）；默认只复盘待复盘和已复盘的活动",
            "also review campaigns not started or running (marked as interim, no verdict)",
        ),
    )
    q.add_argument("--config", type=Path, metavar="F", help=tr("配置文件 xlcrm.toml", "config file"))
    q.add_argument("--force", action="store_true", help=tr("覆盖已存在的报告", "overwrite existing reports"))
    _add_common(q, computes=True)

    q = sub.add_parser(
        "agenda",
        help=tr("今日待办：每个人接下来该做什么", "what each person should do next"),
        description=tr(
            "从一个或多个工作簿（或文件夹）列出每个人的待办：逾期未跟进、今日及近期到期、深度沟通到期、待办下一步、反馈将超时/已超时、活动任务、待复盘活动。",
            "Per person: overdue and due follow-ups, deep contacts, next actions, feedback near its deadline, tasks, reviews.",
        ),
    )
    q.add_argument("paths", type=Path, nargs="+", metavar="PATH", help=tr("工作簿或文件夹", "workbooks or folders"))
    q.add_argument("--as-of", metavar="YYYY-MM-DD", help=tr("统计日（默认今天）", "as-of date (default today)"))
    q.add_argument(
        "--days",
        type=int,
        metavar="N",
        help=tr("向后看的天数（默认取配置 agenda_days，即 7）", "days to look ahead (config agenda_days, default 7)"),
    )
    q.add_argument("--by", choices=["manager"], help=tr("每人一个文件", "one file per person"))
    q.add_argument(
        "--format",
        default="text",
        help=tr("text、md、json、xlsx，或组合如 md,xlsx（默认 text）", "text, md, json, xlsx or e.g. md,xlsx"),
    )
    q.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="OUT",
        help=tr("输出文件或文件夹（不指定时 text/md/json 打印到屏幕，其余写入 agenda/）", "output file or folder"),
    )
    q.add_argument("--config", type=Path, metavar="F", help=tr("配置文件 xlcrm.toml", "config file"))
    _add_common(q, computes=True)

    from .server.command import add_parsers as add_server_parsers  # serve / user (SPEC §9); Django loads only when run

    add_server_parsers(sub)
    return p


def _run(args: argparse.Namespace) -> int:  # noqa: C901 - one branch per command
    args.overrides = dict(getattr(args, "set_pairs", None) or [])  # later --set of the same key wins
    if args.command not in ("serve", "user"):  # one job in this process (not the web server's threads)
        single_arena()
    if args.command == "init":
        from .commands import run_init

        return run_init(args.path, args.sample, args.seed, _as_of(args), args.force)
    if args.command == "validate" and args.live:
        from .excel.command import run_live_validate

        return run_live_validate(args, _as_of(args))
    if args.command == "validate":
        from .commands import run_validate

        return run_validate(
            args.paths, _as_of(args), args.format, args.annotate, args.strict, args.config, args.overrides
        )
    if args.command == "enrich" and args.live:
        from .excel.command import run_live_enrich

        return run_live_enrich(args, _as_of(args))
    if args.command == "enrich":
        from .commands import run_enrich

        return run_enrich(args.path, args.output, _as_of(args), args.config, not args.no_backup, args.overrides)
    if args.command == "report":
        from .commands import run_report

        return run_report(
            args.paths,
            _as_of(args),
            kind=args.kind,
            period=args.period,
            campaign=args.campaign,
            by_manager=args.by == "manager",
            all_campaigns=args.all,
            formats=args.format,
            output=args.output,
            jobs=args.jobs,
            config=args.config,
            overrides=args.overrides,
            template_dir=args.template_dir,
            on_conflict=args.on_conflict,
            force=args.force,
        )
    if args.command == "agenda":
        from .agenda.command import run_agenda

        return run_agenda(
            args.paths,
            _as_of(args),
            args.days,
            args.by == "manager",
            args.format,
            args.output,
            args.config,
            args.overrides,
        )
    if args.command in ("serve", "user"):
        from .server.command import run as run_server

        return run_server(args)
    raise UsageError(detail=tr("请指定子命令：init / validate / enrich / report", "choose a command"))


def _lang_in(argv: list[str]) -> str | None:
    """The ``--lang`` value wherever it stands (before or after the subcommand), read before argparse
    renders any help or error; the last one wins, as in argparse."""
    found = None
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(argv):
            found = argv[i + 1]
        elif arg.startswith("--lang="):
            found = arg.partition("=")[2]
    return found if found in ("zh", "en") else None


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    chosen = _lang_in(argv)
    if chosen:
        i18n.set_lang(chosen)
    try:
        with chinese_argparse():
            parser = build_parser()
            args = parser.parse_args(argv)
            if args.command is None:
                parser.print_help()
                return 2
        return _run(args)
    except XlcrmError as exc:
        sys.stderr.write(f"xlcrm: {printable_lines(exc.message)}\n")
        return exc.exit_code
    except KeyboardInterrupt:
        sys.stderr.write(tr("已取消。\n", "Cancelled.\n"))
        return 130
    except Exception as exc:  # a bug or an input no check foresaw: still no traceback for staff
        if os.environ.get("XLCRM_DEBUG"):
            raise
        sys.stderr.write(
            tr(
                "xlcrm 遇到意外错误（{t}: {m}），未修改任何文件。请将此信息和相关文件反馈给维护人员（设置 XLCRM_DEBUG=1 可查看详细信息）。\n",
                "xlcrm hit an unexpected error ({t}: {m}); no file was changed. Please report it (XLCRM_DEBUG=1 shows details).\n",
                t=type(exc).__name__,
                m=printable(str(exc)[:200]),
            )
        )
        return 2


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
