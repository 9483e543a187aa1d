"""Report charts as PNG bytes, with Chinese text drawn by the font shipped in the package (SPEC §6).

Charts never depend on the fonts of the machine: the Noto Sans SC subset in ``fonts/`` is
registered with matplotlib and selected inside an ``rc_context``, so the caller's matplotlib
settings are left as they were. Figures are built with ``matplotlib.figure.Figure`` and the Agg
canvas directly (no pyplot global state); the output is deterministic for the same input.
"""

from __future__ import annotations

import atexit
import contextlib
import io
import math
import sys
from collections.abc import Iterator, Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path

import matplotlib
from cycler import cycler

if "matplotlib.pyplot" not in sys.modules:  # never switch an interactive session's backend
    matplotlib.use("Agg")

from matplotlib import font_manager  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

FONT_FILE = "NotoSansSC-xlcrm-subset.otf"
FALLBACK_FAMILY = "DejaVu Sans"  # bundled with matplotlib; only for symbols the subset lacks
NO_DATA = "暂无数据"
FIGSIZE = (6.4, 2.9)  # inches
DPI = 120
COLORS = ["#4472C4", "#ED7D31", "#A5A5A5", "#FFC000", "#5B9BD5", "#70AD47", "#264478", "#9E480E"]

Number = float | int | None

_files = contextlib.ExitStack()
atexit.register(_files.close)


def font_path() -> Path:
    """Path of the shipped CJK font file (extracted to a temporary file for a zipped install)."""
    return _font_path()


@lru_cache(maxsize=1)
def _font_path() -> Path:
    resource = resources.files("xlcrm.reporting").joinpath("fonts", FONT_FILE)
    return _files.enter_context(resources.as_file(resource))


@lru_cache(maxsize=1)
def register_font() -> str:
    """Register the shipped CJK font with matplotlib and return its family name."""
    path = font_path()
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


@contextlib.contextmanager
def _chart_style() -> Iterator[None]:
    """matplotlib settings for one chart; restored on exit."""
    family = register_font()
    with matplotlib.rc_context(
        {
            "font.family": [family, FALLBACK_FAMILY],
            "font.size": 9,
            "axes.titlesize": 11,
            "axes.unicode_minus": True,  # the subset has U+2212
            "text.parse_math": False,  # staff text such as "$预算$部" is printed, never read as TeX
            "axes.prop_cycle": cycler(color=COLORS),
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    ):
        yield


# Fixed margins (fractions of the figure) instead of a layout engine: constrained layout measured
# every text twice and took half the time of a report batch. Room for two-line category labels
# below, a title above, long wrapped names on the left of horizontal bars, a legend on the right.
MARGINS = {
    "bar": {"left": 0.05, "right": 0.98, "bottom": 0.2, "top": 0.87},
    "line": {"left": 0.09, "right": 0.98, "bottom": 0.12, "top": 0.87},
    "hbar": {"left": 0.27, "right": 0.95, "bottom": 0.16, "top": 0.87},
    "pie": {"left": 0.02, "right": 0.62, "bottom": 0.04, "top": 0.87},
}


def _new_figure(kind: str = "bar") -> tuple[Figure, Axes]:
    fig = Figure(figsize=FIGSIZE, dpi=DPI)
    FigureCanvasAgg(fig)
    fig.subplots_adjust(**MARGINS[kind])
    return fig, fig.add_subplot()


def _values_on_bars(ax: Axes) -> None:
    """Bars carry their values, so the value axis needs no ticks (fewer texts, a cleaner chart)."""
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)


def _to_png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    # zlib level 1: a third of the encoding time for a slightly larger file
    fig.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None}, pil_kwargs={"compress_level": 1})
    return buffer.getvalue()


def _clean(values: Sequence[Number]) -> list[float]:
    """Numbers as floats, with None (and non-finite values) as NaN: drawn as gaps."""
    out = []
    for value in values:
        number = math.nan if value is None else float(value)
        out.append(number if math.isfinite(number) else math.nan)
    return out


def format_value(value: float) -> str:
    """A bar label: whole numbers with thousands separators, others with one decimal."""
    if math.isnan(value):
        return ""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}"


