"""Xietong specialisation engine (no Django): where a region is specialised, how complex, what comes next.

From a region × segment matrix of values (organisations attached to an industry-chain segment, revenue,
employees or output), the engine computes the measures economic geographers use, each with its formula
in the docstring of its module:

- ``location``: location quotient / Balassa RCA against the zone or a reference, presence ``M``, Hachman;
- ``classes``: specialisation classes with configurable thresholds and the published presets
  (U.S. Cluster Mapping "strong cluster", European Cluster Observatory stars);
- ``complexity``: diversity, ubiquity, ECI, PCI, proximity, density, COI and COG with the Harvard Growth
  Lab's Stata ``ecomplexity`` conventions (checked against its output to 1e-9);
- ``shift_share``: national share, industry mix and regional shift of a change between two years;
- ``io``: the long CSV ``region,segment,value[,year]`` with the line of every bad cell.

Bad input raises ``SpecialisationError`` (a ``ValueError``) with a Chinese message; degenerate input
(a region with nothing, a segment nobody has, one region, all zeros) gives a defined result, never NaN.

>>> import pandas as pd
>>> from xietong.specialisation import specialise
>>> x = pd.DataFrame({"电池": [6.0, 2.0, 1.0], "电机": [2.0, 6.0, 1.0], "电控": [1.0, 1.0, 6.0]},
...                  index=["成都", "重庆", "绵阳"])
>>> result = specialise(x)
>>> result.rca.round(2).loc["成都"].tolist(), result.m.loc["成都"].tolist()
([1.93, 0.64, 0.36], [1, 0, 0])
"""

from .classes import (
    CLASS_LABELS,
    CLASSES,
    ECO_STARS,
    PRESETS,
    US_CLUSTER_MAPPING,
    ClassThresholds,
    ClusterRule,
    StarRule,
    classify,
    cluster_stars,
    strong_clusters,
)
from .complexity import Complexity, complexity, density, diversity, proximity, ubiquity
from .errors import SpecialisationError
from .io import matrices_by_year, read_long, single_precision
from .location import hachman, location_quotient, presence, rca
from .matrix import matrix_from_long
from .shift_share import shift_share
from .specialise import TABLE_COLUMNS, Specialisation, specialise

__all__ = [
    "CLASSES",
    "CLASS_LABELS",
    "ECO_STARS",
    "PRESETS",
    "TABLE_COLUMNS",
    "US_CLUSTER_MAPPING",
    "ClassThresholds",
    "ClusterRule",
    "Complexity",
    "Specialisation",
    "SpecialisationError",
    "StarRule",
    "classify",
    "cluster_stars",
    "complexity",
    "density",
    "diversity",
    "hachman",
    "location_quotient",
    "matrices_by_year",
    "matrix_from_long",
    "presence",
    "proximity",
    "rca",
    "read_long",
    "shift_share",
    "single_precision",
    "specialise",
    "strong_clusters",
    "ubiquity",
]
