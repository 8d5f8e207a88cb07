"""The engine on hand-made rounds: the answers, the Chinese reasons and the input mistakes it refuses."""

from __future__ import annotations

import math
from collections import Counter

import pytest

from xietong.assign import Instance, InvalidInstance, solve

# The worked example of docs/assign.md: three items, four experts, one conflict, 川/渝 regions.
AFFINITY = [
    ("P1", "A", 0.9),
    ("P1", "B", 0.5),
    ("P1", "C", 0.1),
    ("P2", "A", 0.8),
    ("P2", "B", 0.7),
    ("P2", "D", 0.3),
    ("P3", "C", 0.6),
    ("P3", "D", 0.2),
    ("P3", "A", 0.4),
]
REGION = {"P1": "川", "P2": "渝", "P3": "川", "A": "川", "B": "渝", "C": "川", "D": "渝"}


def example(**rules) -> Instance:
    base = dict(
        items=["P1", "P2", "P3"],
        experts=["A", "B", "C", "D"],
        affinity=AFFINITY,
        k=2,
        cap=2,
        conflicts=[("P1", "A")],
    )
    return Instance(**(base | rules))


def regional(**rules) -> Instance:
    items, experts = ["P1", "P2", "P3"], ["A", "B", "C", "D"]
    return example(
        item_region={i: REGION[i] for i in items}, expert_region={e: REGION[e] for e in experts}, **rules
    )


def test_optimal_on_the_worked_example():
    result = solve(example(), "optimal")
    assert result.pairs == [
        ("P1", "B", 0.5),
        ("P1", "C", 0.1),
        ("P2", "A", 0.8),
        ("P2", "B", 0.7),
        ("P3", "C", 0.6),
        ("P3", "A", 0.4),
    ]
    assert result.objective == pytest.approx(3.1)
    assert result.infeasible == {}
    assert result.seed is None and result.probabilities is None


def test_a_regional_rule_changes_the_answer():
    # P3 (川) took A and C, both 川: with "at least one from another region" it must take D (渝).
    result = solve(regional(min_other_region=1), "optimal")
    assert ("P3", "D", 0.2) in result.pairs
    p3 = [e for i, e, _ in result.pairs if i == "P3"]
    assert sum(REGION[e] != REGION["P3"] for e in p3) >= 1
    assert result.objective == pytest.approx(2.9)


def test_max_same_region_caps_own_region_experts():
    result = solve(regional(max_same_region=1), "optimal")
    assert result.infeasible == {}
    for item in ("P1", "P2", "P3"):
        assert sum(REGION[e] == REGION[item] for i, e, _ in result.pairs if i == item) <= 1
    # With none allowed, every item has only one eligible expert of another region: none can be staffed.
    result = solve(regional(max_same_region=0), "optimal")
    assert result.pairs == []
    assert result.infeasible_rule == {"P1": "region", "P2": "region", "P3": "region"}
    assert result.infeasible["P1"] == (
        "地域规则（川本地专家至多 0 位）下可用的专家只有 1 位（川以外 1 位，川本地最多计入 0 位），少于每项所需 2 位"
    )
    assert result.infeasible["P2"] == (
        "地域规则（渝本地专家至多 0 位）下可用的专家只有 1 位（渝以外 1 位，渝本地最多计入 0 位），少于每项所需 2 位"
    )


def test_an_item_with_too_few_eligible_experts_is_reported_with_the_numbers():
    result = solve(example(k=3), "optimal")
    assert result.infeasible == {
        "P1": "符合回避规则且尚有评审名额的专家只有 2 位（另有 1 位因回避排除），少于每项所需 3 位"
    }
    assert result.infeasible_rule == {"P1": "eligible"}
    assert {i for i, _, _ in result.pairs} == {"P2", "P3"}
    assert all(sum(1 for i, _, _ in result.pairs if i == item) == 3 for item in ("P2", "P3"))


