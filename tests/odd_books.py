"""Odd-but-valid workbooks for the robustness sweep (``tests/test_sweep.py``).

Every book starts from the valid sample (``generate_sample`` + ``write_standard_workbook``) and is
then changed at the package level with ``zipfile`` and lxml, because most of these oddities are
things openpyxl cannot write (or would silently normalise): control characters escaped as
``_x0007_``, cached formula values, ``s=""`` attributes, a shared-strings part whose name differs
in case from its relationship target, a workbook part outside ``xl/``, unparsable XML in an extra
sheet, ``1e999`` in a numeric cell.

``build_odd_books(folder)`` writes them all and returns ``{case name: path to run commands on}``.
A few cases are folders (a book with lock files beside it) or symlinks.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

from lxml import etree

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
OFFICE_DOCUMENT = f"{REL}/officeDocument"
SHARED_STRINGS = f"{REL}/sharedStrings"
WORKSHEET_REL = f"{REL}/worksheet"
WORKSHEET_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
SHARED_STRINGS_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
SHEET_MAIN_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"

AS_OF = date(2026, 11, 20)
N_CUSTOMERS = 12

# CT_Worksheet child order (ECMA-376 Part 1, 18.3.1.99), for inserting elements where Excel expects them.
_WORKSHEET_ORDER = [
    "sheetPr",
    "dimension",
    "sheetViews",
    "sheetFormatPr",
    "cols",
    "sheetData",
    "sheetCalcPr",
    "sheetProtection",
    "protectedRanges",
    "scenarios",
    "autoFilter",
    "sortState",
    "dataConsolidate",
    "customSheetViews",
    "mergeCells",
    "phoneticPr",
    "conditionalFormatting",
    "dataValidations",
    "hyperlinks",
    "printOptions",
    "pageMargins",
    "pageSetup",
    "headerFooter",
    "rowBreaks",
    "colBreaks",
    "customProperties",
    "cellWatches",
    "ignoredErrors",
    "smartTags",
    "drawing",
    "legacyDrawing",
    "legacyDrawingHF",
    "picture",
    "oleObjects",
    "controls",
    "webPublishItems",
    "tableParts",
    "extLst",
]


def q(tag: str) -> str:
    """The Clark name of a SpreadsheetML main-namespace tag."""
    return f"{{{MAIN}}}{tag}"


# ------------------------------------------------------------------ package access


class Package:
    """An .xlsx as an ordered mapping of part name → bytes, with just enough OPC to find parts."""

    def __init__(self, path: Path) -> None:
        with zipfile.ZipFile(path) as zf:
            self.parts: dict[str, bytes] = {i.filename: zf.read(i) for i in zf.infolist()}

    def save(self, path: Path) -> Path:
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, data in self.parts.items():
                zf.writestr(name, data)
        return path

    def xml(self, part: str) -> etree._Element:
        return etree.fromstring(self.parts[part])

    def put_xml(self, part: str, root: etree._Element) -> None:
        self.parts[part] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    @staticmethod
    def rels_of(part: str) -> str:
        folder, base = posixpath.split(part)
        return posixpath.join(folder, "_rels", base + ".rels")

    def workbook_part(self) -> str:
        root = self.xml("_rels/.rels")
        rel = next(r for r in root if r.get("Type") == OFFICE_DOCUMENT)
        return rel.get("Target").lstrip("/")

    def resolve(self, source: str, target: str) -> str:
        if target.startswith("/"):
            return target.lstrip("/")
        return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))

    def sheet_parts(self) -> dict[str, str]:
        wb_part = self.workbook_part()
        wb = self.xml(wb_part)
        rels = {r.get("Id"): r.get("Target") for r in self.xml(self.rels_of(wb_part))}
        return {s.get("name"): self.resolve(wb_part, rels[s.get(f"{{{REL}}}id")]) for s in wb.iter(q("sheet"))}

    def edit_sheet(self, name: str, change: Callable[[etree._Element], None]) -> None:
        part = self.sheet_parts()[name]
        root = self.xml(part)
        change(root)
        self.put_xml(part, root)


# ------------------------------------------------------------------ cell helpers (on a worksheet root)


def col_letters(n: int) -> str:
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def col_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def last_row(ws: etree._Element) -> int:
    return max(int(r.get("r")) for r in ws.find(q("sheetData")))


def cell_text(c: etree._Element) -> str | None:
    t = c.find(f"{q('is')}/{q('t')}")
    if t is not None:
        return t.text or ""
    v = c.find(q("v"))
    return v.text if v is not None else None


def column_of(ws: etree._Element, header: str, header_row: int = 1) -> str:
    """The column letters of the cell in *header_row* whose text is *header*."""
    for row in ws.iter(q("row")):
        if int(row.get("r")) == header_row:
            for c in row:
                if cell_text(c) == header:
                    return re.match(r"[A-Z]+", c.get("r")).group(0)
    raise KeyError(header)


def get_cell(ws: etree._Element, ref: str) -> etree._Element:
    """The ``<c>`` at *ref*, created (in column order, in an existing or new row) when absent."""
    letters, number = re.fullmatch(r"([A-Z]+)(\d+)", ref).groups()
    data = ws.find(q("sheetData"))
    row = next((r for r in data if int(r.get("r")) == int(number)), None)
    if row is None:
        row = etree.Element(q("row"), r=number)
        later = next((r for r in data if int(r.get("r")) > int(number)), None)
        if later is None:
            data.append(row)
        else:
            later.addprevious(row)
    for c in row:
        here = re.match(r"[A-Z]+", c.get("r")).group(0)
        if here == letters:
            return c
        if col_number(here) > col_number(letters):
            new = etree.Element(q("c"), r=ref)
            c.addprevious(new)
            return new
    new = etree.SubElement(row, q("c"), r=ref)
    return new


def _clear(c: etree._Element) -> None:
    for child in list(c):
        c.remove(child)
    c.attrib.pop("t", None)


def set_text(ws: etree._Element, ref: str, text: str) -> None:
    """An inline string; control characters are escaped the OOXML way (``_x0007_``), as Excel does."""
    c = get_cell(ws, ref)
    _clear(c)
    c.set("t", "inlineStr")
    t = etree.SubElement(etree.SubElement(c, q("is")), q("t"))
    t.text = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", lambda m: f"_x{ord(m.group(0)):04X}_", text)
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


def set_number(ws: etree._Element, ref: str, literal: str) -> None:
    """A numeric cell holding exactly *literal* (``1e999`` included) in ``<v>``."""
    c = get_cell(ws, ref)
    _clear(c)
    etree.SubElement(c, q("v")).text = literal


def set_formula(ws: etree._Element, ref: str, formula: str, cached: str | None, string: bool = False) -> None:
    """A formula cell with (or without) a cached value."""
    c = get_cell(ws, ref)
    _clear(c)
    if string:
        c.set("t", "str")
    etree.SubElement(c, q("f")).text = formula
    if cached is not None:
        etree.SubElement(c, q("v")).text = cached


def insert_in_order(ws: etree._Element, element: etree._Element) -> None:
    """Insert a worksheet child where CT_Worksheet's sequence puts it."""
    rank = _WORKSHEET_ORDER.index(etree.QName(element).localname)
    for child in ws:
        name = etree.QName(child).localname
        if name in _WORKSHEET_ORDER and _WORKSHEET_ORDER.index(name) > rank:
            child.addprevious(element)
            return
    ws.append(element)


