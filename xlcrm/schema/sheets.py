"""Every sheet and column of the standard workbook (SPEC §1), declared once.

Nothing else in the package repeats a header string or an enum list: ``init``, reading,
checks, derivations, reports and docs all look them up here.
"""

from __future__ import annotations

from typing import Any

from .model import Field, SheetKind
from .model import FieldType as T

# --- enum value lists (SPEC §1) -------------------------------------------------------------
SCALES = ("大型", "中型", "小型", "微型")
STAGES = ("潜在", "意向", "已合作", "暂停", "已流失")
YES_NO = ("是", "否")
TIERS = ("A", "B", "C")
STATUS_TAGS = ("需求明确", "待签约", "投诉处理中", "正常")
CHANNELS = ("电话", "拜访", "邮件", "微信", "视频会议", "其他")
FOLLOWUP_KINDS = ("日常跟进", "深度沟通", "高层互动", "需求挖掘", "活动触达", "投诉回访", "信息更新")
MOODS = ("满意", "一般", "不满", "担忧")
FEEDBACK_SOURCES = ("客户来电", "客户邮件", "销售转达", "线上渠道", "回访发现", "其他")
FEEDBACK_TYPES = ("咨询", "建议", "投诉")
COMPLEXITIES = ("一般", "复杂")
DEPARTMENTS = ("产品部", "客服部", "售后部", "市场部", "销售部")
FEEDBACK_STATUSES = ("待处理", "处理中", "已解决", "已关闭", "重新打开")
CONFIRMATIONS = ("满意", "基本满意", "需进一步优化")
SCENARIOS = ("流失预警", "重要客户绑定", "新品推广", "投诉修复", "年度盘点", "其他")
FORMS = ("电话回访", "线下座谈", "节日关怀", "专属优惠", "定制服务", "线上直播", "知识分享", "其他")
AUDIENCES = ("全部", "A类", "B类", "C类", "高价值", "潜力", "流失风险")
PHASES = ("准备", "预热期", "启动期", "高峰期", "收尾期", "复盘")
TASK_STATUSES = ("未开始", "进行中", "已完成", "已取消")

# --- computed value vocabularies (SPEC §2) ---------------------------------------------------
RFM_SEGMENTS = {
    "高高高": "重要价值客户",
    "低高高": "重要保持客户",
    "高低高": "重要发展客户",
    "低低高": "重要挽留客户",
    "高高低": "一般价值客户",
    "低高低": "一般保持客户",
    "高低低": "一般发展客户",
    "低低低": "一般挽留客户",
}
VALUE_SEGMENTS = ("高价值", "潜力", "一般", "潜在")
FOLLOWUP_STATUSES = ("已逾期", "今日到期", "即将到期", "正常")
RISK_LEVELS = ("高", "中", "低")
RISK_REASONS = ("已流失", "近90天未下单", "近90天投诉≥2", "跟进严重逾期", "满意度偏低", "投诉超时未解决")
NEXT_ACTION_STATUSES = ("已跟进", "待办", "已逾期")
SLA_STATUSES = ("按时解决", "超时解决", "处理中", "超时未解决")
LOOP_STATUSES = ("已闭环", "待客户确认", "需重新处理", "未闭环")
CAMPAIGN_STATES = ("未开始", "进行中", "待复盘", "已复盘")
TASK_OVERDUE = ("按时完成", "延期完成", "已逾期", "未到期", "已取消")

CUSTOMER_ID_PATTERN = r"^[A-Z]{2,6}\d{4}\d{4}$"
FOLLOWUP_ID_PATTERN = r"^GJ\d{8}\d{3}$"
FEEDBACK_ID_PATTERN = r"^FK\d{8}\d{3}$"
CAMPAIGN_ID_PATTERN = r"^HD\d{4}\d{3}$"
C: dict[str, Any] = {"computed": True}  # typed so mypy accepts it in **kwargs of Field


