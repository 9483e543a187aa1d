"""Sentence templates for sample follow-ups, feedback, campaigns and tasks (content in Chinese,
after the seed articles). Keys are the schema's enum constants, never retyped literals."""

from __future__ import annotations

from ..schema.sheets import DEPARTMENTS, FEEDBACK_TYPES, FOLLOWUP_KINDS, MOODS, PHASES

ROUTINE, DEEP, SENIOR, DISCOVERY, CAMPAIGN_TOUCH, COMPLAINT_VISIT, INFO_UPDATE = FOLLOWUP_KINDS
HAPPY, NEUTRAL, UNHAPPY, WORRIED = MOODS
INQUIRY, SUGGESTION, COMPLAINT = FEEDBACK_TYPES
PREP, WARMUP, LAUNCH, PEAK, WRAPUP, REVIEW = PHASES
PRODUCT_DEPT, SERVICE_DEPT, AFTER_SALES_DEPT, MARKETING_DEPT, SALES_DEPT = DEPARTMENTS

# What we sell to the customers being maintained.
PRODUCTS = (
    "企业版软件",
    "云存储服务",
    "年度维保套餐",
    "智能终端设备",
    "数据分析服务",
    "定制开发服务",
    "耗材补货服务",
    "培训服务",
    "专属客服套餐",
    "设备租赁服务",
)

# Placeholders: {contact} {title} {product} {n} {month} {pct} {campaign}
FOLLOWUP_CONTENT: dict[str, tuple[str, ...]] = {
    ROUTINE: (
        "电话回访{title}{contact}，了解{product}近期使用情况，整体运行平稳",
        "例行问候{contact}，确认本月订单交付进度正常",
        "微信沟通{product}使用中的小问题，已远程指导解决",
        "跟进上次提出的账单核对事项，双方已确认无误",
        "了解客户近期业务动态，对方表示{month}月订单量预计增加{pct}%",
        "提醒客户{product}合同将于{month}月到期，初步沟通续约意向",
        "向{contact}推送{product}使用技巧，客户表示会组织内部学习",
        "发送企业动态和行业资讯，顺便了解客户近期采购安排",
    ),
    DEEP: (
        "与{title}{contact}深入交流年度合作规划，讨论{product}扩容方案",
        "围绕上季度服务质量进行深度复盘，客户对响应速度提出改进期望",
        "沟通客户下半年业务扩张计划，评估增购{product}的可能性",
        "与{contact}梳理双方合作中的痛点，共同制定服务改进清单",
        "上门拜访{title}{contact}，汇报上月服务总结并提出本月合作建议",
    ),
    SENIOR: (
        "陪同公司副总拜访客户{title}，就战略合作方向交换意见",
        "邀请客户高层参加我司年度客户答谢会，对方欣然接受",
        "双方高层视频会谈，确认明年框架协议的主要条款",
        "向客户高层提交定制化行业报告，对方对报告内容评价较高",
    ),
    DISCOVERY: (
        "了解到客户计划采购{n}套{product}，需要提供详细报价",
        "客户希望增加线上咨询渠道，已记录需求并反馈产品部",
        "挖掘客户在数据报表方面的需求，对方希望支持自定义导出",
        "客户提出希望提供{product}的定制化培训，约{n}人参加",
        "了解客户新项目立项情况，预计{month}月启动招标",
    ),
    CAMPAIGN_TOUCH: (
        "邀请客户参加{campaign}，介绍活动安排与专属权益",
        "向{contact}推送{campaign}活动信息，客户表示会安排人员参加",
        "就{campaign}收集客户意见，客户对活动形式较为认可",
        "{campaign}期间回访客户，确认已收到活动礼品与资料",
    ),
    COMPLAINT_VISIT: (
        "回访上次投诉的处理结果，了解客户对整改措施的评价",
        "回访售后投诉，确认设备已恢复正常使用",
        "跟进投诉整改进度，向{contact}说明补偿方案",
    ),
    INFO_UPDATE: (
        "核对客户联系人及开票信息，对接人确认为{contact}",
        "更新客户组织架构信息，采购负责人调整为{contact}",
        "确认客户办公地址和收货地址变更情况，已同步更新档案",
        "半年度信息更新：核对联系方式、合作产品及到期时间",
    ),
}

