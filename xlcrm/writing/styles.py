"""Cell styles of the standard workbook ``init`` writes with openpyxl (the colours and notes are
``palette``'s, shared with the patching writer)."""

from __future__ import annotations

from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from ..schema import Field
from . import palette

HEADER_FILL = PatternFill("solid", fgColor=palette.HEADER_FILL)
COMPUTED_FILL = PatternFill("solid", fgColor=palette.COMPUTED_FILL)
HEADER_FONT = Font(bold=True, color=palette.HEADER_FONT)
REQUIRED_FONT = Font(bold=True, color=palette.REQUIRED_FONT)
COMPUTED_FONT = Font(bold=True, italic=True, color=palette.COMPUTED_FONT)
THIN = Side(style="thin", color=palette.THIN_BORDER)
HEADER_BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)


def header_comment(f: Field) -> Comment:
    """The comment on a header cell: ``palette.header_note``, sized to be read."""
    comment = Comment(palette.header_note(f), palette.COMMENT_AUTHOR)
    comment.width, comment.height = 260, 110
    return comment


def style_header_cell(cell, f: Field) -> None:  # type: ignore[no-untyped-def]
    """Header look: computed columns grey and italic, required ones red and bold."""
    cell.fill = COMPUTED_FILL if f.computed else HEADER_FILL
    cell.font = COMPUTED_FONT if f.computed else (REQUIRED_FONT if f.required else HEADER_FONT)
    cell.border = HEADER_BORDER
    cell.alignment = HEADER_ALIGN
    cell.comment = header_comment(f)