CUSTOMERS = SheetKind(
    key="customers",
    name="客户信息",
    aliases=("客户基础信息表", "客户信息表", "客户档案", "info"),
    description="一户一档：客户基础信息与近12个月消费情况，每行一个客户。",
    fields=(
        Field(
            "customer_id",
            "客户编号",
            T.ID,
            "公司简称字母+年份+4位序号，如 HXKJ20240001；留空由 enrich 自动生成",
            required=True,
            unique=True,
            own_id=True,
            pattern=CUSTOMER_ID_PATTERN,
            aliases=("客户ID", "客户代码"),
            width=15,
        ),
        Field("name", "客户名称", T.TEXT, "客户全称", required=True, aliases=("客户全称", "公司名称"), width=24),
        Field("short_name", "客户简称", T.TEXT, "简称，用于生成客户编号前缀", width=12),
        Field("industry", "所属行业", T.TEXT, "客户所属行业", required=True, aliases=("行业",)),
        Field("scale", "企业规模", T.ENUM, "大型/中型/小型/微型", enum=SCALES),
        Field("business", "主营业务", T.TEXT, "客户的主营业务", width=20),
        Field("contact", "联系人", T.TEXT, "主要联系人姓名", required=True),
        Field("title", "职务", T.TEXT, "联系人职务"),
        Field(
            "phone",
            "联系电话",
            T.PHONE,
            "手机 1[3-9]xxxxxxxxx 或座机 0xx-xxxxxxxx(-分机)",
            required=True,
            aliases=("电话", "手机", "手机号"),
            width=16,
        ),
        Field("email", "邮箱", T.EMAIL, "联系人邮箱", aliases=("电子邮箱", "email"), width=22),
        Field("stage", "合作阶段", T.ENUM, "潜在/意向/已合作/暂停/已流失", required=True, enum=STAGES),
        Field("manager", "客户经理", T.TEXT, "负责该客户的客户经理", required=True, person=True),
        Field("created", "建档日期", T.DATE, "建立档案的日期，不晚于统计日", required=True),
        Field("first_deal", "首次合作日期", T.DATE, "第一次成交的日期，不晚于统计日", width=14),
        Field("monetary", "近12月消费金额", T.MONEY, "近12个月消费总额（元），不小于0", width=16),
        Field("frequency", "近12月消费次数", T.INT, "近12个月消费次数，不小于0", width=14),
        Field("last_purchase", "最近消费日期", T.DATE, "最近一次消费的日期，不晚于统计日", width=14),
        Field("upsell_intent", "增购意向", T.ENUM, "是/否", enum=YES_NO),
        Field("tier_override", "手工分层", T.ENUM, "经理手工指定的分层 A/B/C，优先于规则", enum=TIERS),
        Field(
            "status_tag", "状态标签", T.TEXT, "自由填写，建议：需求明确/待签约/投诉处理中/正常", suggestions=STATUS_TAGS
        ),
        Field("note", "备注", T.TEXT, "其他说明", width=20),
        Field(
            "tenure_years",
            "合作年限",
            T.NUMBER,
            "（统计日−首次合作日期）天数/365，保留1位小数",
            number_format="0.0",
            **C,
        ),
        Field("recency_days", "R值(天)", T.INT, "统计日−最近消费日期的天数", **C),
        Field("r_score", "R分", T.INT, "最近消费得分 1–5（越近越高）", width=8, **C),
        Field("f_score", "F分", T.INT, "消费频次得分 1–5", width=8, **C),
        Field("m_score", "M分", T.INT, "消费金额得分 1–5", width=8, **C),
        Field("rfm_segment", "RFM分群", T.TEXT, "RFM 八类客户分群", width=14, enum=tuple(RFM_SEGMENTS.values()), **C),
        Field("value_segment", "价值分群", T.TEXT, "高价值/潜力/一般/潜在", enum=VALUE_SEGMENTS, **C),
        Field("tier", "客户分层", T.TEXT, "A/B/C；手工分层优先", enum=TIERS, **C),
        Field("cadence_days", "跟进周期(天)", T.INT, "A类7天、B类14天、C类30天", **C),
        Field("last_followup", "最近跟进日期", T.DATE, "统计日及之前最近一次跟进的日期", width=14, **C),
        Field("next_due", "下次跟进日期", T.DATE, "最近跟进日期+跟进周期，或更早的下一步计划日期", width=14, **C),
        Field("followup_status", "跟进状态", T.TEXT, "已逾期/今日到期/即将到期/正常", enum=FOLLOWUP_STATUSES, **C),
        Field("overdue_days", "逾期天数", T.INT, "超过下次跟进日期的天数", **C),
        Field(
            "next_deep_due", "下次深度沟通日期", T.DATE, "最近一次深度沟通/高层互动/信息更新+30/90/180天", width=16, **C
        ),
        Field("complaints_90d", "近90天投诉次数", T.INT, "统计日前90天内收到的投诉数", width=14, **C),
        Field("open_feedback", "未结反馈数", T.INT, "未解决、未关闭的反馈数", **C),
        Field("resolution_rate", "问题解决率", T.PERCENT, "已解决或已关闭的反馈/全部反馈", **C),
        Field(
            "satisfaction_avg", "满意度均分", T.NUMBER, "近365天满意度评分均值，保留1位小数", number_format="0.0", **C
        ),
        Field("churn_risk", "流失风险", T.TEXT, "高/中/低", enum=RISK_LEVELS, **C),
        Field("risk_reasons", "风险原因", T.TEXT, "触发风险的原因，以 ; 分隔", width=28, **C),
        Field("tier_change", "分层变动", T.TEXT, "与上次快照相比的分层变化，如 B→A", **C),
    ),
)

