"""Specialisation classes: the two published presets by hand, configurable thresholds, ties."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from xietong.specialisation import (
    CLASS_LABELS,
    CLASSES,
    ECO_STARS,
    PRESETS,
    US_CLUSTER_MAPPING,
    ClassThresholds,
    ClusterRule,
    SpecialisationError,
    StarRule,
    classify,
    cluster_stars,
    rca,
    strong_clusters,
)
from xietong.specialisation.classes import in_bottom, in_top


@pytest.fixture
def eight_regions() -> pd.DataFrame:
    # segment a: values 40, 30, 12, 8, 4, 3, 2, 1 over eight regions; b fills each region to 100
    a = np.array([40.0, 30.0, 12.0, 8.0, 4.0, 3.0, 2.0, 1.0])
    index = [f"r{i}" for i in range(8)]
    return pd.DataFrame({"a": a, "b": 100.0 - a}, index=index)


def test_top_and_bottom_shares_count_strictly_larger_and_smaller_regions():
    values = np.array([[5.0], [5.0], [3.0], [0.0]])
    # top quarter of 4 = fewer than 1 region above: both 5s (a tie shares the place); 0 is never on top
    assert in_top(values, 0.25)[:, 0].tolist() == [True, True, False, False]
    assert in_bottom(values, 0.25)[:, 0].tolist() == [False, False, False, True]
    assert in_top(np.zeros((3, 1)), 1.0)[:, 0].tolist() == [False, False, False]


def test_top_ten_percent_of_thirty_regions_is_three_places_not_four():
    # 0.1 × 30 is 3.0000000000000004 in floating point: the fourth region must still be out
    values = np.arange(30, 0, -1, dtype=np.float64)[:, None]
    assert in_top(values, 0.10)[:, 0].sum() == 3
    assert in_bottom(values, 0.10)[:, 0].sum() == 3
    assert in_top(values, 0.25)[:, 0].sum() == 8  # ⌈7.5⌉: fewer than 7.5 above


def test_us_cluster_mapping_strong_cluster(eight_regions):
    # LQ of a = (a/100) / (100/800) = a / 12.5: 3.2, 2.4, 0.96, … — top quarter of 8 = the first two,
    # both ≥ 1 and their size above the bottom quarter
    strong = strong_clusters(eight_regions, US_CLUSTER_MAPPING)
    assert strong["a"].tolist() == [True, True, False, False, False, False, False, False]
    # b: LQ (100 − a)/87.5, top quarter = r7, r6 (LQ 1.131, 1.12), sizes 99 and 98 not in the bottom quarter
    assert strong["b"].tolist() == [False] * 6 + [True, True]


def test_us_rule_drops_a_top_lq_region_whose_size_is_in_the_bottom_quarter():
    # region z is tiny but all in a: LQ top, size in the bottom quarter -> not strong
    x = pd.DataFrame({"a": [1.0, 10.0, 2.0, 3.0], "b": [0.0, 90.0, 40.0, 60.0]}, index=["z", "w", "x", "y"])
    assert rca(x)["a"].idxmax() == "z"
    assert strong_clusters(x)["a"].tolist() == [False, False, False, False]


def test_european_cluster_observatory_stars(eight_regions):
    stars = cluster_stars(eight_regions, ECO_STARS)
    # r0: size top 10 % (fewer than 0.8 regions above), LQ 3.2 ≥ 2, focus 40 % top -> 3 stars;
    # r1: LQ 2.4 ≥ 2 only -> 1 star; the rest none
    assert stars["a"].tolist() == [3, 1, 0, 0, 0, 0, 0, 0]
    # b: size and focus top for r7 (99), LQ never ≥ 2
    assert stars["b"].tolist() == [0] * 7 + [2]


def test_classes_with_default_thresholds(eight_regions):
    x = eight_regions.copy()
    x.loc["r7", "a"] = 0.0
    classes = classify(x)
    # LQ of a: 3.2, 2.4 (strong), r2 0.97 moderate (≥ 0.5), r3 0.64 moderate, r4 0.32 weak … r7 absent
    assert classes["a"].tolist() == [
        "strong",
        "strong",
        "moderate",
        "moderate",
        "weak",
        "weak",
        "weak",
        "absent",
    ]
    assert set(classes.to_numpy().ravel()) <= set(CLASSES)
    assert CLASS_LABELS["strong"] == "优势"


def test_classes_with_stars_as_the_strong_rule_and_other_cut_offs(eight_regions):
    thresholds = ClassThresholds(
        weak_below=0.9, specialised_at=2.0, strong=StarRule("eco2", "两星", min_stars=2)
    )
    classes = classify(eight_regions, thresholds)
    assert classes["a"].tolist() == ["strong", "specialised", "moderate"] + ["weak"] * 5


def test_presets_are_listed_with_their_sources():
    assert set(PRESETS) == {"us_cluster_mapping", "eco_stars"}
    assert "clustermapping.us" in US_CLUSTER_MAPPING.source
    assert "European Cluster Observatory" in ECO_STARS.source


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: ClassThresholds(weak_below=2.0, specialised_at=1.0), "0 ≤ 薄弱线 ≤ 专业化线"),
        (lambda: ClusterRule("x", "x", lq_top_share=1.5), "区位熵前列比例须在 0 与 1 之间"),
        (lambda: StarRule("x", "x", min_stars=4), "星级须为 1 至 3"),
    ],
)
def test_bad_thresholds_are_refused(build, message):
    with pytest.raises(SpecialisationError, match=message):
        build()


@settings(max_examples=200, deadline=None)
@given(
    st.tuples(st.integers(1, 40), st.integers(1, 3)).flatmap(
        lambda shape: arrays(np.float64, shape, elements=st.sampled_from([0.0, 1.0, 2.0, 2.0, 5.0, 9.5]))
    ),
    st.sampled_from(["0.1", "0.25", "0.5", "0.75", "1"]),
)
def test_top_and_bottom_match_their_definition_by_counting(values, share):
    # the definition in exact arithmetic: fewer than share · n regions strictly above (below)
    n, exact = values.shape[0], Fraction(share)
    above = (values[None, :, :] > values[:, None, :]).sum(axis=1)
    below = (values[None, :, :] < values[:, None, :]).sum(axis=1)
    top = np.vectorize(lambda count: count < exact * n)(above) & (values > 0)
    bottom = np.vectorize(lambda count: count < exact * n)(below)
    assert (in_top(values, float(share)) == top).all()
    assert (in_bottom(values, float(share)) == bottom).all()
