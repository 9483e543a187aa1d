"""Where report templates are found (SPEC §6: ``templates/``, overridable with ``--template-dir``).

Installed, the templates ship inside the package as ``xlcrm/templates`` (pyproject force-include);
in a source checkout they are the repository's top-level ``templates/``. ``--template-dir``
overrides file by file: a folder holding only ``campaign.docx`` changes the Word campaign
report and keeps the shipped Markdown one.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import UsageError
from ..i18n import tr

TEMPLATE_NAMES = {
    ("campaign", "md"): "campaign.md.j2",
    ("campaign", "docx"): "campaign.docx",
    ("monthly", "md"): "monthly.md.j2",
    ("monthly", "docx"): "monthly.docx",
}

_PACKAGE = Path(__file__).resolve().parent.parent


def default_template_dirs() -> list[Path]:
    """The packaged templates first, then the source checkout's."""
    return [_PACKAGE / "templates", _PACKAGE.parent / "templates"]


def find_template(kind: str, fmt: str, template_dir: Path | None = None) -> Path:
    """The template file for a report kind and format."""
    name = TEMPLATE_NAMES[(kind, fmt)]
    if template_dir is not None:
        if not template_dir.is_dir():
            raise UsageError(detail=tr("模板文件夹不存在：{p}", "template folder not found: {p}", p=template_dir))
        if (template_dir / name).is_file():
            return template_dir / name
    for folder in default_template_dirs():
        if (folder / name).is_file():
            return folder / name
    raise UsageError(detail=tr("找不到报告模板 {n}（安装可能不完整）", "report template {n} not found", n=name))
