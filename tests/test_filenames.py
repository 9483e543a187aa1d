"""Report file names safe on every file system (SPEC §5 report)."""

from __future__ import annotations

from pathlib import Path

import pytest

from xlcrm.reporting.filenames import UNNAMED, report_filename, safe_filename

HOSTILE = [
    "../../etc/活动:*?",
    "..\\..\\Windows\\System32\\活动",
    "/etc/passwd",
    "..",
    "...",
    ".",
    "a/../b",
    "活动\x00名称\x1f",
    "活动\u202egpj.exe",  # right-to-left override spoofing an extension
    "  活动复盘. . ",
    "CON",
]


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_names_stay_inside_the_output_folder(name: str, tmp_path: Path) -> None:
    safe = safe_filename(name)
    assert "/" not in safe and "\\" not in safe and ".." not in safe
    assert not any(ord(c) < 32 or c == "\u202e" for c in safe)
    assert safe and safe.strip() == safe and not safe.endswith(".")
    target = (tmp_path / safe).resolve()
    assert target.parent == tmp_path.resolve()
    target.write_text("x", encoding="utf-8")  # the OS accepts it
    assert safe_filename(safe) == safe  # idempotent


def test_traversal_example_keeps_the_chinese_text() -> None:
    assert safe_filename("../../etc/活动:*?") == "etc_活动"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("CON", "CON_"),
        ("con", "con_"),
        ("NUL.docx", "NUL_.docx"),
        ("COM1", "COM1_"),
        ("lpt9.md", "lpt9_.md"),
        ("CON.", "CON_"),  # the trailing dot is stripped first; still reserved
        ("CONTRACT", "CONTRACT"),
        ("客户CON", "客户CON"),
    ],
)
def test_windows_reserved_names(name: str, expected: str) -> None:
    assert safe_filename(name) == expected


@pytest.mark.parametrize("name", ["", "   ", "..", "///", "\x00", "?*:"])
def test_empty_result_is_unnamed(name: str) -> None:
    assert safe_filename(name) == UNNAMED == "未命名"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("中秋客户关怀", "中秋客户关怀"),
        ('活动:"中秋"<客户>|关怀', "活动_中秋_客户_关怀"),
        ("a___b", "a_b"),
        ("活动复盘. ", "活动复盘"),
        ("2024/10 月度", "2024_10 月度"),
    ],
)
def test_forbidden_characters_become_single_underscores(name: str, expected: str) -> None:
    assert safe_filename(name) == expected


def test_long_names_are_cut_by_characters_and_bytes() -> None:
    assert safe_filename("a" * 200) == "a" * 120
    assert safe_filename("客" * 200) == "客" * 85  # 255 UTF-8 bytes bind before 120 characters
    assert safe_filename("客" * 200, max_len=10) == "客" * 10
    assert len(safe_filename("客" * 200, max_len=200).encode("utf-8")) <= 255


def test_report_filename_joins_parts() -> None:
    assert report_filename(["活动复盘", "HD2024001", "中秋客户关怀"], "docx") == "活动复盘_HD2024001_中秋客户关怀.docx"
    assert report_filename(["月度复盘", "2024-10"], "md") == "月度复盘_2024-10.md"
    assert report_filename(["月度复盘", "2024-10", ""], ".md") == "月度复盘_2024-10.md"
    assert report_filename(["月度复盘", "2024-10", "张三/李四"], "md") == "月度复盘_2024-10_张三_李四.md"


def test_report_filename_keeps_the_extension_when_cut(tmp_path: Path) -> None:
    name = report_filename(["活动复盘", "HD2024001", "长" * 300], "docx")
    assert name.startswith("活动复盘_HD2024001_长") and name.endswith(".docx")
    assert len(name) <= 120 and len(name.encode("utf-8")) <= 255
    (tmp_path / name).write_text("x", encoding="utf-8")


def test_report_filename_edge_cases() -> None:
    assert report_filename([], "md") == "未命名.md"
    assert report_filename(["CON"], "docx") == "CON_.docx"
    assert report_filename(["../..", "活动"], "../docx") == "活动.docx"


def test_report_stem_leaves_room_for_the_chart_folder() -> None:
    from xlcrm.reporting.render import chart_folder

    name = report_filename(["活动复盘", "HD2024001", "客户关怀" * 50], "md")
    folder = chart_folder(Path(name))
    assert len(name.encode("utf-8")) <= 255 and len(folder.name.encode("utf-8")) <= 255
    assert folder.name.endswith("_图表")
