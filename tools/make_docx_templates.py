"""Build the Word report templates ``templates/campaign.docx`` and ``templates/monthly.docx``.

The templates are ordinary .docx files with docxtpl (Jinja2) tags inside, so a team can open them
in Word/WPS and restyle them freely; this script only produces the shipped defaults. Rerun it after
changing the layout and commit the .docx files::

    python tools/make_docx_templates.py [--out templates]

Layout: A4, 宋体 body and 黑体 headings set through ``w:eastAsia`` on the styles *and* on every run
(Word ignores a Latin font for Chinese text), tables in a bordered table style with a shaded,
repeating header row, column widths by column kind (identifiers, dates and numbers fixed and never
wrapped, names and descriptions sharing the rest; a fixed table layout so LibreOffice keeps them),
long lists capped (``capped_table``) with a line saying where the full list is, charts as ``{{ img.<key> }}`` (InlineImage, 14 cm wide) and a footer with
``第 X 页，共 Y 页`` page fields. Table rows repeat with ``{%tr for %}``; optional blocks use
``{%p if %}`` so an empty section prints ``本期无……`` instead of disappearing.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.styles.style import BaseStyle
from docx.table import Table
from docx.text.paragraph import Paragraph

BODY_FONT, HEADING_FONT, LATIN_FONT = "宋体", "黑体", "Times New Roman"
TABLE_STYLE = "报告表格"
HEADER_FILL = "D9E2F3"
TABLE_FONT_PT = 8


# --- fonts ------------------------------------------------------------------------------------
def _set_fonts(r_pr: OxmlElement, east_asian: str, latin: str) -> None:
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)  # a theme font would win over the named one
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:cs"), latin)


def _style_fonts(style: BaseStyle, east_asian: str, latin: str, size: float, bold: bool = False) -> None:
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.color.rgb = RGBColor(0, 0, 0)
    _set_fonts(style.element.get_or_add_rPr(), east_asian, latin)


def _run(paragraph: Paragraph, text: str, *, heading: bool = False, bold: bool = False) -> None:
    run = paragraph.add_run(text)
    run.bold = bold or None
    _set_fonts(run._r.get_or_add_rPr(), HEADING_FONT if heading else BODY_FONT, LATIN_FONT)


# --- styles -----------------------------------------------------------------------------------
def _table_style(doc: DocumentObject) -> None:
    style = doc.styles.add_style(TABLE_STYLE, WD_STYLE_TYPE.TABLE)
    style.base_style = doc.styles["Table Grid"]
    _style_fonts(style, BODY_FONT, LATIN_FONT, TABLE_FONT_PT)
    tbl_pr = style.element.find(qn("w:tblPr"))
    if tbl_pr is None:
        tbl_pr = OxmlElement("w:tblPr")
        style.element.append(tbl_pr)
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        line = OxmlElement(f"w:{edge}")
        line.set(qn("w:val"), "single")
        line.set(qn("w:sz"), "4")
        line.set(qn("w:space"), "0")
        line.set(qn("w:color"), "808080")
        borders.append(line)
    tbl_pr.append(borders)


def _setup(doc: DocumentObject, title: str) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.0)
    section.top_margin = section.bottom_margin = Cm(2.0)
    styles = doc.styles
    _style_fonts(styles["Normal"], BODY_FONT, LATIN_FONT, 10.5)
    styles["Normal"].paragraph_format.space_after = Pt(4)
    styles["Normal"].paragraph_format.line_spacing = 1.25
    _style_fonts(styles["Title"], HEADING_FONT, "Arial", 20, bold=True)
    _style_fonts(styles["Heading 1"], HEADING_FONT, "Arial", 15, bold=True)
    _style_fonts(styles["Heading 2"], HEADING_FONT, "Arial", 12, bold=True)
    for name in ("Heading 1", "Heading 2"):
        styles[name].paragraph_format.space_before = Pt(12)
        styles[name].paragraph_format.space_after = Pt(6)
    _style_fonts(styles["List Bullet"], BODY_FONT, LATIN_FONT, 10.5)
    _table_style(doc)
    doc.core_properties.title = title
    doc.core_properties.author = "xlcrm"
    _footer(doc)


def _field(paragraph: Paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word and LibreOffice update when the page is laid out."""
    for kind, text in (("begin", None), ("instr", instruction), ("separate", None), ("text", "1"), ("end", None)):
        run = paragraph.add_run()
        _set_fonts(run._r.get_or_add_rPr(), BODY_FONT, LATIN_FONT)
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = f" {text} "
            run._r.append(instr)
        elif kind == "text":
            run.text = text or ""
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)


