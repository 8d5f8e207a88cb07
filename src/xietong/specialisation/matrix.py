"""The region × segment value matrix every measure starts from, and its checks.

A matrix is a ``pandas.DataFrame``: one row per region (the index), one column per segment, non-negative
finite values (counts of attached organisations, revenue, employees or output value; one unit per matrix).
``matrix_from_long`` builds it from the long form ``region, segment, value`` that files and the chains app
hold, summing repeated pairs (several attachments of one region to one segment add up).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .errors import SpecialisationError


def checked(matrix: pd.DataFrame) -> np.ndarray:
    """The matrix's values as float64 after the checks every measure relies on.

    Refused (``SpecialisationError``): an empty matrix, non-numeric, missing or infinite values, negative
    values, repeated region or segment labels. Allowed, with a defined result downstream: a region with
    nothing, a segment nobody has, one region only, all zeros.
    """
    if not isinstance(matrix, pd.DataFrame):
        raise SpecialisationError("输入应为以地区为行、产业链环节为列的数值表")
    if matrix.shape[0] == 0 or matrix.shape[1] == 0:
        raise SpecialisationError("矩阵为空：至少需要一个地区和一个产业链环节")
    for axis, labels in (("地区", matrix.index), ("产业链环节", matrix.columns)):
        if labels.has_duplicates:
            repeated = "、".join(map(str, labels[labels.duplicated()].unique()[:5]))
            raise SpecialisationError(f"{axis}重复：{repeated}")
    try:
        values = matrix.to_numpy(dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise SpecialisationError("矩阵中有非数值的单元格") from exc
    bad = ~np.isfinite(values)
    if bad.any():
        r, s = np.argwhere(bad)[0]
        raise SpecialisationError(f"地区“{matrix.index[r]}”、环节“{matrix.columns[s]}”的数值缺失或不是有限数")
    if (values < 0).any():
        r, s = np.argwhere(values < 0)[0]
        raise SpecialisationError(
            f"地区“{matrix.index[r]}”、环节“{matrix.columns[s]}”的数值为负（{values[r, s]:g}）；数值不能为负"
        )
    with np.errstate(over="ignore"):
        total = values.sum()
    if not np.isfinite(total):
        raise SpecialisationError("数值过大：合计超出了浮点数的范围，请换用更大的单位（如万元）")
    return values


def matrix_from_long(
    frame: pd.DataFrame, *, region: str = "region", segment: str = "segment", value: str = "value"
) -> pd.DataFrame:
    """Pivot a long table to the region × segment matrix, summing repeated (region, segment) rows.

    Regions and segments keep their order of first appearance; absent pairs are 0.

    Examples
    --------
    >>> long = pd.DataFrame({"region": ["成都", "成都", "重庆", "成都"], "segment": ["电池", "电机", "电池", "电池"],
    ...                      "value": [1.0, 2.0, 3.0, 4.0]})
    >>> matrix_from_long(long)
    segment  电池   电机
    region
    成都      5.0  2.0
    重庆      3.0  0.0
    """
    missing = [c for c in (region, segment, value) if c not in frame.columns]
    if missing:
        raise SpecialisationError(f"缺少列：{'、'.join(missing)}")
    values = pd.to_numeric(frame[value], errors="coerce").to_numpy(dtype=np.float64)
    if not np.isfinite(values).all():
        raise SpecialisationError(f"“{value}”列有缺失或非数值的值")
    if (values < 0).any():
        raise SpecialisationError(f"“{value}”列有负数；数值不能为负")
    rows, regions = pd.factorize(frame[region], sort=False)
    cols, segments = pd.factorize(frame[segment], sort=False)
    if (rows < 0).any() or (cols < 0).any():
        raise SpecialisationError("地区或产业链环节不能为空")
    flat = np.bincount(rows * len(segments) + cols, weights=values, minlength=len(regions) * len(segments))
    return pd.DataFrame(
        flat.reshape(len(regions), len(segments)),
        index=pd.Index(regions, name=region),
        columns=pd.Index(segments, name=segment),
    )