MOOD_TAILS: dict[str, tuple[str, ...]] = {
    HAPPY: ("，客户对目前服务表示满意", "，客户态度积极", "，沟通氛围融洽", ""),
    NEUTRAL: ("，客户反馈整体尚可", "，客户表示再内部讨论一下", ""),
    WORRIED: ("，客户担心后续交付周期", "，客户担忧后续服务响应速度", "，客户对价格调整有顾虑"),
    UNHAPPY: ("，客户对近期服务质量不太满意", "，客户对问题反复出现表示不满", "，客户情绪较为激动"),
}

CUSTOMER_NEEDS: dict[str, tuple[str, ...]] = {
    HAPPY: (
        "希望继续保持现有服务水平",
        "计划下半年采购设备，需要报价",
        "希望获得更多行业资讯分享",
        "希望参加新品试用",
        "希望续约时给予老客户优惠",
    ),
    NEUTRAL: ("希望优化报表导出功能", "希望账单明细更清晰", "希望增加线上咨询渠道", "希望提供操作培训视频"),
    WORRIED: ("担忧后续服务响应速度", "担心价格上涨影响预算", "担心新版本兼容性问题", "担心交付周期延长"),
    UNHAPPY: (
        "要求尽快解决交付延迟问题",
        "对售后响应慢不满意，要求指定专人对接",
        "认为报价偏高，要求重新核算",
        "要求对故障造成的损失给予补偿",
    ),
}

NEXT_ACTIONS = (
    "提供{product}报价单",
    "安排技术人员上门培训",
    "发送产品使用手册及操作视频",
    "邀请客户参加线上产品交流会",
    "协调售后部跟进设备检修",
    "回访确认问题解决情况",
    "准备续约合同草案",
    "整理客户需求并提交产品部评估",
    "预约下次拜访时间",
    "寄送节日关怀礼品",
    "提交定制化方案初稿",
)

FEEDBACK_DESCRIPTIONS: dict[str, tuple[str, ...]] = {
    INQUIRY: (
        "咨询{product}续费价格及优惠政策",
        "询问增值税专用发票开具流程",
        "咨询系统如何批量导出月度报表",
        "询问新版本升级的具体时间和费用",
        "咨询培训课程的报名方式",
        "询问{product}能否按季度付款",
    ),
    SUGGESTION: (
        "建议增加线上咨询渠道，方便随时沟通",
        "建议优化移动端操作界面",
        "希望报表支持按部门汇总",
        "建议售后工单增加进度短信提醒",
        "建议节假日提供值班技术支持",
        "希望定期推送行业资讯",
    ),
    COMPLAINT: (
        "{product}交付延迟{n}天，影响客户项目进度",
        "报修后{n}小时无人联系，售后响应慢",
        "账单金额与合同约定不符，多收取费用",
        "上门服务人员态度不佳，客户不满",
        "设备频繁故障，一个月内报修{n}次",
        "系统升级后部分数据丢失，影响正常办公",
    ),
}

FEEDBACK_EXPECTATIONS: dict[str, tuple[str, ...]] = {
    INQUIRY: ("尽快给出明确答复", "提供书面说明", "电话详细讲解"),
    SUGGESTION: ("在下次版本迭代中考虑", "给出采纳计划", "先提供临时替代方案"),
    COMPLAINT: ("24小时内给出解决方案", "给予相应补偿", "指定专人跟进直到解决", "尽快恢复正常使用"),
}

