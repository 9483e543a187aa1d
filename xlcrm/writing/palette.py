"""The colours and header notes every writer shares, as plain values: the patching writer (enrich,
annotate) writes them as style XML and never loads openpyxl; ``styles`` turns them into openpyxl
objects for ``init``."""

from __future__ import annotations

from ..i18n import tr
from ..schema import Field

# RGB hex, without alpha
HEADER_FILL = "DDEBF7"
COMPUTED_FILL = "D9D9D9"
ERROR_FILL = "FFC7CE"
WARNING_FILL = "FFEB9C"
HEADER_FONT = "1F3864"
REQUIRED_FONT = "C00000"
COMPUTED_FONT = "404040"
THIN_BORDER = "A6A6A6"
COMMENT_AUTHOR = "xlcrm"


def header_note(f: Field) -> str:
    """The note on a header cell: what the column holds, and who fills it."""
    if f.computed:
        return tr(
            "{d}\n【自动计算】由 xlcrm enrich 填写，请勿手工修改。",
            "{d}\n[Computed] filled by xlcrm enrich; do not edit.",
            d=f.description,
        )
    marks = [tr("【必填】", "[Required]")] if f.required else []
    if f.enum:
        marks.append(tr("可选：", "Choices: ") + " / ".join(f.enum))
    if f.suggestions:
        marks.append(tr("建议：", "Suggestions: ") + " / ".join(f.suggestions))
    return "\n".join([f.description, *marks])
