"""Ordinary Chinese personal names for the demo's generated people (workers, teachers, students).

A page full of "师生017" and "水电师傅2" does not look like a school; names drawn from common surnames and given
names do. The draw is seeded, so the same demo always has the same people, and never repeats a name or reuses one
the caller already gave to someone (the demo users), so a name on a page always means one person.
"""
from __future__ import annotations

import random
from collections.abc import Collection

SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蔡蒋余于杜叶程魏苏吕丁任沈"
            "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀兰", "霞",
         "平", "刚", "桂英", "建华", "建国", "志强", "海燕", "晓东", "文静", "子涵", "雨萱", "浩然", "欣怡", "宇轩", "思远",
         "佳琪", "俊杰", "梓轩", "诗涵", "一鸣", "嘉怡", "博文", "晨曦", "国庆", "红梅", "春燕", "立新", "玉兰", "德胜",
         "永刚", "卫东", "小龙", "文博", "雅琴", "海涛", "凤英", "志刚", "秀英", "宏伟", "丹", "鹏", "飞", "琳", "婷", "欢"]


def person_names(rng: random.Random, count: int, *, taken: Collection[str] = ()) -> list[str]:
    """``count`` distinct names, none of them in ``taken``."""
    if count > len(SURNAMES) * len(GIVEN) - len(taken):
        raise ValueError(f"cannot draw {count} distinct names")
    names: list[str] = []
    seen = set(taken)
    while len(names) < count:
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names
