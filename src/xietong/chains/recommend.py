"""Recommendations for each gap, with a reason in the reader's language: partner organisations in the other members,
achievements that fit the segment (the matching engine), and the region's own open demands in it.

Partner organisations are the active links of the segment outside the region's own area (for a zone-wide
gap: outside the zone), never the region's own organisations. Their score (0–1) weighs

- strength 0.40: the RCA of the partner's zone member in the segment (capped at 3), and 主营 over 配套;
- size 0.20: the newest yearly headcount the viewer may read, ``log(1+n)/log(1+10000)`` (unknown: 0.3);
- cooperation 0.25: earlier contracts, service orders and voucher redemptions with the region,
  ``1 - exp(-n/3)``;
- closeness 0.15: ``1 / (1 + d / 500 km)`` between the two regions' centroids.

Extension point: `register(recommender)` adds a source (the talent app's experts): a function
``(context, gaps) -> None`` that appends `Recommendation`s to each gap's ``recommendations``.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext, gettext_noop

from xietong.chains import selectors
from xietong.chains.enums import AttachmentRole, GapKind
from xietong.core import explanations
from xietong.core.actor import Actor
from xietong.matching import Document
from xietong.regions.models import Region
from xietong.transfer import search
from xietong.transfer.enums import ListingKind, ListingStatus

WEIGHTS = {"strength": 0.40, "size": 0.20, "cooperation": 0.25, "closeness": 0.15}
PARTNERS_PER_GAP = 5
LISTINGS_PER_GAP = 3
WHAT_LABELS = {
    "organisation": gettext_noop("合作机构"),
    "achievement": gettext_noop("科技成果"),
    "demand": gettext_noop("本地需求"),
    "expert": gettext_noop("专家"),
}


@dataclass
class Recommendation:
    what: str
    name: str
    region_name: str
    score: float
    reason: str
    url: str = ""
    object_id: int | None = None
    region_code: str = ""

    @property
    def what_label(self) -> str:
        return gettext(WHAT_LABELS.get(self.what, self.what))  # the label in the reader's language


@dataclass
class Context:
    actor: Actor
    matrix: object  # analysis.ZoneMatrix
    region_code: str  # the member whose gaps these are ("" for the zone as a whole)
    region_name: str
    own_codes: frozenset[
        str
    ]  # the area whose organisations are never recommended (the member's, or the zone's)


Recommender = Callable[[Context, list], None]
_RECOMMENDERS: list[Recommender] = []


def register(recommender: Recommender) -> Recommender:
    if recommender not in _RECOMMENDERS:
        _RECOMMENDERS.append(recommender)
    return recommender


def recommend(context: Context, gaps: list) -> None:
    for recommender in _RECOMMENDERS:
        recommender(context, gaps)
    for gap in gaps:
        gap.recommendations.sort(key=lambda r: (r.what != "organisation", -r.score))


# ---------------------------------------------------------------- partners


def _distance_km(a: tuple[float, float] | None, b: tuple[float, float] | None) -> float | None:
    if a is None or b is None:
        return None
    lng1, lat1, lng2, lat2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(h)))


def _coordinates(codes: set[str]) -> dict[str, tuple[float, float]]:
    """Centroids of the regions, falling back to the nearest ancestor that has one."""
    wanted = codes | {c[:4] + "00" for c in codes} | {c[:2] + "0000" for c in codes}
    rows = {
        code: (lng, lat)
        for code, lng, lat in Region.objects.filter(code__in=wanted).values_list("code", "lng", "lat")
        if lng is not None and lat is not None
    }
    out = {}
    for code in codes:
        for candidate in (code, code[:4] + "00", code[:2] + "0000"):
            if candidate in rows:
                out[code] = rows[candidate]
                break
    return out


def partner_organisations(context: Context, gaps: list) -> None:
    wanted = [g for g in gaps if g.kind in (GapKind.FILL, GapKind.EXTEND, GapKind.STRENGTHEN)]
    if not wanted:
        return
    matrix = context.matrix
    candidates = selectors.candidate_attachments(
        actor=context.actor, segment_ids=[g.segment_id for g in wanted], exclude_codes=context.own_codes
    )
    member_of = selectors._member_of(matrix.members) if context.region_code else {}
    if context.region_code:  # a member's gap: partners from the zone's other members only
        candidates = [a for a in candidates if member_of.get(a.region_id) not in (None, context.region_code)]
    by_segment: dict[int, list] = defaultdict(list)
    for att in candidates:
        by_segment[att.segment_id].append(att)
    org_ids = {a.organisation_id for a in candidates}
    cooperation = selectors.cooperation_counts(
        actor=context.actor, org_ids=sorted(org_ids), region_codes=context.own_codes
    )
    sizes = selectors.latest_measures(
        actor=context.actor,
        attachment_ids=[a.pk for a in candidates],
        segment_ids=[g.segment_id for g in wanted],
    )
    home = context.region_code or (matrix.members[0] if matrix.members else "")
    coords = _coordinates({a.region_id for a in candidates} | ({home} if home else set()))
    rca = matrix.rca.to_numpy()
    row_of = {m: i for i, m in enumerate(matrix.members)}
    column_of = {s: j for j, s in enumerate(matrix.rca.columns)}
    for gap in wanted:
        scored = []
        j = column_of.get(gap.segment_id)
        for att in by_segment.get(gap.segment_id, []):
            member = member_of.get(att.region_id, "")
            q = float(rca[row_of[member], j]) if member in row_of and j is not None else 0.0
            scored.append(_score_partner(context, att, member, q, cooperation.get(att.organisation_id, {}),
                                         sizes.get(att.pk), _distance_km(coords.get(att.region_id), coords.get(home))))  # fmt: skip
        scored.sort(key=lambda r: (-r.score, r.name))
        for r in scored[:PARTNERS_PER_GAP]:
            r.url = reverse("org-detail", args=[r.object_id])
        gap.recommendations.extend(scored[:PARTNERS_PER_GAP])


def _score_partner(
    context: Context, att, member: str, q: float, together: dict, measure, km
) -> Recommendation:
    matrix = context.matrix
    primary = att.role == AttachmentRole.PRIMARY
    strength = 0.6 * min(q, 3.0) / 3.0 + 0.4 * (1.0 if primary else 0.5)
    employees = measure.employees if measure is not None and measure.employees else None
    size = math.log1p(employees) / math.log1p(10000) if employees else 0.3
    n_together = sum(together.values())
    cooperation = 1 - math.exp(-n_together / 3)
    closeness = 1 / (1 + km / 500) if km is not None else 0.5
    score = (WEIGHTS["strength"] * strength + WEIGHTS["size"] * min(size, 1.0)
             + WEIGHTS["cooperation"] * cooperation + WEIGHTS["closeness"] * closeness)  # fmt: skip
    parts = []
    if member:
        parts.append(_member_rca(matrix.names.get(member, member), q))
    parts.append(_role(primary))
    if employees:
        parts.append(gettext("从业人员 %(n)s 人") % {"n": employees})
    if n_together:
        labels = selectors.COOPERATION_LABELS
        done = gettext("、").join(gettext("%(what)s %(n)s 项") % {"what": gettext(labels.get(k, k)), "n": n}
                                 for k, n in sorted(together.items()) if n)  # fmt: skip
        parts.append(
            gettext("与%(region)s已有合作：%(done)s") % {"region": context.region_name, "done": done}
        )
    else:
        parts.append(gettext("与%(region)s尚无平台记录的合作") % {"region": context.region_name})
    if km is not None:
        parts.append(gettext("相距约 %(km)s 公里") % {"km": f"{round(km):d}"})
    return Recommendation(
        what="organisation", name=att.organisation_name, region_name=att.region_name, score=round(score, 4),
        reason=gettext("；").join(parts), object_id=att.organisation_id, region_code=att.region_id,
    )  # fmt: skip


def _member_rca(name: str, rca: float, *, strong: bool | None = None) -> str:
    """The partner's zone member's specialisation in the segment (优势 from RCA 1, or as `strong` says)."""
    strong = rca >= 1 if strong is None else strong
    text = (
        gettext("%(name)s在该环节区位熵 %(rca)s（优势）")
        if strong
        else gettext("%(name)s在该环节区位熵 %(rca)s（一般）")
    )
    return text % {"name": name, "rca": f"{rca:.2f}"}


def _role(primary: bool) -> str:
    return gettext("主营该环节") if primary else gettext("配套该环节")


def zone_partners(actor: Actor, matrix, rows: list) -> None:
    """For the zone-wide list: per segment some members lack, the organisations of the members strong in it
    that could fill the gap, by strength (the strong member's RCA, 主营 over 配套) — the strength part of the
    partner score above; cooperation and distance depend on which member asks and are left to its own list."""
    wanted = [r for r in rows if r.lacking and r.strong]
    if not wanted:
        return
    member_of = selectors._member_of(matrix.members)
    candidates = selectors.candidate_attachments(
        actor=actor, segment_ids=[r.segment_id for r in wanted], exclude_codes=frozenset()
    )
    by_segment: dict[int, list] = defaultdict(list)
    for att in candidates:
        by_segment[att.segment_id].append(att)
    for row in wanted:
        strong = {m.code: m for m in row.strong}
        scored = []
        for att in by_segment.get(row.segment_id, []):
            mark = strong.get(member_of.get(att.region_id, ""))
            if mark is None:
                continue
            primary = att.role == AttachmentRole.PRIMARY
            score = 0.6 * min(mark.rca, 3.0) / 3.0 + 0.4 * (1.0 if primary else 0.5)
            reason = gettext("；").join((_member_rca(mark.name, mark.rca, strong=True),
                                        _role(primary)))  # fmt: skip
            scored.append(Recommendation(what="organisation", name=att.organisation_name, region_name=att.region_name,
                                         score=round(score, 4), reason=reason, object_id=att.organisation_id,
                                         region_code=att.region_id))  # fmt: skip
        scored.sort(key=lambda r: (-r.score, r.name))
        for r in scored[:PARTNERS_PER_GAP]:
            r.url = reverse("org-detail", args=[r.object_id])
        row.recommendations = scored[:PARTNERS_PER_GAP]


# ---------------------------------------------------------------- achievements and demands (matching engine)


def segment_document(gap_or_segment, keywords=(), body: str = "") -> Document:
    name = getattr(gap_or_segment, "segment_name", None) or gap_or_segment.name
    return Document(id=f"segment:{getattr(gap_or_segment, 'segment_id', None) or gap_or_segment.pk}",
                    title=name, body=body, keywords=tuple(keywords))  # fmt: skip


_HITS: dict[tuple[str, int], tuple[float, list]] = {}
HITS_TTL_SECONDS = 300


def _hits(kind: str, segment_id: int, query: Document) -> list:
    """Index hits for a segment, kept five minutes per process: they depend on the segment and the index, not on
    who asks or for which region (visibility and region filters apply afterwards, on every call)."""
    now = time.monotonic()
    cached = _HITS.get((kind, segment_id))
    if cached is not None and now - cached[0] < HITS_TTL_SECONDS:
        return cached[1]
    hits = search.search(kind, query, k=20)
    if hits is None:  # the index could not answer: try again next time
        return []
    if len(_HITS) > 20_000:
        _HITS.clear()
    _HITS[(kind, segment_id)] = (now, hits)
    return hits


def reset_hits() -> None:
    """Forget the kept index hits (tests, and after rebuilding the marketplace's indexes)."""
    _HITS.clear()


def _segment_queries(gaps: list) -> dict[int, Document]:
    segments = {s.pk: s for s in selectors.segments_by_ids([g.segment_id for g in gaps])}
    out = {}
    for g in gaps:
        s = segments.get(g.segment_id)
        if s is not None:
            body = "\n".join(filter(None, (s.description, "、".join(s.tech_fields))))
            out[g.segment_id] = Document(
                id=f"segment:{s.pk}", title=s.name, body=body, keywords=tuple(s.keywords)
            )
    return out


def achievements(context: Context, gaps: list) -> None:
    wanted = [g for g in gaps if g.kind in (GapKind.FILL, GapKind.EXTEND)]
    queries = _segment_queries(wanted)
    hits_by_gap = {g.segment_id: _hits(ListingKind.ACHIEVEMENT, g.segment_id, queries[g.segment_id])
                   for g in wanted if g.segment_id in queries}  # fmt: skip
    ids = {int(h.id) for hits in hits_by_gap.values() for h in hits}
    listings = selectors.listings_by_ids(actor=context.actor, kind=ListingKind.ACHIEVEMENT, ids=ids)
    for gap in wanted:
        picked = 0
        for hit in hits_by_gap.get(gap.segment_id, []):
            a = listings.get(int(hit.id))
            if a is None or a.status != ListingStatus.PUBLISHED or a.region_id in context.own_codes:
                continue
            gap.recommendations.append(Recommendation(
                what="achievement", name=a.title, region_name=a.region.name, score=round(min(hit.score / 20, 1.0), 4),
                reason=gettext("%(owner)s的科技成果；%(why)s") % {"owner": a.owner.name, "why": explanations.text(hit.explanation)},
                url=reverse("transfer:achievement", args=[a.pk]), object_id=a.pk, region_code=a.region_id,
            ))  # fmt: skip
            picked += 1
            if picked >= LISTINGS_PER_GAP:
                break


def own_demands(context: Context, gaps: list) -> None:
    queries = _segment_queries(gaps)
    hits_by_gap = {g.segment_id: _hits(ListingKind.DEMAND, g.segment_id, queries[g.segment_id])
                   for g in gaps if g.segment_id in queries}  # fmt: skip
    ids = {int(h.id) for hits in hits_by_gap.values() for h in hits}
    listings = selectors.listings_by_ids(actor=context.actor, kind=ListingKind.DEMAND, ids=ids)
    for gap in gaps:
        picked = 0
        for hit in hits_by_gap.get(gap.segment_id, []):
            d = listings.get(int(hit.id))
            if d is None or d.status != ListingStatus.PUBLISHED or d.region_id not in context.own_codes:
                continue
            gap.recommendations.append(Recommendation(
                what="demand", name=d.title, region_name=d.region.name, score=round(min(hit.score / 20, 1.0), 4),
                reason=gettext("本地%(owner)s发布的技术需求；%(why)s") % {"owner": d.owner.name, "why": explanations.text(hit.explanation)},
                url=reverse("transfer:demand", args=[d.pk]), object_id=d.pk, region_code=d.region_id,
            ))  # fmt: skip
            picked += 1
            if picked >= LISTINGS_PER_GAP:
                break


register(partner_organisations)
register(achievements)
register(own_demands)
