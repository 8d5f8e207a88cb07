"""Denominate: divide size-dependent indicators by a unit's GDP, population, area, …"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ..data import Dataset
from ..errors import StepError
from ..framework import Framework
from .base import Step, check_fitted


class Denominator(Step):
    """Divide each indicator by its denominator column (plain division, as COINr's ``Denominate``).

    Parameters
    ----------
    mapping : mapping of str to str, optional
        Indicator → denominator code; by default the framework's ``Denominator`` column.

    Examples
    --------
    >>> from xietong.composite import Framework, Node, Dataset
    >>> fw = Framework.from_nodes([Node("gdp", kind="Denominator", level=None), Node("x", parent="I", denominator="gdp"),
    ...     Node("I", kind="Aggregate", level=2)])
    >>> data = Dataset.from_arrays([[10.0], [30.0]], units=["a", "b"], columns=["x"],
    ...     extra={"gdp": np.array([[2.0, 3.0]])})
    >>> Denominator().fit_transform(data, fw).values[0, :, 0].tolist()
    [5.0, 10.0]
    """

    kind = "denominate"
    stage = "Denominated"

    def __init__(self, *, mapping: Mapping[str, str] | None = None):
        self.mapping = mapping

    def fit(self, data: Dataset, framework: Framework) -> Denominator:
        mapping = (
            dict(self.mapping)
            if self.mapping is not None
            else {
                code: framework.by_code[code].denominator
                for code in framework.indicators
                if framework.by_code[code].denominator
            }
        )
        missing = sorted({d for d in mapping.values() if d not in data.extra})
        if missing:
            raise StepError(
                "the data lack these denominator columns: {codes}", code="missing_denominator", codes=missing
            )
        self.mapping_ = {c: d for c, d in mapping.items() if c in data.columns}
        return self

    def transform(self, data: Dataset) -> Dataset:
        check_fitted(self, "mapping_")
        values = data.values.copy()
        for code, denominator in self.mapping_.items():  # one vectorised division per denominated column
            j = data.columns.index(code)
            with np.errstate(divide="ignore", invalid="ignore"):
                values[:, :, j] = values[:, :, j] / data.extra[denominator]
        values[~np.isfinite(values)] = np.nan
        return data.with_values(values)


def denominate(data: Dataset, framework: Framework, **params) -> Dataset:
    """Function twin of :class:`Denominator`."""
    return Denominator(**params).fit_transform(data, framework)
