"""Workbooks carrying Excel features a re-save would lose, built with xlsxwriter, plus our five sheets.

``build_feature_book`` writes the five data sheets (input columns only, so enrich appends every
computed column) from the sample generator, and next to them a sheet and a chartsheet with charts,
an image, sparklines, x14 conditional formats, data validations, a table, formatted comments,
buttons, cell checkboxes, a text box, formulas with cached values, a date-like number in a
date-formatted cell, rich text, ``_x0041_`` literals, sheet protection with allow-edit ranges,
document properties, a defined name; optionally VBA (.xlsm) and a custom XML part.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import xlsxwriter

from xlcrm.sample import generate_sample
from xlcrm.schema import DATA_SHEETS

# Not a working VBA project (no public one ships with xlsxwriter or openpyxl); the writer must
# carry the part byte for byte whatever it holds, which is what the tests check.
FAKE_VBA = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 8


def _png() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (24, 16), "teal").save(buf, "PNG")
    return buf.getvalue()


def _data_sheets(wb: Any, rows: dict[str, list[dict[str, Any]]]) -> None:
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    time_fmt = wb.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    for kind in DATA_SHEETS:
        ws = wb.add_worksheet(kind.name)
        fields = [f for f in kind.fields if not f.computed]
        for c, f in enumerate(fields):
            ws.write_string(0, c, f.header, head)
            ws.set_column(c, c, 14)
        for r, row in enumerate(rows.get(kind.key, []), start=1):
            for c, f in enumerate(fields):
                value = row.get(f.key)
                if value is None:
                    continue
                if isinstance(value, datetime):
                    ws.write_datetime(r, c, value, time_fmt)
                elif isinstance(value, date):
                    ws.write_datetime(r, c, datetime.combine(value, datetime.min.time()), date_fmt)
                elif isinstance(value, str):
                    ws.write_string(r, c, value)
                else:
                    ws.write_number(r, c, value)
        ws.freeze_panes(1, 0)
        ws.autofilter(0, 0, max(1, len(rows.get(kind.key, []))), len(fields) - 1)
        if kind.key == "customers":
            ws.write_comment(
                "B3",
                "大客户，年底续约",
                {
                    "author": "张经理",
                    "color": "#CCFFCC",
                    "visible": True,
                    "font_name": "宋体",
                    "font_size": 12,
                    "width": 200,
                },
            )
            ws.data_validation("E2:E500", {"validate": "list", "source": ["大型", "中型", "小型", "微型"]})
            ws.conditional_format("O2:O500", {"type": "data_bar", "bar_solid": True, "bar_color": "#638EC6"})
            ws.set_row(2, 24)


def _feature_sheet(wb: Any, png: Path) -> None:
    ws = wb.add_worksheet("功能")
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    bold = wb.add_format({"bold": True, "font_color": "red"})
    unlocked = wb.add_format({"locked": False})
    for r in range(1, 7):
        ws.write_number(r, 0, r * 10)
        ws.write_number(r, 1, r * r)
    ws.write_formula("C2", "=SUM(A2:A7)", None, 210)
    ws.write_formula("C3", '=IF(A2>5,"大","小")', None, "大")
    ws.write_number("D2", 20240601, date_fmt)  # a date-like number typed by a person
    ws.write_rich_string("D3", "普通", bold, "加粗红字", "结尾")
    ws.write_string("D4", "字面 _x0041_ 不是 A")
    ws.write_string("D5", "换行\n第二行")
    ws.write_string("E2", "可编辑", unlocked)
    ws.add_sparkline("F2", {"range": "功能!A2:A7", "type": "column"})
    ws.conditional_format("B2:B7", {"type": "icon_set", "icon_style": "3_arrows"})
    ws.conditional_format("A2:A7", {"type": "data_bar", "bar_negative_color": "#FF0000", "data_bar_2010": True})
    ws.data_validation("G2", {"validate": "list", "source": "=客户信息!$E$2:$E$5"})
    ws.add_table("I2:J5", {"columns": [{"header": "项目"}, {"header": "金额"}], "name": "费用表"})
    chart = wb.add_chart({"type": "column"})
    chart.add_series({"values": "=功能!$A$2:$A$7", "name": "金额"})
    ws.insert_chart("L2", chart)
    ws.insert_image("L20", str(png))
    ws.insert_textbox("C10", "文本框：请勿删除", {"width": 200, "height": 60})
    ws.insert_button("A10", {"macro": "say_hello", "caption": "按钮"})
    ws.insert_checkbox("H2", True)
    ws.write_comment("A2", "带格式的批注", {"author": "李娜", "color": "#FFCC99", "font_size": 14, "x_scale": 2})
    ws.protect("", {"format_cells": True, "sort": True})
    ws.unprotect_range("E2:E9", "可编辑区")
    chartsheet = wb.add_chartsheet("图表页")
    chart2 = wb.add_chart({"type": "line"})
    chart2.add_series({"values": "=功能!$B$2:$B$7"})
    chartsheet.set_chart(chart2)


def build_feature_book(
    path: Path, *, customers: int = 20, seed: int = 3, as_of: date, vba: bool = False, custom_xml: bool = True
) -> Path:
    """Write the feature book to ``path`` (``.xlsm`` when ``vba``); returns ``path``."""
    rows = generate_sample(customers, seed, as_of)
    png = path.with_suffix(".png")
    png.write_bytes(_png())
    wb = xlsxwriter.Workbook(str(path))
    wb.set_properties({"title": "客户维护", "author": "客服部", "company": "华信科技"})
    wb.set_custom_property("部门", "客户成功部")
    _data_sheets(wb, rows)
    _feature_sheet(wb, png)
    wb.define_name("费用合计", "=功能!$C$2")
    if vba:
        vba_file = path.with_name("vbaProject.bin")
        vba_file.write_bytes(FAKE_VBA)
        wb.add_vba_project(str(vba_file))
    wb.close()
    if custom_xml:
        add_custom_xml(path)
    return path


def add_custom_xml(path: Path) -> None:
    """Add a custom XML data part (as Excel add-ins store data), related from the workbook."""
    with zipfile.ZipFile(path) as zf:
        entries = [(i, zf.read(i.filename)) for i in zf.infolist()]
    item = '<?xml version="1.0" encoding="UTF-8"?><客户数据 xmlns="urn:example:crm"><版本>3</版本></客户数据>'.encode()
    props = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="no"?><ds:datastoreItem '
        b'ds:itemID="{6D3C1A2B-1111-4C2B-9A3E-123456789ABC}" '
        b'xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml"><ds:schemaRefs/></ds:datastoreItem>'
    )
    item_rels = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships '
        b'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
        b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXmlProps" '
        b'Target="itemProps1.xml"/></Relationships>'
    )
    out: list[tuple[str, bytes]] = []
    for info, data in entries:
        if info.filename == "xl/_rels/workbook.xml.rels":
            data = data.replace(
                b"</Relationships>",
                b'<Relationship Id="rIdCx1" Type="http://schemas.openxmlformats.org/'
                b'officeDocument/2006/relationships/customXml" Target="../customXml/item1.xml"/></Relationships>',
            )
        if info.filename == "[Content_Types].xml":
            data = data.replace(
                b"</Types>",
                b'<Override PartName="/customXml/itemProps1.xml" ContentType="application/'
                b'vnd.openxmlformats-officedocument.customXmlProperties+xml"/></Types>',
            )
            if not re.search(rb'Extension="xml"', data):
                data = data.replace(b"</Types>", b'<Default Extension="xml" ContentType="application/xml"/></Types>')
        out.append((info.filename, data))
    out += [
        ("customXml/item1.xml", item),
        ("customXml/itemProps1.xml", props),
        ("customXml/_rels/item1.xml.rels", item_rels),
    ]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in out:
            zf.writestr(name, data)


def parts(path: Path) -> dict[str, bytes]:
    """Every zip entry's decompressed content, in zip order."""
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


_CELL = re.compile(rb"<c\b[^>]*?\br=\"([A-Z]+\d+)\"(?:[^>]*/>|.*?</c>)", re.S)


def cells_xml(sheet_xml: bytes) -> dict[str, bytes]:
    """A1 ref → the bytes of its ``<c>`` element."""
    return {m.group(1).decode(): m.group(0) for m in _CELL.finditer(sheet_xml)}


def outside_sheet_data(sheet_xml: bytes) -> tuple[bytes, bytes]:
    """(what comes before ``<sheetData>`` without dimension and cols, what comes after it)."""
    head, _, rest = sheet_xml.partition(b"<sheetData")
    tail = rest.partition(b"</sheetData>")[2]
    head = re.sub(rb"<dimension [^>]*/>", b"", head)
    head = re.sub(rb"<cols>.*?</cols>", b"", head, flags=re.S)
    return head, tail
