"""argparse in Chinese: its headings, built-in help and usage errors, and defaults shown in ``--help``.

argparse looks its texts up through the module-level ``_`` and ``ngettext`` (gettext) at the moment
it builds or prints them; ``chinese_argparse()`` swaps those two for a lookup in ``ZH`` while the
command line is parsed, so no English fragment reaches a staff member's terminal.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterator
from contextlib import contextmanager

from .i18n import lang, tr

# argparse's message ids (Python 3.10–3.13) and their Chinese text; placeholders are kept as they are
ZH: dict[str, str] = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "optional arguments": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "show program's version number and exit": "显示版本号并退出",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "one of the arguments %s is required": "参数 %s 中必须给出一个",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的取值 %(value)r（可选：%(choices)s）",
    "invalid choice: %(value)r, maximum %(max)s": "无效的取值 %(value)r",
    "invalid %(type)s value: %(value)r": "无效的值 %(value)r",
    "expected one argument": "后面需要跟一个值",
    "expected at most one argument": "后面最多跟一个值",
    "expected at least one argument": "后面至少跟一个值",
    "expected %s argument": "后面需要跟 %s 个值",
    "expected %s arguments": "后面需要跟 %s 个值",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "ignored explicit argument %r": "多余的值 %r",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 有歧义，可能是：%(matches)s",
    "unexpected option string: %s": "意外的选项：%s",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "未知的子命令 %(parser_name)r（可选：%(choices)s）",
    "can't open '%(filename)s': %(error)s": "无法打开“%(filename)s”：%(error)s",
}


def _zh(message: str) -> str:
    return ZH.get(message, message)


def _zh_plural(singular: str, plural: str, n: int) -> str:
    return _zh(singular if n == 1 else plural)


@contextmanager
def chinese_argparse() -> Iterator[None]:
    """While active (and the display language is Chinese), argparse speaks Chinese."""
    if lang() == "en":
        yield
        return
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._, argparse.ngettext = _zh, _zh_plural  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


class DefaultsHelpFormatter(argparse.HelpFormatter):
    """Shows each option's default in ``--help`` (in the display language), unless the help says it."""

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        default = action.default
        shown = default not in (None, False, argparse.SUPPRESS) and not isinstance(default, list)
        if shown and action.option_strings and "默认" not in text and "default" not in text:
            text += tr("（默认：%(default)s）", " (default: %(default)s)")
        return text

    def format_help(self) -> str:
        text = super().format_help()
        if lang() == "en":
            return text
        # argparse ends each section heading with an ASCII colon; a Chinese heading takes a full-width one
        return re.sub(r"^([^\s][^\n]*[\u4e00-\u9fff]):$", r"\1：", text, flags=re.MULTILINE)