# The customer a follow-up or a feedback is about: the same two columns on both sheets.
CUSTOMER_REFERENCE = (
    Field(
        "customer_id",
        "客户编号",
        T.ID,
        "必须是客户信息表中已有的客户编号",
        required=True,
        ref="customers",
        aliases=("客户ID",),
        width=15,
    ),
    Field(
        "customer_name",
        "客户名称",
        T.TEXT,
        "可不填（由 enrich 补全）；填写时须与客户编号一致",
        fill_when_blank=True,
        width=24,
    ),
)

FOLLOWUPS = SheetKind(
    key="followups",
    name="跟进记录",
    aliases=("客户跟进记录表", "跟进记录表", "维护记录"),
    description="每次与客户的沟通一行：时间、方式、内容、客户反馈与下一步行动。",
    fields=(
        Field(
            "followup_id",
            "记录编号",
            T.ID,
            "GJ+跟进日期yyyymmdd+3位序号；留空由 enrich 生成",
            unique=True,
            own_id=True,
            pattern=FOLLOWUP_ID_PATTERN,
            width=16,
        ),
        *CUSTOMER_REFERENCE,
        Field(
            "at",
            "跟进时间",
            T.DATETIME,
            "沟通发生的日期时间，不晚于统计日",
            required=True,
            aliases=("跟进日期",),
            width=17,
        ),
        Field("channel", "跟进方式", T.ENUM, "电话/拜访/邮件/微信/视频会议/其他", required=True, enum=CHANNELS),
        Field(
            "kind",
            "跟进类型",
            T.ENUM,
            "日常跟进/深度沟通/高层互动/需求挖掘/活动触达/投诉回访/信息更新",
            required=True,
            enum=FOLLOWUP_KINDS,
        ),
        Field("owner", "跟进人", T.TEXT, "可填多人，用、或逗号分隔", required=True),
        Field("content", "沟通内容", T.TEXT, "沟通的主要内容，至少5个字", required=True, width=30),
        Field("customer_needs", "客户反馈与需求", T.TEXT, "客户提出的反馈与需求", width=24),
        Field("mood", "客户情绪", T.ENUM, "满意/一般/不满/担忧", enum=MOODS),
        Field("satisfaction", "满意度评分", T.SCORE, "0–100 分"),
        Field("next_action", "下一步行动", T.TEXT, "计划的下一步动作", width=20),
        Field("next_action_date", "下一步计划日期", T.DATE, "下一步行动的计划日期，不早于跟进日期", width=14),
        Field(
            "campaign_id", "活动编号", T.ID, "属于某次维护活动时填写，须在维护活动表中存在", ref="campaigns", width=12
        ),
        Field("recorded", "录入日期", T.DATETIME, "录入本记录的时间，不早于跟进时间", width=17, completion=True),
        Field("customer_tier", "客户分层", T.TEXT, "该客户当前分层", enum=TIERS, **C),
        Field("recorded_in_time", "录入及时", T.TEXT, "录入与跟进间隔≤24小时为是", enum=YES_NO, **C),
        Field("next_action_status", "下一步状态", T.TEXT, "已跟进/待办/已逾期", enum=NEXT_ACTION_STATUSES, **C),
    ),
)

