"""Shift-share: a hand example, a reference area, and (hypothesis) the parts always add up to the change."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from xietong.specialisation import SpecialisationError, shift_share


def test_by_hand():
    before = pd.DataFrame({"电池": [100.0, 50.0], "电机": [50.0, 100.0]}, index=["成都", "重庆"])
    after = pd.DataFrame({"电池": [150.0, 60.0], "电机": [40.0, 110.0]}, index=["成都", "重庆"])
    table = shift_share(before, after).set_index(["region", "segment"])
    row = table.loc[("成都", "电池")]
    # zone: 300 -> 360, g = 0.2; 电池 150 -> 210, g_s = 0.4
    assert row["change"] == 50.0
    assert row["national_share"] == pytest.approx(20.0, abs=1e-12)
    assert row["industry_mix"] == pytest.approx(20.0, abs=1e-12)
    assert row["regional_shift"] == pytest.approx(10.0, abs=1e-12)


def test_against_a_reference_area():
    before = pd.DataFrame({"a": [10.0]}, index=["成都"])
    after = pd.DataFrame({"a": [12.0]}, index=["成都"])
    nation0, nation1 = pd.Series({"a": 100.0, "b": 100.0}), pd.Series({"a": 110.0, "b": 130.0})
    row = shift_share(before, after, reference_before=nation0, reference_after=nation1).iloc[0]
    # g = 0.2, g_a = 0.1: NS 2, IM −1, RS 1
    assert [row["national_share"], row["industry_mix"], row["regional_shift"]] == pytest.approx(
        [2.0, -1.0, 1.0]
    )


def test_new_regions_and_segments_count_as_zero_in_the_other_year():
    before = pd.DataFrame({"a": [10.0]}, index=["成都"])
    after = pd.DataFrame({"a": [10.0], "b": [5.0]}, index=["重庆"])
    table = shift_share(before, after).set_index(["region", "segment"])
    assert table.loc[("重庆", "b"), "regional_shift"] == 5.0
    assert table.loc[("成都", "a"), "change"] == -10.0
    assert len(table) == 4


def test_only_one_reference_is_refused():
    x = pd.DataFrame({"a": [1.0]}, index=["成都"])
    with pytest.raises(SpecialisationError, match="参照须同时给出基期和末期"):
        shift_share(x, x, reference_before=pd.Series({"a": 1.0}))


cells = st.sampled_from([0.0, 0.0, 1.0, 3.0, 10.0, 250.5, 1e5])


def _frame(values: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame(
        values,
        index=[f"r{i}" for i in range(values.shape[0])],
        columns=[f"s{j}" for j in range(values.shape[1])],
    )


@settings(max_examples=200, deadline=None)
@given(
    st.tuples(st.integers(1, 6), st.integers(1, 6)).flatmap(
        lambda shape: st.tuples(
            arrays(np.float64, shape, elements=cells), arrays(np.float64, shape, elements=cells)
        )
    )
)
def test_the_three_parts_add_up_to_the_change(pair):
    before, after = (_frame(values) for values in pair)
    table = shift_share(before, after)
    numbers = table.drop(columns=["region", "segment"]).to_numpy(np.float64)
    assert np.isfinite(numbers).all()
    parts = table["national_share"] + table["industry_mix"] + table["regional_shift"]
    scale = 1.0 + np.abs(table[["base", "final"]].to_numpy()).max()
    assert np.abs(parts - table["change"]).max() <= 1e-12 * scale
    assert (table["change"] == table["final"] - table["base"]).all()


def test_a_reference_matrix_is_summed_over_its_regions_and_bad_references_are_refused():
    before = pd.DataFrame({"a": [10.0]}, index=["成都"])
    after = pd.DataFrame({"a": [12.0]}, index=["成都"])
    nation0 = pd.DataFrame({"a": [60.0, 40.0], "b": [50.0, 50.0]}, index=["甲", "乙"])
    nation1 = pd.DataFrame({"a": [70.0, 40.0], "b": [60.0, 70.0]}, index=["甲", "乙"])
    row = shift_share(before, after, reference_before=nation0, reference_after=nation1).iloc[0]
    assert [row["national_share"], row["industry_mix"], row["regional_shift"]] == pytest.approx(
        [2.0, -1.0, 1.0]
    )
    with pytest.raises(SpecialisationError, match="参照的数值须为非负有限数"):
        shift_share(
            before, after, reference_before=pd.Series({"a": -1.0}), reference_after=pd.Series({"a": 1.0})
        )
    with pytest.raises(SpecialisationError, match="参照中缺少以下环节：a"):
        shift_share(
            before, after, reference_before=pd.Series({"b": 1.0}), reference_after=pd.Series({"b": 1.0})
        )
