"""Composite-engine tests: pure numpy/pandas, no database."""

from __future__ import annotations

from pathlib import Path

import pytest

from xietong.composite import Framework, dataset_from_table, read_table

ASEM = Path("/work/shared/reference/coinr-asem")
MCDA = Path("/work/shared/reference/mcda-weights")


@pytest.fixture(scope="session")
def asem_framework() -> Framework:
    return Framework.from_table(read_table(ASEM / "ASEM_iMeta.csv"))


@pytest.fixture(scope="session")
def asem_data(asem_framework):
    return dataset_from_table(read_table(ASEM / "ASEM_iData.csv"), asem_framework)


@pytest.fixture(scope="session")
def asem_panel(asem_framework):
    return dataset_from_table(read_table(ASEM / "ASEM_iData_p.csv"), asem_framework)
