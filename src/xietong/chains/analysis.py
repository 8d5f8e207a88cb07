"""Specialisation of a zone's members in every chain segment, and the 补链 / 强链 / 延链 gaps it implies.

The region × segment matrix counts the active links of approved organisations (主营 1, 配套 0.5) rolled
up to the zone member whose area holds them; its columns are every segment of every chain (the
"product space"), its rows the zone's members. The numbers come from the specialisation engine
(`xietong.specialisation`, see docs/specialisation.md):

- RCA (区位熵) ``(x_rs / x_r) / (X_s / X)`` against the zone;
- presence ``M_rs = [RCA_rs ≥ 1]``;
- relatedness density ``Σ_q M_rq φ_qs / Σ_q φ_qs`` (share of the segment's neighbours the member has).

Gap rules (thresholds per zone in `GapThresholds`, defaults documented in docs/chains.md):

- 强链: ``RCA ≥ strong_rca`` and at least ``strong_min_orgs`` (weighted) organisations;
- 补链: the member has nothing there, or ``RCA < weak_rca``, while another member is strong there;
- 延链: not present (``RCA < 1``), not a 补链, and either a direct supply neighbour (or parent / child) of
  one of the member's 强链 segments, or a relatedness density in the top ``1 - extend_density_quantile``
  of the member's absent segments (where it is most likely to succeed next).

A zone as a whole is compared with the whole platform the same way (its total against all links).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from django.utils.translation import gettext

from xietong import specialisation as engine
from xietong.chains import matrix_store, selectors
from xietong.chains.enums import GapKind, Stage
from xietong.chains.models import Chain, GapThresholds
from xietong.regions import selectors as region_selectors

KIND_LABELS = dict(GapKind.choices)
STAGE_LABELS = dict(Stage.choices)
KIND_ORDER = {GapKind.FILL: 0, GapKind.STRENGTHEN: 1, GapKind.EXTEND: 2}


@dataclass
class ZoneMatrix:
    """The zone's members × every segment: weighted counts, RCA, presence (and density on demand)."""

    zone: object
    members: list[str]
    names: dict[str, str]
    counts: pd.DataFrame
    rca: pd.DataFrame
    m: pd.DataFrame
    _density: pd.DataFrame | None = None

    @property
    def density(self) -> pd.DataFrame:
        if self._density is None:
            self._density = engine.density(self.m)
        return self._density


_CACHE: dict[int, tuple[tuple, ZoneMatrix]] = {}


def zone_matrix(zone) -> ZoneMatrix:
    """Public: the specialisation of the zone's members over all segments (aggregates of public links).

    Kept per process and zone under `selectors.links_stamp()` (links, organisations' status, structure): a
    page pays one cheap stamp query while nothing changed, and every process sees a change at once. After a
    change the matrix (with its relatedness density) is usually already on disk: every write that moves the
    stamp schedules `tasks.refresh_zone_matrices` on commit, and the worker leaves the result in
    `matrix_store` for the web processes to load instead of recomputing it.
    """
    stamp = (selectors.links_stamp(), selectors.zone_member_codes(zone))
    cached = _CACHE.get(zone.pk)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    kept = matrix_store.load(zone, stamp)
    if kept is not None:
        density = kept.pop("density", None)
        matrix = ZoneMatrix(zone=zone, **kept)
        matrix._density = density
    else:
        matrix = _compute(zone)
        matrix_store.save(matrix, stamp)
    _CACHE[zone.pk] = (stamp, matrix)
    return matrix


_PLATFORM: list = [None, None]  # [stamp, {segment: weighted count}]


def platform_counts() -> dict[int, float]:
    """Public: the weighted links per segment over the whole platform (the zone-wide lists' reference), kept
    per process under the same data stamp as the matrices."""
    stamp = selectors.links_stamp()
    if _PLATFORM[0] != stamp:
        _PLATFORM[:] = [stamp, selectors.platform_counts()]
    return _PLATFORM[1]


