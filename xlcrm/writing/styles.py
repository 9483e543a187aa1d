"""Cell styles shared by every writer (init, enrich, annotate)."""

from __future__ import annotations

from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from ..i18n import tr
from ..schema import Field

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
COMPUTED_FILL = PatternFill("solid", fgColor="D9D9D9")
ERROR_FILL = PatternFill("solid", fgColor="FFC7CE")
WARNING_FILL = PatternFill("solid", fgColor="FFEB9C")
HEADER_FONT = Font(bold=True, color="1F3864")
REQUIRED_FONT = Font(bold=True, color="C00000")
COMPUTED_FONT = Font(bold=True, italic=True, color="404040")
THIN = Side(style="thin", color="A6A6A6")
HEADER_BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)
COMMENT_AUTHOR = "xlcrm"


def header_comment(f: Field) -> Comment:
    """The comment on a header cell: what the column holds, and who fills it."""
    if f.computed:
        text = tr(
            "{d}\n【自动计算】由 xlcrm enrich 填写，请勿手工修改。",
            "{d}\n[Computed] filled by xlcrm enrich; do not edit.",
            d=f.description,
        )
    else:
        marks = [tr("【必填】", "[Required]")] if f.required else []
        if f.enum:
            marks.append(tr("可选：", "Choices: ") + " / ".join(f.enum))
        if f.suggestions:
            marks.append(tr("建议：", "Suggestions: ") + " / ".join(f.suggestions))
        text = "\n".join([f.description, *marks])
    comment = Comment(text, COMMENT_AUTHOR)
    comment.width, comment.height = 260, 110
    return comment


def style_header_cell(cell, f: Field) -> None:  # type: ignore[no-untyped-def]
    """Header look: computed columns grey and italic, required ones red and bold."""
    cell.fill = COMPUTED_FILL if f.computed else HEADER_FILL
    cell.font = COMPUTED_FONT if f.computed else (REQUIRED_FONT if f.required else HEADER_FONT)
    cell.border = HEADER_BORDER
    cell.alignment = HEADER_ALIGN
    cell.comment = header_comment(f)
