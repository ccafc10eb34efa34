"""Synthetic Chinese names: people, villages and communities, and enterprise trade names."""

from __future__ import annotations

import random
from itertools import accumulate

# Common surnames, the more frequent (in Shaoxing) first; weights fall with the rank.
SURNAMES = (
    "王陈张李徐金沈周钱俞孙何赵吴杨胡朱黄魏马袁丁楼宣章蒋范郑傅钟"
    "任谢冯姚许潘裘单寿斯陶鲁屠茹骆叶董吕施高林梁宋韩唐曹邵郭汪"
)
_SURNAME_WEIGHTS = tuple(accumulate(1 / (rank + 4) for rank in range(len(SURNAMES))))
GIVEN_MALE = "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆旭宁龙林峰建国志文海东亮晨阳博轩睿坚"
GIVEN_FEMALE = "芳娜敏静丽艳娟霞燕玲婷雪琳颖倩洁慧莉萍红英梅琴云佳欣怡悦彤雯蕾璐瑶晶妍涵诗"
TWO_CHARACTER_GIVEN_NAMES = 0.7

# Characters that make plausible place names when paired (东塘, 金桥, 梅坞...).
PLACE_FIRST = (
    "东西南北上下前后中新大小金石龙凤兴安和丰长永福庆华清宁泰盛嘉鉴越舜梅竹松桃杨柳花茶枫云霞"
)
PLACE_SECOND = "桥溪塘湾岙坞山岭浦港江湖池园林庄家埠畈头墩亭里堰坂"

TRADE_CHARACTERS = (
    "恒盛永通华达新宏鑫兴祥瑞丰源泰隆金德利汇诚信佳美中天远海越舜兰亭会稽禹鉴卓宇航博"
)


def person_name(rng: random.Random, *, male: bool | None = None) -> str:
    """A full name: a weighted surname and a one- or two-character given name."""
    if male is None:
        male = rng.random() < 0.5
    pool = GIVEN_MALE if male else GIVEN_FEMALE
    surname = rng.choices(SURNAMES, cum_weights=_SURNAME_WEIGHTS)[0]
    length = 2 if rng.random() < TWO_CHARACTER_GIVEN_NAMES else 1
    return surname + "".join(rng.choice(pool) for _ in range(length))


def place_names(rng: random.Random, count: int) -> list[str]:
    """`count` different two-character place names (without 村 or 社区)."""
    picks = rng.sample(range(len(PLACE_FIRST) * len(PLACE_SECOND)), count)
    return [
        PLACE_FIRST[pick // len(PLACE_SECOND)] + PLACE_SECOND[pick % len(PLACE_SECOND)]
        for pick in picks
    ]


def trade_name(rng: random.Random) -> str:
    """A two-character trade name (字号) such as 恒盛."""
    return "".join(rng.sample(TRADE_CHARACTERS, 2))