def refresh(zone, links_stamp: tuple, cells: Callable[[], list]) -> bool:
    """Compute the zone's matrix and relatedness density for the data under `links_stamp` and leave them on disk
    and in this process (the background task after a write). False when they were already there. `cells`
    reads (once) the aggregate of links every zone shares."""
    stamp = (links_stamp, selectors.zone_member_codes(zone))
    if matrix_store.has_density(zone, stamp):
        return False
    matrix = _compute(zone, cells())
    if len(matrix.members) > 1:
        matrix.density  # noqa: B018  (computed here, in the worker, not in the first page request)
    matrix_store.save(matrix, stamp)
    _CACHE[zone.pk] = (stamp, matrix)
    return True


def _compute(zone, cells: list | None = None) -> ZoneMatrix:
    members = region_selectors.zone_members(zone)
    codes = [r.code for r in members]
    names = {r.code: r.name for r in members}
    segment_ids = [s for s, _, _ in selectors.all_segments()]
    counts = _frame(selectors.weighted_counts(codes, cells), codes, segment_ids)
    rca = engine.rca(counts) if counts.size else counts.copy()
    return ZoneMatrix(
        zone=zone,
        members=codes,
        names=names,
        counts=counts,
        rca=rca,
        m=engine.presence(rca) if rca.size else rca,
    )


def _frame(cells: dict[tuple[str, int], float], rows: Sequence[str], columns: Sequence[int]) -> pd.DataFrame:
    frame = pd.DataFrame(0.0, index=pd.Index(list(rows)), columns=pd.Index(list(columns)))
    if cells:
        row_at = {r: i for i, r in enumerate(rows)}
        col_at = {c: j for j, c in enumerate(columns)}
        values = frame.to_numpy(copy=True)
        for (r, c), v in cells.items():
            if r in row_at and c in col_at:
                values[row_at[r], col_at[c]] = v
        frame = pd.DataFrame(values, index=frame.index, columns=frame.columns)
    return frame


# ---------------------------------------------------------------- gaps


@dataclass
class Gap:
    kind: str
    chain_code: str
    chain_name: str
    segment_id: int
    segment_code: str
    segment_name: str
    stage: str
    rca: float
    count: float
    density: float
    reason: str
    strong_members: list[tuple[str, float]] = field(default_factory=list)  # (member code, RCA)
    recommendations: list = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return gettext(KIND_LABELS[self.kind])  # the label in the reader's language

    @property
    def stage_label(self) -> str:
        return gettext(STAGE_LABELS.get(self.stage, self.stage))


@dataclass
class GapReport:
    zone: object
    region_code: str  # a zone member, or "" for the zone as a whole
    region_name: str
    thresholds: GapThresholds
    gaps: list[Gap]

    def of_kind(self, kind: str) -> list[Gap]:
        return [g for g in self.gaps if g.kind == kind]


def member_of_zone(zone, region_code: str) -> str:
    """Public: the zone member whose area holds `region_code` ("" when none)."""
    members = set(selectors.zone_member_codes(zone))
    for code in (region_code, *region_selectors.region_ancestor_codes(region_code)):
        if code in members:
            return code
    return ""


def _neighbours(segments, edges) -> dict[int, set[int]]:
    out: dict[int, set[int]] = {s.pk: set() for s in segments}
    for up, down in edges:
        out.setdefault(up, set()).add(down)
        out.setdefault(down, set()).add(up)
    for s in segments:
        if s.parent_id:
            out[s.pk].add(s.parent_id)
            out.setdefault(s.parent_id, set()).add(s.pk)
    return out


def _fmt(value: float) -> str:
    return f"{value:.2f}"


def _quoted(names: Sequence[str]) -> str:
    """Segment names each in quotation marks (“电芯”“电池包”), as the reader's language quotes them."""
    return "".join(gettext("“%(name)s”") % {"name": n} for n in names)


