"""Pure: which expert may review which item, and for every excluded pair the rules that exclude it.

Inputs are plain facts the selectors gathered (organisations, regions, declared 回避, collaborations on the
platform); nothing here reads the database, so the rules are tested and explained without one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from xietong.talent import rules


@dataclass(frozen=True)
class ExpertFacts:
    id: int
    name: str
    org_id: int
    region_code: str
    capacity: int  # seats this expert may still take this year (0 = unavailable)
    declared_orgs: frozenset[int] = frozenset()
    declared_profiles: frozenset[int] = frozenset()
    appointed_orgs: frozenset[int] = frozenset()  # organisations the expert held a post at in the window


@dataclass(frozen=True)
class ItemFacts:
    id: int
    org_id: int | None
    region_code: str
    principal_id: int | None = None
    unsuitable: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Eligibility:
    eligible: dict[int, list[int]]  # item id -> eligible expert ids
    excluded: dict[int, dict[int, list[str]]] = field(default_factory=dict)  # item -> expert -> rule codes

    def pool_size(self, item_id: int) -> int:
        return len(self.eligible.get(item_id, ()))


def excluding_rules(
    item: ItemFacts, expert: ExpertFacts, partners: Mapping[int, frozenset[int]]
) -> list[str]:
    """The codes of the hard rules that keep `expert` off `item` (empty: eligible)."""
    out = []
    if item.org_id is not None and item.org_id == expert.org_id:
        out.append(rules.SAME_ENTITY.code)
    if item.org_id is not None and (
        expert.org_id in partners.get(item.org_id, frozenset()) or item.org_id in expert.appointed_orgs
    ):
        out.append(rules.COLLABORATED.code)
    if expert.id in item.unsuitable:
        out.append(rules.NAMED_UNSUITABLE.code)
    if (item.org_id is not None and item.org_id in expert.declared_orgs) or (
        item.principal_id is not None and item.principal_id in expert.declared_profiles
    ):
        out.append(rules.DECLARED.code)
    if expert.capacity <= 0:
        out.append(rules.UNAVAILABLE.code)
    return out


def evaluate(
    items: Iterable[ItemFacts], experts: Iterable[ExpertFacts], partners: Mapping[int, frozenset[int]]
) -> Eligibility:
    experts = list(experts)
    eligible: dict[int, list[int]] = {}
    excluded: dict[int, dict[int, list[str]]] = {}
    for item in items:
        eligible[item.id] = []
        for expert in experts:
            codes = excluding_rules(item, expert, partners)
            if codes:
                excluded.setdefault(item.id, {})[expert.id] = codes
            else:
                eligible[item.id].append(expert.id)
    return Eligibility(eligible=eligible, excluded=excluded)


def chosen_reason(*, affinity: float, explanation: str, mode: str, probability: float | None) -> str:
    """Pure: why an expert holds a seat, in Chinese."""
    parts = ["通过全部回避规则"]
    if mode == "random":
        parts.append("在合格专家中等概率随机抽取")
    elif mode == "randomized":
        parts.append(
            f"随机化优化抽中（抽中概率 {probability:.0%}）" if probability is not None else "随机化优化抽中"
        )
    else:
        parts.append("按匹配度优化选定")
    parts.append(f"匹配度 {affinity:.2f}")
    if explanation:
        parts.append(explanation)
    return "；".join(parts)[:400]
