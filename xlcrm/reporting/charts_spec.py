"""Chart specifications of the two reports: plain dicts turned into PNGs by ``render.chart_png``.

A spec whose values are all blank or zero is marked ``empty``: it is not drawn, and the report
says 暂无数据 in its place. Goal and reach are compared as percentages (达成率, 触达率), so a goal of
15 and an audience of 58 never share one axis.
"""

from __future__ import annotations

from typing import Any

from ..derive.common import Record, round1
from ..schema.sheets import CHANNELS
from .formatting import chart_numbers, counted


def _percent(rate: float | None) -> float | None:
    return None if rate is None else round1(rate * 100)


def _pairs(rows: list[dict[str, Any]]) -> dict[str, Any]:
    labels, values = chart_numbers(rows)
    return {"labels": labels, "values": values}


def is_empty(spec: dict[str, Any]) -> bool:
    """True when a chart would show nothing: no label, or every value blank or zero."""
    if not spec.get("labels"):
        return True
    series = spec.get("series") or {"": spec.get("values") or []}
    return not any(v for values in series.values() for v in values if v is not None)


def _mark(specs: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    for spec in specs.values():
        spec["empty"] = is_empty(spec)
    return specs


def campaign_charts(ctx: dict[str, Any], camp: Record, followups: list[Record]) -> dict[str, dict[str, Any]]:
    """目标达成与触达 (percent), 跟进方式, 反馈时效. The tier and satisfaction tallies are short
    tables already; a chart repeating a three-row table adds a page, not information."""
    goal_label = str(camp.get("goal_metric") or "目标指标")
    channels = counted((f.get("channel") for f in followups), CHANNELS)
    return _mark(
        {
            "goal": {
                "type": "percent",
                "title": "目标达成率与触达率（%）",
                "labels": [f"目标达成率：{goal_label}", "触达率：已触达 / 目标客户"],
                "series": {"比例": [_percent(camp.get("goal_rate")), _percent(camp.get("reach_rate"))]},
            },
            "channel": {"type": "bar", "title": "活动跟进方式", "ylabel": "次数", **_pairs(channels)},
            "sla": {"type": "pie", "title": "反馈处理时效", **_pairs(ctx["feedback"]["sla"])},
        }
    )


def monthly_charts(ctx: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """客户分层, 跟进方式, 反馈时效, 满意度趋势, 活动触达率与目标达成率 (percent, horizontal)."""
    trend = ctx["satisfaction"]["trend"]
    camps = ctx["campaigns"]["rows"]
    return _mark(
        {
            "tier": {"type": "pie", "title": "客户分层分布", **_pairs(ctx["customers"]["by_tier"])},
            "channel": {
                "type": "bar",
                "title": "本月跟进方式",
                "ylabel": "次数",
                **_pairs(ctx["followups"]["by_channel"]),
            },
            "sla": {"type": "pie", "title": "本月反馈处理时效", **_pairs(ctx["feedback"]["sla"])},
            "satisfaction_trend": {
                "type": "line",
                "title": f"满意度月度趋势（{trend[0]['month']} 至 {trend[-1]['month']}）",
                "ylabel": "均分",
                "labels": [t["label"] for t in trend],
                "values": [t["mean"] for t in trend],
            },
            "campaigns": {
                "type": "percent",
                "title": "活动触达率与目标达成率（%）",
                "labels": [r["name"] for r in camps],
                "series": {
                    "触达率": [_percent(r["reach_value"]) for r in camps],
                    "目标达成率": [_percent(r["goal_value"]) for r in camps],
                },
            },
        }
    )