def merge(ws: etree._Element, rng: str) -> None:
    """Merge *rng*; the cells other than the top-left are emptied, as Excel does."""
    merged = ws.find(q("mergeCells"))
    if merged is None:
        merged = etree.Element(q("mergeCells"))
        insert_in_order(ws, merged)
    etree.SubElement(merged, q("mergeCell"), ref=rng)
    merged.set("count", str(len(merged)))
    (c1, r1), (c2, r2) = (re.fullmatch(r"([A-Z]+)(\d+)", p).groups() for p in rng.split(":"))
    for r in range(int(r1), int(r2) + 1):
        for col in range(col_number(c1), col_number(c2) + 1):
            if (r, col) != (int(r1), col_number(c1)):
                _clear(get_cell(ws, f"{col_letters(col)}{r}"))


def compact(ws: etree._Element) -> None:
    """Drop the pre-formatted empty rows below the data (keeps the sweep fast; staff books rarely have them)."""
    data = ws.find(q("sheetData"))
    last = 0
    for row in data:
        if any(c.find(q("v")) is not None or c.find(q("is")) is not None or c.find(q("f")) is not None for c in row):
            last = int(row.get("r"))
    for row in list(data):
        if int(row.get("r")) > last:
            data.remove(row)
    dim = ws.find(q("dimension"))
    if dim is not None:
        ws.remove(dim)