def _footer(doc: DocumentObject) -> None:
    paragraph = doc.sections[0].footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(paragraph, "第 ")
    _field(paragraph, "PAGE")
    _run(paragraph, " 页，共 ")
    _field(paragraph, "NUMPAGES")
    _run(paragraph, " 页")


# --- content helpers --------------------------------------------------------------------------
def title(doc: DocumentObject, text: str, subtitle: str) -> None:
    p = doc.add_paragraph(style="Title")
    _run(p, text, heading=True)
    p = doc.add_paragraph()
    _run(p, subtitle)


def heading(doc: DocumentObject, text: str, level: int = 1) -> None:
    p = doc.add_paragraph(style=f"Heading {level}")
    _run(p, text, heading=True)


def para(doc: DocumentObject, *parts: str | tuple[str, bool], style: str | None = None) -> Paragraph:
    """A paragraph of runs: plain strings, or (text, bold) pairs."""
    p = doc.add_paragraph(style=style)
    for part in parts:
        text, bold = (part, False) if isinstance(part, str) else part
        _run(p, text, bold=bold)
    return p


def tag(doc: DocumentObject, statement: str) -> None:
    """A paragraph holding only a ``{%p … %}`` tag; docxtpl removes the paragraph itself."""
    para(doc, "{%p " + statement + " %}")


def chart(doc: DocumentObject, key: str) -> None:
    p = para(doc, "{{ img." + key + " }}")
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _shade(cell: object, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()  # type: ignore[attr-defined]
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    tc_pr.append(shading)


def _header_row(table: Table) -> None:
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")  # repeat the header on every page
    tr_pr.append(repeat)
    for cell in table.rows[0].cells:
        _shade(cell, HEADER_FILL)


def _fill(cell: object, text: str, bold: bool = False) -> None:
    paragraph = cell.paragraphs[0]  # type: ignore[attr-defined]
    # compact rows: no space after, single line spacing (the body style's 1.25 doubles a table's length)
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.space_before = Pt(0)
    paragraph.paragraph_format.line_spacing = 1.0
    _run(paragraph, text, bold=bold)
    for run in paragraph.runs:
        run.font.size = Pt(TABLE_FONT_PT)


# Column kinds: a fixed width (cm) for identifiers, dates, numbers and short words, which never
# wrap; names and descriptions share what is left of the text width, in proportion to a weight.
# Widths hold the text at 8 pt even when Times New Roman is missing and a wider Latin font (DejaVu
# Serif) stands in, plus the cells' 0.38 cm of padding.
FIXED_CM = {
    "cid": 3.2,  # 客户编号 HXKJ20240001 (up to six letters)
    "fid": 2.95,  # 反馈编号 / 记录编号 FK20261015001
    "hid": 2.25,  # 活动编号 HD2026001
    "date": 2.1,  # 2026-11-20
    "dt": 2.95,  # 2026-11-20 09:30
    "pct": 1.6,  # 100.0%
    "num": 1.5,
    "tier": 1.0,  # A / 高
    "short": 1.45,  # 咨询, 已完成, 预热期
    "status": 1.95,  # 超时未解决, 按时完成
    "person": 1.55,  # 2–3 character names
    "field": 2.4,  # 复盘截止日期 (a field name as a row label)
    "change": 2.2,  # 风险 中→高
}
FLEX_WEIGHT = {"name": 1.0, "text": 1.5, "label": 1.0}
TEXT_WIDTH_CM = 17.0  # A4 (21 cm) minus 2 × 2.0 cm margins
MIN_FLEX_CM = 2.4
Col = tuple[str, str, str]  # (header, Jinja expression on the loop variable, column kind)


def column_widths(kinds: Sequence[str], total: float = TEXT_WIDTH_CM) -> list[float]:
    """Widths in cm: fixed kinds as listed, flexible kinds share the rest (at least MIN_FLEX_CM)."""
    fixed = sum(FIXED_CM.get(k, 0.0) for k in kinds)
    weights = [FLEX_WEIGHT.get(k, 0.0) for k in kinds]
    spare = max(total - fixed, MIN_FLEX_CM * sum(1 for w in weights if w))
    weight_sum = sum(weights) or 1.0
    return [
        FIXED_CM[k] if k in FIXED_CM else max(MIN_FLEX_CM, spare * w / weight_sum)
        for k, w in zip(kinds, weights, strict=True)
    ]


def _no_wrap(cell: object) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()  # type: ignore[attr-defined]
    tc_pr.append(OxmlElement("w:noWrap"))


def _fixed_layout(table: Table, widths: Sequence[float]) -> None:
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")  # LibreOffice and Word keep the grid instead of guessing
    tbl_pr.append(layout)
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)  # w:gridCol, which LibreOffice follows
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Cm(width)


