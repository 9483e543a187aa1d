"""The stable issue codes (SPEC §3.2). Each is documented in docs/issue-codes.md (a test checks)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class IssueCode:
    code: str
    severity: str  # the usual severity; a few checks downgrade to warning as SPEC says
    title: str


CODES: dict[str, IssueCode] = {
    c.code: c
    for c in (
        IssueCode("value.required", "error", "必填项为空"),
        IssueCode("value.type", "error", "不是有效的日期/数字/整数"),
        IssueCode("value.enum", "error", "不在允许的选项中"),
        IssueCode("value.format", "error", "电话、邮箱或编号格式不正确"),
        IssueCode("value.range", "error", "数值或日期超出允许范围"),
        IssueCode("value.duplicate", "error", "编号重复"),
        IssueCode("value.too_short", "warning", "沟通内容过短"),
        IssueCode("value.text_date", "warning", "日期以文本形式录入"),
        IssueCode("value.text_number", "warning", "数字以文本形式录入"),
        IssueCode("value.formula_uncached", "warning", "公式没有计算结果"),
        IssueCode("ref.missing", "error", "引用的客户或活动不存在"),
        IssueCode("ref.mismatch", "warning", "客户名称与客户编号不一致"),
        IssueCode("order", "error", "日期先后顺序错误"),
        IssueCode("state", "error", "状态与相关字段不一致"),
        IssueCode("consistency", "warning", "数据前后矛盾"),
        IssueCode("id.pending", "info", "编号为空，enrich 将自动生成"),
        IssueCode("sheet.missing", "error", "缺少必需的工作表"),
        IssueCode("sheet.unknown", "info", "无法识别的工作表，已忽略"),
        IssueCode("header.unknown", "info", "无法识别的列，已忽略"),
        IssueCode("header.missing", "error", "缺少必需的列"),
        IssueCode("header.duplicate", "error", "同一列出现两次"),
        IssueCode("sheet.merged", "warning", "数据区域内有合并单元格"),
        IssueCode("value.date_only", "warning", "完成时间只填了日期，按当天 24:00 计算时效"),
        IssueCode("computed.stale", "warning", "计算列已过期，enrich 将更新"),
        IssueCode("calendar.fallback", "warning", "节假日日历未覆盖该年份，按周一至周五计算工作日"),
    )
}