def shift_rows(ws: etree._Element, by: int) -> None:
    """Move every row down by *by* rows (cell references too); ranges that would now be wrong go."""
    for row in ws.find(q("sheetData")):
        row.set("r", str(int(row.get("r")) + by))
        for c in row:
            letters, number = re.fullmatch(r"([A-Z]+)(\d+)", c.get("r")).groups()
            c.set("r", f"{letters}{int(number) + by}")
    for tag in ("autoFilter", "dataValidations", "conditionalFormatting", "sheetViews", "dimension", "legacyDrawing"):
        for el in ws.findall(q(tag)):
            ws.remove(el)


def shift_columns(ws: etree._Element, by: int) -> None:
    """Move every cell right by *by* columns; merged ranges and column formats (now wrong) go."""
    for row in ws.find(q("sheetData")):
        for c in row:
            letters, number = re.fullmatch(r"([A-Z]+)(\d+)", c.get("r")).groups()
            c.set("r", f"{col_letters(col_number(letters) + by)}{number}")
    for el in ws.findall(q("mergeCells")) + ws.findall(q("cols")):
        ws.remove(el)


# ------------------------------------------------------------------ the base book


def build_base(folder: Path) -> Path:
    """The valid 12-customer sample, its empty pre-formatted rows removed."""
    from xlcrm.sample import generate_sample
    from xlcrm.writing.template import write_standard_workbook

    raw = write_standard_workbook(folder / "_base_raw.xlsx", generate_sample(N_CUSTOMERS, 7, AS_OF), force=True)
    pkg = Package(raw)
    for name in pkg.sheet_parts():
        pkg.edit_sheet(name, compact)
    raw.unlink()
    return pkg.save(folder / "_base.xlsx")


# ------------------------------------------------------------------ the odd cases


def _merged(pkg: Package) -> None:
    def followups(ws: etree._Element) -> None:
        merge(ws, f"{column_of(ws, '客户名称')}2:{column_of(ws, '客户名称')}3")

    def customers(ws: etree._Element) -> None:
        col = column_of(ws, "备注")
        set_text(ws, f"{col}2", "两行共用的备注")
        merge(ws, f"{col}2:{col}3")

    pkg.edit_sheet("跟进记录", followups)
    pkg.edit_sheet("客户信息", customers)


def _control_chars(pkg: Package) -> None:
    def followups(ws: etree._Element) -> None:
        set_text(ws, f"{column_of(ws, '沟通内容')}2", "客户说\x07明天\x01再联系\x1b[31m红色\x1b[0m结束")
        set_text(ws, f"{column_of(ws, '下一步行动')}3", "\x1b]0;标题\x07发送资料")
        set_text(ws, f"{column_of(ws, '跟进方式')}4", "电话\x1b[2J\x07")  # not an option: echoed in the message

    def customers(ws: etree._Element) -> None:
        set_text(ws, f"{column_of(ws, '备注')}2", "\x1f备注\x01\x02\x03\x07")

    pkg.edit_sheet("跟进记录", followups)
    pkg.edit_sheet("客户信息", customers)


def _extreme_dates(pkg: Package) -> None:
    def campaigns(ws: etree._Element) -> None:
        set_number(ws, f"{column_of(ws, '结束日期')}2", "2958465")  # 9999-12-31

    def followups(ws: etree._Element) -> None:
        set_number(ws, f"{column_of(ws, '下一步计划日期')}2", "2958465")

    def customers(ws: etree._Element) -> None:
        set_number(ws, f"{column_of(ws, '首次合作日期')}2", "1")  # 1900-01-01
        set_text(ws, f"{column_of(ws, '建档日期')}3", "1900-01-01")

    def tasks(ws: etree._Element) -> None:
        set_number(ws, f"{column_of(ws, '截止日期')}2", "2958464")

    pkg.edit_sheet("维护活动", campaigns)
    pkg.edit_sheet("跟进记录", followups)
    pkg.edit_sheet("客户信息", customers)
    pkg.edit_sheet("活动任务", tasks)


