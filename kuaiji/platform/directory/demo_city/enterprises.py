"""Enterprises of the demo city: credit codes, names, legal representatives, industries
weighted toward Shaoxing's (textiles, chemicals, machinery...) and sizes."""

from __future__ import annotations

import random
from dataclasses import dataclass
from itertools import accumulate

from kuaiji.platform.directory.demo_city.names import person_name, trade_name
from kuaiji.platform.directory.demo_city.seed import stream
from kuaiji.platform.directory.demo_city.territory import Territory
from kuaiji.platform.directory.identifiers import credit_code_from
from kuaiji.platform.directory.models import EnterpriseScale, RegionLevel
from kuaiji.platform.directory.records import EnterpriseRecord, RegionRecord


@dataclass(frozen=True)
class Industry:
    """A GB/T 4754-2017 division, how common it is here, and words for a company's name."""

    code: str
    weight: int
    words: tuple[str, ...]


INDUSTRIES = (
    Industry("C17", 18, ("纺织", "印染", "织造", "家纺")),
    Industry("C18", 8, ("服饰", "制衣", "袜业", "领带")),
    Industry("C28", 4, ("化纤",)),
    Industry("C26", 7, ("化工", "新材料")),
    Industry("C27", 3, ("制药", "生物医药")),
    Industry("C15", 2, ("酿酒", "黄酒")),
    Industry("C29", 3, ("塑业", "橡塑")),
    Industry("C33", 4, ("五金", "金属制品")),
    Industry("C34", 6, ("机械", "轴承", "泵业")),
    Industry("C35", 5, ("装备", "机电设备")),
    Industry("C38", 6, ("电器", "电机", "照明")),
    Industry("C39", 3, ("电子", "光电")),
    Industry("C24", 1, ("珍珠", "工艺品")),
    Industry("A01", 1, ("茶业", "农业开发")),
    Industry("E47", 3, ("建设", "建筑工程")),
    Industry("F51", 8, ("贸易", "进出口")),
    Industry("F52", 10, ("商贸", "超市", "百货")),
    Industry("G54", 3, ("物流", "运输")),
    Industry("H62", 4, ("餐饮",)),
    Industry("I65", 4, ("软件", "信息技术", "网络科技")),
    Industry("L72", 3, ("企业管理咨询", "商务服务")),
)
_INDUSTRY_WEIGHTS = tuple(accumulate(industry.weight for industry in INDUSTRIES))
# Sizes with their weights: mostly micro and small firms.
SCALES = {EnterpriseScale.LARGE: 2, EnterpriseScale.MEDIUM: 8, EnterpriseScale.SMALL: 30,
          EnterpriseScale.MICRO: 60}  # fmt: skip
_SCALE_WEIGHTS = tuple(accumulate(SCALES.values()))
# Characters of an organisation code (GB 11714) that a credit code may hold, and the weights
# of its check character.
CODE_CHARACTERS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CHECK_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def organisation_code(rng: random.Random) -> str:
    """A 9-character organisation code of the kind issued since 2015 ("MA2" + 5), with its
    GB 11714 check character."""
    body = "MA2" + "".join(rng.choice(CODE_CHARACTERS) for _ in range(5))
    total = sum(int(char, 36) * weight for char, weight in zip(body, CHECK_WEIGHTS, strict=True))
    check = 11 - total % 11
    return body + {10: "X", 11: "0"}.get(check, str(check))


def build_enterprises(territory: Territory, count: int) -> list[EnterpriseRecord]:
    """`count` enterprises with different credit codes and names, in random villages."""
    rng = stream("enterprises")
    villages = territory.at_level(RegionLevel.VILLAGE)
    enterprises: dict[str, EnterpriseRecord] = {}
    names: set[str] = set()
    while len(enterprises) < count:
        village = rng.choice(villages)
        industry = rng.choices(INDUSTRIES, cum_weights=_INDUSTRY_WEIGHTS)[0]
        scale = rng.choices(list(SCALES), cum_weights=_SCALE_WEIGHTS)[0]
        code = credit_code_from(village.code[:6], organisation_code(rng))
        name = _name(rng, territory.region(village.code[:6]), industry, scale)
        if code in enterprises or name in names:
            continue
        names.add(name)
        enterprises[code] = EnterpriseRecord(
            credit_code=code,
            name=name,
            legal_representative=person_name(rng),
            industry_code=industry.code,
            region_code=village.code,
            scale=scale,
        )
    return list(enterprises.values())


def _name(
    rng: random.Random, county: RegionRecord, industry: Industry, scale: EnterpriseScale
) -> str:
    """浙江XX纺织股份有限公司 for a large firm; otherwise the city's name for firms in its
    districts and the county's for the others (绍兴XX机械有限公司, 诸暨XX袜业有限公司)."""
    if scale is EnterpriseScale.LARGE:
        prefix, form = "浙江", "股份有限公司"
    else:
        prefix, form = ("绍兴" if county.name.endswith("区") else county.name[:-1]), "有限公司"
    return f"{prefix}{trade_name(rng)}{rng.choice(industry.words)}{form}"