def region_gaps(
    matrix: ZoneMatrix, region_code: str, chains: Sequence[Chain], thresholds: GapThresholds
) -> list[Gap]:
    """The member's 补链 / 强链 / 延链 in the given chains, best first within a kind (reads chain structure only)."""
    t = thresholds
    name = matrix.names[region_code]
    rca_values, count_values = matrix.rca.to_numpy(), matrix.counts.to_numpy()
    strong = (rca_values >= t.strong_rca) & (count_values >= t.strong_min_orgs)
    row = matrix.members.index(region_code)
    column = {seg: j for j, seg in enumerate(matrix.rca.columns)}
    absent = rca_values[row] < 1.0
    density = matrix.density.to_numpy()[row] if len(matrix.members) > 1 else np.zeros(len(column))
    cut = float(np.quantile(density[absent], t.extend_density_quantile)) if absent.any() else 1.0
    gaps: list[Gap] = []
    for chain in chains:
        segments = selectors.chain_segments(chain)
        neighbours = _neighbours(segments, selectors.chain_edges(chain))
        by_id = {s.pk: s for s in segments}
        for s in segments:
            j = column.get(s.pk)
            if j is None:
                continue
            x, q, d = float(count_values[row, j]), float(rca_values[row, j]), float(density[j])
            others = [
                (matrix.members[i], float(rca_values[i, j])) for i in np.flatnonzero(strong[:, j]) if i != row
            ]
            others.sort(key=lambda p: -p[1])
            gap = Gap(kind="", chain_code=chain.code, chain_name=chain.name, segment_id=s.pk, segment_code=s.code,
                      segment_name=s.name, stage=s.stage, rca=q, count=x, density=d, reason="", strong_members=others)  # fmt: skip
            if strong[row, j]:
                gap.kind = GapKind.STRENGTHEN
                gap.reason = gettext(
                    "%(name)s在该环节区位熵 %(rca)s（≥ %(threshold)s），有 %(count)s 家机构（加权），为专业化优势环节"
                ) % {"name": name, "rca": _fmt(q), "threshold": _fmt(t.strong_rca), "count": f"{x:g}"}
            elif (x == 0 or q < t.weak_rca) and others:
                state = (
                    gettext("尚无机构布局")
                    if x == 0
                    else gettext("较为薄弱（区位熵 %(rca)s < %(threshold)s）")
                    % {"rca": _fmt(q), "threshold": _fmt(t.weak_rca)}
                )
                leaders = gettext("、").join(
                    gettext("%(name)s（区位熵 %(rca)s）") % {"name": matrix.names[m], "rca": _fmt(v)}
                    for m, v in others[:3]
                )
                gap.kind = GapKind.FILL
                gap.reason = gettext(
                    "%(name)s在该环节%(state)s，而%(leaders)s在该环节具有优势，可跨区域补链"
                ) % {"name": name, "state": state, "leaders": leaders}
            elif q < 1.0:
                linked = [by_id[n].name for n in sorted(neighbours.get(s.pk, ()))
                          if n in by_id and n in column and strong[row, column[n]]]  # fmt: skip
                dense = d > 0 and d >= cut
                if not linked and not dense:
                    continue
                parts = []
                if linked:
                    parts.append(
                        gettext("与本地强链环节%(segments)s直接上下游相连")
                        % {"segments": _quoted(linked[:3])}
                    )
                if dense:
                    top = round((1 - t.extend_density_quantile) * 100)
                    parts.append(
                        gettext("关联密度 %(density)s，位于本地未布局环节的前 %(top)s%%")
                        % {"density": _fmt(d), "top": top}
                    )
                gap.kind = GapKind.EXTEND
                gap.reason = gettext("%(name)s尚未形成优势（区位熵 %(rca)s）；%(parts)s，适合延链") % {
                    "name": name,
                    "rca": _fmt(q),
                    "parts": gettext("；").join(parts),
                }
            else:
                continue
            gaps.append(gap)
    return sorted(gaps, key=_gap_order)


def _gap_order(g: Gap):
    if g.kind == GapKind.FILL:
        return (0, -(g.strong_members[0][1] if g.strong_members else 0), g.segment_id)
    if g.kind == GapKind.STRENGTHEN:
        return (1, -g.rca, g.segment_id)
    return (2, -g.density, g.segment_id)