def _formulas(pkg: Package) -> None:
    def campaigns(ws: etree._Element) -> None:
        set_formula(ws, f"{column_of(ws, '实际花费(元)')}2", "1000*3", "3000")
        set_formula(ws, f"{column_of(ws, '目标值')}2", "10+5", "15")

    def customers(ws: etree._Element) -> None:
        set_formula(ws, f"{column_of(ws, '状态标签')}2", '"正"&"常"', "正常", string=True)
        set_formula(ws, f"{column_of(ws, '备注')}3", '"未"&"缓存"', None, string=True)

    pkg.edit_sheet("维护活动", campaigns)
    pkg.edit_sheet("客户信息", customers)


def _long_name(pkg: Package) -> None:
    name = ("客户关怀季度专项回访活动" * 20)[:200]
    pkg.edit_sheet("维护活动", lambda ws: set_text(ws, f"{column_of(ws, '活动名称')}2", name))


def _dollar_labels(pkg: Package) -> None:
    def feedback(ws: etree._Element) -> None:
        col = column_of(ws, "责任部门")
        for r in range(2, last_row(ws) + 1):
            set_text(ws, f"{col}{r}", "$x^2$售后部" if r % 2 else "$\\alpha$")

    def customers(ws: etree._Element) -> None:
        col = column_of(ws, "客户经理")
        for r in range(2, last_row(ws) + 1):
            set_text(ws, f"{col}{r}", "$王$静" if r % 2 else "$\\frac{1}{0}$")

    def campaigns(ws: etree._Element) -> None:
        col = column_of(ws, "活动名称")
        for r in range(2, last_row(ws) + 1):
            set_text(ws, f"{col}{r}", f"$x^$回访活动{r}")  # not even valid mathtext

    pkg.edit_sheet("反馈处理", feedback)
    pkg.edit_sheet("客户信息", customers)
    pkg.edit_sheet("维护活动", campaigns)


def _header_row_25(pkg: Package) -> None:
    def tasks(ws: etree._Element) -> None:
        shift_rows(ws, 24)
        set_text(ws, "A1", "活动任务表（2026年）")

    pkg.edit_sheet("活动任务", tasks)


def _to_shared_strings(pkg: Package, part_name: str, target: str) -> None:
    """Move every inline string into a shared-strings part called *part_name* (relationship *target*)."""
    table: dict[str, int] = {}

    def convert(ws: etree._Element) -> None:
        for c in ws.iter(q("c")):
            if c.get("t") == "inlineStr" and c.find(q("is")) is not None:
                text = "".join(c.find(q("is")).itertext())
                index = table.setdefault(text, len(table))
                _clear(c)
                c.set("t", "s")
                etree.SubElement(c, q("v")).text = str(index)

    for name in pkg.sheet_parts():
        pkg.edit_sheet(name, convert)
    sst = etree.Element(q("sst"), nsmap={None: MAIN}, count=str(len(table)), uniqueCount=str(len(table)))
    for text in table:
        t = etree.SubElement(etree.SubElement(sst, q("si")), q("t"))
        t.text = text
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    pkg.put_xml(part_name, sst)
    wb_part = pkg.workbook_part()
    rels = pkg.xml(pkg.rels_of(wb_part))
    etree.SubElement(rels, f"{{{PKG_REL}}}Relationship", Id="rIdSst", Type=SHARED_STRINGS, Target=target)
    pkg.put_xml(pkg.rels_of(wb_part), rels)
    types = pkg.xml("[Content_Types].xml")
    etree.SubElement(
        types,
        f"{{{CT}}}Override",
        PartName="/" + posixpath.join(posixpath.dirname(wb_part), target),
        ContentType=SHARED_STRINGS_CT,
    )
    pkg.put_xml("[Content_Types].xml", types)


