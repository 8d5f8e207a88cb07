from __future__ import annotations

import pytest

from xietong.matching import FEATURES, feature_contributions
from xietong.matching.features import (
    budget,
    field_overlap,
    maturity,
    same_region,
    same_zone,
    track_record,
    transfer_mode,
)


def test_field_overlap_share_of_wanted_fields():
    assert field_overlap({"fields": ["新能源汽车", "储能"]}, {"fields": ["储能"]}) == (0.5, "领域相同：储能")
    assert field_overlap({"fields": ["新能源汽车"]}, {"fields": ["医药"]}) == (0.0, "")
    assert field_overlap({}, {"fields": ["医药"]}) is None


def test_same_zone_names_the_zone():
    assert same_zone({"zones": ["京津冀"]}, {"zones": ["长三角", "京津冀"]}) == (1.0, "同属京津冀")
    assert same_zone({"zones": ["京津冀"]}, {"zones": ["长三角"]}) == (0.0, "")


def test_same_region():
    assert same_region({"region": "130100"}, {"region": "130100"}) == (1.0, "同一地区")
    assert same_region({"region": "130100"}, {"region": "110000"}) == (0.0, "跨地区")


@pytest.mark.parametrize(
    ("query", "doc", "expected"),
    [
        ({"trl_min": 6}, {"trl": 7}, (1.0, "成熟度 TRL 7 满足需求")),
        ({"trl_min": 6}, {"trl": 4}, (-0.25, "成熟度 TRL 4 低于需求的 TRL 6")),
        ({"stage": "中试"}, {"trl": 6}, (1.0, "成熟度 TRL 6 满足需求")),
        ({"trl": 7}, {"trl_min": 8}, (-0.125, "成熟度 TRL 7 低于需求的 TRL 8")),  # achievement → demand
        ({}, {"trl": 7}, None),
    ],
)
def test_maturity_both_directions(query, doc, expected):
    assert maturity(query, doc) == expected


def test_budget_within_and_over():
    assert budget({"budget_fen": 80_000_000}, {"price_fen": 50_000_000}) == (
        1.0,
        "报价 50万元 在预算 80万元 内",
    )
    assert budget({"budget_fen": 50_000_000}, {"price_fen": 100_000_000}) == (
        -0.5,
        "报价 100万元 超出预算 50万元",
    )
    assert budget({"price_fen": 50_000_000}, {"budget_fen": 80_000_000})[0] == 1.0  # achievement → demand


def test_transfer_mode_and_track_record():
    assert transfer_mode({"transfer_modes": ["许可"]}, {"transfer_modes": ["转让", "许可"]}) == (
        1.0,
        "转化方式一致：许可",
    )
    assert track_record({}, {"track_record": 20}) == (1.0, "已有 20 项转化业绩")
    assert track_record({}, {"track_record": 0}) == (0.0, "")


def test_contributions_follow_weights_as_data():
    # given
    query = {"zones": ["长三角"], "trl_min": 6}
    doc = {"zones": ["长三角"], "trl": 7}
    # when
    contributions = feature_contributions(query, doc, {"same_zone": 0.5, "maturity": 0.25, "budget": 1.0})
    # then: budget does not apply, zero weights are skipped
    assert [(c.name, c.contribution) for c in contributions] == [("same_zone", 0.5), ("maturity", 0.25)]
    assert feature_contributions(query, doc, {"same_zone": 0.0}) == ()


def test_every_feature_returns_none_on_empty_attrs():
    assert all(function({}, {}, None) is None for function in FEATURES.values())