def loop_table(doc: DocumentObject, loop: str, columns: Sequence[Col]) -> None:
    """A header row, then one row per item of ``loop`` (``r in reach.by_tier``) via ``{%tr for %}``.

    Identifier, date, number and short-word columns get a fixed width and never wrap."""
    table = doc.add_table(rows=4, cols=len(columns))
    table.style = doc.styles[TABLE_STYLE]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    var = loop.split(" in ")[0].strip()
    for i, (header, expr, kind) in enumerate(columns):
        _fill(table.cell(0, i), header, bold=True)
        cell = table.cell(2, i)
        _fill(cell, "{{ " + var + "." + expr + " }}" if not expr.startswith("=") else expr[1:])
        if kind in FIXED_CM:
            _no_wrap(cell)
            _no_wrap(table.cell(0, i))
    _fill(table.cell(1, 0), "{%tr for " + loop + " %}")
    _fill(table.cell(3, 0), "{%tr endfor %}")
    _header_row(table)
    _fixed_layout(table, column_widths([k for _, _, k in columns]))
    doc.add_paragraph()


def fixed_table(doc: DocumentObject, columns: Sequence[Col]) -> None:
    """A header row and one data row of expressions on the context."""
    table = doc.add_table(rows=2, cols=len(columns))
    table.style = doc.styles[TABLE_STYLE]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, (header, expr, kind) in enumerate(columns):
        _fill(table.cell(0, i), header, bold=True)
        _fill(table.cell(1, i), "{{ " + expr + " }}")
        if kind in FIXED_CM:
            _no_wrap(table.cell(1, i))
    _header_row(table)
    _fixed_layout(table, column_widths([k for _, _, k in columns]))
    doc.add_paragraph()


def capped_table(
    doc: DocumentObject, var: str, top: str, columns: Sequence[Col], manager_col: Col | None = None, insert_at: int = 2
) -> None:
    """A long list in Word: the first rows of ``top.rows`` and, when cut, a line saying how many
    there are and where the full list is. With ``manager_col``, the column is shown only in the
    team report (a per-manager report would repeat the manager's name on every row)."""
    loop = f"{var} in {top}.rows"
    if manager_col is None:
        loop_table(doc, loop, columns)
    else:
        with_manager = [*columns[:insert_at], manager_col, *columns[insert_at:]]
        tag(doc, "if manager")
        loop_table(doc, loop, columns)
        tag(doc, "else")
        loop_table(doc, loop, with_manager)
        tag(doc, "endif")
    tag(doc, f"if {top}.more")
    para(doc, "共 {{ " + top + ".total }} 条，此处列出最紧急的 {{ " + top + ".shown }} 条；完整清单见{{ full_list }}。")
    tag(doc, "endif")


def optional(doc: DocumentObject, condition: str, body: object, empty: str) -> None:
    """``body(doc)`` when ``condition`` holds, else the sentence ``empty``."""
    tag(doc, "if " + condition)
    body(doc)  # type: ignore[operator]
    tag(doc, "else")
    para(doc, empty)
    tag(doc, "endif")


def bullets(doc: DocumentObject, loop: str, expr: str, empty: str) -> None:
    tag(doc, "for " + loop)
    para(doc, "{{ " + expr + " }}", style="List Bullet")
    tag(doc, "else")
    para(doc, empty)
    tag(doc, "endfor")


def counts_table(doc: DocumentObject, loop: str, label: str, count: str = "数量") -> None:
    table_width = 9.0
    loop_table(doc, f"r in {loop}", [(label, "label", "label"), (count, "count", "num"), ("占比", "share", "pct")])
    _narrow(doc, table_width)


