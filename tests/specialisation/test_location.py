"""RCA / LQ, presence and Hachman against a hand-computed example, a reference, and degenerate input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from xietong.specialisation import SpecialisationError, hachman, location_quotient, presence, rca


@pytest.fixture
def two_regions() -> pd.DataFrame:
    # 成都 40 in all, 重庆 60; 电池 40 in all, 电机 60; zone total 100.
    return pd.DataFrame({"电池": [30.0, 10.0], "电机": [10.0, 50.0]}, index=["成都", "重庆"])


def test_rca_by_hand(two_regions):
    # (30/40) / (40/100) = 1.875; (10/40) / (60/100) = 5/12; (10/60) / 0.4 = 5/12; (50/60) / 0.6 = 25/18
    expected = np.array([[1.875, 5 / 12], [5 / 12, 25 / 18]])
    assert np.abs(rca(two_regions).to_numpy() - expected).max() < 1e-15
    assert location_quotient is rca


def test_rca_against_a_reference_series_and_matrix(two_regions):
    # the nation: 电池 20 %, 电机 80 % -> 成都 (30/40)/0.2 = 3.75, (10/40)/0.8 = 0.3125
    nation = pd.Series({"电机": 80.0, "电池": 20.0, "电控": 5.0})
    assert rca(two_regions, nation).loc["成都"].tolist() == [3.75, 0.3125]
    as_matrix = pd.DataFrame({"电池": [5.0, 15.0], "电机": [40.0, 40.0]}, index=["甲", "乙"])
    assert rca(two_regions, as_matrix).loc["成都"].tolist() == [3.75, 0.3125]


def test_a_reference_without_a_segment_is_refused(two_regions):
    with pytest.raises(SpecialisationError, match="参照中缺少以下环节：电机"):
        rca(two_regions, pd.Series({"电池": 1.0}))


def test_a_reference_with_zero_where_the_region_has_value_is_refused(two_regions):
    with pytest.raises(SpecialisationError, match="环节“电池”的总量为 0"):
        rca(two_regions, pd.Series({"电池": 0.0, "电机": 3.0}))


def test_presence_threshold(two_regions):
    assert presence(rca(two_regions)).to_numpy().tolist() == [[1, 0], [0, 1]]
    assert presence(rca(two_regions), threshold=1.5).to_numpy().tolist() == [[1, 0], [0, 0]]
    with pytest.raises(SpecialisationError, match="阈值须为正数"):
        presence(rca(two_regions), threshold=0)


def test_hachman_by_hand(two_regions):
    # 成都: 1 / (0.75 · 1.875 + 0.25 · 5/12) = 1 / 1.5104166… ; a region shaped like the zone scores 1
    assert hachman(two_regions)["成都"] == pytest.approx(1 / (0.75 * 1.875 + 0.25 * 5 / 12), abs=1e-15)
    like_zone = pd.DataFrame({"a": [1.0, 2.0], "b": [3.0, 6.0]}, index=["x", "y"])
    assert hachman(like_zone).tolist() == pytest.approx([1.0, 1.0], abs=1e-15)


def test_a_region_with_nothing_and_a_segment_nobody_has_are_zero():
    x = pd.DataFrame(
        {"a": [3.0, 0.0, 1.0], "b": [1.0, 0.0, 2.0], "c": [0.0, 0.0, 0.0]}, index=["x", "y", "z"]
    )
    result = rca(x)
    assert result.loc["y"].tolist() == [0.0, 0.0, 0.0]
    assert result["c"].tolist() == [0.0, 0.0, 0.0]
    assert hachman(x)["y"] == 0.0
    assert np.isfinite(result.to_numpy()).all()


def test_all_zeros_give_zero_rca():
    x = pd.DataFrame(np.zeros((2, 3)), index=["x", "y"], columns=["a", "b", "c"])
    assert (rca(x).to_numpy() == 0).all()
    assert (hachman(x).to_numpy() == 0).all()


@pytest.mark.parametrize(
    ("matrix", "message"),
    [
        (pd.DataFrame({"a": [1.0, -2.0]}, index=["x", "y"]), "地区“y”、环节“a”的数值为负（-2）"),
        (pd.DataFrame({"a": [1.0, np.nan]}, index=["x", "y"]), "地区“y”、环节“a”的数值缺失"),
        (pd.DataFrame({"a": [1.0, np.inf]}, index=["x", "y"]), "地区“y”、环节“a”的数值缺失或不是有限数"),
        (pd.DataFrame({"a": ["1", "多"]}, index=["x", "y"]), "非数值"),
        (pd.DataFrame({"a": [1.0, 2.0]}, index=["x", "x"]), "地区重复：x"),
        (pd.DataFrame(index=["x"]), "矩阵为空"),
    ],
)
def test_bad_matrices_are_refused_in_chinese(matrix, message):
    with pytest.raises(SpecialisationError, match=message) as caught:
        rca(matrix)
    assert isinstance(caught.value, ValueError)