def zone_gaps(matrix: ZoneMatrix, chains: Sequence[Chain], thresholds: GapThresholds) -> list[Gap]:
    """The zone as a whole against the whole platform: absent or weak segments (补链), specialised ones (强链),
    and the supply neighbours of its strong segments it lacks (延链)."""
    t = thresholds
    zone_counts = matrix.counts.sum(axis=0)
    platform = pd.Series(platform_counts(), dtype=float).reindex(matrix.counts.columns, fill_value=0.0)
    frame = pd.DataFrame(np.vstack([zone_counts.to_numpy(), (platform - zone_counts).clip(lower=0).to_numpy()]),
                         index=["zone", "rest"], columns=matrix.counts.columns)  # fmt: skip
    lq = engine.rca(frame).loc["zone"] if frame.to_numpy().sum() else zone_counts * 0
    name = matrix.zone.short_name
    gaps: list[Gap] = []
    for chain in chains:
        segments = selectors.chain_segments(chain)
        neighbours = _neighbours(segments, selectors.chain_edges(chain))
        by_id = {s.pk: s for s in segments}
        strong_ids = {
            s.pk for s in segments if lq[s.pk] >= t.strong_rca and zone_counts[s.pk] >= t.strong_min_orgs
        }
        for s in segments:
            x, q = float(zone_counts[s.pk]), float(lq[s.pk])
            gap = Gap(kind="", chain_code=chain.code, chain_name=chain.name, segment_id=s.pk, segment_code=s.code,
                      segment_name=s.name, stage=s.stage, rca=q, count=x, density=0.0, reason="")  # fmt: skip
            if s.pk in strong_ids:
                gap.kind, gap.reason = (
                    GapKind.STRENGTHEN,
                    gettext("%(name)s整体在该环节区位熵 %(rca)s（相对全平台），有 %(count)s 家机构（加权）")
                    % {"name": name, "rca": _fmt(q), "count": f"{x:g}"},
                )
            elif x == 0 or q < t.weak_rca:
                state = (
                    gettext("尚无机构布局")
                    if x == 0
                    else gettext("整体薄弱（区位熵 %(rca)s < %(threshold)s，相对全平台）")
                    % {"rca": _fmt(q), "threshold": _fmt(t.weak_rca)}
                )
                gap.kind = GapKind.FILL
                gap.reason = gettext("%(name)s在该环节%(state)s，需从区外引进或联合攻关补链") % {
                    "name": name,
                    "state": state,
                }
            elif q < 1.0 and (linked := [by_id[n].name for n in neighbours.get(s.pk, ()) if n in strong_ids]):
                gap.kind = GapKind.EXTEND
                gap.reason = gettext(
                    "%(name)s整体尚未形成优势（区位熵 %(rca)s），与区内强链环节%(segments)s直接相连"
                ) % {"name": name, "rca": _fmt(q), "segments": _quoted(linked[:3])}
            else:
                continue
            gaps.append(gap)
    return sorted(gaps, key=_gap_order)


# ---------------------------------------------------------------- the zone-wide list: every member at once


@dataclass
class MemberMark:
    code: str
    name: str
    rca: float
    count: float


@dataclass
class ZoneSegmentRow:
    """One segment of a chain across the zone: which members lack it (补链), which are strong in it (and could
    fill the others' gap), which should extend into it (延链), how the zone as a whole stands, and partners."""

    chain_code: str
    chain_name: str
    segment_id: int
    segment_code: str
    segment_name: str
    stage: str
    zone_kind: str  # the zone as a whole against the platform ("" when none of the three)
    zone_rca: float
    zone_reason: str
    lacking: list[MemberMark] = field(default_factory=list)
    strong: list[MemberMark] = field(default_factory=list)
    extending: list[MemberMark] = field(default_factory=list)
    recommendations: list = field(default_factory=list)

    @property
    def stage_label(self) -> str:
        return gettext(STAGE_LABELS.get(self.stage, self.stage))

    @property
    def zone_kind_label(self) -> str:
        return gettext(KIND_LABELS[self.zone_kind]) if self.zone_kind else ""


