"""Every listed quantity within 1e-9 of the Growth Lab's Stata `ecomplexity` output, through the engine.

The ground truth and the conventions are in ../shared/reference/ecomplexity-stata/README.md; the input is
rounded to float32 first because Stata stored the trade values that way (the README's note).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from xietong.specialisation import matrix_from_long, specialise

from .conftest import STATA, TOLERANCE

YEARS = (1995, 1996)


@pytest.fixture(scope="module")
def results(trade):
    return {year: specialise(matrix_from_long(trade[trade["year"] == year])) for year in YEARS}


@pytest.mark.parametrize("year", YEARS)
@pytest.mark.parametrize("quantity", ["eci", "diversity", "coi"])
def test_location_measures(results, expected_by_location, year, quantity):
    expected = expected_by_location.loc[year][quantity]
    got = {
        "eci": results[year].eci,
        "diversity": results[year].complexity.diversity,
        "coi": results[year].complexity.coi,
    }
    computed = got[quantity].reindex(expected.index)
    assert computed.notna().all()
    assert np.abs(computed.to_numpy() - expected.to_numpy()).max() <= TOLERANCE


@pytest.mark.parametrize("year", YEARS)
@pytest.mark.parametrize("quantity", ["pci", "ubiquity"])
def test_product_measures(results, expected_by_product, year, quantity):
    expected = expected_by_product.loc[year][quantity]
    got = {"pci": results[year].pci, "ubiquity": results[year].complexity.ubiquity}
    computed = got[quantity].reindex(expected.index)
    assert computed.notna().all()
    assert np.abs(computed.to_numpy() - expected.to_numpy()).max() <= TOLERANCE


@pytest.mark.parametrize(
    ("quantity", "column"), [("rca", "rca"), ("M", "m"), ("density", "density"), ("cog", "cog")]
)
def test_row_measures_for_aut_and_pol_1995(results, expected_rows, quantity, column):
    table = results[1995].table().set_index(["region", "segment"])
    computed = table[column].reindex(expected_rows.index)
    assert computed.notna().all()
    assert len(computed) == 60
    assert np.abs(computed.to_numpy(np.float64) - expected_rows[quantity].to_numpy()).max() <= TOLERANCE


def test_without_the_float32_rounding_rca_is_off_by_more_than_the_tolerance(trade, expected_rows):
    # The README's note, held: the unrounded input differs from Stata's RCA at ~1e-7, so the rounding matters.
    frame = pd.read_csv(STATA / "trade_data_sample.csv", dtype={"hs92": str})
    raw = frame[frame["year"] == 1995].rename(
        columns={"origin": "region", "hs92": "segment", "export_val": "value"}
    )
    table = specialise(matrix_from_long(raw)).table().set_index(["region", "segment"])
    difference = np.abs(
        table["rca"].reindex(expected_rows.index).to_numpy() - expected_rows["rca"].to_numpy()
    ).max()
    assert 1e-9 < difference < 1e-5
