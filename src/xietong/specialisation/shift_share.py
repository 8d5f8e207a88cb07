"""Shift-share decomposition of a change between two years, in its classic three parts.

Dunn 1960, *Papers of the Regional Science Association* 6: 97–112; the form below is the one reviewed by
Stevens & Moore 1980, *Journal of Regional Science* 20(4): 419–437.

For region r and segment s, from the base year 0 to the final year 1, with ``g = X¹/X⁰ − 1`` the growth of
the reference total and ``g_s = X_s¹/X_s⁰ − 1`` the growth of the segment in the reference:

    Δx_rs = x_rs¹ − x_rs⁰ = NS_rs + IM_rs + RS_rs
    national share  NS_rs = x_rs⁰ · g                   (the region growing like the whole reference)
    industry mix    IM_rs = x_rs⁰ · (g_s − g)           (the segment growing faster or slower than all)
    regional shift  RS_rs = x_rs⁰ · (g_rs − g_s) = Δx_rs − x_rs⁰ · g_s   (the region's own competitiveness)

The reference is the zone (the two matrices themselves) unless totals of another area are given; then
``g`` is the growth of that area's total over all its segments (the classic "national growth"), ``g_s``
of its segment s. Defined
results: where the base is 0 (``x_rs⁰ = 0``: a new activity) NS and IM are 0 and the whole change is regional
shift; a reference total of 0 in the base year gives growth 0 for it. The three parts add up to the change
by construction, in every case.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .errors import SpecialisationError
from .location import Reference, reference_totals
from .matrix import checked

COLUMNS = ["region", "segment", "base", "final", "change", "national_share", "industry_mix", "regional_shift"]


def _totals(matrix: pd.DataFrame, reference: Reference, segments: pd.Index) -> tuple[np.ndarray, float]:
    """The reference's totals by segment (aligned to ``segments``) and its grand total over all its segments."""
    if reference is None:
        by_segment = matrix.sum(axis=0).to_numpy(np.float64)
        return by_segment, float(by_segment.sum())
    return reference_totals(reference, segments)


def _growth(after: np.ndarray | float, before: np.ndarray | float) -> np.ndarray:
    before, after = np.asarray(before, dtype=np.float64), np.asarray(after, dtype=np.float64)
    return np.divide(after - before, before, out=np.zeros_like(before), where=before > 0)


def shift_share(
    before: pd.DataFrame,
    after: pd.DataFrame,
    *,
    reference_before: Reference = None,
    reference_after: Reference = None,
) -> pd.DataFrame:
    """One row per region × segment: base, final, change and its three components (``COLUMNS``).

    Regions and segments present in only one of the years count as 0 in the other.

    Examples
    --------
    >>> y0 = pd.DataFrame({"a": [10.0, 10.0], "b": [10.0, 10.0]}, index=["成都", "重庆"])
    >>> y1 = pd.DataFrame({"a": [20.0, 10.0], "b": [10.0, 10.0]}, index=["成都", "重庆"])
    >>> shift_share(y0, y1).iloc[0, 2:].astype(float).tolist()  # g = 25 %, g_a = 50 %
    [10.0, 20.0, 10.0, 2.5, 2.5, 5.0]
    """
    checked(before)
    checked(after)
    if (reference_before is None) != (reference_after is None):
        raise SpecialisationError("参照须同时给出基期和末期")
    regions = before.index.union(after.index, sort=False)
    segments = before.columns.union(after.columns, sort=False)
    x0 = before.reindex(index=regions, columns=segments, fill_value=0.0).astype(np.float64)
    x1 = after.reindex(index=regions, columns=segments, fill_value=0.0).astype(np.float64)
    t0, grand0 = _totals(x0, reference_before, segments)
    t1, grand1 = _totals(x1, reference_after, segments)
    g = float(_growth(grand1, grand0))
    g_s = _growth(t1, t0)
    base, final = x0.to_numpy(), x1.to_numpy()
    change = final - base
    national = base * g
    mix = base * (g_s - g)[None, :]
    shift = change - base * g_s[None, :]
    n_r, n_s = base.shape
    return pd.DataFrame(
        {
            "region": np.repeat(regions.to_numpy(), n_s),
            "segment": np.tile(segments.to_numpy(), n_r),
            "base": base.ravel(),
            "final": final.ravel(),
            "change": change.ravel(),
            "national_share": national.ravel(),
            "industry_mix": mix.ravel(),
            "regional_shift": shift.ravel(),
        },
        columns=COLUMNS,
    )
