"""The taxonomy of grid events (网格事件): groups, leaf categories, and for each leaf the
township platform that takes it and the line department that answers for it by default.

Codes are stable ASCII and double as the Open311 ``service_code``; renaming one breaks
saved models and reported events, so add new codes instead of changing old ones.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

#: The four township platforms (基层治理四平台), the values of
#: ``kuaiji.platform.directory.models.TownshipPlatform``.
PARTY_BUILDING = "party_building"
ECONOMY_ECOLOGY = "economy_ecology"
SAFETY_LAW = "safety_law"
PUBLIC_SERVICE = "public_service"
PLATFORMS = (PARTY_BUILDING, ECONOMY_ECOLOGY, SAFETY_LAW, PUBLIC_SERVICE)


@dataclass(frozen=True)
class Group:
    """A top-level group of categories."""

    code: str
    name: str
    #: Lazy (translated when shown), so left out of equality and hashing.
    name_en: str | Promise = field(compare=False)


@dataclass(frozen=True)
class Category:
    """A leaf category: what a grid event is about, and who takes it."""

    code: str
    name: str
    #: Lazy (translated when shown), so left out of equality and hashing.
    name_en: str | Promise = field(compare=False)
    group: str
    platform: str
    department: str
    keywords: tuple[str, ...] = ()


GROUPS: tuple[Group, ...] = (
    Group("city", "城市管理", _("City management")),
    Group("env", "生态环境", _("Ecology and environment")),
    Group("safety", "安全隐患", _("Safety hazards")),
    Group("dispute", "矛盾纠纷", _("Disputes")),
    Group("order", "社会治安", _("Public order")),
    Group("service", "公共服务", _("Public services")),
    Group("livelihood", "民生保障", _("Livelihood security")),
    Group("market", "市场监管", _("Market regulation")),
    Group("rural", "农业农村", _("Agriculture and rural affairs")),
    Group("traffic", "交通设施", _("Traffic facilities")),
    Group("party", "基层组织", _("Community organisation")),
)


def _c(
    code: str,
    name: str,
    name_en: str | Promise,
    platform: str,
    department: str,
    keywords: str = "",
) -> Category:
    return Category(
        code=code,
        name=name,
        name_en=name_en,
        group=code.split(".", 1)[0],
        platform=platform,
        department=department,
        keywords=tuple(keywords.split()),
    )


CATEGORIES: tuple[Category, ...] = (
    # 城市管理: enforcement goes to the safety-and-law platform (综合执法), city
    # upkeep to economy and ecology (城乡建设、人居环境).
    _c(
        "city.illegal_parking",
        "车辆乱停乱放",
        _("Illegal parking"),
        SAFETY_LAW,
        "ZHZF",
        "违停 乱停车 占用人行道 僵尸车",
    ),
    _c(
        "city.street_vendor",
        "占道经营和流动摊贩",
        _("Street vending and shopfront spill-over"),
        SAFETY_LAW,
        "ZHZF",
        "占道经营 出店经营 流动摊贩 马路市场",
    ),
    _c(
        "city.illegal_construction",
        "违法建筑",
        _("Illegal construction"),
        SAFETY_LAW,
        "ZHZF",
        "违建 违章搭建 阳光房 加层",
    ),
    _c(
        "city.outdoor_ads",
        "违规广告和店招",
        _("Unauthorised advertising and signs"),
        SAFETY_LAW,
        "ZHZF",
        "小广告 牛皮癣 横幅 店招",
    ),
    _c(
        "city.garbage",
        "环境卫生",
        _("Street cleaning and refuse collection"),
        ECONOMY_ECOLOGY,
        "ZHZF",
        "垃圾 清运 保洁 垃圾桶",
    ),
    _c(
        "city.waste_sorting",
        "垃圾分类",
        _("Waste sorting"),
        ECONOMY_ECOLOGY,
        "ZHZF",
        "垃圾分类 混投 厨余垃圾 分类桶",
    ),
    _c(
        "city.construction_waste",
        "建筑垃圾和渣土",
        _("Construction waste and spoil"),
        SAFETY_LAW,
        "ZHZF",
        "建筑垃圾 装修垃圾 渣土 撒漏",
    ),
    _c(
        "city.municipal_facilities",
        "市政设施损坏",
        _("Damaged municipal facilities"),
        ECONOMY_ECOLOGY,
        "ZJJ",
        "井盖 路灯 雨水箅子 排水",
    ),
    _c(
        "city.greening",
        "园林绿化",
        _("Parks and greenery"),
        ECONOMY_ECOLOGY,
        "ZJJ",
        "绿化带 树木 毁绿 修剪",
    ),
    _c("city.dogs", "犬只管理", _("Dog control"), SAFETY_LAW, "GAJ", "遛狗 不拴绳 流浪狗 犬吠"),
    # 生态环境
    _c(
        "env.water_pollution",
        "水污染",
        _("Water pollution"),
        ECONOMY_ECOLOGY,
        "STHJ",
        "排污 偷排 污水 黑臭",
    ),
    _c(
        "env.river_cleaning",
        "河道保洁",
        _("River cleaning"),
        ECONOMY_ECOLOGY,
        "SLJ",
        "河面 漂浮物 水葫芦 河长",
    ),
    _c(
        "env.air_pollution",
        "废气和异味",
        _("Air pollution and odours"),
        ECONOMY_ECOLOGY,
        "STHJ",
        "废气 异味 臭味 烟囱",
    ),
    _c(
        "env.open_burning",
        "露天焚烧",
        _("Open burning"),
        ECONOMY_ECOLOGY,
        "STHJ",
        "焚烧 秸秆 烧垃圾 浓烟",
    ),
    _c(
        "env.cooking_fumes",
        "餐饮油烟",
        _("Restaurant cooking fumes"),
        ECONOMY_ECOLOGY,
        "ZHZF",
        "油烟 烧烤 排烟 油烟净化器",
    ),
    _c(
        "env.construction_noise",
        "施工噪声",
        _("Construction noise"),
        ECONOMY_ECOLOGY,
        "ZHZF",
        "夜间施工 噪音 打桩 工地",
    ),
    # 安全隐患
    _c(
        "safety.fire_hazard",
        "消防安全隐患",
        _("Fire hazards"),
        SAFETY_LAW,
        "YJJ",
        "消防 灭火器 私拉电线 三合一",
    ),
    _c(
        "safety.fire_lane",
        "消防通道堵塞",
        _("Blocked fire lanes"),
        SAFETY_LAW,
        "YJJ",
        "消防通道 生命通道 堵塞 占用",
    ),
    _c(
        "safety.ebike_charging",
        "电动自行车违规充电",
        _("Unsafe e-bike charging"),
        SAFETY_LAW,
        "YJJ",
        "飞线充电 电瓶车上楼 充电桩 电动车",
    ),
    _c("safety.gas", "燃气安全", _("Gas safety"), SAFETY_LAW, "ZJJ", "燃气 煤气 液化气 漏气"),
    _c(
        "safety.housing",
        "房屋安全",
        _("Unsafe buildings"),
        SAFETY_LAW,
        "ZJJ",
        "危房 裂缝 外墙脱落 承重墙",
    ),
    _c(
        "safety.production",
        "企业安全生产",
        _("Workplace safety"),
        SAFETY_LAW,
        "YJJ",
        "安全生产 危化品 有限空间 防护",
    ),
    _c(
        "safety.elevator",
        "电梯和特种设备",
        _("Lifts and special equipment"),
        SAFETY_LAW,
        "SCJ",
        "电梯 困人 维保 特种设备",
    ),
    _c(
        "safety.geological",
        "地质灾害隐患",
        _("Geological hazards"),
        SAFETY_LAW,
        "ZRZY",
        "滑坡 塌方 落石 边坡",
    ),
    _c(
        "safety.flood",
        "防汛排涝",
        _("Flood control and drainage"),
        SAFETY_LAW,
        "SLJ",
        "防汛 积水 内涝 台风",
    ),
    # 矛盾纠纷
    _c(
        "dispute.neighbour",
        "邻里纠纷",
        _("Neighbour disputes"),
        SAFETY_LAW,
        "SFJ",
        "邻居 漏水 采光 调解",
    ),
    _c(
        "dispute.family",
        "婚姻家庭纠纷",
        _("Family disputes"),
        SAFETY_LAW,
        "SFJ",
        "家庭矛盾 离婚 赡养 家暴",
    ),
    _c(
        "dispute.property_management",
        "物业纠纷",
        _("Property-management disputes"),
        SAFETY_LAW,
        "ZJJ",
        "物业 物业费 业委会 维修基金",
    ),
    _c(
        "dispute.wage_arrears",
        "拖欠工资",
        _("Unpaid wages"),
        SAFETY_LAW,
        "RSJ",
        "欠薪 讨薪 工资 农民工",
    ),
    _c(
        "dispute.land",
        "土地和山林纠纷",
        _("Land and woodland disputes"),
        SAFETY_LAW,
        "ZRZY",
        "宅基地 地界 山林 承包地",
    ),
    # 社会治安
    _c(
        "order.fraud",
        "电信网络诈骗",
        _("Telecom and online fraud"),
        SAFETY_LAW,
        "GAJ",
        "诈骗 刷单 冒充 反诈",
    ),
    _c("order.gambling", "赌博", _("Gambling"), SAFETY_LAW, "GAJ", "赌博 聚赌 麻将 赌资"),
    _c(
        "order.noise",
        "社会生活噪声",
        _("Neighbourhood noise"),
        SAFETY_LAW,
        "GAJ",
        "噪音 广场舞 扰民 KTV",
    ),
    _c(
        "order.rental_housing",
        "出租房屋和流动人口",
        _("Rented housing and migrant registration"),
        SAFETY_LAW,
        "GAJ",
        "出租房 群租 暂住登记 流动人口",
    ),
    _c("order.theft", "盗窃", _("Theft"), SAFETY_LAW, "GAJ", "偷盗 被偷 电瓶 小偷"),
    # 公共服务
    _c(
        "service.water_supply",
        "供水",
        _("Water supply"),
        PUBLIC_SERVICE,
        "ZJJ",
        "停水 水压 水质 自来水",
    ),
    _c(
        "service.power_supply",
        "供电",
        _("Power supply"),
        PUBLIC_SERVICE,
        "FGW",
        "停电 电压 电线 变压器",
    ),
    _c(
        "service.education",
        "教育服务",
        _("Education"),
        PUBLIC_SERVICE,
        "JYJ",
        "入学 学校 校车 培训机构",
    ),
    _c(
        "service.health",
        "医疗卫生",
        _("Health care"),
        PUBLIC_SERVICE,
        "WJW",
        "卫生院 疫苗 诊所 家庭医生",
    ),
    _c(
        "service.culture_sports",
        "文体设施",
        _("Culture and sports facilities"),
        PUBLIC_SERVICE,
        "WGL",
        "健身器材 文化礼堂 图书室 球场",
    ),
    # 民生保障
    _c(
        "livelihood.elderly",
        "养老服务",
        _("Elderly care"),
        PUBLIC_SERVICE,
        "MZJ",
        "独居老人 居家养老 老年食堂 高龄补贴",
    ),
    _c(
        "livelihood.assistance",
        "社会救助",
        _("Social assistance"),
        PUBLIC_SERVICE,
        "MZJ",
        "低保 困难 救助 残疾",
    ),
    _c(
        "livelihood.social_security",
        "社保和就业",
        _("Social insurance and employment"),
        PUBLIC_SERVICE,
        "RSJ",
        "社保 养老保险 就业 失业",
    ),
    _c(
        "livelihood.medical_insurance",
        "医疗保障",
        _("Medical insurance"),
        PUBLIC_SERVICE,
        "YBJ",
        "医保 报销 参保 异地就医",
    ),
    _c(
        "livelihood.veterans",
        "退役军人服务",
        _("Services for veterans"),
        PUBLIC_SERVICE,
        "TYJR",
        "退役军人 优抚 光荣牌 老兵",
    ),
    # 市场监管
    _c(
        "market.food_safety",
        "食品安全",
        _("Food safety"),
        ECONOMY_ECOLOGY,
        "SCJ",
        "食品 过期 变质 后厨",
    ),
    _c(
        "market.unlicensed",
        "无证无照经营",
        _("Unlicensed business"),
        ECONOMY_ECOLOGY,
        "SCJ",
        "无证 无照 营业执照 黑作坊",
    ),
    _c(
        "market.price_measurement",
        "价格和计量",
        _("Prices and weights"),
        ECONOMY_ECOLOGY,
        "SCJ",
        "缺斤短两 乱收费 明码标价 电子秤",
    ),
    _c(
        "market.consumer",
        "消费维权",
        _("Consumer complaints"),
        ECONOMY_ECOLOGY,
        "SCJ",
        "预付卡 退款 退货 消费纠纷",
    ),
    _c(
        "market.counterfeit",
        "假冒伪劣",
        _("Counterfeit and substandard goods"),
        ECONOMY_ECOLOGY,
        "SCJ",
        "假货 三无产品 伪劣 山寨",
    ),
    # 农业农村
    _c(
        "rural.farmland",
        "耕地保护",
        _("Farmland protection"),
        ECONOMY_ECOLOGY,
        "ZRZY",
        "耕地 基本农田 抛荒 非农化",
    ),
    _c(
        "rural.animal_disease",
        "动物疫病",
        _("Animal disease"),
        ECONOMY_ECOLOGY,
        "NYNC",
        "病死猪 禽流感 防疫 死鸡",
    ),
    _c(
        "rural.livestock_pollution",
        "畜禽养殖污染",
        _("Livestock pollution"),
        ECONOMY_ECOLOGY,
        "STHJ",
        "养猪场 养鸡场 粪污 禁养区",
    ),
    _c(
        "rural.irrigation",
        "农田水利",
        _("Farm irrigation"),
        ECONOMY_ECOLOGY,
        "SLJ",
        "水渠 机埠 灌溉 山塘",
    ),
    _c(
        "rural.living_environment",
        "农村人居环境",
        _("Village living environment"),
        ECONOMY_ECOLOGY,
        "NYNC",
        "乱堆乱放 房前屋后 旱厕 庭院",
    ),
    _c(
        "rural.illegal_fishing",
        "非法捕捞",
        _("Illegal fishing"),
        ECONOMY_ECOLOGY,
        "NYNC",
        "电鱼 毒鱼 禁渔期 地笼",
    ),
    # 交通设施
    _c(
        "traffic.road_damage",
        "道路破损",
        _("Damaged roads"),
        ECONOMY_ECOLOGY,
        "JTJ",
        "坑洼 路面 塌陷 破损",
    ),
    _c(
        "traffic.signals",
        "交通信号和标志",
        _("Traffic lights and signs"),
        SAFETY_LAW,
        "GAJ",
        "红绿灯 信号灯 标志牌 斑马线",
    ),
    _c("traffic.bus", "公交出行", _("Buses"), PUBLIC_SERVICE, "JTJ", "公交 站台 班次 线路"),
    _c(
        "traffic.shared_bikes",
        "共享单车",
        _("Shared bikes"),
        SAFETY_LAW,
        "ZHZF",
        "共享单车 共享电单车 堆放 乱停",
    ),
    # 基层组织: the party-building platform (党建统领).
    _c(
        "party.village_affairs",
        "村务公开",
        _("Village affairs transparency"),
        PARTY_BUILDING,
        "MZJ",
        "村务公开 公示 村民代表 财务公开",
    ),
    _c(
        "party.collective_assets",
        "农村集体三资",
        _("Village collective assets"),
        PARTY_BUILDING,
        "NYNC",
        "集体资产 三资 发包 租金",
    ),
    _c(
        "party.cadre_conduct",
        "干部作风",
        _("Conduct of local officials"),
        PARTY_BUILDING,
        "XFJ",
        "作风 推诿 态度 不作为",
    ),
)

_BY_CODE: Mapping[str, Category] = MappingProxyType({c.code: c for c in CATEGORIES})
_GROUP_BY_CODE: Mapping[str, Group] = MappingProxyType({g.code: g for g in GROUPS})


def category(code: str) -> Category:
    """The category with this code; `KeyError` if there is none."""
    return _BY_CODE[code]


def group(code: str) -> Group:
    """The group with this code; `KeyError` if there is none."""
    return _GROUP_BY_CODE[code]


def codes() -> tuple[str, ...]:
    """Every category code, in taxonomy order."""
    return tuple(_BY_CODE)


def by_group() -> dict[Group, tuple[Category, ...]]:
    """The categories of each group, both in taxonomy order."""
    return {g: tuple(c for c in CATEGORIES if c.group == g.code) for g in GROUPS}