def test_items_competing_for_too_few_seats_are_reported_as_one_group_and_the_rest_is_solved():
    inst = Instance(
        items=["X", "Y", "Z"],
        experts=["a", "b", "c", "d"],
        affinity=[("X", "a", 1), ("X", "b", 1), ("Y", "a", 1), ("Y", "b", 1), ("Z", "c", 1), ("Z", "d", 1)],
        k=2,
        cap=1,
    )
    result = solve(inst, "optimal")
    assert set(result.infeasible) == {"X", "Y"}
    assert result.infeasible_rule == {"X": "capacity", "Y": "capacity"}
    assert result.infeasible["X"] == (
        "专家评审上限不足：本项与另外 1 项只能从同一批专家（2 位）中抽取，合计还需 4 人次，这些专家只能再承担 2 人次"
    )
    assert sorted(result.pairs) == [("Z", "c", 1.0), ("Z", "d", 1.0)]


def test_a_reason_counts_the_seats_still_missing_when_some_are_fixed():
    result = solve(example(k=3, fixed=[("P1", "B")], conflicts=[("P1", "A"), ("P1", "C")]), "optimal")
    assert result.infeasible["P1"] == (
        "符合回避规则且尚有评审名额的专家只有 0 位（另有 2 位因回避排除），少于尚缺的 2 位（已固定 1 位）"
    )


def test_regional_reasons_under_a_probability_cap():
    result = solve(regional(min_other_region=1), "randomized", seed=1, max_prob=0.7)
    assert result.infeasible["P2"] == (
        "单对概率上限为 0.7 时，地域规则（至少 1 位来自渝以外）下可用的专家（渝以外 1 位，渝本地最多计入 1 位）"
        "不足以配齐每项所需 2 位"
    )


def test_fixed_pairs_stay_and_a_declined_seat_is_redrawn_alone():
    first = solve(example(), "optimal")
    # P2's expert A declines: A becomes a conflict for P2, every other seat is fixed.
    declined = ("P2", "A")
    keep = [(i, e) for i, e, _ in first.pairs if (i, e) != declined]
    again = solve(example(conflicts=[("P1", "A"), declined], fixed=keep), "optimal")
    changed = {(i, e) for i, e, _ in again.pairs} ^ {(i, e) for i, e, _ in first.pairs}
    assert changed == {declined, ("P2", "D")}
    assert again.infeasible == {}


def test_fair_raises_the_weakest_item():
    inst = Instance(
        items=["X", "Y"],
        experts=["a", "b"],
        affinity=[("X", "a", 10), ("X", "b", 9), ("Y", "a", 8), ("Y", "b", 1)],
        k=1,
        cap=1,
    )
    assert solve(inst, "optimal").pairs == [("X", "b", 9.0), ("Y", "a", 8.0)]
    # the same here; a case where they differ:
    inst = Instance(
        items=["X", "Y"],
        experts=["a", "b"],
        affinity=[("X", "a", 10), ("X", "b", 1), ("Y", "a", 3), ("Y", "b", 2)],
        k=1,
        cap=1,
    )
    assert solve(inst, "optimal").pairs == [("X", "a", 10.0), ("Y", "b", 2.0)]
    fair = solve(inst, "fair")
    assert fair.pairs == [("X", "b", 1.0), ("Y", "a", 3.0)] or fair.min_item_affinity == 2.0
    assert fair.min_item_affinity == 2.0  # 2 is the best weakest (X-b gives X only 1)
    assert fair.objective == 12.0


def test_fair_prefers_the_weakest_over_the_total():
    inst = Instance(
        items=["X", "Y"],
        experts=["a", "b"],
        affinity=[("X", "a", 10), ("X", "b", 4), ("Y", "a", 5), ("Y", "b", 1)],
        k=1,
        cap=1,
    )
    assert solve(inst, "optimal").pairs == [("X", "a", 10.0), ("Y", "b", 1.0)]
    fair = solve(inst, "fair")
    assert fair.pairs == [("X", "b", 4.0), ("Y", "a", 5.0)]
    assert (fair.min_item_affinity, fair.objective) == (4.0, 9.0)