def _no_data(fig: Figure, ax: Axes, title: str) -> Figure:
    ax.set_axis_off()
    ax.set_title(title)
    ax.text(0.5, 0.5, NO_DATA, ha="center", va="center", fontsize=14, color="#808080")
    return fig


def wrap_label(label: str, width: int = 6, lines: int = 2) -> str:
    """A category name on at most ``lines`` lines of ``width`` characters, cut with ``…``."""
    text = " ".join(str(label).split())
    chunks = [text[i : i + width] for i in range(0, len(text), width)] or [""]
    if len(chunks) > lines:
        chunks = chunks[:lines]
        chunks[-1] = chunks[-1][: width - 1] + "…"
    return "\n".join(chunks)


def _category_axis(ax: Axes, labels: Sequence[str]) -> None:
    # long names are wrapped onto two lines (never slanted into a wall of text)
    width = 6 if len(labels) <= 6 else 4
    ax.set_xticks(range(len(labels)), [wrap_label(label, width) for label in labels])
    ax.set_xlim(-0.5, len(labels) - 0.5)  # keep leading/trailing blank categories visible


def _check_lengths(labels: Sequence[str], values: Sequence[Number], name: str) -> None:
    if len(labels) != len(values):
        raise ValueError(f"{name}: {len(values)} values for {len(labels)} labels")


def _bar_figure(title: str, labels: Sequence[str], values: Sequence[Number], ylabel: str) -> Figure:
    _check_lengths(labels, values, "values")
    fig, ax = _new_figure()
    numbers = _clean(values)
    if not labels or all(math.isnan(v) for v in numbers):
        return _no_data(fig, ax, title)
    bars = ax.bar(range(len(labels)), numbers, color=COLORS[0], width=0.6)
    ax.bar_label(bars, labels=[format_value(v) for v in numbers], padding=2, fontsize=8)
    _category_axis(ax, labels)
    ax.set_title(f"{title}（{ylabel}）" if ylabel else title)
    _values_on_bars(ax)
    ax.margins(y=0.15)
    return fig


def _grouped_figure(title: str, labels: Sequence[str], series: dict[str, Sequence[Number]], ylabel: str) -> Figure:
    for name, values in series.items():
        _check_lengths(labels, values, name)
    fig, ax = _new_figure()
    cleaned = {name: _clean(values) for name, values in series.items()}
    if not labels or not cleaned or all(math.isnan(v) for vs in cleaned.values() for v in vs):
        return _no_data(fig, ax, title)
    width = 0.8 / len(cleaned)
    for index, (name, numbers) in enumerate(cleaned.items()):
        offset = (index - (len(cleaned) - 1) / 2) * width
        positions = [i + offset for i in range(len(labels))]
        bars = ax.bar(positions, numbers, width=width, label=name, color=COLORS[index % 8])
        ax.bar_label(bars, labels=[format_value(v) for v in numbers], padding=2, fontsize=7)
    _category_axis(ax, labels)
    ax.set_title(f"{title}（{ylabel}）" if ylabel else title)
    _values_on_bars(ax)
    ax.margins(y=0.15)
    ax.legend(frameon=False)
    return fig


def _percent_figure(title: str, labels: Sequence[str], series: dict[str, Sequence[Number]]) -> Figure:
    """Horizontal bars of rates in percent, one group per label, with the 100 % line."""
    for name, values in series.items():
        _check_lengths(labels, values, name)
    fig, ax = _new_figure("hbar")
    cleaned = {name: _clean(values) for name, values in series.items()}
    if not labels or all(math.isnan(v) for vs in cleaned.values() for v in vs):
        return _no_data(fig, ax, title)
    height = max(1.6, 0.9 + 0.45 * len(labels) * max(1, len(cleaned)) ** 0.5)
    fig.set_size_inches(FIGSIZE[0], height)
    fig.subplots_adjust(top=1 - 0.38 / height, bottom=0.42 / height)  # fixed room in inches
    height = 0.8 / len(cleaned)
    for index, (name, numbers) in enumerate(cleaned.items()):
        offset = (index - (len(cleaned) - 1) / 2) * height
        bars = ax.barh(
            [i + offset for i in range(len(labels))], numbers, height=height, label=name, color=COLORS[index % 8]
        )
        ax.bar_label(bars, labels=["" if math.isnan(v) else f"{v:.1f}%" for v in numbers], padding=2, fontsize=7)
    ax.axvline(100, color="#808080", linewidth=0.8, linestyle="--")
    ax.set_yticks(range(len(labels)), [wrap_label(label, 12) for label in labels])
    ax.invert_yaxis()
    ax.set_xticks([100], ["100%"])  # the bars carry their values; only the target line is marked
    ax.margins(x=0.15)
    ax.set_title(title)
    if len(cleaned) > 1:
        ax.legend(frameon=False, fontsize=8, loc="lower right")
    return fig


