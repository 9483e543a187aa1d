"""Why a live-Excel command cannot run: each a Chinese message that says what to do instead."""

from __future__ import annotations

from ..errors import XlcrmError


class LiveExcelError(XlcrmError):
    """Base of the failures of ``--live`` and the Excel buttons (exit code 2)."""

    zh = "无法在 Excel 中直接处理：{detail}"
    en = "Cannot work in Excel directly: {detail}"


class XlwingsMissingError(LiveExcelError):
    """xlwings (the optional ``excel`` extra) is not installed."""

    zh = (
        "这台电脑没有安装 Excel 连接组件 xlwings，无法直接处理 Excel 中打开的工作簿。"
        '请运行 pip install "xlcrm[excel]" 安装；或先在 Excel 中保存并关闭 {path}，再去掉 --live 运行。'
    )
    en = (
        "xlwings (the Excel bridge) is not installed, so the open workbook cannot be reached. "
        'Run pip install "xlcrm[excel]", or save and close {path} in Excel and run without --live.'
    )


class NoExcelError(LiveExcelError):
    """No Microsoft Excel on this machine (xlwings reaches Excel on Windows and macOS only)."""

    zh = (
        "这台电脑上没有可连接的 Microsoft Excel（--live 只支持 Windows 和 macOS 上的 Excel）。"
        "请先保存并关闭 {path}，再去掉 --live 运行；WPS 和 LibreOffice 用户请用浏览器上传到团队收件箱（xlcrm serve）。"
    )
    en = (
        "No Microsoft Excel to connect to on this machine (--live works with Excel on Windows and macOS). "
        "Save and close {path} and run without --live; WPS and LibreOffice users can upload to the team inbox (xlcrm serve)."
    )


class ExcelNotRunningError(LiveExcelError):
    """The lock file says the workbook is open, but no Excel is running."""

    zh = (
        "发现 {path} 的锁文件，但 Excel 没有在运行：工作簿可能是被 WPS 或 LibreOffice 打开的，"
        "也可能是 Excel 异常退出后留下的锁文件。xlwings 不支持 WPS：请保存并关闭后去掉 --live 运行，"
        "或用浏览器上传到团队收件箱（xlcrm serve）。"
    )
    en = (
        "{path} has a lock file but Excel is not running: WPS or LibreOffice may have it open, or Excel left "
        "the lock behind. xlwings does not support WPS: save and close it and run without --live, or use the "
        "team inbox (xlcrm serve)."
    )


class NotOpenInExcelError(LiveExcelError):
    """The workbook is not open (no lock file), or Excel does not have it open."""

    zh = "{path} 没有在 Excel 中打开，无需 --live：请直接运行（不加 --live），或先在 Excel 中打开它再加 --live 运行。"
    en = "{path} is not open in Excel; run without --live, or open it in Excel first."


class OpenElsewhereError(LiveExcelError):
    """Excel runs, but another program (WPS, LibreOffice) holds the workbook."""

    zh = (
        "{path} 已被打开，但不是在 Microsoft Excel 中（可能是 WPS 或 LibreOffice）。xlwings 不支持 WPS："
        "请在该程序中保存并关闭工作簿后去掉 --live 运行，或用浏览器上传到团队收件箱（xlcrm serve）。"
    )
    en = (
        "{path} is open, but not in Microsoft Excel (WPS or LibreOffice?). xlwings does not support WPS: save and "
        "close it there and run without --live, or use the team inbox (xlcrm serve)."
    )


class ExcelBusyError(LiveExcelError):
    """Excel refused or failed a request (a cell in edit mode, a dialog open, a protected sheet …)."""

    zh = (
        "Excel 没有响应 xlcrm 的请求（{detail}）。请按 Esc 退出单元格编辑、关闭打开的对话框、"
        "确认工作表未被保护后再试。xlcrm 没有保存工作簿：如需放弃已写入的改动，关闭工作簿时选择“不保存”即可。"
    )
    en = (
        "Excel did not accept xlcrm's request ({detail}). Press Esc to leave cell editing, close any dialog, "
        "make sure the sheet is not protected, and try again. xlcrm did not save the workbook: close it without saving to drop any partial changes."
    )


class NoActiveBookError(LiveExcelError):
    """A button was pressed but no workbook is active."""

    zh = "没有找到当前活动的工作簿。请在 Excel 中打开要处理的工作簿，再点击按钮。"
    en = "No active workbook. Open the workbook in Excel, then press the button."


class AgendaUnavailableError(LiveExcelError):
    """This xlcrm has no agenda (SPEC §8) yet."""

    zh = '当前安装的 xlcrm 版本还没有“今日待办”功能，请升级 xlcrm（pip install -U "xlcrm[excel]"）后再试。'
    en = 'This xlcrm has no agenda yet; upgrade xlcrm (pip install -U "xlcrm[excel]") and try again.'


class StaffSheetNameError(LiveExcelError):
    """A staff sheet carries the name of a sheet xlcrm rewrites (``xlcrm_标注`` visible, or a
    ``今日待办`` that xlcrm did not write)."""

    zh = (
        "工作簿中已有一张名为“{sheet}”的工作表，不是 xlcrm 生成的，继续会覆盖它。"
        "请把这张表改名（如“{sheet}_我的”）后再试。未做任何修改。"
    )
    en = (
        "The workbook has a sheet '{sheet}' that xlcrm did not write; going on would overwrite it. "
        "Rename that sheet and try again. Nothing was changed."
    )