FEEDBACK = SheetKind(
    key="feedback",
    name="反馈处理",
    aliases=("客户反馈处理表", "反馈处理表", "客户反馈", "投诉处理"),
    description="客户的咨询、建议、投诉，从接收到解决、客户确认的全过程。",
    fields=(
        Field(
            "feedback_id",
            "反馈编号",
            T.ID,
            "FK+接收日期yyyymmdd+3位序号；留空由 enrich 生成",
            unique=True,
            own_id=True,
            pattern=FEEDBACK_ID_PATTERN,
            width=16,
        ),
        *CUSTOMER_REFERENCE,
        Field("received", "接收时间", T.DATETIME, "收到反馈的日期时间，不晚于统计日", required=True, width=17),
        Field("source", "反馈来源", T.ENUM, "客户来电/客户邮件/销售转达/线上渠道/回访发现/其他", enum=FEEDBACK_SOURCES),
        Field("type", "反馈类型", T.ENUM, "咨询/建议/投诉", required=True, enum=FEEDBACK_TYPES),
        Field("complexity", "复杂程度", T.ENUM, "一般/复杂（留空按一般）", enum=COMPLEXITIES),
        Field("description", "问题描述", T.TEXT, "反馈的具体内容", required=True, width=30),
        Field("expectation", "客户期望", T.TEXT, "客户期望的处理结果", width=20),
        Field("department", "责任部门", T.TEXT, "建议：产品部/客服部/售后部/市场部/销售部", suggestions=DEPARTMENTS),
        Field("assignee", "责任人", T.TEXT, "负责处理的人", required=True, person=True),
        Field(
            "status", "处理进度", T.ENUM, "待处理/处理中/已解决/已关闭/重新打开", required=True, enum=FEEDBACK_STATUSES
        ),
        Field("resolution", "处理结果", T.TEXT, "已解决/已关闭时必填", width=24),
        Field("resolved_at", "解决时间", T.DATETIME, "已解决/已关闭时必填，不早于接收时间", completion=True, width=17),
        Field(
            "confirmation",
            "客户确认结果",
            T.ENUM,
            "满意/基本满意/需进一步优化；已关闭时必填",
            enum=CONFIRMATIONS,
            width=14,
        ),
        Field("satisfaction", "满意度评分", T.SCORE, "0–100 分"),
        Field("campaign_id", "活动编号", T.ID, "由某次维护活动引出时填写", ref="campaigns"),
        Field("deadline", "处理时限", T.DATETIME, "接收时间+时限（一般24小时，复杂48小时）", width=17, **C),
        Field(
            "handle_hours",
            "处理时长(小时)",
            T.NUMBER,
            "解决时间−接收时间（小时），1位小数",
            number_format="0.0",
            width=14,
            **C,
        ),
        Field("sla_status", "时效状态", T.TEXT, "按时解决/超时解决/处理中/超时未解决", enum=SLA_STATUSES, **C),
        Field("loop_status", "闭环状态", T.TEXT, "已闭环/待客户确认/需重新处理/未闭环", enum=LOOP_STATUSES, **C),
    ),
)

CAMPAIGNS = SheetKind(
    key="campaigns",
    name="维护活动",
    aliases=("活动计划", "活动计划与执行表", "维养活动", "活动基本信息表"),
    description="客户维护活动的计划、目标、预算与复盘记录，每行一个活动。",
    fields=(
        Field(
            "campaign_id",
            "活动编号",
            T.ID,
            "HD+开始年份+3位序号；留空由 enrich 生成",
            required=True,
            unique=True,
            own_id=True,
            pattern=CAMPAIGN_ID_PATTERN,
        ),
        Field("name", "活动名称", T.TEXT, "活动名称", required=True, width=24),
        Field(
            "scenario",
            "活动场景",
            T.ENUM,
            "流失预警/重要客户绑定/新品推广/投诉修复/年度盘点/其他",
            enum=SCENARIOS,
            width=14,
        ),
        Field(
            "form",
            "活动形式",
            T.ENUM,
            "电话回访/线下座谈/节日关怀/专属优惠/定制服务/线上直播/知识分享/其他",
            enum=FORMS,
        ),
        Field("audience", "目标客群", T.ENUM, "全部/A类/B类/C类/高价值/潜力/流失风险", enum=AUDIENCES),
        Field("start", "开始日期", T.DATE, "活动开始日期", required=True),
        Field("end", "结束日期", T.DATE, "活动结束日期，不早于开始日期", required=True),
        Field("owner", "负责人", T.TEXT, "活动负责人", required=True, person=True),
        Field("budget", "预算(元)", T.MONEY, "活动预算（元），不小于0"),
        Field("spent", "实际花费(元)", T.MONEY, "实际花费（元），不小于0", width=14),
        Field("goal_metric", "目标指标", T.TEXT, "如：复购率提升、续约客户数", width=16),
        Field("goal_target", "目标值", T.NUMBER, "目标指标的目标值"),
        Field("goal_actual", "实际值", T.NUMBER, "目标指标的实际值"),
        Field("target_count", "目标客户数", T.INT, "可不填（由 enrich 按目标客群计算）", fill_when_blank=True),
        Field("reviewed_on", "复盘日期", T.DATE, "召开复盘会的日期"),
        Field("lessons_good", "成功经验", T.TEXT, "复盘：做得好的地方", width=24),
        Field("lessons_bad", "不足之处", T.TEXT, "复盘：不足之处", width=24),
        Field("improvements", "改进措施", T.TEXT, "复盘：改进措施", width=24),
        Field("state", "活动状态", T.TEXT, "未开始/进行中/待复盘/已复盘", enum=CAMPAIGN_STATES, **C),
        Field("review_due", "复盘截止日期", T.DATE, "结束日期后第3个工作日", width=14, **C),
        Field("reached_count", "已触达客户数", T.INT, "有关联跟进记录的不同客户数", width=14, **C),
        Field("reach_rate", "触达率", T.PERCENT, "已触达客户数/目标客户数", **C),
        Field("satisfaction_avg", "满意度均分", T.NUMBER, "关联本活动的全部满意度评分均值", number_format="0.0", **C),
        Field("issues_total", "反馈问题数", T.INT, "关联本活动的反馈数", **C),
        Field("issues_resolved", "已解决问题数", T.INT, "其中已解决或已关闭的数量", width=14, **C),
        Field("resolution_rate", "问题解决率", T.PERCENT, "已解决问题数/反馈问题数", **C),
        Field("goal_rate", "目标达成率", T.PERCENT, "实际值/目标值", **C),
        Field("budget_rate", "预算执行率", T.PERCENT, "实际花费/预算", **C),
        Field("task_done_rate", "任务完成率", T.PERCENT, "已完成任务/未取消任务", **C),
        Field("tasks_overdue", "逾期任务数", T.INT, "已逾期的任务数", **C),
    ),
)