def test_fair_with_fractional_affinities_and_no_fixed_pair():
    # regression: the upper bound once summed into an integer array and stopped at the plain optimum
    inst = Instance(
        items=["X", "Y"],
        experts=["a", "b"],
        affinity=[("X", "a", 0.9), ("X", "b", 0.3), ("Y", "a", 0.5), ("Y", "b", 0.1)],
        k=1,
        cap=1,
    )
    assert solve(inst, "optimal").pairs == [("X", "a", 0.9), ("Y", "b", 0.1)]
    fair = solve(inst, "fair")
    assert fair.pairs == [("X", "b", 0.3), ("Y", "a", 0.5)]
    assert fair.min_item_affinity == pytest.approx(0.3)


def test_random_repeats_with_its_seed_and_differs_with_another():
    inst = Instance(
        items=[f"P{i}" for i in range(20)],
        experts=[f"E{e}" for e in range(30)],
        affinity=[(f"P{i}", f"E{e}", 1.0) for i in range(20) for e in range(30)],
        k=3,
        cap=3,
    )
    first = solve(inst, "random", seed=7)
    assert first.seed == 7
    assert solve(inst, "random", seed=7).pairs == first.pairs
    assert solve(inst, "random", seed=8).pairs != first.pairs
    drawn = solve(inst, "random")
    assert isinstance(drawn.seed, int)
    assert solve(inst, "random", seed=drawn.seed).pairs == drawn.pairs


def test_random_draws_a_uniform_subset_when_no_cap_binds():
    inst = Instance(items=["P"], experts=list("abcd"), affinity=[("P", e, 0.5) for e in "abcd"], k=2, cap=1)
    draws = 3000
    counts = Counter(
        tuple(sorted(e for _, e, _ in solve(inst, "random", seed=s).pairs)) for s in range(draws)
    )
    assert len(counts) == 6
    expected, sd = draws / 6, math.sqrt(draws * (1 / 6) * (5 / 6))
    assert all(abs(n - expected) < 5 * sd for n in counts.values()), counts


def test_randomized_uses_exact_fractions_and_rounds_other_caps_down():
    inst = example()
    assert solve(inst, "randomized", seed=1, max_prob=1 / 3).max_prob == pytest.approx(1 / 3)
    assert solve(inst, "randomized", seed=1, max_prob=0.75).max_prob == 0.75
    assert solve(inst, "randomized", seed=1, max_prob=0.0015).max_prob == 0.001


