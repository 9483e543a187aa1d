"""What a consolidation tells the reader (SPEC §5 ``report``): where a merged row came from, IDs
that conflict between workbooks, workbooks left out whole and rows left out for errors, each with
the Chinese line the reports' 数据说明 and the messages print."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..i18n import tr
from ..issues import Issue
from ..model import a1


@dataclass(frozen=True)
class Origin:
    """Where a merged row came from: file, sheet name in that file, Excel row, the column of its ID
    (or first field) cell."""

    path: Path
    sheet: str
    row: int
    column: int | None

    @property
    def cell(self) -> str | None:
        """The ID cell, e.g. ``A5`` (worked out when asked: a batch merges tens of thousands of rows)."""
        return a1(self.row, self.column) if self.column else None

    def label(self) -> str:
        """``a.xlsx 客户信息!A5`` (the row number when the sheet has no ID column)."""
        where = self.cell or f"{self.row}"
        return f"{self.path.name} {self.sheet}!{where}"


@dataclass(frozen=True)
class Conflict:
    """One own ID with different input content in two workbooks."""

    sheet: str
    id_value: str
    first: Origin
    second: Origin

    def message(self) -> str:
        return tr(
            "{s} 编号 {i} 在两个工作簿中内容不同：{a} 与 {b}",
            "{s} ID {i} differs between workbooks: {a} vs {b}",
            s=self.sheet,
            i=self.id_value,
            a=self.first.label(),
            b=self.second.label(),
        )


@dataclass(frozen=True)
class SkippedWorkbook:
    """A workbook left out whole: unusable (``reason``) or with ``errors`` structural errors."""

    path: Path
    errors: int
    reason: str = ""

    def message(self) -> str:
        if self.reason:
            return tr("已跳过 {p}：{r}", "Skipped {p}: {r}", p=self.path, r=self.reason)
        return tr(
            '已跳过 {p}：有 {n} 个结构性错误（缺少工作表或列、编号重复），请先运行 xlcrm validate "{p}" 修正后重新提交',
            'Skipped {p}: {n} structural errors (missing sheet or column, duplicate IDs); run xlcrm validate "{p}" first',
            p=self.path,
            n=self.errors,
        )

    def note(self) -> str:
        """The 数据说明 line of a report."""
        why = self.reason or tr(
            "有 {n} 个结构性错误（缺少工作表或列、编号重复）", "{n} structural errors", n=self.errors
        )
        return tr("{f}：整个工作簿未计入，原因：{r}。", "{f}: left out whole: {r}.", f=self.path.name, r=why)


@dataclass(frozen=True)
class LeftOutRows:
    """Rows of one sheet of one workbook left out for row-level errors (as enrich leaves them out)."""

    path: Path
    sheet: str
    rows: int
    examples: tuple[str, ...]

    def note(self) -> str:
        """``a.xlsx：客户信息 2 行有错误未计入（如 客户信息!K3 …）。``"""
        return tr(
            "{f}：{s} {n} 行有错误未计入（{e}）。",
            "{f}: {n} rows of {s} left out for errors ({e}).",
            f=self.path.name,
            s=self.sheet,
            n=self.rows,
            e="；".join(self.examples),
        )


def left_out_rows(path: Path, issues: Sequence[Issue], limit: int = 2) -> list[LeftOutRows]:
    """Per sheet, the rows that carry an error (first error of each row as an example)."""
    first: dict[str, dict[int, Issue]] = {}
    for issue in issues:
        if issue.severity == "error" and issue.row is not None and issue.sheet:
            first.setdefault(issue.sheet, {}).setdefault(issue.row, issue)
    return [
        LeftOutRows(
            path,
            sheet,
            len(rows),
            tuple(f"{i.sheet}!{i.cell or i.row} {i.message}" for i in list(rows.values())[:limit]),
        )
        for sheet, rows in first.items()
    ]
