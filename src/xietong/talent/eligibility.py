"""Pure: which expert may review which item, and for every excluded pair the rules that exclude it.

Inputs are plain facts the selectors gathered (organisations, regions, declared 回避, collaborations on the
platform); nothing here reads the database, so the rules are tested and explained without one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

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


def _same(text: str) -> str:
    return text


def chosen_reason(
    *,
    affinity: float,
    explanation: str,
    mode: str,
    probability: float | None,
    translate: Callable[[str], str] = _same,
) -> str:
    """Pure: why an expert holds a seat, in Chinese (stored with the seat), or in the reader's language when
    ``translate`` is Django's gettext (the Chinese texts are the msgids; a page rebuilds the line from the seat)."""
    parts = [translate("通过全部回避规则")]
    if mode == "random":
        parts.append(translate("在合格专家中等概率随机抽取"))
    elif mode == "randomized":
        parts.append(
            translate("随机化优化抽中（抽中概率 %(probability)s）") % {"probability": f"{probability:.0%}"}
            if probability is not None
            else translate("随机化优化抽中")
        )
    else:
        parts.append(translate("按匹配度优化选定"))
    parts.append(translate("匹配度 %(affinity)s") % {"affinity": f"{affinity:.2f}"})
    if explanation:
        parts.append(explanation)
    return translate("；").join(parts)[:400]


def blocking_facts(
    item_id: int, eligibility: Eligibility, k: int, *, years: int, title: str = ""
) -> dict[str, Any] | None:
    """Why an item cannot get k experts before any solving: too few eligible, and the rule that removed most,
    as plain facts (stored with the item, `ReviewItem.blocking_data`) that `blocking_text` words."""
    pool = eligibility.pool_size(item_id)
    if pool >= k:
        return None
    counts = Counter(code for codes in eligibility.excluded.get(item_id, {}).values() for code in codes)
    facts: dict[str, Any] = {"title": title, "pool": pool, "k": k, "years": years}
    if counts:
        facts["rule"], facts["excluded"] = counts.most_common(1)[0]
    return facts


def blocking_text(facts: Mapping[str, Any], *, translate: Callable[[str], str] = _same) -> str:
    """The facts of `blocking_facts` in Chinese, or in the reader's language with Django's gettext; a reason
    the solver gave (`{"solver": text}`, Chinese) and a declined seat that could not be re-drawn (`declined`)
    are worded around it."""
    if "solver" in facts:
        text = facts["solver"] or translate("无法补齐")
    else:
        title = facts.get("title") or ""
        name = translate("“%(title)s”") % {"title": title} if title else translate("该项目")
        text = translate("%(name)s只有 %(pool)s 位合格专家，少于每项所需的 %(k)s 位") % {
            "name": name,
            "pool": facts["pool"],
            "k": facts["k"],
        }
        rule = rules.RULES.get(facts.get("rule") or "")
        if rule is not None:
            text += translate("；主要受“%(rule)s”限制（排除 %(n)s 位，依据：%(source)s）") % {
                "rule": translate(rule.label).format(years=facts.get("years", 3), n=0),
                "n": facts.get("excluded", 0),
                "source": rule.source,  # the cited regulation, quoted as it is written
            }
    if facts.get("declined"):
        text = translate("谢绝后无法补齐：%(reason)s") % {"reason": text}
    return text


def blocking_reason(
    item_id: int,
    eligibility: Eligibility,
    k: int,
    *,
    years: int,
    title: str = "",
    translate: Callable[[str], str] = _same,
) -> str | None:
    """`blocking_facts` worded (`blocking_text`); None when the item can be staffed."""
    facts = blocking_facts(item_id, eligibility, k, years=years, title=title)
    return None if facts is None else blocking_text(facts, translate=translate)