def _shared_strings_case(pkg: Package) -> None:
    # OPC part names compare case-insensitively: the relationship says sharedStrings.xml, the zip
    # entry is SharedStrings.xml (some generators write it so; Excel opens it).
    _to_shared_strings(pkg, "xl/SharedStrings.xml", "sharedStrings.xml")


def _empty_style(pkg: Package) -> None:
    def followups(ws: etree._Element) -> None:
        for col in ("客户名称", "沟通内容", "跟进人", "跟进方式"):
            for r in (2, 3, 4):
                get_cell(ws, f"{column_of(ws, col)}{r}").set("s", "")

    pkg.edit_sheet("跟进记录", followups)


def _broken_extra_sheet(pkg: Package) -> None:
    wb_part = pkg.workbook_part()
    part = posixpath.join(posixpath.dirname(wb_part), "worksheets", "sheet99.xml")
    pkg.parts[part] = (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>草稿</t></is></c></row><row r="2"><c r="A2">'
        "</sheetData></worksheet"
    ).encode()
    wb = pkg.xml(wb_part)
    sheets = wb.find(q("sheets"))
    etree.SubElement(sheets, q("sheet"), {"name": "草稿备用", "sheetId": "99", f"{{{REL}}}id": "rIdBroken"})
    pkg.put_xml(wb_part, wb)
    rels = pkg.xml(pkg.rels_of(wb_part))
    etree.SubElement(rels, f"{{{PKG_REL}}}Relationship", Id="rIdBroken", Type=WORKSHEET_REL, Target="/" + part)
    pkg.put_xml(pkg.rels_of(wb_part), rels)
    types = pkg.xml("[Content_Types].xml")
    etree.SubElement(types, f"{{{CT}}}Override", PartName="/" + part, ContentType=WORKSHEET_CT)
    pkg.put_xml("[Content_Types].xml", types)


def _infinite(pkg: Package) -> None:
    def customers(ws: etree._Element) -> None:
        set_number(ws, f"{column_of(ws, '近12月消费金额')}2", "1e999")

    def campaigns(ws: etree._Element) -> None:
        set_text(ws, f"{column_of(ws, '预算(元)')}2", "inf")
        set_text(ws, f"{column_of(ws, '目标值')}2", "NaN")
        set_text(ws, f"{column_of(ws, '实际值')}2", "-inf")

    def feedback(ws: etree._Element) -> None:
        set_number(ws, f"{column_of(ws, '满意度评分')}2", "-1e999")

    pkg.edit_sheet("客户信息", customers)
    pkg.edit_sheet("维护活动", campaigns)
    pkg.edit_sheet("反馈处理", feedback)


def _date_cell_overflow(pkg: Package) -> None:
    """Numbers no date can hold, in date-formatted cells (the cell styles stay as the template made them)."""

    def customers(ws: etree._Element) -> None:
        set_number(ws, f"{column_of(ws, '建档日期')}2", "-1e999")
        set_number(ws, f"{column_of(ws, '最近消费日期')}3", "-99999999999999")

    def followups(ws: etree._Element) -> None:
        set_number(ws, f"{column_of(ws, '跟进时间')}2", "-INF")
        set_number(ws, f"{column_of(ws, '录入日期')}3", "NaN")

    def feedback(ws: etree._Element) -> None:
        set_number(ws, f"{column_of(ws, '接收时间')}3", "NaN")  # alone in its sheet, the engine reads 1899-12-30

    pkg.edit_sheet("客户信息", customers)
    pkg.edit_sheet("跟进记录", followups)
    pkg.edit_sheet("反馈处理", feedback)


