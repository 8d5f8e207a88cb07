"""The discipline classification of talent profiles: the 13 categories (学科门类) and 67 disciplines of CSL.

Why this one: GB/T 13745《学科分类与代码》 is the classification the issue prefers, but its text is not on this
machine and no installable package ships it, so its codes could not be sourced honestly. The CSL corpus
(`../shared/reference/csl-sci-lit/`, Apache-2.0) labels each paper with one of 67 disciplines grouped in 13
categories, which follow the 学位授予和人才培养学科目录 (门类 → 一级学科); the names below are read from that
data set, not typed by hand.
"""

from __future__ import annotations

CATEGORIES: dict[str, tuple[str, ...]] = {
    "哲学": ("哲学",),
    "经济学": ("应用经济学", "理论经济学"),
    "法学": ("政治学", "民族学", "法学", "社会学"),
    "教育学": ("体育学", "心理学", "教育学"),
    "文学": ("中国语言文学", "新闻传播学"),
    "历史学": ("历史学",),
    "理学": (
        "地球物理学",
        "地理学",
        "地质学/地质资源与地质工程",
        "大气科学",
        "天文学",
        "数学",
        "海洋科学",
        "物理学",
        "生物学/生物科学与工程",
    ),
    "工学": (
        "交通运输工程",
        "信息与通信工程",
        "光学工程",
        "兵器科学与技术",
        "农业工程",
        "冶金工程",
        "力学",
        "动力工程及工程热物理",
        "化学/化学工程与技术",
        "土木工程",
        "建筑学",
        "控制科学与工程",
        "机械工程",
        "材料科学与工程",
        "核科学与技术",
        "水利工程",
        "测绘科学与技术",
        "环境科学与工程",
        "电子科学与技术",
        "电气工程",
        "石油与天然气工程",
        "矿业工程",
        "纺织科学与工程",
        "航空宇航科学与技术",
        "船舶与海洋工程",
        "计算机科学与技术",
        "食品科学与工程",
    ),
    "农学": ("作物学", "农业资源利用", "园艺学", "林学/林业工程", "植物保护", "水产", "畜牧学/兽医学"),
    "医学": ("中医学/中药学", "公共卫生与预防医学", "口腔医学", "基础医学/临床医学", "药学"),
    "军事学": ("军事学",),
    "管理学": ("公共管理", "农林经济管理", "图书馆、情报与档案管理", "工商管理"),
    "艺术学": ("艺术学",),
}
DISCIPLINES: tuple[str, ...] = tuple(d for names in CATEGORIES.values() for d in names)
CATEGORY_OF: dict[str, str] = {d: cat for cat, names in CATEGORIES.items() for d in names}
DISCIPLINE_CHOICES = [(d, d) for d in DISCIPLINES]


def category_of(discipline: str) -> str:
    """Pure: the category (学科门类) of a discipline, "" for an unknown one."""
    return CATEGORY_OF.get(discipline, "")
