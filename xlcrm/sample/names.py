"""Vocabularies for sample data: cities, company names, people, with the pinyin used for IDs and
e-mail addresses (stored here so the sample needs no transliteration at run time)."""

from __future__ import annotations

import random
from dataclasses import dataclass

# (city, landline area code)
CITIES: tuple[tuple[str, str], ...] = (
    ("北京", "010"),
    ("上海", "021"),
    ("广州", "020"),
    ("深圳", "0755"),
    ("杭州", "0571"),
    ("南京", "025"),
    ("苏州", "0512"),
    ("成都", "028"),
    ("武汉", "027"),
    ("西安", "029"),
    ("重庆", "023"),
    ("天津", "022"),
    ("宁波", "0574"),
    ("厦门", "0592"),
    ("青岛", "0532"),
    ("长沙", "0731"),
    ("郑州", "0371"),
    ("合肥", "0551"),
    ("济南", "0531"),
    ("福州", "0591"),
    ("无锡", "0510"),
    ("东莞", "0769"),
    ("佛山", "0757"),
    ("昆明", "0871"),
)

# Trade names (字号) with pinyin syllables.
BRANDS: tuple[tuple[str, str], ...] = (
    ("华信", "hua xin"),
    ("恒通", "heng tong"),
    ("瑞丰", "rui feng"),
    ("天成", "tian cheng"),
    ("鼎盛", "ding sheng"),
    ("嘉禾", "jia he"),
    ("宏达", "hong da"),
    ("博远", "bo yuan"),
    ("中科", "zhong ke"),
    ("新锐", "xin rui"),
    ("东方", "dong fang"),
    ("金桥", "jin qiao"),
    ("汇通", "hui tong"),
    ("联创", "lian chuang"),
    ("星河", "xing he"),
    ("蓝海", "lan hai"),
    ("永安", "yong an"),
    ("盛世", "sheng shi"),
    ("万维", "wan wei"),
    ("远景", "yuan jing"),
    ("启明", "qi ming"),
    ("智联", "zhi lian"),
    ("锦程", "jin cheng"),
    ("广源", "guang yuan"),
    ("安泰", "an tai"),
    ("海纳", "hai na"),
    ("致远", "zhi yuan"),
    ("信达", "xin da"),
    ("同创", "tong chuang"),
    ("凯旋", "kai xuan"),
    ("卓越", "zhuo yue"),
    ("华盛", "hua sheng"),
    ("明德", "ming de"),
    ("润泽", "run ze"),
    ("宝丰", "bao feng"),
    ("德润", "de run"),
    ("长青", "chang qing"),
    ("泰和", "tai he"),
    ("银河", "yin he"),
    ("创维", "chuang wei"),
    ("天宇", "tian yu"),
    ("佳禾", "jia he"),
    ("九州", "jiu zhou"),
    ("融通", "rong tong"),
    ("和瑞", "he rui"),
    ("众诚", "zhong cheng"),
    ("立信", "li xin"),
    ("精工", "jing gong"),
    ("聚源", "ju yuan"),
    ("云帆", "yun fan"),
    ("晨光", "chen guang"),
    ("拓新", "tuo xin"),
    ("锐思", "rui si"),
    ("新航", "xin hang"),
    ("中盛", "zhong sheng"),
    ("世纪", "shi ji"),
    ("弘毅", "hong yi"),
    ("朗润", "lang run"),
    ("雅达", "ya da"),
    ("正阳", "zheng yang"),
)


@dataclass(frozen=True)
class Industry:
    """A line of business: the word in the company name, its pinyin, the 所属行业 label, a
    domain word for e-mail addresses and typical 主营业务."""

    word: str
    pinyin: str
    label: str
    domain: str
    business: tuple[str, ...]