def _narrow(doc: DocumentObject, width_cm: float) -> None:
    """Give the table just added a total width of ``width_cm`` (small tally tables)."""
    table = doc.tables[-1]
    current = [c.width.cm if c.width is not None else 0 for c in table.columns]
    fixed = sum(current[1:])
    widths = [max(width_cm - fixed, 2.5), *current[1:]]
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Cm(width)


def new_document(doc_title: str) -> DocumentObject:
    doc = Document()
    _setup(doc, doc_title)
    return doc


def save(doc: DocumentObject, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))


# --- the two reports -------------------------------------------------------------------------
SNAPSHOT_HINT = "本期无可比较的历史快照：需要统计日（{{ as_of }}）之前记录的快照。请在每个复盘日运行一次 xlcrm enrich（每次运行都会记下当天各客户的分层与流失风险），之后的报告即可比较变化。"
MANAGER: Col = ("客户经理", "manager", "person")


def banner(doc: DocumentObject) -> None:
    """The 未开始 / 进行中 banner of a campaign that is not finished."""
    tag(doc, "if banner")
    para(doc, ("{{ banner }}", True))
    tag(doc, "endif")


def data_notes(doc: DocumentObject) -> None:
    """数据说明 (workbooks used, rows left out and why) and the working-day footnotes."""
    heading(doc, "数据说明")
    bullets(doc, "note in data_notes", "note", "本报告未记录数据来源说明。")
    tag(doc, "for note in footnotes")
    para(doc, "注：{{ note }}")
    tag(doc, "endfor")


