"""SPEC §3 value coercion: every accepted text form, the edge cases, warnings and errors."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

import pytest

from xlcrm.reading.coerce import (
    BLANK,
    CoerceResult,
    fold,
    parse_date,
    parse_datetime,
    parse_enum,
    parse_number,
    parse_person,
    parse_text,
)

D = date(2024, 6, 1)
DT = datetime(2024, 6, 1, 14, 30)
WARN_DATE = ("value.text_date", "warning")
WARN_NUM = ("value.text_number", "warning")
TYPE = (None, "value.type", "error")


def flat(result: CoerceResult) -> tuple:
    return (result.value, result.code, result.severity)


# ------------------------------------------------------------------ dates

TEXT_DATES = [
    "2024-06-01",
    "2024-6-1",
    "2024/6/1",
    "2024/06/01",
    "2024.6.1",
    "2024年6月1日",
    "2024年6月1",
    "2024 年 6 月 1 日",
    "20240601",
    " 2024-06-01 ",
    "２０２４－０６－０１",
    "２０２４年６月１日",
    "２０２４０６０１",
]

TEXT_DATETIMES = [
    "2024-06-01 14:30",
    "2024-06-01 14:30:00",
    "2024-06-01T14:30:00",
    "2024/6/1 14:30",
    "2024.6.1 14:30",
    "20240601 14:30",
    "2024年6月1日 14:30",
    "2024年6月1日14时30分",
    "2024年6月1日 14时30分",
    "2024年6月1日 14时30分00秒",
    "2024-06-01 14时30分",
    "2024-06-01  14:30",
    "２０２４－０６－０１　１４：３０",
]


@pytest.mark.parametrize("text", TEXT_DATES)
def test_text_dates(text):
    assert flat(parse_date(text)) == (D, *WARN_DATE)
    assert flat(parse_datetime(text)) == (datetime(2024, 6, 1), *WARN_DATE)


@pytest.mark.parametrize("text", TEXT_DATETIMES)
def test_text_datetimes(text):
    assert flat(parse_datetime(text)) == (DT, *WARN_DATE)
    assert flat(parse_date(text)) == (D, *WARN_DATE)


def test_seconds_and_fractions():
    assert parse_datetime("2024-06-01 14:30:15").value == datetime(2024, 6, 1, 14, 30, 15)
    assert parse_datetime("2024-06-01 14:30:15.5").value == datetime(2024, 6, 1, 14, 30, 15, 500000)
    assert parse_datetime("2024年6月1日 9时5分7秒").value == datetime(2024, 6, 1, 9, 5, 7)


@pytest.mark.parametrize(
    "text",
    [
        "明天",
        "2024-13-01",
        "2024-02-30",
        "2023-02-29",
        "2024-00-10",
        "2024-06",
        "2024-06/01",
        "24-06-01",
        "06/01/2024",
        "2024060",
        "202406011",
        "2024-06-01 25:00",
        "2024-06-01 14:60",
        "2024-06-01 14",
        "2024-06-01 14时",
        "2024-06-0114:30",
        "2024-06-01 下午",
        "2024-06-01x",
    ],
)
def test_unparsable_dates(text):
    assert flat(parse_date(text)) == TYPE
    assert flat(parse_datetime(text)) == TYPE


def test_leap_day_text():
    assert parse_date("2024-02-29").value == date(2024, 2, 29)


def test_date_cells_before_1900_are_type_errors():
    # the engine reads NaN in a date cell as 1899-12-30; Excel itself cannot hold such a day
    assert flat(parse_date(datetime(1899, 12, 30))) == TYPE
    assert flat(parse_datetime(datetime(1899, 12, 30))) == TYPE
    assert flat(parse_date(date(1899, 12, 31))) == TYPE
    assert flat(parse_date(datetime(1900, 1, 1))) == (date(1900, 1, 1), None, None)


def test_real_date_cells_are_clean():
    assert flat(parse_date(D)) == (D, None, None)
    assert flat(parse_date(DT)) == (D, None, None)
    assert flat(parse_datetime(DT)) == (DT, None, None)
    assert flat(parse_datetime(D)) == (datetime(2024, 6, 1), None, None)


@pytest.mark.parametrize(
    ("serial", "expected"),
    [
        (45444, datetime(2024, 6, 1)),
        (45444.0, datetime(2024, 6, 1)),
        (45444.6041666667, datetime(2024, 6, 1, 14, 30)),
        (45444.999999999, datetime(2024, 6, 2)),  # rounds to the next midnight (ms precision)
        (61, datetime(1900, 3, 1)),
        (59, datetime(1900, 2, 28)),
        (1, datetime(1900, 1, 1)),
        (2958465, datetime(9999, 12, 31)),
    ],
)
def test_excel_serials_in_date_formatted_cells(serial, expected):
    assert flat(parse_datetime(serial, is_date_format=True)) == (expected, None, None)
    assert flat(parse_date(serial, is_date_format=True)) == (expected.date(), None, None)


def test_1904_date_system():
    assert parse_date(0.5, is_date_format=True, date1904=True).value == date(1904, 1, 1)
    assert parse_date(45444 - 1462, is_date_format=True, date1904=True).value == D


@pytest.mark.parametrize("serial", [0, -1, 60, 2958466, 1e12, float("nan"), float("inf")])
def test_impossible_serials(serial):
    assert flat(parse_date(serial, is_date_format=True)) == TYPE


def test_numbers_in_general_cells_are_not_dates():
    assert flat(parse_date(45444)) == TYPE
    assert flat(parse_date(45444.5)) == TYPE
    # an 8-digit number typed into a General cell reads like the text 20240601
    assert flat(parse_date(20240601)) == (D, *WARN_DATE)
    assert flat(parse_date(20241301)) == TYPE


@pytest.mark.parametrize("value", [True, False, time(14, 30), b"2024-06-01", [2024, 6, 1]])
def test_other_types_are_not_dates(value):
    assert flat(parse_date(value)) == TYPE
    assert flat(parse_datetime(value)) == TYPE


@pytest.mark.parametrize("value", [None, "", "   ", "\u3000"])
def test_blank_is_clean_none(value):
    for result in (
        parse_date(value),
        parse_datetime(value),
        parse_number(value),
        parse_number(value, integer=True),
        parse_text(value),
        parse_enum(value, ("是", "否")),
    ):
        assert result == BLANK
        assert result.ok


# ------------------------------------------------------------------ numbers


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1200", 1200),
        ("1,200", 1200),
        ("1,200,000", 1200000),
        ("1200元", 1200),
        ("1,200.50元", 1200.5),
        ("¥1,200.00", 1200.0),
        ("￥1200", 1200),
        ("¥ 1200", 1200),
        ("１２００", 1200),
        ("１，２００．５", 1200.5),
        ("15%", 0.15),
        ("15.5%", 0.155),
        ("１５％", 0.15),
        ("-3", -3),
        ("+3", 3),
        ("-¥3", -3),
        ("¥-3", -3),
        (" 12 ", 12),
        ("0.5", 0.5),
        (".5", 0.5),
        ("0", 0),
    ],
)
def test_text_numbers(text, expected):
    result = parse_number(text)
    assert flat(result) == (expected, *WARN_NUM)
    assert type(result.value) is type(expected)


@pytest.mark.parametrize(
    "text",
    [
        "abc",
        "1,20",
        "12,34,567",
        "1.2.3",
        "+-3",
        "--3",
        "%",
        "元",
        "¥",
        "1e3",
        "1 200",
        "一千",
        "1.2万",
        "12.",
        "15%元",
        "3-",
    ],
)
def test_unparsable_numbers(text):
    assert flat(parse_number(text)) == TYPE


@pytest.mark.parametrize(
    ("value", "expected"),
    [(1200, 1200), (12.5, 12.5), (0, 0), (-3, -3), (Decimal("2.5"), 2.5)],
)
def test_numeric_cells_are_clean(value, expected):
    assert flat(parse_number(value)) == (expected, None, None)


@pytest.mark.parametrize("value", [True, False, float("nan"), float("inf"), D, DT, time(1, 0), b"12"])
def test_not_numbers(value):
    assert flat(parse_number(value)) == TYPE


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (3, (3, None, None)),
        (3.0, (3, None, None)),
        ("3", (3, *WARN_NUM)),
        ("1,200.00", (1200, *WARN_NUM)),
        ("-2", (-2, *WARN_NUM)),
    ],
)
def test_integers(value, expected):
    result = parse_number(value, integer=True)
    assert flat(result) == expected
    assert type(result.value) is int


@pytest.mark.parametrize("value", [3.5, "3.5", "15%", "1,200.5元", True])
def test_non_integral_is_type_error_for_integer_fields(value):
    assert flat(parse_number(value, integer=True)) == TYPE


# ------------------------------------------------------------------ text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("  华信科技  ", "华信科技"),
        ("\u3000华信\u3000", "华信"),
        (13800138000, "13800138000"),
        (13800138000.0, "13800138000"),
        (42, "42"),
        (3.14, "3.14"),
        (0.1 + 0.2, "0.3"),
        (D, "2024-06-01"),
        (datetime(2024, 6, 1), "2024-06-01"),
        (DT, "2024-06-01 14:30:00"),
        (time(14, 30), "14:30:00"),
        (True, "TRUE"),
    ],
)
def test_text(value, expected):
    assert flat(parse_text(value)) == (expected, None, None)


@pytest.mark.parametrize("text", ["inf", "-inf", "Infinity", "NaN", "nan", "1e999", "-1e999"])
def test_non_finite_text_is_not_a_number(text):
    assert flat(parse_number(text)) == TYPE
    assert flat(parse_number(text, integer=True)) == TYPE


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("蒋 静", "蒋静"),
        ("蒋\u3000静", "蒋静"),
        (" 欧阳 \xa0 娜娜 ", "欧阳娜娜"),
        ("Li Lei", "Li Lei"),
        ("Li  Lei", "Li Lei"),
        ("蒋 Jing", "蒋 Jing"),
        ("张\x1f三", "张\x1f三"),  # a control character is not a space
    ],
)
def test_one_person_names_fold_spaces_between_chinese_characters(value, expected):
    assert flat(parse_person(value)) == (expected, None, None)


def test_text_keeps_control_characters():
    assert parse_text("\x1f备注\x07 ").value == "\x1f备注\x07"


def test_text_keeps_full_width_characters():
    # text fields are trimmed only; folding is for matching, not for what is stored
    assert parse_text("ＡＢＣ（北京）").value == "ＡＢＣ（北京）"


# ------------------------------------------------------------------ enums

STAGES = ("潜在", "意向", "已合作", "暂停", "已流失")


@pytest.mark.parametrize("value", ["已合作", " 已合作 ", "已 合作", "\u3000已合作\u3000", "已\t合作"])
def test_enum_matches_after_folding(value):
    assert flat(parse_enum(value, STAGES)) == ("已合作", None, None)


@pytest.mark.parametrize(
    ("value", "allowed", "expected"),
    [
        ("ａ", ("A", "B", "C"), "A"),
        ("b", ("A", "B", "C"), "B"),
        ("Ａ类", ["全部", "A类", "B类"], "A类"),
        (1, ("1", "2"), "1"),
        (1.0, ("1", "2"), "1"),
    ],
)
def test_enum_canonical_value(value, allowed, expected):
    assert flat(parse_enum(value, allowed)) == (expected, None, None)


@pytest.mark.parametrize("value", ["已完成", "合作", "已合作了", "D", 3, True])
def test_enum_outside_the_list(value):
    assert flat(parse_enum(value, STAGES + ("A",))) == (None, "value.enum", "error")
    assert not parse_enum(value, STAGES).ok


def test_fold():
    assert fold("  １２３ＡＢ　") == "123AB"
    assert fold(" abc ") == "abc"


def test_results_are_frozen():
    result = parse_number("1,200")
    with pytest.raises(AttributeError):
        result.value = 1  # type: ignore[misc]