def _pie_figure(title: str, labels: Sequence[str], values: Sequence[Number]) -> Figure:
    _check_lengths(labels, values, "values")
    fig, ax = _new_figure("pie")
    # a slice must be a positive amount; zero, blank and negative entries are left out
    slices = [(str(label), v) for label, v in zip(labels, _clean(values), strict=True) if v > 0]
    if not slices:
        return _no_data(fig, ax, title)
    wedges, _texts, _autotexts = ax.pie(
        [v for _, v in slices],
        colors=[COLORS[i % len(COLORS)] for i in range(len(slices))],
        autopct=lambda pct: f"{pct:.1f}%" if pct >= 3 else "",
        startangle=90,
        counterclock=False,
        pctdistance=0.7,
        textprops={"fontsize": 8, "color": "white"},
        wedgeprops={"linewidth": 1, "edgecolor": "white"},
    )
    ax.set_aspect("equal")
    ax.legend(
        wedges,
        [f"{label}（{format_value(v)}）" for label, v in slices],
        loc="center left",
        bbox_to_anchor=(1.0, 0.5),
        frameon=False,
    )
    ax.set_title(title)
    return fig


def _line_figure(title: str, labels: Sequence[str], values: Sequence[Number], ylabel: str) -> Figure:
    _check_lengths(labels, values, "values")
    fig, ax = _new_figure("line")
    numbers = _clean(values)
    if not labels or all(math.isnan(v) for v in numbers):
        return _no_data(fig, ax, title)
    # markers keep a point visible when both neighbours are gaps
    ax.plot(range(len(labels)), numbers, marker="o", color=COLORS[0], linewidth=1.8)
    for x, y in enumerate(numbers):
        if not math.isnan(y):
            ax.annotate(f"{y:.1f}", (x, y), textcoords="offset points", xytext=(0, 5), ha="center", fontsize=8)
    _category_axis(ax, labels)
    ax.set_title(title)
    ax.set_ylabel(ylabel)
    ax.margins(y=0.2)
    ax.grid(axis="y", alpha=0.3)
    return fig


def bar_chart(title: str, labels: Sequence[str], values: Sequence[Number], ylabel: str = "") -> bytes:
    """Bar chart as PNG bytes, each bar labelled with its value; "暂无数据" when empty."""
    with _chart_style():
        return _to_png(_bar_figure(title, labels, values, ylabel))


def grouped_bar_chart(
    title: str, labels: Sequence[str], series: dict[str, Sequence[Number]], ylabel: str = ""
) -> bytes:
    """Side-by-side bars per label, one colour per series (e.g. 目标 vs 实际), as PNG bytes."""
    with _chart_style():
        return _to_png(_grouped_figure(title, labels, series, ylabel))


def percent_chart(title: str, labels: Sequence[str], series: dict[str, Sequence[Number]]) -> bytes:
    """Rates in percent (e.g. 目标达成率, 触达率) as horizontal bars with a 100 % line, as PNG bytes."""
    with _chart_style():
        return _to_png(_percent_figure(title, labels, series))


def pie_chart(title: str, labels: Sequence[str], values: Sequence[Number]) -> bytes:
    """Pie chart as PNG bytes with a legend of labels and values; "暂无数据" when all are zero."""
    with _chart_style():
        return _to_png(_pie_figure(title, labels, values))


def line_chart(title: str, labels: Sequence[str], values: Sequence[Number], ylabel: str = "") -> bytes:
    """Line chart (e.g. a satisfaction trend) as PNG bytes; None values are gaps in the line."""
    with _chart_style():
        return _to_png(_line_figure(title, labels, values, ylabel))
