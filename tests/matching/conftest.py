"""Matching-engine tests: pure Python, no database."""

from __future__ import annotations

import pytest

from xietong.matching import Document, MatchConfig, MatchIndex

LISTINGS = [
    Document(
        id="a1",
        title="动力电池热管理系统",
        keywords=("热管理", "动力电池"),
        body="本成果提供一种液冷式动力电池热管理方案，适用于新能源汽车，降低电芯温差。",
        attrs={
            "kind": "achievement",
            "fields": ["新能源汽车"],
            "zones": ["长三角"],
            "trl": 7,
            "price_fen": 50_000_000,
        },
    ),
    Document(
        id="a2",
        title="小麦抗旱品种选育技术",
        keywords=("小麦", "抗旱"),
        body="通过分子标记辅助选择培育抗旱小麦新品种，在华北地区推广。",
        attrs={"kind": "achievement", "fields": ["现代农业"], "zones": ["京津冀"], "trl": 8},
    ),
    Document(
        id="a3",
        title="锂离子电池正极材料制备方法",
        keywords=("锂离子电池", "正极材料"),
        body="一种高镍三元正极材料的制备方法，提高电池能量密度和循环寿命。",
        attrs={
            "kind": "achievement",
            "fields": ["新材料"],
            "zones": ["京津冀"],
            "trl": 4,
            "price_fen": 200_000_000,
        },
    ),
    Document(
        id="e1",
        title="电池安全与热失控研究团队",
        keywords=("热失控", "电池安全"),
        body="长期从事动力电池热失控机理、热管理与安全防护研究。",
        attrs={"kind": "expert", "fields": ["新能源汽车"], "zones": ["成渝"]},
    ),
    Document(
        id="d1",
        title="需要电动客车电池温控方案",
        keywords=("电池温控",),
        body="我公司生产电动客车，夏季电池包温度过高，寻求热管理技术合作开发。",
        attrs={
            "kind": "demand",
            "fields": ["新能源汽车"],
            "zones": ["长三角"],
            "trl_min": 6,
            "budget_fen": 80_000_000,
        },
    ),
]


@pytest.fixture
def listings() -> list[Document]:
    return list(LISTINGS)


@pytest.fixture
def lexical_config() -> MatchConfig:
    """Semantic layer off: exact BM25F behaviour on tiny corpora."""
    return MatchConfig(semantic_weight=0.0)


@pytest.fixture
def index(listings, lexical_config) -> MatchIndex:
    idx = MatchIndex(config=lexical_config)
    idx.add(listings)
    return idx
