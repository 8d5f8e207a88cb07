"""Location quotient (Balassa's revealed comparative advantage), presence and the Hachman index.

With ``x_rs`` the value of region r in segment s, ``x_r = Σ_s x_rs`` the region's total, ``X_s`` the
segment's total over the reference and ``X = Σ_s X_s``:

    LQ_rs = RCA_rs = (x_rs / x_r) / (X_s / X)                  (Balassa 1965; Isard 1960 for the LQ)

The reference is the matrix itself (the zone: every member against the zone) unless another one is given
(e.g. the nation's totals by segment); its shares ``X_s / X`` are then taken over the matrix's segments
only, the same universe as the region's total ``x_r``. ``RCA > 1`` means the segment weighs more in the region than in
the reference. Presence ``M_rs = [RCA_rs ≥ 1]`` is the binary matrix economic complexity starts from
(Hidalgo & Hausmann 2009, PNAS 106(26): 10570–10575).

The Hachman index of a region compares its whole profile with the reference's (Hachman 1994, *Economic
Report to the Governor*, Utah; used by Wagner 2000, *Journal of Regional Analysis and Policy* 30(2)):

    HI_r = 1 / Σ_s (x_rs / x_r) · LQ_rs = 1 / Σ_s (x_rs / x_r)² / (X_s / X)

It lies in (0, 1]; 1 means the region's mix equals the reference's, small values a narrow specialisation.

Defined results for degenerate input: a region with nothing has RCA 0 in every segment and HI 0; a segment
with no value anywhere has RCA 0 everywhere (so nobody is "present"); all zeros gives RCA 0 everywhere.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .errors import SpecialisationError
from .matrix import checked

Reference = pd.DataFrame | pd.Series | None


def _shares(values: np.ndarray) -> np.ndarray:
    """Each row divided by its total (0 for an empty row)."""
    totals = values.sum(axis=1, keepdims=True)
    return np.divide(values, totals, out=np.zeros_like(values), where=totals > 0)


def reference_totals(reference: pd.DataFrame | pd.Series, segments: pd.Index) -> tuple[np.ndarray, float]:
    """A reference's totals for ``segments`` (in that order) and its grand total over all its segments.

    The reference is a matrix (regions × segments, summed over regions) or a Series of totals by segment.
    """
    if isinstance(reference, pd.DataFrame):
        reference = pd.Series(checked(reference).sum(axis=0), index=reference.columns)
    if not isinstance(reference, pd.Series):
        raise SpecialisationError("参照应为按环节汇总的序列或地区 × 环节矩阵")
    missing = [str(s) for s in segments if s not in reference.index]
    if missing:
        raise SpecialisationError(f"参照中缺少以下环节：{'、'.join(missing[:10])}")
    totals = pd.to_numeric(reference, errors="coerce")
    if not np.isfinite(totals.to_numpy(np.float64)).all() or (totals < 0).any():
        raise SpecialisationError("参照的数值须为非负有限数")
    return totals.reindex(segments).to_numpy(np.float64), float(totals.sum())


def reference_shares(matrix: pd.DataFrame, reference: Reference = None) -> np.ndarray:
    """``X_s / X`` for each column of ``matrix``, from the matrix itself or a reference (``reference_totals``);
    ``X`` sums the matrix's segments only, the universe of the regions' totals."""
    if reference is None:
        totals = checked(matrix).sum(axis=0)
    else:
        totals, _ = reference_totals(reference, matrix.columns)
    grand = totals.sum()
    return totals / grand if grand > 0 else np.zeros_like(totals)


def _rca_values(values: np.ndarray, shares: np.ndarray, labels: pd.Index) -> np.ndarray:
    return rca_values(_shares(values), shares, labels)


def rca_values(local: np.ndarray, shares: np.ndarray, labels: pd.Index) -> np.ndarray:
    """RCA from each row's shares ``x_rs / x_r`` and the reference's ``X_s / X`` (labels for the error)."""
    if ((local > 0) & (shares[None, :] == 0)).any():
        s = int(np.argwhere((local > 0) & (shares[None, :] == 0))[0][1])
        raise SpecialisationError(
            f"参照中环节“{labels[s]}”的总量为 0，而被比较的地区在该环节有数值，区位熵无定义"
        )
    with np.errstate(over="ignore"):
        result = np.divide(local, shares[None, :], out=np.zeros_like(local), where=shares[None, :] > 0)
    if not np.isfinite(result).all():
        raise SpecialisationError("数值的量级相差过大（超出浮点数范围），区位熵无法计算；请统一单位后再算")
    return result


def rca(matrix: pd.DataFrame, reference: Reference = None) -> pd.DataFrame:
    """Balassa RCA / location quotient ``(x_rs / x_r) / (X_s / X)`` of every region in every segment.

    Examples
    --------
    >>> x = pd.DataFrame({"电池": [6.0, 2.0], "电机": [2.0, 6.0]}, index=["成都", "重庆"])
    >>> rca(x)
         电池   电机
    成都  1.5  0.5
    重庆  0.5  1.5
    """
    values = checked(matrix)
    return pd.DataFrame(
        _rca_values(values, reference_shares(matrix, reference), matrix.columns),
        index=matrix.index,
        columns=matrix.columns,
    )


location_quotient = rca


def presence(rca_matrix: pd.DataFrame, threshold: float = 1.0) -> pd.DataFrame:
    """``M_rs = 1 if RCA_rs ≥ threshold else 0`` (the Growth Lab's default threshold is 1)."""
    if not np.isfinite(threshold) or threshold <= 0:
        raise SpecialisationError("显性比较优势的阈值须为正数")
    return (rca_matrix >= threshold).astype(np.int64)


def hachman(matrix: pd.DataFrame, reference: Reference = None) -> pd.Series:
    """Hachman index ``1 / Σ_s (x_rs/x_r)² / (X_s/X)`` per region (0 for a region with nothing).

    Examples
    --------
    >>> x = pd.DataFrame({"电池": [6.0, 2.0], "电机": [2.0, 6.0]}, index=["成都", "重庆"])
    >>> hachman(x).round(4).tolist()
    [0.8, 0.8]
    """
    values = checked(matrix)
    shares = _shares(values)
    lq = _rca_values(values, reference_shares(matrix, reference), matrix.columns)
    return pd.Series(hachman_values(shares, lq), index=matrix.index, name="hachman")


def hachman_values(shares: np.ndarray, lq: np.ndarray) -> np.ndarray:
    """``hachman`` on arrays already computed (each row's shares and the LQ)."""
    weighted = (shares * lq).sum(axis=1)
    return np.divide(1.0, weighted, out=np.zeros_like(weighted), where=weighted > 0)