def test_randomized_reports_items_a_probability_cap_leaves_short():
    result = solve(example(), "randomized", seed=1, max_prob=0.5)
    assert result.infeasible_rule["P1"] == "probability"
    assert result.infeasible["P1"] == (
        "单对概率上限为 0.5 时，每项所需 2 位至少需要 4 位符合回避规则的专家，只有 2 位（另有 1 位因回避排除）"
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"items": ["P1", "P1"]}, "评审对象编号重复：P1"),
        ({"affinity": [*AFFINITY, ("P9", "A", 1.0)]}, "匹配度表中有未知的评审对象：P9"),
        ({"affinity": [*AFFINITY, ("P1", "Z", 1.0)]}, "匹配度表中有未知的专家：Z"),
        ({"affinity": [*AFFINITY, ("P1", "A", 1.0)]}, "匹配度表中同一对重复出现：P1 / A"),
        ({"affinity": [*AFFINITY[:-1], ("P3", "A", "高")]}, "匹配度必须是数字，收到“高”"),
        ({"affinity": [*AFFINITY[:-1], ("P3", "A", float("nan"))]}, "匹配度必须是有限的数字"),
        ({"affinity": [*AFFINITY[:-1], ("P3", "A", None)]}, "匹配度不能为空"),
        ({"affinity": [*AFFINITY[:-1], ("P3", "A")]}, "匹配度的每一行必须是（评审对象，专家，匹配度）三项"),
        ({"k": 0}, "每项所需专家数 k 必须是正整数，收到“0”"),
        ({"k": True}, "每项所需专家数 k 必须是正整数"),
        ({"k": 5}, "每项所需专家数 k（5）大于专家库的人数（4 位），无法配齐"),
        ({"k": {"P1": 1, "P2": 1}}, "每项所需专家数 k 没有给出以下评审对象：P3"),
        ({"cap": 0}, "每位专家评审上限 cap 必须是正整数，收到“0”"),
        ({"cap": {"A": 1, "B": 1, "C": 1, "D": -1}}, "专家“D”的每位专家评审上限 cap 必须是正整数，收到“-1”"),
        ({"conflicts": [("P1", "Q")]}, "回避名单中有未知的专家：Q"),
        ({"fixed": [("P1", "A")]}, "固定配对 P1 / A 违反回避规则"),
        ({"fixed": [("P2", "C")]}, "固定配对 P2 / C 不在匹配度表中"),
        ({"fixed": [("P3", "C"), ("P3", "D"), ("P3", "A")]}, "固定配对超过了每项所需专家数：P3"),
        ({"cap": 1, "fixed": [("P2", "A"), ("P3", "A")]}, "固定配对超过了专家的评审上限：A"),
        ({"min_other_region": 1, "item_region": {"P1": "川"}, "expert_region": {}}, "以下评审对象没有地域"),
        ({"min_other_region": 3, "item_region": REGION, "expert_region": {}}, "至少外地专家数（3）不能大于"),
        ({"max_same_region": -1}, "本地专家上限必须是不小于 0 的整数"),
    ],
)
def test_input_mistakes_are_refused_in_chinese(change, message):
    with pytest.raises(InvalidInstance, match=message.replace("(", r"\(").replace(")", r"\)")):
        example(**change)


def test_regional_fixed_pairs_must_keep_the_rule():
    with pytest.raises(InvalidInstance, match="固定配对中的本地专家已超过地域规则允许的人数：P3"):
        regional(max_same_region=0, fixed=[("P3", "C")])


@pytest.mark.parametrize(
    ("mode", "options", "message"),
    [
        ("best", {}, "未知的分配方式“best”"),
        ("randomized", {}, "需要给出单对概率上限"),
        ("randomized", {"max_prob": 1.5}, "单对概率上限必须大于 0 且不大于 1"),
        ("randomized", {"max_prob": 0.0001}, "单对概率上限过小"),
        ("optimal", {"max_prob": 0.5}, "只用于随机化优化"),
        ("random", {"seed": -1}, "随机种子必须是不小于 0 的整数"),
    ],
)
def test_solver_options_are_checked(mode, options, message):
    with pytest.raises(InvalidInstance, match=message):
        solve(example(), mode, **options)


def test_columns_and_tuples_build_the_same_round():
    items, experts = ["P1", "P2", "P3"], ["A", "B", "C", "D"]
    columns = Instance.from_arrays(
        items,
        experts,
        [i for i, _, _ in AFFINITY],
        [e for _, e, _ in AFFINITY],
        [a for _, _, a in AFFINITY],
        k=2,
        cap=2,
        conflicts=[("P1", "A")],
    )
    assert solve(columns, "optimal").pairs == solve(example(), "optimal").pairs
    with pytest.raises(InvalidInstance, match="匹配度的三列长度不一致"):
        Instance.from_arrays(items, experts, ["P1"], ["A", "B"], [1.0], k=1, cap=1)


def test_fair_stops_at_its_time_limit_rather_than_answer_unproven():
    inst = Instance(
        items=["X", "Y"],
        experts=["a", "b"],
        affinity=[("X", "a", 10), ("X", "b", 4), ("Y", "a", 5), ("Y", "b", 1)],
        k=1,
        cap=1,
    )
    with pytest.raises(TimeoutError, match="公平优先分配在时间上限内没有完成"):
        solve(inst, "fair", time_limit=1e-9)
