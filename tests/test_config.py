"""Config: defaults, xlcrm.toml, the 配置 sheet and command-line overrides, later wins; errors are clear."""

from __future__ import annotations

from pathlib import Path

import pytest

from xlcrm.config import Config, build_config, defaults_as_rows, find_config_file, read_toml
from xlcrm.errors import ConfigError


def test_defaults_follow_spec() -> None:
    cfg = Config()
    assert cfg.cadence_days == {"A": 7, "B": 14, "C": 30}
    assert cfg.deep_cycle_days == {"A": 30, "B": 90, "C": 180}
    assert cfg.sla_hours == {"一般": 24.0, "复杂": 48.0}
    assert (cfg.due_soon_days, cfg.risk_no_purchase_days, cfg.review_due_workdays) == (3, 90, 3)
    assert (cfg.sla_clock, cfg.rfm_threshold, cfg.high_value_top_share) == ("calendar", "mean", 0.10)


def test_precedence_toml_then_sheet_then_cli(make_workbook, blank_rows, run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Through the CLI: xlcrm.toml beside the workbook < the 配置 sheet's 值 < --set."""
    from openpyxl import load_workbook

    def status() -> str:
        ws = load_workbook(path)["客户信息"]
        return ws.cell(2, [c.value for c in ws[1]].index("跟进状态") + 1).value

    path = make_workbook(blank_rows())
    # with a 30-day cadence the A customer's next follow-up is its plan date 2026-11-25: 5 days after 11-20
    (tmp_path / "xlcrm.toml").write_text("due_soon_days = 10\n[cadence_days]\nA = 30\n", encoding="utf-8")
    assert run_cli("enrich", path, "--as-of", "2026-11-20", "--no-backup")[0] == 0
    assert status() == "即将到期"  # toml: 5 days ≤ 10
    _set_config_row(path, "due_soon_days", 2)
    assert run_cli("enrich", path, "--as-of", "2026-11-20", "--no-backup")[0] == 0
    assert status() == "正常"  # the sheet's 值 beats the toml: 5 days > 2
    assert run_cli("enrich", path, "--as-of", "2026-11-20", "--no-backup", "--set", "due_soon_days=6")[0] == 0
    assert status() == "即将到期"  # --set beats both


def test_sheet_rows_round_trip_defaults() -> None:
    rows = [(k, v) for k, v, _ in defaults_as_rows()]
    assert build_config(None, rows) == Config()
    assert all(explain for _, _, explain in defaults_as_rows())


@pytest.mark.parametrize(
    "rows, fragment",
    [
        ([("cadence_dayz.A", 7)], "未知参数 cadence_dayz.A"),
        ([("cadence_days.D", 7)], "cadence_days.D"),
        ([("due_soon_days", "三天")], "不是数字"),
        ([("cadence_days.A", 7.5)], "应为整数"),
        ([("sla_clock", "lunar")], "calendar / workday"),
        ([("rfm_threshold", "max")], "mean / median"),
        ([("high_value_top_share", 1.5)], "0 到 1"),
        ([("risk_no_purchase_days", -1)], "超出范围"),
    ],
)
def test_bad_values_are_clear_errors(rows: list, fragment: str) -> None:
    with pytest.raises(ConfigError) as err:
        build_config(None, rows)
    assert fragment in err.value.message
    assert "配置工作表" in err.value.message


def test_toml_syntax_error_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "xlcrm.toml"
    bad.write_text("due_soon_days = = 3", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        read_toml(bad)
    assert str(bad) in err.value.message and "TOML" in err.value.message


def test_config_file_found_beside_workbook(tmp_path: Path) -> None:
    wb = tmp_path / "team.xlsx"
    assert find_config_file(wb, None) is None
    (tmp_path / "xlcrm.toml").write_text("", encoding="utf-8")
    assert find_config_file(wb, None) == tmp_path / "xlcrm.toml"
    assert find_config_file(wb, Path("/elsewhere.toml")) == Path("/elsewhere.toml")


def _set_config_row(path: Path, key: str, value: object) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(path)
    ws = wb["配置"]
    for row in ws.iter_rows(min_row=2):
        if row[0].value == key:
            row[1].value = value
            break
    else:
        ws.append([key, value, ""])
    wb.save(path)


def test_config_sheet_and_toml_drive_enrich(make_workbook, blank_rows, run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    path = make_workbook(blank_rows())
    _set_config_row(path, "cadence_days.A", 30)  # the A customer's last follow-up was 2026-11-01
    assert run_cli("enrich", path, "--as-of", "2026-11-20", "--no-backup")[0] == 0
    ws = load_workbook(path)["客户信息"]
    headers = [c.value for c in ws[1]]
    assert (
        ws.cell(2, headers.index("下次跟进日期") + 1).value.date().isoformat() == "2026-11-25"
    )  # default A 7 days: 11-08; 30 days: the earlier plan date
    assert ws.cell(2, headers.index("跟进状态") + 1).value == "正常"
    toml = tmp_path / "other.toml"
    toml.write_text("due_soon_days = 20\n", encoding="utf-8")
    assert run_cli("enrich", path, "--as-of", "2026-11-20", "--no-backup", "--config", toml)[0] == 0
    ws = load_workbook(path)["客户信息"]
    assert ws.cell(2, headers.index("跟进状态") + 1).value == "即将到期"  # due in 11 days ≤ 20


def test_bad_config_sheet_value_exits_2(make_workbook, blank_rows, run_cli) -> None:  # type: ignore[no-untyped-def]
    path = make_workbook(blank_rows())
    _set_config_row(path, "sla_clock", "lunar")
    before = path.read_bytes()
    code, _, err = run_cli("enrich", path, "--as-of", "2026-11-20")
    assert code == 2 and "配置工作表" in err and "calendar / workday" in err
    assert path.read_bytes() == before
    _set_config_row(path, "sla_clock", "calendar")
    _set_config_row(path, "not_a_key", 1)
    code, _, err = run_cli("validate", path, "--as-of", "2026-11-20")
    assert code == 2 and "未知参数 not_a_key" in err
