"""Rule thresholds (SPEC §2, §4): defaults in code, overridden by xlcrm.toml, the 配置 sheet, then
command-line options. Unknown keys and bad values are a ``ConfigError``."""

from __future__ import annotations

import dataclasses
import sys

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .i18n import tr

CONFIG_FILE_NAME = "xlcrm.toml"


def _tiers(a: int, b: int, c: int) -> dict[str, int]:
    return {"A": a, "B": b, "C": c}


@dataclass(frozen=True)
class Config:
    """All thresholds of SPEC §2 with their defaults."""

    cadence_days: dict[str, int] = field(default_factory=lambda: _tiers(7, 14, 30))
    deep_cycle_days: dict[str, int] = field(default_factory=lambda: _tiers(30, 90, 180))
    due_soon_days: int = 3
    sla_hours: dict[str, float] = field(default_factory=lambda: {"一般": 24.0, "复杂": 48.0})
    sla_clock: str = "calendar"
    risk_no_purchase_days: int = 90
    risk_complaints_90d: int = 2
    risk_complaint_window_days: int = 90
    risk_low_satisfaction: float = 60.0
    satisfaction_window_days: int = 365
    high_value_top_share: float = 0.10
    high_value_min_tenure_years: float = 1.0
    rfm_threshold: str = "mean"
    review_due_workdays: int = 3
    record_in_time_hours: float = 24.0
    extra_holidays: tuple[date, ...] = ()
    extra_workdays: tuple[date, ...] = ()
    agenda_days: int = 7


# Chinese explanation of every key, written into the 配置 sheet by ``init`` and into the docs.
EXPLANATIONS: dict[str, str] = {
    "cadence_days": "各分层的例行跟进周期（天）：A 类 7、B 类 14、C 类 30",
    "deep_cycle_days": "各分层的深度沟通周期（天）：A 类每月高层互动 30、B 类每季度深度沟通 90、C 类每半年信息更新 180",
    "due_soon_days": "距下次跟进日期不超过该天数时标记为“即将到期”",
    "sla_hours": "反馈处理时限（小时）：一般问题 24、复杂问题 48",
    "sla_clock": "处理时限的计时方式：calendar 按自然时间，workday 按工作时间（法定工作日 9:00–18:00）",
    "risk_no_purchase_days": "超过该天数未下单视为流失风险原因“近90天未下单”",
    "risk_complaints_90d": "统计窗口内投诉次数达到该值视为风险原因“近90天投诉≥2”",
    "risk_complaint_window_days": "统计投诉次数的窗口（天）",
    "risk_low_satisfaction": "满意度均分低于该值视为风险原因“满意度偏低”",
    "satisfaction_window_days": "客户满意度均分统计的时间窗口（天）",
    "high_value_top_share": "按近12月消费金额排名前该比例的客户进入高价值候选（0.10 即前10%）",
    "high_value_min_tenure_years": "高价值客户至少需要的合作年限（年）",
    "rfm_threshold": "RFM 高低的分界：mean 平均值，median 中位数",
    "review_due_workdays": "活动结束后应在多少个工作日内完成复盘",
    "record_in_time_hours": "跟进后多少小时内录入视为“录入及时”",
    "extra_holidays": "补充或更正的法定节假日（多个日期用 , 、 ; 分隔，如 2027-01-01、2027-02-05），用于日历尚未收录的年份",
    "extra_workdays": "补充或更正的调休上班日（周末上班），格式同上",
    "agenda_days": "今日待办（xlcrm agenda）向后查看的天数",
}

_CHOICES = {"sla_clock": ("calendar", "workday"), "rfm_threshold": ("mean", "median")}
_DICT_KEYS = {"cadence_days": ("A", "B", "C"), "deep_cycle_days": ("A", "B", "C"), "sla_hours": ("一般", "复杂")}
_FIELDS = {f.name: f for f in dataclasses.fields(Config)}
_DATE_LISTS = ("extra_holidays", "extra_workdays")
_DATE_SEPARATORS = re.compile(r"[,，、;；\s]+")


def defaults_as_rows() -> list[tuple[str, Any, str]]:
    """``(parameter, value, explanation)`` rows for the 配置 sheet; dict keys are dotted (cadence_days.A)."""
    cfg = Config()
    rows: list[tuple[str, Any, str]] = []
    for name in _FIELDS:
        value = getattr(cfg, name)
        if name in _DATE_LISTS:
            rows.append((name, "、".join(d.isoformat() for d in value), EXPLANATIONS[name]))
        elif isinstance(value, dict):
            for sub, v in value.items():
                rows.append((f"{name}.{sub}", v, EXPLANATIONS[name]))
        else:
            rows.append((name, value, EXPLANATIONS[name]))
    return rows


def _fail(source: str, zh: str, en: str, **kw: object) -> ConfigError:
    return ConfigError(source=source, detail=tr(zh, en, **kw))


