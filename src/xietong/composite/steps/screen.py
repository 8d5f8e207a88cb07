"""Screen units by data availability and share of zeros; some units can be forced in or out."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..data import Dataset
from ..errors import require_number
from ..framework import Framework
from .base import Step, check_fitted


class Screener(Step):
    """Drop (mark absent) units whose indicator data are too sparse.

    Parameters
    ----------
    min_availability : float
        Keep a unit-year if at least this share of its indicators is present (COINr ``dat_thresh``).
    max_zero_share : float, optional
        Also drop a unit-year if more than this share of its *available* indicators is exactly zero
        (COINr's ``nonzero_thresh`` is ``1 − max_zero_share``: it counts zeros among the values present).
    force_in, force_out : sequence of str
        Unit codes kept or dropped whatever their data.

    Examples
    --------
    >>> from xietong.composite import Dataset
    >>> data = Dataset.from_arrays([[1.0, 2.0], [np.nan, 2.0]], units="ab", columns=["x", "y"])
    >>> Screener(min_availability=0.9).fit(data, None).kept_.tolist()
    [[True, False]]
    """

    kind = "screen"
    stage = "Screened"

    def __init__(
        self,
        *,
        min_availability: float = 0.9,
        max_zero_share: float | None = None,
        force_in: Sequence[str] = (),
        force_out: Sequence[str] = (),
    ):
        self.min_availability = min_availability
        self.max_zero_share = max_zero_share
        self.force_in = force_in
        self.force_out = force_out

    def fit(self, data: Dataset, framework: Framework | None) -> Screener:
        require_number("min_availability", self.min_availability)
        require_number("max_zero_share", self.max_zero_share, optional=True)
        observed = ~np.isnan(data.values)
        self.availability_ = observed.mean(axis=2)
        kept = data.present & (self.availability_ >= self.min_availability)
        if self.max_zero_share is not None:
            zeros = (data.values == 0).sum(axis=2)
            available = observed.sum(axis=2)
            self.zero_share_ = np.where(available > 0, zeros / np.maximum(available, 1), 0.0)
            kept &= self.zero_share_ <= self.max_zero_share
        units = np.asarray(data.units, dtype=object)
        kept |= data.present & np.isin(units, list(self.force_in))[None, :]
        kept &= ~np.isin(units, list(self.force_out))[None, :]
        self.kept_ = kept
        return self

    def transform(self, data: Dataset) -> Dataset:
        check_fitted(self, "kept_")
        values = np.where(self.kept_[:, :, None], data.values, np.nan)
        return data.with_values(values, present=data.present & self.kept_)


def screen(data: Dataset, framework: Framework | None = None, **params) -> Dataset:
    """Function twin of :class:`Screener`."""
    return Screener(**params).fit_transform(data, framework)