TASKS = SheetKind(
    key="tasks",
    name="活动任务",
    aliases=("执行排期", "活动排期"),
    description="每个活动的执行排期：任务、负责人、截止日期与完成情况。",
    fields=(
        Field("campaign_id", "活动编号", T.ID, "所属活动，须在维护活动表中存在", required=True, ref="campaigns"),
        Field("task", "任务", T.TEXT, "任务内容", required=True, aliases=("任务名称", "任务内容"), width=26),
        Field("phase", "阶段", T.ENUM, "准备/预热期/启动期/高峰期/收尾期/复盘", enum=PHASES),
        Field("owner", "负责人", T.TEXT, "任务负责人", required=True, person=True),
        Field("start", "开始日期", T.DATE, "计划开始日期"),
        Field("due", "截止日期", T.DATE, "计划完成日期，不早于开始日期", required=True),
        Field("deliverable", "交付物", T.TEXT, "应交付的成果", width=18),
        Field("status", "任务状态", T.ENUM, "未开始/进行中/已完成/已取消", required=True, enum=TASK_STATUSES),
        Field("done_on", "完成日期", T.DATE, "已完成时必填"),
        Field("blocker", "未完成原因", T.TEXT, "未完成或延期的原因", width=20),
        Field("overdue", "是否逾期", T.TEXT, "按时完成/延期完成/已逾期/未到期/已取消", enum=TASK_OVERDUE, **C),
    ),
)

CONFIG = SheetKind(
    key="config",
    name="配置",
    aliases=("config", "参数配置"),
    description="本工作簿的参数，覆盖默认规则（与 xlcrm.toml 的键相同）。",
    required=False,
    fields=(
        Field("param", "参数", T.TEXT, "参数名（英文键）", required=True, width=28),
        Field("value", "值", T.TEXT, "本工作簿选用的值；留空则用 xlcrm.toml 或默认值", width=22),
        Field("default", "默认值", T.TEXT, "内置默认值（仅供参考，不参与计算）", width=22),
        Field("explain", "说明", T.TEXT, "参数含义", width=60),
    ),
)

HELP_SHEET_NAME = "说明"
HISTORY_SHEET_NAME = "xlcrm_历史"
HISTORY_HEADERS = ("统计日期", "客户编号", "客户分层", "价值分群", "流失风险")
RESULTS_SHEET_NAME = "校验结果"
# What enrich wrote into fill-when-blank input cells (SPEC §2 "Cells enrich fills and keeps up to date")
FILLS_SHEET_NAME = "xlcrm_填写"
FILLS_HEADERS = ("工作表", "编号", "字段", "值")
# The marks a live validate put on problem cells in an open workbook (fill, note), to replace them next time
MARKS_SHEET_NAME = "xlcrm_标注"
MARKS_HEADERS = ("工作表", "单元格", "原底色", "标注底色", "批注")

DATA_SHEETS: tuple[SheetKind, ...] = (CUSTOMERS, FOLLOWUPS, FEEDBACK, CAMPAIGNS, TASKS)
ALL_SHEETS: tuple[SheetKind, ...] = (*DATA_SHEETS, CONFIG)
SHEETS_BY_KEY: dict[str, SheetKind] = {s.key: s for s in ALL_SHEETS}


def sheet(key: str) -> SheetKind:
    """The sheet kind with English key ``key`` (``customers``, ``followups`` …)."""
    return SHEETS_BY_KEY[key]