def _coerce(source: str, key: str, value: Any, kind: type) -> Any:
    if isinstance(value, str):
        text = value.strip()
        if kind is str:
            return text
        try:
            value = float(text)
        except ValueError:
            raise _fail(source, "参数 {k} 的值 “{v}” 不是数字", "{k}: '{v}' is not a number", k=key, v=text) from None
    if kind is str:
        raise _fail(source, "参数 {k} 的值应为文字", "{k} must be text", k=key)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _fail(source, "参数 {k} 的值 “{v}” 不是数字", "{k}: '{v}' is not a number", k=key, v=value)
    if kind is int:
        if float(value) != int(value):
            raise _fail(source, "参数 {k} 应为整数，得到 {v}", "{k} must be a whole number, got {v}", k=key, v=value)
        value = int(value)
    if value < 0 or (kind is int and key != "due_soon_days" and value == 0):
        raise _fail(source, "参数 {k} 的值 {v} 超出范围", "{k}: {v} is out of range", k=key, v=value)
    return float(value) if kind is float else value


def _date_list(source: str, key: str, value: Any) -> tuple[date, ...]:
    """A list of dates: TOML dates or ``YYYY-MM-DD`` strings, or one text of dates separated by
    ``,`` ``、`` or ``;`` (the 配置 sheet, ``--set``); a single date cell counts as one date."""
    if isinstance(value, (date, str)):
        items: list[Any] = [value]
    elif isinstance(value, (list, tuple)):
        items = list(value)
    else:
        raise _fail(source, "参数 {k} 应为日期列表，如 2027-01-01、2027-02-05", "{k} must be a list of dates", k=key)
    days: list[date] = []
    for item in items:
        if isinstance(item, datetime):
            days.append(item.date())
            continue
        if isinstance(item, date):
            days.append(item)
            continue
        for text in _DATE_SEPARATORS.split(str(item).strip()):
            if not text:
                continue
            try:
                days.append(date.fromisoformat(text))
            except ValueError:
                raise _fail(
                    source,
                    "参数 {k} 中的“{v}”不是 YYYY-MM-DD 格式的日期",
                    "{k}: '{v}' is not a YYYY-MM-DD date",
                    k=key,
                    v=text,
                ) from None
    return tuple(sorted(set(days)))


def _apply(current: dict[str, Any], source: str, items: Iterable[tuple[str, Any]]) -> None:
    for raw_key, value in items:
        key = str(raw_key).strip()
        name, _, sub = key.partition(".")
        if name not in _FIELDS:
            raise _fail(
                source,
                "未知参数 {k}（可用参数：{all}）",
                "unknown key {k} (known: {all})",
                k=key,
                all=", ".join(_FIELDS),
            )
        if name in _DICT_KEYS:
            if not sub and isinstance(value, Mapping):
                _apply(current, source, ((f"{name}.{k}", v) for k, v in value.items()))
                continue
            if sub not in _DICT_KEYS[name]:
                raise _fail(
                    source,
                    "未知参数 {k}（{n} 的子项只能是 {subs}）",
                    "unknown key {k} ({n} takes {subs})",
                    k=key,
                    n=name,
                    subs="/".join(_DICT_KEYS[name]),
                )
            kind = float if name == "sla_hours" else int
            current[name] = {**current[name], sub: _coerce(source, key, value, kind)}
            continue
        if sub:
            raise _fail(source, "未知参数 {k}", "unknown key {k}", k=key)
        if name in _DATE_LISTS:
            current[name] = _date_list(source, key, value)
            continue
        default = getattr(Config(), name)
        kind = type(default)
        coerced = _coerce(source, key, value, kind)
        if name in _CHOICES and coerced not in _CHOICES[name]:
            raise _fail(
                source,
                "参数 {k} 只能是 {c}，得到 “{v}”",
                "{k} must be one of {c}, got '{v}'",
                k=key,
                c=" / ".join(_CHOICES[name]),
                v=coerced,
            )
        if name == "high_value_top_share" and not 0 < coerced <= 1:
            raise _fail(source, "参数 {k} 应在 0 到 1 之间", "{k} must be between 0 and 1", k=key)
        current[name] = coerced


def read_toml(path: Path) -> dict[str, Any]:
    """Parse a ``xlcrm.toml``; a syntax error is a ``ConfigError`` naming the file."""
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise _fail(str(path), "找不到配置文件", "config file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise _fail(str(path), "TOML 格式错误：{e}", "invalid TOML: {e}", e=exc) from None


def build_config(
    toml_data: Mapping[str, Any] | None = None,
    sheet_rows: Iterable[tuple[str, Any]] | None = None,
    overrides: Mapping[str, Any] | None = None,
    *,
    toml_source: str = CONFIG_FILE_NAME,
) -> Config:
    """Defaults, then the TOML file, then the 配置 sheet's filled 值 cells, then command-line
    overrides (SPEC §1.6, §4): a filled 值 is always an explicit choice and beats xlcrm.toml."""
    current = {name: getattr(Config(), name) for name in _FIELDS}
    if toml_data:
        _apply(current, toml_source, toml_data.items())
    if sheet_rows:
        source = tr("配置工作表", "配置 sheet")
        _apply(current, source, sheet_rows)
    if overrides:
        _apply(current, tr("命令行", "command line"), overrides.items())
    return Config(**current)


def find_config_file(workbook: Path, explicit: Path | None) -> Path | None:
    """The ``--config`` file, else an ``xlcrm.toml`` beside the workbook, else none."""
    if explicit is not None:
        return explicit
    beside = workbook.parent / CONFIG_FILE_NAME
    return beside if beside.is_file() else None