INDUSTRIES: tuple[Industry, ...] = (
    Industry("科技", "ke ji", "信息技术", "tech", ("企业管理软件开发", "云计算与数据服务", "智能硬件研发与销售")),
    Industry(
        "软件", "ruan jian", "软件和信息服务", "soft", ("行业信息化解决方案", "ERP系统实施与运维", "SaaS平台运营")
    ),
    Industry("电子", "dian zi", "电子制造", "elec", ("电子元器件生产", "PCB电路板加工", "消费电子代工")),
    Industry("机械", "ji xie", "装备制造", "mach", ("数控机床制造", "工程机械配件生产", "自动化设备集成")),
    Industry("医疗器械", "yi liao qi xie", "医疗健康", "med", ("医用耗材生产", "体外诊断设备销售", "康复器械研发")),
    Industry("生物", "sheng wu", "生物医药", "bio", ("生物试剂研发", "原料药生产", "基因检测服务")),
    Industry("物流", "wu liu", "交通物流", "logistics", ("城际货运与仓储", "冷链物流配送", "跨境物流代理")),
    Industry("贸易", "mao yi", "批发零售", "trade", ("日用百货批发", "进出口贸易", "建材批发")),
    Industry("食品", "shi pin", "食品饮料", "food", ("休闲食品生产", "饮料灌装", "预制菜加工与配送")),
    Industry("建设工程", "jian she gong cheng", "建筑工程", "build", ("房屋建筑施工", "市政工程承包", "装饰装修工程")),
    Industry("教育", "jiao yu", "教育培训", "edu", ("职业技能培训", "企业内训服务", "在线课程运营")),
    Industry("新能源", "xin neng yuan", "新能源", "energy", ("光伏组件销售", "储能系统集成", "充电桩建设运营")),
    Industry("化工", "hua gong", "化工", "chem", ("涂料生产", "精细化学品销售", "工业助剂研发")),
    Industry("纺织", "fang zhi", "纺织服装", "textile", ("面料生产", "服装加工出口", "家纺产品设计")),
    Industry("餐饮管理", "can yin guan li", "餐饮服务", "food", ("连锁餐厅经营", "团餐配送", "中央厨房运营")),
    Industry("文化传媒", "wen hua chuan mei", "文化传媒", "media", ("广告策划与投放", "品牌营销推广", "影视内容制作")),
    Industry("环保", "huan bao", "节能环保", "eco", ("污水处理设备", "固废处理服务", "环境监测")),
    Industry("电商", "dian shang", "电子商务", "ec", ("跨境电商运营", "直播电商服务", "电商代运营")),
    Industry("供应链", "gong ying lian", "供应链管理", "scm", ("供应链金融服务", "采购与分销", "仓配一体化服务")),
    Industry("医药", "yi yao", "医药流通", "pharma", ("药品批发配送", "连锁药房经营", "医药电商")),
    Industry("汽车服务", "qi che fu wu", "汽车后市场", "auto", ("汽车维修保养", "汽车零部件销售", "新能源汽车租赁")),
    Industry("信息咨询", "xin xi zi xun", "商务服务", "consult", ("企业管理咨询", "市场调研服务", "人力资源外包")),
)

SUFFIXES = ("有限公司", "有限公司", "有限公司", "股份有限公司", "有限责任公司")
GROUP_SUFFIX = "集团有限公司"

SURNAMES: tuple[tuple[str, str], ...] = (
    ("王", "wang"),
    ("李", "li"),
    ("张", "zhang"),
    ("刘", "liu"),
    ("陈", "chen"),
    ("杨", "yang"),
    ("黄", "huang"),
    ("赵", "zhao"),
    ("吴", "wu"),
    ("周", "zhou"),
    ("徐", "xu"),
    ("孙", "sun"),
    ("马", "ma"),
    ("朱", "zhu"),
    ("胡", "hu"),
    ("郭", "guo"),
    ("何", "he"),
    ("林", "lin"),
    ("高", "gao"),
    ("罗", "luo"),
    ("郑", "zheng"),
    ("梁", "liang"),
    ("谢", "xie"),
    ("宋", "song"),
    ("唐", "tang"),
    ("许", "xu"),
    ("韩", "han"),
    ("冯", "feng"),
    ("邓", "deng"),
    ("曹", "cao"),
    ("彭", "peng"),
    ("曾", "zeng"),
    ("肖", "xiao"),
    ("田", "tian"),
    ("董", "dong"),
    ("潘", "pan"),
    ("袁", "yuan"),
    ("蒋", "jiang"),
    ("蔡", "cai"),
    ("余", "yu"),
    ("杜", "du"),
    ("叶", "ye"),
    ("程", "cheng"),
    ("魏", "wei"),
    ("苏", "su"),
    ("吕", "lv"),
    ("丁", "ding"),
    ("沈", "shen"),
)

