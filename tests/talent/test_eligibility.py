"""The pure rule layer: each 回避 rule alone, their combination, and the blocking reason of an unstaffable item."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from xietong.talent import assignment, rules
from xietong.talent.contacts import mask_email, mask_phone
from xietong.talent.eligibility import ExpertFacts, ItemFacts, evaluate, excluding_rules


def expert(i, org, **kw):
    return ExpertFacts(
        id=i, name=f"专家{i}", org_id=org, region_code="510100", capacity=kw.pop("capacity", 3), **kw
    )


ITEM = ItemFacts(id=1, org_id=100, region_code="510100", principal_id=7, unsuitable=frozenset({3}))


def test_each_rule_excludes_for_its_own_reason():
    partners = {100: frozenset({200})}
    assert excluding_rules(ITEM, expert(1, 100), partners) == ["same_entity"]
    assert excluding_rules(ITEM, expert(2, 200), partners) == ["collaborated"]
    assert excluding_rules(ITEM, expert(3, 300), partners) == ["named_unsuitable"]
    assert excluding_rules(ITEM, expert(4, 400, declared_orgs=frozenset({100})), partners) == ["declared"]
    assert excluding_rules(ITEM, expert(5, 500, declared_profiles=frozenset({7})), partners) == ["declared"]
    assert excluding_rules(ITEM, expert(6, 600, capacity=0), partners) == ["unavailable"]
    assert excluding_rules(ITEM, expert(7, 700, appointed_orgs=frozenset({100})), partners) == [
        "collaborated"
    ]
    assert excluding_rules(ITEM, expert(8, 800), partners) == []


def test_an_expert_breaking_two_rules_cites_both():
    assert excluding_rules(ITEM, expert(3, 100), {}) == ["same_entity", "named_unsuitable"]


def test_an_item_without_an_organisation_is_only_held_by_person_rules():
    item = ItemFacts(id=2, org_id=None, region_code="510100", unsuitable=frozenset({9}))
    assert excluding_rules(item, expert(9, 100), {100: frozenset({1})}) == ["named_unsuitable"]


def test_blocking_reason_names_the_rule_that_removed_most_with_its_source():
    experts = [expert(i, 100) for i in range(4)] + [expert(10, 900)]
    elig = evaluate([ITEM], experts, {})
    reason = assignment.blocking_reason(1, elig, 3, years=3, title="项目甲")
    assert reason == (
        "“项目甲”只有 1 位合格专家，少于每项所需的 3 位；主要受“与申报单位为同一法人单位”限制"
        f"（排除 4 位，依据：{rules.SAME_ENTITY.source}）"
    )
    assert assignment.blocking_reason(1, elig, 1, years=3) is None


@given(st.lists(st.tuples(st.integers(1, 5), st.booleans(), st.integers(0, 2)), min_size=1, max_size=30))
def test_every_expert_is_either_eligible_or_excluded_with_a_reason(specs):
    experts = [expert(i, org, capacity=cap, declared_orgs=frozenset({100}) if declared else frozenset())
               for i, (org, declared, cap) in enumerate(specs)]  # fmt: skip
    elig = evaluate([ITEM], experts, {})
    eligible, excluded = set(elig.eligible[1]), elig.excluded.get(1, {})
    assert eligible | set(excluded) == {e.id for e in experts}
    assert not eligible & set(excluded)
    assert all(codes and set(codes) <= set(rules.RULES) for codes in excluded.values())


def test_masks():
    assert mask_phone("13912345678") == "139****5678"
    assert mask_email("li.ming@example.cn") == "l***@example.cn"
    assert (mask_phone(""), mask_email("")) == ("", "")
