"""Composite-engine tests: pure numpy/pandas, no database."""

from __future__ import annotations

from pathlib import Path

import pytest

from xietong.composite import Framework, dataset_from_table, read_table

# The reference data sets live in ../shared beside the project's root, on every machine and in CI.
SHARED = Path(__file__).resolve().parents[3] / "shared"
ASEM = SHARED / "reference" / "coinr-asem"
MCDA = SHARED / "reference" / "mcda-weights"


@pytest.fixture(scope="session")
def asem_framework() -> Framework:
    return Framework.from_table(read_table(ASEM / "ASEM_iMeta.csv"))


@pytest.fixture(scope="session")
def asem_data(asem_framework):
    return dataset_from_table(read_table(ASEM / "ASEM_iData.csv"), asem_framework)


@pytest.fixture(scope="session")
def asem_panel(asem_framework):
    return dataset_from_table(read_table(ASEM / "ASEM_iData_p.csv"), asem_framework)
