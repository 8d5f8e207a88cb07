"""Specialisation classes: configurable thresholds, with two published rules as presets.

"Top share of regions" is always among all regions of the matrix for the same segment: a region is in the
top ``q`` when fewer than ``q · n`` regions have a strictly larger value (ties share the place), and in the
bottom ``q`` when fewer than ``q · n`` have a strictly smaller one. A region with value 0 in a segment is
never in a top group and never a cluster there.

Presets
-------
``US_CLUSTER_MAPPING`` — the U.S. Cluster Mapping Project's "strong cluster" (Harvard Business School,
Institute for Strategy and Competitiveness, clustermapping.us; clusters as defined by Delgado, Porter &
Stern 2016, *Journal of Economic Geography* 16(1): 1–38): the region's LQ in the segment is in the top
quarter of regions and at least 1, and its size (employment; here the matrix value) is above the bottom
quarter.

``ECO_STARS`` — the European Cluster Observatory's star rating (Ketels & Sölvell 2006, *Innovation
clusters in the 10 new member states of the European Union*, Europe INNOVA; Ketels & Protsiv 2014,
*European Cluster Panorama*): one star each for size (value in the top 10 % of regions), specialisation
(LQ ≥ 2) and focus (the segment's share of the region's total in the top 10 % of regions); 0–3 stars.

Classes (``classify``): ``absent`` (value 0), ``weak`` (LQ below ``weak_below``), ``moderate`` (below
``specialised_at``), ``specialised`` (at least ``specialised_at``) and ``strong`` (meets the strong rule:
a ``ClusterRule`` such as the US preset, or a ``StarRule`` with at least ``min_stars`` stars). The
defaults ``weak_below = 0.5`` and ``specialised_at = 1`` are this platform's, not a published rule; 1 is
where RCA says "more than the reference".
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .errors import SpecialisationError
from .location import Reference, _shares, rca
from .matrix import checked

CLASSES = ("absent", "weak", "moderate", "specialised", "strong")
CLASS_LABELS = {
    "absent": "缺失",
    "weak": "薄弱",
    "moderate": "一般",
    "specialised": "专业化",
    "strong": "优势",
}


def places(share: float, n: int) -> int:
    """How many places "the top (or bottom) ``share`` of ``n`` regions" holds: ``⌈share · n⌉``, at least 1.

    A region is in the top ``share`` when fewer than ``share · n`` regions are strictly above it, that is
    when its value is at least the ``places``-th largest. The small tolerance keeps ``0.1 × 30`` at 3
    places (in floating point it is 3.0000000000000004).
    """
    return max(1, math.ceil(share * n - 1e-9))


def in_top(values: np.ndarray, share: float) -> np.ndarray:
    """Per column: at least the ``places``-th largest value (ties share the place), and positive."""
    n = values.shape[0]
    kth_largest = np.sort(values, axis=0)[n - places(share, n)]
    return (values >= kth_largest[None, :]) & (values > 0)


def in_bottom(values: np.ndarray, share: float) -> np.ndarray:
    """Per column: at most the ``places``-th smallest value (ties share the place)."""
    kth_smallest = np.sort(values, axis=0)[places(share, values.shape[0]) - 1]
    return values <= kth_smallest[None, :]


def _share(value: float | None, name: str) -> None:
    if value is not None and not 0 < value <= 1:
        raise SpecialisationError(f"{name}须在 0 与 1 之间")


@dataclass(frozen=True)
class ClusterRule:
    """A conjunction of thresholds: every criterion that is set must hold."""

    key: str
    label: str
    lq_at_least: float = 1.0
    lq_top_share: float | None = None
    size_top_share: float | None = None
    size_above_bottom_share: float | None = None
    focus_top_share: float | None = None
    source: str = ""

    def __post_init__(self) -> None:
        _share(self.lq_top_share, "区位熵前列比例")
        _share(self.size_top_share, "规模前列比例")
        _share(self.size_above_bottom_share, "规模末位比例")
        _share(self.focus_top_share, "集中度前列比例")


@dataclass(frozen=True)
class StarRule:
    """One star per criterion met (size in the top share, LQ at least, focus in the top share)."""

    key: str
    label: str
    size_top_share: float = 0.10
    lq_at_least: float = 2.0
    focus_top_share: float = 0.10
    min_stars: int = 3
    source: str = ""

    def __post_init__(self) -> None:
        _share(self.size_top_share, "规模前列比例")
        _share(self.focus_top_share, "集中度前列比例")
        if not 1 <= self.min_stars <= 3:
            raise SpecialisationError("优势集群所需星级须为 1 至 3")


US_CLUSTER_MAPPING = ClusterRule(
    key="us_cluster_mapping",
    label="美国集群地图“强集群”",
    lq_at_least=1.0,
    lq_top_share=0.25,
    size_above_bottom_share=0.25,
    source="U.S. Cluster Mapping Project (clustermapping.us); Delgado, Porter & Stern 2016",
)
ECO_STARS = StarRule(
    key="eco_stars",
    label="欧洲集群观察站星级",
    source="European Cluster Observatory; Ketels & Sölvell 2006; Ketels & Protsiv 2014",
)
PRESETS: dict[str, ClusterRule | StarRule] = {rule.key: rule for rule in (US_CLUSTER_MAPPING, ECO_STARS)}


def _arrays(matrix: pd.DataFrame, reference: Reference) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    values = checked(matrix)
    return values, rca(matrix, reference).to_numpy(), _shares(values)


def _strong(values: np.ndarray, lq: np.ndarray, focus: np.ndarray, rule: ClusterRule) -> np.ndarray:
    ok = (lq >= rule.lq_at_least) & (values > 0)
    if rule.lq_top_share is not None:
        ok &= in_top(lq, rule.lq_top_share)
    if rule.size_top_share is not None:
        ok &= in_top(values, rule.size_top_share)
    if rule.size_above_bottom_share is not None:
        ok &= ~in_bottom(values, rule.size_above_bottom_share)
    if rule.focus_top_share is not None:
        ok &= in_top(focus, rule.focus_top_share)
    return ok


def _stars(values: np.ndarray, lq: np.ndarray, focus: np.ndarray, rule: StarRule) -> np.ndarray:
    stars = in_top(values, rule.size_top_share).astype(np.int64)
    stars += ((lq >= rule.lq_at_least) & (values > 0)).astype(np.int64)
    stars += in_top(focus, rule.focus_top_share).astype(np.int64)
    return stars


def strong_clusters(
    matrix: pd.DataFrame, rule: ClusterRule = US_CLUSTER_MAPPING, reference: Reference = None
) -> pd.DataFrame:
    """Whether each region is a strong cluster in each segment under ``rule`` (a boolean matrix)."""
    values, lq, focus = _arrays(matrix, reference)
    return pd.DataFrame(_strong(values, lq, focus, rule), index=matrix.index, columns=matrix.columns)


def cluster_stars(
    matrix: pd.DataFrame, rule: StarRule = ECO_STARS, reference: Reference = None
) -> pd.DataFrame:
    """European Cluster Observatory stars (0–3) of each region in each segment.

    Examples
    --------
    >>> x = pd.DataFrame({"a": [10.0, 1, 1, 1, 1], "b": [1.0, 5, 5, 5, 5]}, index=list("vwxyz"))
    >>> cluster_stars(x)["a"].tolist()
    [3, 0, 0, 0, 0]
    """
    values, lq, focus = _arrays(matrix, reference)
    return pd.DataFrame(_stars(values, lq, focus, rule), index=matrix.index, columns=matrix.columns)


@dataclass(frozen=True)
class ClassThresholds:
    """Where the classes change: LQ cut-offs and the rule for ``strong`` (a preset by default)."""

    weak_below: float = 0.5
    specialised_at: float = 1.0
    strong: ClusterRule | StarRule = US_CLUSTER_MAPPING

    def __post_init__(self) -> None:
        if not 0 <= self.weak_below <= self.specialised_at or not np.isfinite(self.specialised_at):
            raise SpecialisationError("区位熵分级阈值须满足 0 ≤ 薄弱线 ≤ 专业化线")


def classify(
    matrix: pd.DataFrame, thresholds: ClassThresholds | None = None, reference: Reference = None
) -> pd.DataFrame:
    """The class code (``CLASSES``) of each region in each segment; ``CLASS_LABELS`` gives its Chinese name.

    Examples
    --------
    >>> x = pd.DataFrame({"a": [8.0, 1, 0, 1], "b": [2.0, 9, 5, 1]}, index=list("wxyz"))
    >>> classify(x)["a"].tolist()
    ['strong', 'weak', 'absent', 'specialised']
    """
    values, lq, focus = _arrays(matrix, reference)
    codes = class_codes(values, lq, focus, thresholds)
    return pd.DataFrame(codes, index=matrix.index, columns=matrix.columns, dtype=object)


def class_codes(
    values: np.ndarray, lq: np.ndarray, focus: np.ndarray, thresholds: ClassThresholds | None = None
) -> np.ndarray:
    """``classify`` on arrays already computed (values, LQ, focus = each row's shares)."""
    thresholds = thresholds or ClassThresholds()
    rule = thresholds.strong
    strong = (
        _stars(values, lq, focus, rule) >= rule.min_stars
        if isinstance(rule, StarRule)
        else _strong(values, lq, focus, rule)
    )
    index = np.select(
        [values <= 0, strong, lq >= thresholds.specialised_at, lq >= thresholds.weak_below],
        [0, 4, 3, 2],
        default=1,
    )
    # an object array: pandas turns a 2-D str array into one Arrow column per segment, 100× slower
    return np.array(CLASSES, dtype=object)[index]
