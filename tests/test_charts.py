"""Report charts: PNG output with Chinese text drawn by the shipped font (SPEC §6)."""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Callable
from importlib import resources
from pathlib import Path

import matplotlib
import pytest
from matplotlib import font_manager
from matplotlib.image import imread

from xlcrm.reporting import charts

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# level-1 and level-2 GB2312 hanzi (common in names), full-width punctuation and symbols
NAMES = ["张婷", "李倩", "王鑫", "赵琪", "陈怡然", "刘梓涵（华东）", "周妍①"]

CHARTS: dict[str, Callable[[], bytes]] = {
    "bar": lambda: charts.bar_chart("各客户经理跟进次数（10月）", NAMES, [12, 8, 15, 3, 0, 7.5, None], "次数"),
    "grouped": lambda: charts.grouped_bar_chart(
        "目标 vs 实际：达成率 → 95%",
        ["签约客户数", "满意度", "回款金额（万元）"],
        {"目标": [10, 90, 120], "实际": [12, 86.5, -3]},
    ),
    "pie": lambda: charts.pie_chart("客户分层分布", ["A类", "B类", "C类", "潜在"], [5, 20, 60, 2]),
    "pie_zero": lambda: charts.pie_chart("风险分布", ["高", "中", "低"], [0, 0, 0]),
    "line": lambda: charts.line_chart(
        "满意度趋势 × 月份", ["1月", "2月", "3月", "4月"], [88, None, 91.5, 85], "满意度（分）"
    ),
    "line_empty": lambda: charts.line_chart("满意度趋势", ["1月", "2月"], [None, None]),
    "bar_empty": lambda: charts.bar_chart("跟进次数", [], []),
}


def glyph_warnings(caught: list[warnings.WarningMessage]) -> list[str]:
    # matplotlib < 3.9 says "missing from current font", later versions "missing from font(s) …"
    return [str(w.message) for w in caught if re.search(r"missing from (current )?font", str(w.message))]


def test_font_and_licence_ship_inside_the_package() -> None:
    fonts = resources.files("xlcrm.reporting").joinpath("fonts")
    assert fonts.joinpath(charts.FONT_FILE).is_file()
    assert "SIL OPEN FONT LICENSE Version 1.1" in fonts.joinpath("OFL.txt").read_text("utf-8")
    assert charts.font_path().stat().st_size < 3_000_000


def test_registered_family_is_the_shipped_font() -> None:
    family = charts.register_font()
    assert family == "Noto Sans SC xlcrm"
    found = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
    assert Path(found).resolve() == charts.font_path().resolve()


@pytest.mark.parametrize("kind", sorted(CHARTS))
def test_chart_is_a_png_with_no_missing_glyph(kind: str, recwarn: pytest.WarningsRecorder) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        png = CHARTS[kind]()
    assert glyph_warnings(caught) == []
    assert glyph_warnings(list(recwarn)) == []
    assert png.startswith(PNG_SIGNATURE)
    height, width, _channels = imread(io.BytesIO(png)).shape
    assert (width, height) == (768, 348)  # 6.4 x 2.9 in at 120 dpi


def test_missing_glyph_would_be_caught() -> None:
    # proves the check above can fail: an Extension B ideograph is outside the subset
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        charts.bar_chart("\U00020000", ["A"], [1])
    assert glyph_warnings(caught)


@pytest.mark.parametrize("kind", ["bar", "pie", "line"])
def test_output_is_deterministic(kind: str) -> None:
    assert CHARTS[kind]() == CHARTS[kind]()


def test_all_zero_pie_says_no_data() -> None:
    with charts._chart_style():
        fig = charts._pie_figure("风险分布", ["高", "中"], [0, 0])
    assert [t.get_text() for t in fig.axes[0].texts] == [charts.NO_DATA]
    assert charts.pie_chart("风险分布", ["高", "中"], [0, 0]) != charts.pie_chart("风险分布", ["高", "中"], [1, 0])


def test_line_chart_keeps_gaps() -> None:
    with charts._chart_style():
        fig = charts._line_figure("满意度趋势", ["1月", "2月", "3月"], [80, None, 90], "")
    ys = list(fig.axes[0].lines[0].get_ydata())
    assert ys[0] == 80 and ys[2] == 90 and ys[1] != ys[1]  # NaN gap


def test_caller_matplotlib_settings_are_untouched() -> None:
    before = list(matplotlib.rcParams["font.family"])
    charts.bar_chart("跟进次数", ["A类"], [1])
    assert list(matplotlib.rcParams["font.family"]) == before


def test_mismatched_lengths_are_rejected() -> None:
    with pytest.raises(ValueError):
        charts.bar_chart("跟进次数", ["A类", "B类"], [1])


@pytest.mark.parametrize(("value", "text"), [(1234, "1,234"), (7.5, "7.5"), (86.46, "86.5"), (float("nan"), "")])
def test_value_labels(value: float, text: str) -> None:
    assert charts.format_value(value) == text