@dataclass
class ZoneList:
    zone: object
    chain: Chain
    thresholds: GapThresholds
    rows: list[ZoneSegmentRow]

    def count(self, attribute: str) -> int:
        """How many (member, segment) pairs of the chain are of one kind (lacking, strong, extending)."""
        return sum(len(getattr(r, attribute)) for r in self.rows)


def member_kinds(matrix: ZoneMatrix, segments, edges, thresholds: GapThresholds) -> dict[str, np.ndarray]:
    """Every member's 补链 / 强链 / 延链 in one chain's segments at once (members × segments booleans) — the same
    rules as `region_gaps` for one member, vectorised for the zone-wide list."""
    t = thresholds
    n = len(matrix.members)
    column = {seg: j for j, seg in enumerate(matrix.rca.columns)}
    segments = [s for s in segments if s.pk in column]
    cols = np.array([column[s.pk] for s in segments], dtype=np.int64)
    rca_all, counts_all = matrix.rca.to_numpy(), matrix.counts.to_numpy()
    strong_all = (rca_all >= t.strong_rca) & (counts_all >= t.strong_min_orgs)
    rca, counts, strong = rca_all[:, cols], counts_all[:, cols], strong_all[:, cols]
    others = strong.sum(axis=0)[None, :] - strong > 0
    fill = ~strong & ((counts == 0) | (rca < t.weak_rca)) & others
    # 延链 (a): a supply neighbour, parent or child of one of the member's strong segments
    at = {s.pk: k for k, s in enumerate(segments)}
    linked = np.zeros_like(strong)
    neighbours = _neighbours(segments, edges)
    for k, s in enumerate(segments):
        near = [at[m] for m in neighbours.get(s.pk, ()) if m in at]
        if near:
            linked[:, k] = strong[:, near].any(axis=1)
    # 延链 (b): relatedness density in the top share of the member's absent segments (over all segments)
    if n > 1:
        density_all = matrix.density.to_numpy()
        absent = rca_all < 1.0
        cut = np.array([float(np.quantile(density_all[i, absent[i]], t.extend_density_quantile))
                        if absent[i].any() else 1.0 for i in range(n)])  # fmt: skip
        density = density_all[:, cols]
        dense = (density > 0) & (density >= cut[:, None])
    else:
        dense = np.zeros_like(strong)
    extend = ~strong & ~fill & (rca < 1.0) & (linked | dense)
    return {
        "segments": segments,
        "fill": fill,
        "strong": strong,
        "extend": extend,
        "rca": rca,
        "counts": counts,
    }


def zone_list(matrix: ZoneMatrix, chain: Chain, thresholds: GapThresholds) -> ZoneList:
    """Per segment of the chain, which members lack it, which are strong in it, which should extend into it, and
    how the zone as a whole compares with the platform (reads chain structure and the platform's counts)."""
    segments = selectors.chain_segments(chain)
    kinds = member_kinds(matrix, segments, selectors.chain_edges(chain), thresholds)
    whole = {g.segment_id: g for g in zone_gaps(matrix, [chain], thresholds)}
    rows = []
    for k, s in enumerate(kinds["segments"]):

        def marks(mask, k=k):
            found = [MemberMark(code=matrix.members[i], name=matrix.names[matrix.members[i]],
                                rca=float(kinds["rca"][i, k]), count=float(kinds["counts"][i, k]))
                     for i in np.flatnonzero(mask[:, k])]  # fmt: skip
            return sorted(found, key=lambda m: (-m.rca, m.code))

        zone_gap = whole.get(s.pk)
        rows.append(ZoneSegmentRow(
            chain_code=chain.code, chain_name=chain.name, segment_id=s.pk, segment_code=s.code, segment_name=s.name,
            stage=s.stage, zone_kind=zone_gap.kind if zone_gap else "", zone_rca=zone_gap.rca if zone_gap else 0.0,
            zone_reason=zone_gap.reason if zone_gap else "",
            lacking=marks(kinds["fill"]), strong=marks(kinds["strong"]),
            extending=marks(kinds["extend"]),
        ))  # fmt: skip
    return ZoneList(zone=matrix.zone, chain=chain, thresholds=thresholds, rows=rows)