def build_campaign() -> DocumentObject:
    """活动复盘报告: the ten sections of SPEC §6, then 数据说明."""
    doc = new_document("活动复盘报告")
    title(doc, "{{ title }}：{{ subject }}", "统计日：{{ as_of }}")
    banner(doc)

    heading(doc, "一、活动概况")
    loop_table(doc, "r in overview.rows", [("项目", "label", "field"), ("内容", "value", "text")])

    heading(doc, "二、目标达成")
    fixed_table(
        doc,
        [
            ("目标指标", "goal.metric", "text"),
            ("目标值", "goal.target", "num"),
            ("实际值", "goal.actual", "num"),
            ("达成率", "goal.rate", "pct"),
            ("结论", "goal.verdict", "name"),
        ],
    )
    chart(doc, "goal")

    heading(doc, "三、客户触达")
    para(
        doc,
        "目标客群：{{ reach.audience }}；目标客户 {{ reach.target }} 位，已触达 {{ reach.reached }} 位，触达率 ",
        ("{{ reach.rate }}", True),
        "。",
    )
    counts_table(doc, "reach.by_tier", "客户分层", "已触达客户数")
    chart(doc, "channel")

    heading(doc, "四、满意度")

    def satisfaction(d: DocumentObject) -> None:
        para(d, "共 {{ satisfaction.count }} 个评分，满意度均分 ", ("{{ satisfaction.mean }}", True), " 分。")
        counts_table(d, "satisfaction.bands", "分数段", "评分数")

    optional(doc, 'satisfaction.count != "0"', satisfaction, "本期无满意度评分。")

    heading(doc, "五、反馈与问题解决")

    def feedback(d: DocumentObject) -> None:
        para(
            d,
            "关联反馈 {{ feedback.total }} 条，已解决 {{ feedback.resolved }} 条，问题解决率 ",
            ("{{ feedback.rate }}", True),
            "。",
        )
        loop_table(
            d,
            "r in feedback.by_type",
            [("反馈类型", "label", "label"), ("数量", "count", "num"), ("已解决", "resolved", "num")],
        )
        _narrow(d, 9.0)
        chart(d, "sla")
        heading(d, "未解决问题", 2)
        optional(
            d,
            "feedback.open_items",
            lambda d2: capped_table(
                d2,
                "r",
                "feedback.open_top",
                [
                    ("反馈编号", "feedback_id", "fid"),
                    ("客户", "customer_name", "name"),
                    ("类型", "type", "tier"),
                    ("问题描述", "description", "text"),
                    ("责任人", "assignee", "person"),
                    ("处理时限", "deadline", "dt"),
                    ("时效状态", "sla_status", "status"),
                ],
            ),
            "本期无未解决问题。",
        )

    optional(doc, 'feedback.total != "0"', feedback, "本期无关联本活动的客户反馈。")

    heading(doc, "六、预算")
    fixed_table(
        doc,
        [
            ("预算（元）", "budget.budget", "dt"),
            ("实际花费（元）", "budget.spent", "dt"),
            ("预算执行率", "budget.rate", "pct"),
            ("说明", "budget.note", "text"),
        ],
    )

    heading(doc, "七、任务执行")

    def tasks(d: DocumentObject) -> None:
        para(
            d,
            "共 {{ tasks.total }} 项任务，已完成 {{ tasks.done }} 项，任务完成率 ",
            ("{{ tasks.done_rate }}", True),
            "，逾期 {{ tasks.overdue }} 项，延期完成 {{ tasks.late_done }} 项。",
        )
        loop_table(
            d,
            "t in tasks.rows",
            [
                ("任务", "task", "text"),
                ("阶段", "phase", "short"),
                ("负责人", "owner", "person"),
                ("截止日期", "due", "date"),
                ("任务状态", "status", "short"),
                ("完成日期", "done_on", "date"),
                ("是否逾期", "overdue", "status"),
            ],
        )
        heading(d, "未完成事项", 2)
        optional(
            d,
            "tasks.unfinished",
            lambda d2: loop_table(
                d2,
                "t in tasks.unfinished",
                [
                    ("任务", "task", "name"),
                    ("负责人", "owner", "person"),
                    ("截止日期", "due", "date"),
                    ("任务状态", "status", "short"),
                    ("是否逾期", "overdue", "status"),
                    ("未完成原因", "blocker", "text"),
                ],
            ),
            "本期无未完成事项。",
        )

    optional(doc, "tasks.rows", tasks, "本期无活动任务记录。")

    heading(doc, "八、客户关系状态变化")

    def changes(d: DocumentObject) -> None:
        para(
            d,
            "与上次快照（{{ changes.snapshot_date }}）相比，已触达的 {{ changes.total }} 位客户中：分层上升 "
            "{{ changes.tier_up }} 位、下降 {{ changes.tier_down }} 位；流失风险下降 {{ changes.risk_down }} 位、"
            "上升 {{ changes.risk_up }} 位；无变化 {{ changes.unchanged }} 位，无历史快照 {{ changes.no_history }} 位。",
        )
        optional(
            d,
            "changes.rows",
            lambda d2: capped_table(
                d2,
                "r",
                "changes.top",
                [
                    ("客户编号", "customer_id", "cid"),
                    ("客户名称", "customer_name", "name"),
                    MANAGER,
                    ("分层", "=分层 {{ r.tier }}", "change"),
                    ("风险", "=风险 {{ r.risk }}", "change"),
                ],
            ),
            "本期无分层或风险变化。",
        )

    optional(doc, "changes.has_history", changes, SNAPSHOT_HINT)

    heading(doc, "九、后续跟进计划")
    heading(doc, "待办的下一步行动", 2)
    optional(
        doc,
        "plan.actions",
        lambda d: capped_table(
            d,
            "a",
            "plan.actions_top",
            [
                ("客户编号", "customer_id", "cid"),
                ("客户名称", "customer_name", "name"),
                ("下一步行动", "action", "text"),
                ("跟进人", "owner", "person"),
                ("计划日期", "date", "date"),
                ("状态", "status", "tier"),
            ],
        ),
        "本期无待办的下一步行动。",
    )
    heading(doc, "待处理的客户反馈", 2)
    optional(
        doc,
        "plan.open_feedback",
        lambda d: capped_table(
            d,
            "r",
            "plan.open_feedback_top",
            [
                ("反馈编号", "feedback_id", "fid"),
                ("客户", "customer_name", "name"),
                ("问题描述", "description", "text"),
                ("责任人", "assignee", "person"),
                ("处理时限", "deadline", "dt"),
                ("时效状态", "sla_status", "status"),
            ],
        ),
        "本期无待处理的客户反馈。",
    )

    heading(doc, "十、经验总结")
    for label, key in (("成功经验", "good"), ("不足之处", "bad"), ("改进措施", "improvements")):
        heading(doc, label, 2)
        para(doc, "{{ lessons." + key + " }}")
    heading(doc, "数据观察", 2)
    bullets(doc, "note in lessons.observations", "note", "本期无数据观察。")
    data_notes(doc)
    return doc


