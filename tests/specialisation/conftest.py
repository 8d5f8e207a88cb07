"""Specialisation-engine tests: pure numpy/pandas, no database."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

# The reference data sets live in ../shared beside the project's root, on every machine and in CI.
STATA = Path(__file__).resolve().parents[3] / "shared" / "reference" / "ecomplexity-stata"
TOLERANCE = 1e-9


@pytest.fixture(scope="session")
def trade() -> pd.DataFrame:
    """The Growth Lab's trade sample in the engine's long form, values as Stata stored them (float32)."""
    frame = pd.read_csv(STATA / "trade_data_sample.csv", dtype={"hs92": str})
    return pd.DataFrame(
        {
            "year": frame["year"],
            "region": frame["origin"],
            "segment": frame["hs92"],
            "value": frame["export_val"].to_numpy(np.float64).astype(np.float32).astype(np.float64),
        }
    )


@pytest.fixture(scope="session")
def expected_by_location() -> pd.DataFrame:
    return pd.read_csv(STATA / "stata_expected_by_location.csv").set_index(["year", "origin"])


@pytest.fixture(scope="session")
def expected_by_product() -> pd.DataFrame:
    return pd.read_csv(STATA / "stata_expected_by_product.csv", dtype={"hs92": str}).set_index(
        ["year", "hs92"]
    )


@pytest.fixture(scope="session")
def expected_rows() -> pd.DataFrame:
    frame = pd.read_csv(STATA / "stata_expected_rows_aut_pol_1995.csv", dtype={"hs92": str})
    return frame.set_index(["origin", "hs92"])
