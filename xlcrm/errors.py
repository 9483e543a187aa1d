"""Failures that stop a command (as opposed to data problems, which are ``Issue`` values).

Every class carries a Chinese and an English message template that says what happened and what
to do, and the process exit code the CLI maps it to (SPEC §5: 2 for unusable input or usage).
"""

from __future__ import annotations

from .i18n import tr


class XlcrmError(Exception):
    """Base of every failure the CLI turns into a clean message and an exit code."""

    exit_code = 2
    zh = "xlcrm 无法继续：{detail}"
    en = "xlcrm cannot continue: {detail}"

    def __init__(self, **fields: object) -> None:
        self.fields = dict(fields)
        super().__init__(self.message)

    @property
    def message(self) -> str:
        """The message in the current display language."""
        try:
            return tr(self.zh, self.en, **self.fields)
        except (KeyError, IndexError):  # a template placeholder was not supplied
            return tr(self.zh, self.en, **{**self.fields, **_Blank()})


class _Blank(dict):  # type: ignore[type-arg]
    def __missing__(self, key: str) -> str:
        return ""


class UsageError(XlcrmError):
    """A bad option or argument (wrong date format, unknown report kind …)."""

    zh = "参数有误：{detail}"
    en = "Bad usage: {detail}"


class InputFileError(XlcrmError):
    """Base of the cases where an input file cannot be used at all."""

    zh = "无法读取文件 {path}：{detail}"
    en = "Cannot read {path}: {detail}"


class FileMissingError(InputFileError):
    """The path does not exist or is not a file."""

    zh = "找不到文件：{path}。请检查路径和文件名是否正确。"
    en = "File not found: {path}. Check the path and the file name."


class EmptyFileError(InputFileError):
    """The file has zero bytes."""

    zh = "文件是空的（0 字节）：{path}。请确认文件已完整保存或重新导出。"
    en = "The file is empty (0 bytes): {path}. Save or export it again."


class LegacyXlsError(InputFileError):
    """An Excel 97–2003 .xls (OLE2) file."""

    zh = "{path} 是旧版 Excel 97-2003 格式（.xls），xlcrm 只支持 .xlsx。请在 Excel/WPS 中“另存为” Excel 工作簿（*.xlsx）后再试。"
    en = "{path} is a legacy Excel 97-2003 (.xls) file; xlcrm reads .xlsx only. Save it as an Excel Workbook (*.xlsx) and try again."


class CsvFileError(InputFileError):
    """A CSV or other plain-text file instead of a workbook."""

    zh = "{path} 是 CSV/文本文件，不是 Excel 工作簿。请用标准模板（xlcrm init）录入，或在 Excel 中另存为 .xlsx。"
    en = "{path} is a CSV/text file, not an Excel workbook. Use the standard workbook (xlcrm init) or save it as .xlsx."


class EncryptedFileError(InputFileError):
    """A password-protected (encrypted) workbook."""

    zh = "{path} 设置了打开密码（已加密），xlcrm 无法读取。请在 Excel/WPS 中取消密码保护后另存一份再试。"
    en = "{path} is password-protected (encrypted). Remove the password in Excel/WPS, save a copy and try again."


class CorruptFileError(InputFileError):
    """Not a readable .xlsx: not a zip, truncated, or missing its workbook parts."""

    zh = "{path} 不是有效的 .xlsx 文件或文件已损坏（{detail}）。请用 Excel/WPS 打开确认后重新保存为 .xlsx。"
    en = "{path} is not a valid .xlsx file or is damaged ({detail}). Open it in Excel/WPS and save it again as .xlsx."


class ZipBombError(InputFileError):
    """The archive expands to far more than any real workbook (a decompression bomb)."""

    zh = "{path} 解压后体积异常（{detail}），疑似恶意压缩文件，已拒绝读取。"
    en = "{path} expands abnormally ({detail}); it looks like a decompression bomb and was refused."


class UnsafeXmlError(InputFileError):
    """A part of the workbook declares a DOCTYPE or entities (XML entity expansion attack)."""

    zh = "{path} 含有不安全的 XML 内容（{detail}），已拒绝读取。正常的 Excel 文件不会包含此类内容。"
    en = "{path} contains unsafe XML ({detail}) and was refused. Real Excel files never contain it."


class WorkbookLockedError(XlcrmError):
    """The workbook is open in Excel/WPS (``~$name.xlsx`` beside it) or LibreOffice (``.~lock.name.xlsx#``)."""

    zh = "{path} 正在被 {app} 打开（发现锁文件 {lock}）。请先保存并关闭该工作簿再运行。"
    en = "{path} is open in {app} (lock file {lock} found). Save and close it, then run again."

    def __init__(self, **fields: object) -> None:
        fields.setdefault("app", "Excel/WPS")
        super().__init__(**fields)


class FolderNotWritableError(XlcrmError):
    """The backup or the temporary file cannot be created in the workbook's folder (read-only, no permission, full)."""

    zh = (
        "无法在文件夹 {folder} 中写入{what}（{detail}），文件未做任何修改。"
        "请确认该文件夹可以写入（不是只读文件夹、U 盘或网盘的只读目录，磁盘未满），或把工作簿复制到可写的文件夹后再运行。"
    )
    en = (
        "Cannot write {what} in the folder {folder} ({detail}); nothing was changed. "
        "Make the folder writable, or copy the workbook to a writable folder and run again."
    )


class OutputExistsError(XlcrmError):
    """Refusing to overwrite an existing file without ``--force``."""

    zh = "文件已存在：{path}。如需覆盖请加 --force。"
    en = "File already exists: {path}. Use --force to overwrite it."


class ConfigError(XlcrmError):
    """A configuration key is unknown or has a bad value."""

    zh = "配置有误（{source}）：{detail}"
    en = "Configuration error ({source}): {detail}"


class StructureError(XlcrmError):
    """The workbook has structural errors (missing sheet or header, duplicate IDs)."""

    zh = "{path} 存在结构性错误，未做任何修改：\n{detail}\n请先运行 xlcrm validate 查看并修正。"
    en = "{path} has structural errors; nothing was written:\n{detail}\nRun xlcrm validate and fix them first."


class ConflictError(XlcrmError):
    """The same ID with different content in two submitted workbooks."""

    exit_code = 1
    zh = "多个工作簿之间存在冲突：\n{detail}"
    en = "Conflicts between workbooks:\n{detail}"


class OwnSheetNameError(XlcrmError):
    """A visible staff sheet carries the name of one of xlcrm's hidden sheets (``xlcrm_历史``,
    ``xlcrm_填写``); enrich would overwrite it, so it refuses."""

    zh = (
        "工作簿 {path} 中有一张可见的工作表“{sheet}”，与 xlcrm 自动维护的隐藏表同名，"
        "继续计算会覆盖它。请把这张表改名（如“{sheet}_备份”）后再运行 xlcrm enrich。未修改任何文件。"
    )
    en = (
        "The workbook {path} has a visible sheet '{sheet}' named like one of xlcrm's hidden sheets; "
        "enrich would overwrite it. Rename that sheet and run xlcrm enrich again. Nothing was changed."
    )