def build_monthly() -> DocumentObject:
    """月度维护复盘: the seven sections of SPEC §6, then 数据说明."""
    doc = new_document("月度维护复盘")
    title(
        doc,
        "{{ title }}：{{ subject }}",
        "统计期间：{{ month_start }} 至 {{ month_end }}；统计日：{{ as_of }}；范围：{{ scope }}",
    )
    bullets(doc, "note in highlights", "note", "")

    heading(doc, "一、客户概况")
    para(doc, "客户共 {{ customers.total }} 位，本月新建档 {{ customers.new_count }} 位。")
    counts_table(doc, "customers.by_tier", "客户分层", "客户数")
    counts_table(doc, "customers.by_value", "价值分群", "客户数")
    counts_table(doc, "customers.by_risk", "流失风险", "客户数")
    chart(doc, "tier")
    heading(doc, "本月新客户", 2)
    optional(
        doc,
        "customers.new",
        lambda d: loop_table(
            d,
            "c in customers.new",
            [
                ("客户编号", "customer_id", "cid"),
                ("客户名称", "customer_name", "name"),
                ("客户经理", "manager", "person"),
                ("所属行业", "industry", "short"),
                ("建档日期", "created", "date"),
                ("分层", "tier", "tier"),
            ],
        ),
        "本期无新建档客户。",
    )

    heading(doc, "二、跟进执行")

    def followups(d: DocumentObject) -> None:
        para(
            d,
            "本月跟进 {{ followups.total }} 次；录入及时率 ",
            ("{{ followups.in_time_rate }}", True),
            "（{{ followups.recorded_in_time }}/{{ followups.recorded }}，{{ record_hours }} 小时内录入）。",
        )
        counts_table(d, "followups.by_channel", "跟进方式", "次数")
        counts_table(d, "followups.by_kind", "跟进类型", "次数")
        chart(d, "channel")

    optional(doc, "followups.total", followups, "本期无跟进记录。")
    heading(doc, "跟进逾期客户（截至 {{ followups.overdue_basis }}）", 2)
    optional(
        doc,
        "followups.overdue",
        lambda d: capped_table(
            d,
            "c",
            "followups.overdue_top",
            [
                ("客户编号", "customer_id", "cid"),
                ("客户名称", "customer_name", "name"),
                ("分层", "tier", "tier"),
                ("最近跟进日期", "last_followup", "date"),
                ("下次跟进日期", "next_due", "date"),
                ("逾期天数", "overdue_days", "num"),
            ],
            MANAGER,
        ),
        "本期无跟进逾期的客户。",
    )

    heading(doc, "三、反馈处理")

    def feedback(d: DocumentObject) -> None:
        para(
            d,
            "本月收到反馈 {{ feedback.received }} 条，已解决 {{ feedback.resolved }} 条，问题解决率 ",
            ("{{ feedback.rate }}", True),
            "；按时率 ",
            ("{{ feedback.on_time_rate }}", True),
            "（{{ feedback.on_time }}/{{ feedback.decided }}，已解决或已超时的反馈中按时解决的比例）；"
            "平均处理时长 {{ feedback.mean_hours }} 小时。",
        )
        loop_table(
            d,
            "r in feedback.by_type",
            [("反馈类型", "label", "label"), ("数量", "count", "num"), ("已解决", "resolved", "num")],
        )
        _narrow(d, 9.0)
        counts_table(d, "feedback.by_department", "责任部门")
        chart(d, "sla")

    optional(doc, "feedback.received", feedback, "本期无新收到的客户反馈。")
    heading(doc, "未结与超时反馈（截至 {{ as_of }}）", 2)

    def open_feedback(d: DocumentObject) -> None:
        para(d, "共 {{ feedback.open_count }} 条未结，其中 {{ feedback.overdue_count }} 条超时未解决。")
        capped_table(
            d,
            "r",
            "feedback.open_top",
            [
                ("反馈编号", "feedback_id", "fid"),
                ("客户", "customer_name", "name"),
                ("类型", "type", "tier"),
                ("问题描述", "description", "text"),
                ("责任人", "assignee", "person"),
                ("处理时限", "deadline", "dt"),
                ("时效状态", "sla_status", "status"),
            ],
        )

    optional(doc, "feedback.open", open_feedback, "本期无未结反馈。")

    heading(doc, "四、满意度")
    optional(
        doc,
        "satisfaction.count",
        lambda d: para(
            d,
            "本月共 {{ satisfaction.count }} 个评分，满意度均分 ",
            ("{{ satisfaction.mean }}", True),
            " 分，{{ satisfaction.delta }}。",
        ),
        "本期无满意度评分（上月均分：{{ satisfaction.previous_mean }}）。",
    )
    chart(doc, "satisfaction_trend")

    heading(doc, "五、分层与风险变化")

    def changes(d: DocumentObject) -> None:
        para(
            d,
            "与上次快照（{{ changes.snapshot_date }}）相比：分层上升 {{ changes.tier_up }} 位、下降 "
            "{{ changes.tier_down }} 位；流失风险下降 {{ changes.risk_down }} 位、上升 {{ changes.risk_up }} 位。",
        )
        optional(
            d,
            "changes.rows",
            lambda d2: capped_table(
                d2,
                "r",
                "changes.top",
                [
                    ("客户编号", "customer_id", "cid"),
                    ("客户名称", "customer_name", "name"),
                    ("分层", "=分层 {{ r.tier }}", "change"),
                    ("风险", "=风险 {{ r.risk }}", "change"),
                ],
                MANAGER,
            ),
            "本期无分层或风险变化。",
        )

    optional(doc, "changes.has_history", changes, SNAPSHOT_HINT)

    heading(doc, "六、维护活动")

    def campaigns(d: DocumentObject) -> None:
        loop_table(
            d,
            "c in campaigns.rows",
            [
                ("活动编号", "campaign_id", "hid"),
                ("活动名称", "name", "name"),
                ("状态", "state", "short"),
                ("触达", "reach", "num"),
                ("触达率", "reach_rate", "pct"),
                ("目标达成率", "goal_rate", "pct"),
                ("问题解决率", "resolution_rate", "pct"),
                ("预算执行率", "budget_rate", "pct"),
                ("任务完成率", "task_done_rate", "pct"),
            ],
        )
        chart(d, "campaigns")

    optional(doc, "campaigns.rows", campaigns, "本期无进行中的维护活动。")

    heading(doc, "七、下月重点（{{ next_month.label }}）")
    heading(doc, "下月需跟进的重点客户", 2)
    para(
        doc, "A/B 类或流失风险为高/中、下次跟进日期在下月底之前（含已逾期）的客户，不含已流失客户；按下次跟进日期排序。"
    )
    optional(
        doc,
        "next_month.due",
        lambda d: capped_table(
            d,
            "c",
            "next_month.due_top",
            [
                ("客户编号", "customer_id", "cid"),
                ("客户名称", "customer_name", "name"),
                ("分层", "tier", "tier"),
                ("风险", "risk", "tier"),
                ("下次跟进日期", "next_due", "date"),
                ("下次深度沟通", "next_deep_due", "date"),
            ],
            MANAGER,
        ),
        "下月没有需要重点跟进的客户。",
    )
    heading(doc, "高风险客户", 2)
    optional(
        doc,
        "next_month.high_risk",
        lambda d: capped_table(
            d,
            "c",
            "next_month.high_risk_top",
            [
                ("客户编号", "customer_id", "cid"),
                ("客户名称", "customer_name", "name"),
                ("分层", "tier", "tier"),
                ("风险原因", "reasons", "text"),
            ],
            MANAGER,
        ),
        "本期无高风险客户。",
    )
    heading(doc, "待处理反馈", 2)
    # the list itself is in section 三 already; Word prints it once
    optional(
        doc,
        "next_month.open_feedback",
        lambda d: para(
            d,
            "共 {{ feedback.open_count }} 条未结反馈，其中 {{ feedback.overdue_count }} 条超时未解决，清单见第三节“未结与超时反馈”。",
        ),
        "本期无待处理反馈。",
    )
    data_notes(doc)
    return doc


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent.parent / "templates")
    args = parser.parse_args(argv)
    for name, build in (("campaign.docx", build_campaign), ("monthly.docx", build_monthly)):
        save(build(), args.out / name)
        print(f"wrote {args.out / name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
