"""One call for everything a zone's map needs: RCA, presence, classes, Hachman and complexity.

``specialise(matrix)`` is what the chains app and ``xietong chains specialise`` call; ``table()`` lays the
result out long, one row per region × segment, with the region's and the segment's measures repeated on
each row (the CLI's out.csv).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .classes import CLASS_LABELS, CLASSES, ClassThresholds, class_codes
from .complexity import Complexity, _complexity
from .location import Reference, _shares, hachman_values, presence, rca_values, reference_shares
from .matrix import checked
from .threads import single_threaded_blas

TABLE_COLUMNS = [
    "region",
    "segment",
    "value",
    "rca",
    "m",
    "lq_class",
    "lq_class_label",
    "density",
    "cog",
    "eci",
    "pci",
    "coi",
    "diversity",
    "ubiquity",
    "hachman",
    "eci_defined",
    "pci_defined",
]


@dataclass(frozen=True, eq=False)
class Specialisation:
    """The inputs kept beside every measure (labels as in the matrix)."""

    values: pd.DataFrame
    rca: pd.DataFrame
    m: pd.DataFrame
    classes: pd.DataFrame
    hachman: pd.Series
    complexity: Complexity

    @property
    def eci(self) -> pd.Series:
        return self.complexity.eci

    @property
    def pci(self) -> pd.Series:
        return self.complexity.pci

    @property
    def density(self) -> pd.DataFrame:
        return self.complexity.density

    def table(self) -> pd.DataFrame:
        """Long form (``TABLE_COLUMNS``), regions in matrix order, segments within each region; region,
        segment and the classes are categoricals."""
        c = self.complexity
        n_r, n_s = self.values.shape
        # categoricals: 600,000 region and segment names as codes into the labels, not as 600,000 strings
        region_codes, segment_codes = np.repeat(np.arange(n_r), n_s), np.tile(np.arange(n_s), n_r)
        classes = pd.Categorical(self.classes.to_numpy().ravel(), categories=CLASSES)
        return pd.DataFrame(
            {
                "region": pd.Categorical.from_codes(region_codes, categories=self.values.index),
                "segment": pd.Categorical.from_codes(segment_codes, categories=self.values.columns),
                "value": self.values.to_numpy(np.float64).ravel(),
                "rca": self.rca.to_numpy().ravel(),
                "m": self.m.to_numpy().ravel(),
                "lq_class": classes,
                "lq_class_label": classes.rename_categories([CLASS_LABELS[k] for k in CLASSES]),
                "density": c.density.to_numpy().ravel(),
                "cog": c.cog.to_numpy().ravel(),
                "eci": c.eci.to_numpy()[region_codes],
                "pci": c.pci.to_numpy()[segment_codes],
                "coi": c.coi.to_numpy()[region_codes],
                "diversity": c.diversity.to_numpy()[region_codes],
                "ubiquity": c.ubiquity.to_numpy()[segment_codes],
                "hachman": self.hachman.to_numpy()[region_codes],
                "eci_defined": c.eci_defined.to_numpy()[region_codes],
                "pci_defined": c.pci_defined.to_numpy()[segment_codes],
            },
            columns=TABLE_COLUMNS,
        )


def specialise(
    matrix: pd.DataFrame,
    *,
    reference: Reference = None,
    threshold: float = 1.0,
    thresholds: ClassThresholds | None = None,
) -> Specialisation:
    """Every measure of one region × segment matrix (one zone, one year).

    ``reference`` changes the LQ's denominator (RCA, presence, classes, Hachman); complexity always runs on
    the presence matrix ``M = [RCA ≥ threshold]``. The same as calling ``rca``, ``presence``, ``classify``,
    ``hachman`` and ``complexity`` in turn, with the shares computed once.

    Examples
    --------
    >>> x = pd.DataFrame({"电池": [9.0, 1.0, 0.0], "电机": [6.0, 4.0, 0.0], "电控": [3.0, 4.0, 5.0]},
    ...                  index=["成都", "重庆", "绵阳"])
    >>> result = specialise(x)
    >>> result.m.to_numpy().tolist(), result.eci.round(3).tolist()
    ([[1, 1, 0], [0, 1, 1], [0, 0, 1]], [1.234, -0.18, -1.054])
    """
    values = checked(matrix)
    shares = _shares(values)
    lq = rca_values(shares, reference_shares(matrix, reference), matrix.columns)
    rca_matrix = pd.DataFrame(lq, index=matrix.index, columns=matrix.columns)
    m = presence(rca_matrix, threshold)
    with single_threaded_blas():
        measures = _complexity(m.to_numpy(np.float64), matrix.index, matrix.columns)
    return Specialisation(
        values=matrix,
        rca=rca_matrix,
        m=m,
        classes=pd.DataFrame(
            class_codes(values, lq, shares, thresholds),
            index=matrix.index,
            columns=matrix.columns,
            dtype=object,
        ),
        hachman=pd.Series(hachman_values(shares, lq), index=matrix.index, name="hachman"),
        complexity=measures,
    )