GIVEN_NAMES: tuple[tuple[str, str], ...] = (
    ("伟", "wei"),
    ("芳", "fang"),
    ("娜", "na"),
    ("敏", "min"),
    ("静", "jing"),
    ("丽", "li"),
    ("强", "qiang"),
    ("磊", "lei"),
    ("军", "jun"),
    ("洋", "yang"),
    ("勇", "yong"),
    ("艳", "yan"),
    ("杰", "jie"),
    ("涛", "tao"),
    ("明", "ming"),
    ("超", "chao"),
    ("鹏", "peng"),
    ("斌", "bin"),
    ("婷", "ting"),
    ("琳", "lin"),
    ("峰", "feng"),
    ("辉", "hui"),
    ("颖", "ying"),
    ("倩", "qian"),
    ("秀英", "xiu ying"),
    ("建华", "jian hua"),
    ("志强", "zhi qiang"),
    ("海燕", "hai yan"),
    ("晓东", "xiao dong"),
    ("文博", "wen bo"),
    ("子涵", "zi han"),
    ("雨欣", "yu xin"),
    ("浩然", "hao ran"),
    ("思远", "si yuan"),
    ("佳怡", "jia yi"),
    ("俊杰", "jun jie"),
    ("欣怡", "xin yi"),
    ("宇轩", "yu xuan"),
    ("嘉琪", "jia qi"),
    ("梦瑶", "meng yao"),
    ("晨阳", "chen yang"),
    ("立新", "li xin"),
    ("国庆", "guo qing"),
    ("红梅", "hong mei"),
    ("卫东", "wei dong"),
    ("春燕", "chun yan"),
    ("晓明", "xiao ming"),
    ("丽娟", "li juan"),
    ("志刚", "zhi gang"),
    ("小龙", "xiao long"),
    ("建国", "jian guo"),
    ("慧敏", "hui min"),
)

TITLES = (
    "总经理",
    "副总经理",
    "采购经理",
    "采购主管",
    "行政主管",
    "运营总监",
    "IT经理",
    "信息部主任",
    "财务经理",
    "办公室主任",
    "技术总监",
    "项目经理",
    "市场总监",
    "董事长助理",
    "供应链经理",
)

MOBILE_PREFIXES = (
    "130",
    "131",
    "132",
    "133",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "153",
    "155",
    "156",
    "157",
    "158",
    "159",
    "166",
    "173",
    "175",
    "176",
    "177",
    "180",
    "181",
    "182",
    "183",
    "185",
    "186",
    "187",
    "188",
    "189",
    "191",
    "198",
    "199",
)


@dataclass(frozen=True)
class Person:
    name: str
    surname_pinyin: str
    given_pinyin: str


def person(rng: random.Random) -> Person:
    """A random Chinese full name with its pinyin."""
    surname, sp = rng.choice(SURNAMES)
    given, gp = rng.choice(GIVEN_NAMES)
    if len(given) == 1 and rng.random() < 0.4:  # some two-character given names built from two
        extra, ep = rng.choice(GIVEN_NAMES[:24])
        given, gp = given + extra, f"{gp} {ep}"
    return Person(surname + given, sp, gp.replace(" ", ""))


def distinct_people(rng: random.Random, count: int, taken: set[str] | None = None) -> list[str]:
    """``count`` distinct full names (names in ``taken`` are avoided and added to it)."""
    taken = set() if taken is None else taken
    names: list[str] = []
    while len(names) < count:
        name = person(rng).name
        if name not in taken:
            taken.add(name)
            names.append(name)
    return names


def mobile(rng: random.Random) -> str:
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(100_000_000):08d}"


def landline(rng: random.Random, area_code: str) -> str:
    return f"{area_code}-{rng.randint(2, 8)}{rng.randrange(10_000_000):07d}"


def initials(pinyin: str) -> str:
    """``"hua xin ke ji"`` → ``"HXKJ"``."""
    return "".join(s[0] for s in pinyin.split()).upper()


def email(rng: random.Random, who: Person, domain: str) -> str:
    """A pinyin-ish address at the company's domain."""
    style = rng.random()
    if style < 0.45:
        local = who.surname_pinyin + who.given_pinyin
    elif style < 0.75:
        local = f"{who.given_pinyin}.{who.surname_pinyin}"
    elif style < 0.9:
        local = who.surname_pinyin + who.given_pinyin[:1] + str(rng.randint(1, 99))
    else:
        local = who.surname_pinyin + "." + who.given_pinyin
    return f"{local}@{domain}"