FEEDBACK_RESOLUTIONS: dict[str, tuple[str, ...]] = {
    INQUIRY: ("已电话详细解答并发送书面说明", "已发送报价单及优惠政策说明", "已发送操作指引视频，客户已学会"),
    SUGGESTION: ("建议已纳入下季度产品迭代计划", "已转产品部评估，先提供临时替代方案", "已开通线上咨询通道"),
    COMPLAINT: (
        "已安排工程师上门检修，设备恢复正常",
        "已核对账单并退还多收费用",
        "已补发货物并赠送一年延保服务",
        "已更换服务人员并当面致歉",
        "已恢复数据并提供备份方案",
    ),
}

# 责任部门 by feedback type (from the schema's suggestions).
TYPE_DEPARTMENTS: dict[str, tuple[str, ...]] = {
    INQUIRY: (SERVICE_DEPT, SALES_DEPT),
    SUGGESTION: (PRODUCT_DEPT, MARKETING_DEPT),
    COMPLAINT: (AFTER_SALES_DEPT, SERVICE_DEPT, PRODUCT_DEPT),
}

STATUS_NOTES = (
    "年度框架协议客户",
    "需开具增值税专用发票",
    "老客户转介绍",
    "重点关注续约",
    "对价格较敏感",
    "采购流程较长，需提前沟通",
    "偏好微信沟通",
)

LESSONS_GOOD = (
    "个性化礼品赠送使客户复购率明显提升，可作为常规手段",
    "提前一周电话预约，客户到场率高于以往",
    "客户经理与售后部联合走访，问题当场解决，客户认可度高",
    "按客户分层设计差异化话术，沟通效率明显提高",
    "线上直播配合回放链接，覆盖了更多无法到场的客户",
)
LESSONS_BAD = (
    "线上活动参与率低，提醒渠道单一",
    "部分客户联系方式过期，首轮触达率偏低",
    "礼品到货延迟，影响了预热期节奏",
    "活动反馈收集不及时，部分需求未能当场记录",
    "跨部门分工不够清晰，个别任务出现推诿",
)
IMPROVEMENTS = (
    "下次活动提前3天通过短信、微信、邮件多渠道提醒",
    "建立客户反馈优先级机制，紧急需求指定专人跟进",
    "活动前统一核对客户联系方式，保证信息准确",
    "每周召开跨部门同步会，明确任务责任人和截止日期",
    "将长期维护客户纳入常态化关怀清单，每季度轻量化互动",
)

# (task, deliverable) by phase
TASKS: dict[str, tuple[tuple[str, str], ...]] = {
    PREP: (
        ("确定活动目标并筛选目标客户名单", "目标客户名单"),
        ("制定活动方案并提交预算审批", "活动方案"),
        ("准备标准化沟通话术", "沟通话术"),
        ("采购礼品与活动物料", "礼品清单"),
    ),
    WARMUP: (("发送活动邀请函", "邀请函"), ("公众号发布活动预告", "预告推文"), ("短信通知目标客户", "短信发送记录")),
    LAUNCH: (
        ("首轮客户电话回访", "回访记录"),
        ("活动正式启动并触达客户", "触达清单"),
        ("直播开场及产品介绍", "直播回放"),
    ),
    PEAK: (("举办客户座谈会", "会议纪要"), ("收集客户反馈与需求", "反馈汇总表"), ("跟进客户意向并提供报价", "报价单")),
    WRAPUP: (
        ("发送感谢信并回收满意度问卷", "满意度问卷"),
        ("整理未闭环需求并分派责任人", "跟进清单"),
        ("汇总执行表数据", "数据汇总表"),
    ),
    REVIEW: (("召开复盘会并输出总结报告", "活动总结报告"), ("更新客户分层与维护计划", "更新后的客户名单")),
}

BLOCKERS = (
    "客户临时取消拜访，已改期",
    "礼品供应商延迟发货",
    "部分客户联系方式失效",
    "场地预约冲突",
    "预算审批流程较长",
    "负责人出差，交接延误",
)
CANCEL_REASONS = ("活动方向调整，任务取消", "与其他活动合并执行", "客户需求变化，不再需要")