def _workbook_elsewhere(pkg: Package) -> None:
    """Keep the workbook part at ``book/main.xml``: valid OPC, found only through ``_rels/.rels``."""
    old = pkg.workbook_part()
    new = "book/main.xml"
    rels = pkg.xml(pkg.rels_of(old))
    for r in rels:  # make every target absolute so it survives the move
        if r.get("TargetMode") != "External":
            r.set("Target", "/" + pkg.resolve(old, r.get("Target")))
    pkg.parts[new] = pkg.parts.pop(old)
    del pkg.parts[pkg.rels_of(old)]
    pkg.put_xml(pkg.rels_of(new), rels)
    root = pkg.xml("_rels/.rels")
    for r in root:
        if r.get("Type") == OFFICE_DOCUMENT:
            r.set("Target", new)
    pkg.put_xml("_rels/.rels", root)
    types = pkg.xml("[Content_Types].xml")
    for o in types:
        if o.get("PartName") == "/" + old:
            o.set("PartName", "/" + new)
    pkg.put_xml("[Content_Types].xml", types)


def _history_visible(pkg: Package) -> None:
    """A staff sheet that happens to be called like xlcrm's hidden history sheet."""
    wb_part = pkg.workbook_part()
    part = posixpath.join(posixpath.dirname(wb_part), "worksheets", "sheet_staff.xml")
    pkg.parts[part] = (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>我的工作日志</t></is></c></row>'
        '<row r="2"><c r="A2" t="inlineStr"><is><t>11月回访了三家客户</t></is></c></row>'
        "</sheetData></worksheet>"
    ).encode()
    wb = pkg.xml(wb_part)
    etree.SubElement(
        wb.find(q("sheets")), q("sheet"), {"name": "xlcrm_历史", "sheetId": "98", f"{{{REL}}}id": "rIdStaff"}
    )
    pkg.put_xml(wb_part, wb)
    rels = pkg.xml(pkg.rels_of(wb_part))
    etree.SubElement(rels, f"{{{PKG_REL}}}Relationship", Id="rIdStaff", Type=WORKSHEET_REL, Target="/" + part)
    pkg.put_xml(pkg.rels_of(wb_part), rels)
    types = pkg.xml("[Content_Types].xml")
    etree.SubElement(types, f"{{{CT}}}Override", PartName="/" + part, ContentType=WORKSHEET_CT)
    pkg.put_xml("[Content_Types].xml", types)


PACKAGE_CASES: dict[str, Callable[[Package], None]] = {
    "merged": _merged,
    "control_chars": _control_chars,
    "extreme_dates": _extreme_dates,
    "formulas_cached": _formulas,
    "long_campaign_name": _long_name,
    "dollar_labels": _dollar_labels,
    "header_row_25": _header_row_25,
    "shared_strings_case": _shared_strings_case,
    "empty_style": _empty_style,
    "broken_extra_sheet": _broken_extra_sheet,
    "infinite_numbers": _infinite,
    "date_cell_overflow": _date_cell_overflow,
    "workbook_elsewhere": _workbook_elsewhere,
    "history_sheet_visible": _history_visible,
}

#: Every case name ``build_odd_books`` produces, in a stable order.
CASES = [*PACKAGE_CASES, "excel_lock", "libreoffice_lock", "symlink"]


def build_odd_books(folder: Path) -> dict[str, Path]:
    """Write every odd book under *folder*; each case gets its own sub-folder (reports scan folders)."""
    folder.mkdir(parents=True, exist_ok=True)
    base = build_base(folder)
    books: dict[str, Path] = {}
    for name, mutate in PACKAGE_CASES.items():
        pkg = Package(base)
        mutate(pkg)
        (folder / name).mkdir()
        books[name] = pkg.save(folder / name / f"{name}.xlsx")
    for name, lock in (("excel_lock", "~${}"), ("libreoffice_lock", ".~lock.{}#")):
        (folder / name).mkdir()
        book = folder / name / "客户维护.xlsx"
        book.write_bytes(base.read_bytes())
        # What Excel and LibreOffice really leave: a small owner record, not a workbook.
        (folder / name / lock.format(book.name)).write_bytes(
            b"\x06zhangsan" + b" " * 40
            if lock.startswith("~")
            else "张三,DESKTOP-1,张三,30.11.2026 09:00,file:///;\n".encode()
        )
        books[name] = book
    (folder / "symlink").mkdir()
    real = folder / "symlink" / "real.xlsx"
    real.write_bytes(base.read_bytes())
    link = folder / "symlink" / "link.xlsx"
    link.symlink_to(real.name)
    books["symlink"] = link
    return books
