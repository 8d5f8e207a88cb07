"""Reads of the chains app. Chain structure, the active links' aggregates, thresholds and roadmaps are
public (policies.py); links, measures and cooperation counts are read through the actor."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Case, Count, FloatField, Max, QuerySet, Sum, Value, When
from django.utils.translation import gettext, gettext_noop

from xietong.chains.enums import ROLE_WEIGHTS, AttachmentRole, AttachmentStatus
from xietong.chains.models import (
    Attachment,
    AttachmentMeasure,
    Chain,
    ChainVersion,
    GapThresholds,
    Milestone,
    Segment,
    SegmentEdge,
)
from xietong.chains.policies import AttachmentPolicy, MeasurePolicy
from xietong.core.actor import Actor
from xietong.core.errors import NotFound
from xietong.core.policies import get_visible
from xietong.orgs.enums import OrgStatus
from xietong.regions import selectors as region_selectors

# ---------------------------------------------------------------- chains (public)


def chain_list() -> QuerySet[Chain]:
    """Public: every chain with its number of segments."""
    return Chain.objects.annotate(segment_count=Count("segments")).order_by("id")


def chain_get(*, code: str) -> Chain:
    """Public: one chain by its code."""
    chain = Chain.objects.filter(code=code).first() if isinstance(code, str) and len(code) <= 40 else None
    if chain is None:
        raise NotFound(gettext("产业链不存在"))
    return chain


def chain_segments(chain: Chain) -> list[Segment]:
    """Public: a chain's segments in their order, parents resolved."""
    return list(Segment.objects.filter(chain=chain).select_related("parent").order_by("position", "id"))


def chain_edges(chain: Chain) -> list[tuple[int, int]]:
    """Public: (upstream id, downstream id) of a chain's supply edges."""
    return list(SegmentEdge.objects.filter(chain=chain).values_list("upstream_id", "downstream_id"))


def chain_versions(chain: Chain) -> QuerySet[ChainVersion]:
    """Public: the structure's history, newest first."""
    return ChainVersion.objects.filter(chain=chain).order_by(
        "-number"
    )  # tenancy-ok: public history, no user shown


def segment_get(*, chain: Chain, code: str) -> Segment:
    """Public: one segment of a chain by its code."""
    segment = Segment.objects.filter(chain=chain, code=code).select_related("parent", "chain").first()
    if segment is None:
        raise NotFound(gettext("产业链环节不存在"))
    return segment


def all_segments() -> list[tuple[int, int, str]]:
    """Public: (id, chain id, name) of every segment of every chain — the columns of the region × segment matrix."""
    return list(Segment.objects.order_by("chain_id", "position", "id").values_list("id", "chain_id", "name"))


def segment_lookup(codes: Iterable[tuple[str, str]]) -> dict[tuple[str, str], Segment]:
    """Public: segments by (chain code, segment code), for imports."""
    wanted = set(codes)
    chains = {c for c, _ in wanted}
    rows = Segment.objects.filter(chain__code__in=chains).select_related("chain")
    return {(s.chain.code, s.code): s for s in rows if (s.chain.code, s.code) in wanted}


# ---------------------------------------------------------------- the region × segment matrix (public aggregates)


def _weight():
    return Sum(
        Case(
            When(role=AttachmentRole.PRIMARY, then=Value(1.0)), default=Value(0.5), output_field=FloatField()
        )
    )


def _active_links() -> QuerySet[Attachment]:
    """Active links of approved organisations; the few organisations that are not approved are excluded by a
    subquery, so the aggregate reads the covering index without joining the organisations."""
    from xietong.orgs.models import Organisation

    held_back = Organisation.objects.exclude(status=OrgStatus.APPROVED).values(
        "pk"
    )  # tenancy-ok: ids only, to exclude
    return Attachment.objects.filter(status=AttachmentStatus.ACTIVE).exclude(
        organisation_id__in=held_back
    )  # tenancy-ok: aggregates of public active links, no row leaves this module


def link_cells() -> list[tuple[str, int, float]]:
    """Public: (region, segment, weighted number of active links of approved organisations) — one aggregate,
    shared by every zone's matrix (主营 1, 配套 0.5).

    All active links are summed off the covering index `attach_matrix_idx` alone (no table row is read), then
    the few links of organisations that are not approved are summed the same way and taken off (weights are
    halves, so the difference is exact)."""
    from xietong.orgs.models import Organisation

    active = Attachment.objects.filter(status=AttachmentStatus.ACTIVE)  # tenancy-ok: aggregates only
    held_back = Organisation.objects.filter(
        status__in=[s for s in OrgStatus.values if s != OrgStatus.APPROVED]
    ).values("pk")  # tenancy-ok: ids only, to take their links off
    cells = dict(((r, s), w) for r, s, w in _grouped(active))
    for region, segment, w in _grouped(active.filter(organisation_id__in=held_back)):
        left = cells.get((region, segment), 0.0) - w
        if left > 0:
            cells[(region, segment)] = left
        else:
            cells.pop((region, segment), None)
    return [(r, s, w) for (r, s), w in cells.items()]


def _grouped(qs: QuerySet[Attachment]) -> list[tuple[str, int, float]]:
    """(region, segment, weight) groups read straight off the cursor: tens of thousands of rows, without the
    ORM's per-row converters (a third of the time); the values are plain str, int and float already."""
    from django.db import connections

    sql, params = (
        qs.values_list("region_id", "segment_id").annotate(w=_weight()).order_by().query.sql_with_params()
    )
    with connections[qs.db].cursor() as cursor:
        cursor.execute(sql, params)
        return [(region, segment, float(w)) for region, segment, w in cursor.fetchall()]


def weighted_counts(
    member_codes: Sequence[str], cells: Iterable[tuple[str, int, float]] | None = None
) -> dict[tuple[str, int], float]:
    """Public: weighted number of active links (主营 1, 配套 0.5) of approved organisations, per zone member ×
    segment; an organisation counts for the member whose area contains its region. `cells`: `link_cells()`
    already read (the background refresh reads them once for every zone)."""
    member_of = _member_of(member_codes)
    out: dict[tuple[str, int], float] = defaultdict(float)
    for region, segment, w in link_cells() if cells is None else cells:
        member = member_of.get(region)
        if member is not None:
            out[(member, segment)] += w
    return dict(out)


def links_stamp() -> tuple:
    """Public: changes whenever a link, an organisation's approval or a chain's structure may have changed — the
    key under which a zone's matrix is cached. Each part reads an index only (a few milliseconds at 100,000
    links): the links' number (a deletion), last id (an insertion) and last change (any update); the number,
    id sum and last change of the organisations that are not approved (whose links do not count)."""
    from xietong.orgs.models import Organisation

    links = Attachment.objects.all()  # tenancy-ok: a count and two maxima
    held_back = Organisation.objects.filter(
        status__in=[s for s in OrgStatus.values if s != OrgStatus.APPROVED]
    ).aggregate(
        n=Count("id"), ids=Sum("id"), changed=Max("updated_at")
    )  # tenancy-ok: a count, a sum, a maximum
    return (
        links.count(),
        links.aggregate(last=Max("id"))["last"],
        links.aggregate(changed=Max("updated_at"))["changed"],
        held_back["n"],
        held_back["ids"],
        held_back["changed"],
        *structure_stamp(),
    )


def _member_of(member_codes: Sequence[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for member in member_codes:
        for code in region_selectors.region_descendant_codes(member):
            out.setdefault(code, member)
    return out


def measure_totals(
    *, actor: Actor, member_codes: Sequence[str], field: str, year: int
) -> dict[tuple[str, int], float]:
    """Sum of one yearly measure per member × segment, over the measures the actor may read."""
    assert field in ("revenue_fen", "employees", "output_fen")
    member_of = _member_of(member_codes)
    rows = (
        MeasurePolicy.visible_qs(actor)
        .filter(year=year, attachment__status=AttachmentStatus.ACTIVE)
        .values_list("attachment__region_id", "attachment__segment_id")
        .annotate(total=Sum(field))
        .order_by()
    )
    out: dict[tuple[str, int], float] = defaultdict(float)
    for region, segment, total in rows:
        member = member_of.get(region)
        if member is not None and total:
            out[(member, segment)] += float(total)
    return dict(out)


# ---------------------------------------------------------------- links


def attachment_list(
    *,
    actor: Actor,
    org_id: int | None = None,
    region_code: str = "",
    status: str = "",
    segment: Segment | None = None,
) -> QuerySet[Attachment]:
    qs = AttachmentPolicy.visible_qs(actor).select_related(
        "organisation", "segment", "segment__chain", "region"
    )
    if org_id is not None:
        qs = qs.filter(organisation_id=org_id)
    if region_code:
        qs = qs.filter(region_id__in=region_selectors.region_descendant_codes(region_code))
    if status:
        qs = qs.filter(status=status)
    if segment is not None:
        qs = qs.filter(segment=segment)
    return qs.order_by("-id")


def attachment_get(*, actor: Actor, pk: int) -> Attachment:
    qs = AttachmentPolicy.visible_qs(actor).select_related(
        "organisation", "segment", "segment__chain", "region"
    )
    return get_visible(qs, gettext("挂链记录不存在"), pk=pk)


def segment_organisations(
    *, actor: Actor, segment: Segment, member_codes: Sequence[str] = ()
) -> list[Attachment]:
    """Active links of a segment the actor sees, with the zone member each falls under (`member_code`)."""
    qs = (
        AttachmentPolicy.visible_qs(actor)
        .filter(segment=segment, status=AttachmentStatus.ACTIVE, organisation__status=OrgStatus.APPROVED)
        .select_related("organisation", "region")
        .order_by("region_id", "role", "organisation__name")
    )
    member_of = _member_of(member_codes) if member_codes else {}
    out = []
    for att in qs:
        att.member_code = member_of.get(att.region_id, "")
        out.append(att)
    return out


@dataclass(frozen=True)
class Candidate:
    """An active link of an approved organisation, as the partner ranking reads it (no model instances: a gap list
    at scale weighs thousands of them)."""

    pk: int
    organisation_id: int
    segment_id: int
    region_id: str
    role: str
    organisation_name: str
    region_name: str


def candidate_attachments(
    *, actor: Actor, segment_ids: Sequence[int], exclude_codes: frozenset[str]
) -> list[Candidate]:
    """Active links of approved organisations in these segments outside `exclude_codes` (a region's own area):
    the partner candidates for its gaps. Public rows (active links of approved organisations)."""
    rows = (
        AttachmentPolicy.visible_qs(actor)
        .filter(
            segment_id__in=list(segment_ids),
            status=AttachmentStatus.ACTIVE,
            organisation__status=OrgStatus.APPROVED,
        )
        .values_list("id", "organisation_id", "segment_id", "region_id", "role", "organisation__name", "region__name")
        .order_by("id")
    )  # fmt: skip
    return [Candidate(*row) for row in rows if row[3] not in exclude_codes]


def latest_measures(
    *, actor: Actor, attachment_ids: Sequence[int], segment_ids: Sequence[int] | None = None
) -> dict[int, AttachmentMeasure]:
    """The newest yearly measure of each link, among those the actor may read (others: absent). `segment_ids`:
    the links' segments, read instead of a long list of link ids (measures are few, candidates many)."""
    out: dict[int, AttachmentMeasure] = {}
    wanted = set(attachment_ids)
    rows = MeasurePolicy.visible_qs(actor)
    if segment_ids is None:
        rows = rows.filter(attachment_id__in=list(wanted))
    else:
        rows = rows.filter(attachment__segment_id__in=list(segment_ids))
    for m in rows.order_by("attachment_id", "-year"):
        if m.attachment_id in wanted:
            out.setdefault(m.attachment_id, m)
    return out


def measures_of(*, actor: Actor, attachment: Attachment) -> list[AttachmentMeasure]:
    return list(MeasurePolicy.visible_qs(actor).filter(attachment=attachment).order_by("-year"))


def organisation_attachments(*, actor: Actor, org_ids: Iterable[int]) -> QuerySet[Attachment]:
    return attachment_list(actor=actor).filter(organisation_id__in=list(org_ids))


# ---------------------------------------------------------------- cooperation with a region (aggregates)


def cooperation_counts(
    *, actor: Actor, org_ids: Sequence[int], region_codes: frozenset[str]
) -> dict[int, dict[str, int]]:
    """How often each candidate organisation has already worked with organisations of a region: technology
    contracts (either side), service orders (either side) and voucher redemptions (as provider). Counts
    only; the records stay with their apps. `actor` reads the counts for a gap list it may see. A counter is
    `(org_ids, region_codes) -> [(org_id, kind, n)]`; it may answer for more organisations than asked (the
    built-in ones select by the region only, a short list, rather than by thousands of candidate ids)."""
    out: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    ids, codes = list(org_ids), list(region_codes)
    if not ids or not actor.is_authenticated:
        return {}
    wanted = set(ids)
    for counter in COOPERATION_COUNTERS:
        for org_id, kind, n in counter(ids, codes):
            if org_id in wanted:
                out[org_id][kind] += n
    return {k: dict(v) for k, v in out.items()}


def _contracts(ids, codes):
    from xietong.transfer.models import Contract

    sold = (
        Contract.objects.filter(buyer_region_id__in=codes)
        .values_list("seller_org_id")
        .annotate(n=Count("id"))
        .order_by()
    )  # tenancy-ok: counts per partner organisation only
    bought = (
        Contract.objects.filter(seller_region_id__in=codes)
        .values_list("buyer_org_id")
        .annotate(n=Count("id"))
        .order_by()
    )  # tenancy-ok: counts per partner organisation only
    return [(o, "contracts", n) for o, n in [*sold, *bought]]


def _orders(ids, codes):
    from xietong.resources.models import ServiceOrder

    provided = (
        ServiceOrder.objects.filter(customer__region_id__in=codes)
        .values_list("provider_id")
        .annotate(n=Count("id"))
        .order_by()
    )  # tenancy-ok: counts per partner organisation only
    bought = (
        ServiceOrder.objects.filter(provider__region_id__in=codes)
        .values_list("customer_id")
        .annotate(n=Count("id"))
        .order_by()
    )  # tenancy-ok: counts per partner organisation only
    return [(o, "orders", n) for o, n in [*provided, *bought]]


def _redemptions(ids, codes):
    from xietong.vouchers.models import Redemption

    rows = (
        Redemption.objects.filter(enterprise__region_id__in=codes)
        .values_list("provider_id")
        .annotate(n=Count("id"))
        .order_by()
    )  # tenancy-ok: counts per partner organisation only
    return [(o, "redemptions", n) for o, n in rows]


# Extension point: another app (talent's part-time appointments) appends a counter
# `(org_ids, region_codes) -> [(org_id, kind, n)]` in its AppConfig.ready().
COOPERATION_COUNTERS = [_contracts, _orders, _redemptions]
COOPERATION_LABELS = {  # msgids: the recommendation's reason shows them in the reader's language
    "contracts": gettext_noop("技术合同"),
    "orders": gettext_noop("服务订单"),
    "redemptions": gettext_noop("创新券兑付"),
    "appointments": gettext_noop("人才兼职"),
}


# ---------------------------------------------------------------- thresholds and roadmaps (public)


def thresholds_for(zone) -> GapThresholds:
    """Public: the zone's thresholds, or an unsaved row with the documented defaults."""
    found = GapThresholds.objects.filter(zone=zone).first()  # tenancy-ok: thresholds are public
    return found or GapThresholds(zone=zone)


def milestone_list(*, chain: Chain, zone=None) -> QuerySet[Milestone]:
    """Public: the chain's roadmap (in one zone, or everywhere), by year."""
    qs = (
        Milestone.objects.filter(chain=chain)
        .select_related("zone", "segment")
        .prefetch_related("responsible")
    )  # tenancy-ok: roadmaps are public
    if zone is not None:
        qs = qs.filter(zone=zone)
    return qs.order_by("year", "id")


def milestone_get(*, actor: Actor, pk: int) -> Milestone:
    from xietong.chains.policies import MilestonePolicy

    return get_visible(
        MilestonePolicy.visible_qs(actor).select_related("zone", "chain"), gettext("里程碑不存在"), pk=pk
    )


def platform_counts() -> dict[int, float]:
    """Public: weighted number of active links of approved organisations per segment, platform-wide."""
    rows = _active_links().values_list("segment_id").annotate(w=_weight()).order_by()
    return {segment: w for segment, w in rows}


def segments_by_ids(ids: Sequence[int]) -> list[Segment]:
    """Public: segments by id."""
    return list(Segment.objects.filter(pk__in=list(ids)))


def listings_by_ids(*, actor: Actor, kind: str, ids: Iterable[int]) -> dict:
    """Achievements or demands the actor may see, by id (the hits of a match-index search)."""
    from xietong.transfer.policies import POLICIES_BY_KIND

    qs = POLICIES_BY_KIND[kind].visible_qs(actor).filter(pk__in=list(ids)).select_related("owner", "region")
    return {listing.pk: listing for listing in qs}


def structure_stamp() -> tuple[int, int, int]:
    """Public: changes whenever any chain's structure changes (sum of versions, number and last id of segments)."""
    totals = Segment.objects.aggregate(v=Sum("chain__version"), n=Count("id"), last=Max("id"))
    return (totals["v"] or 0, totals["n"] or 0, totals["last"] or 0)


def segments_for_index() -> list[Segment]:
    """Public: every segment with its chain, for the suggestion index."""
    return list(Segment.objects.select_related("chain").order_by("id"))


def chain_exists(*, code: str) -> bool:
    """Public: whether a chain with this code exists."""
    return Chain.objects.filter(code=code).exists()


def segment_by_id(*, segment_id: int) -> Segment:
    """Public: one segment by id (any chain)."""
    from xietong.core.ids import is_valid_id

    segment = (
        Segment.objects.filter(pk=segment_id).select_related("chain").first()
        if is_valid_id(segment_id)
        else None
    )
    if segment is None:
        raise NotFound(gettext("产业链环节不存在"))
    return segment


def attached_segment_codes(*, chain: Chain) -> set[str]:
    """Public: codes of the chain's segments that have any link (whatever its status)."""
    return set(
        Attachment.objects.filter(segment__chain=chain).values_list("segment__code", flat=True).distinct()
    )  # tenancy-ok: segment codes only, no organisation shown


def attached_segment_ids(*, actor: Actor, org_id: int) -> set[int]:
    """Segments the organisation is linked to in any status (suggestions included), as the actor sees them."""
    return set(
        AttachmentPolicy.visible_qs(actor).filter(organisation_id=org_id).values_list("segment_id", flat=True)
    )


def organisations_by_credit_code(*, actor: Actor, codes: set[str]) -> dict:
    """Organisations the actor may see, by unified social credit code (imports)."""
    from xietong.orgs.policies import OrganisationPolicy

    return {o.credit_code: o for o in OrganisationPolicy.visible_qs(actor).filter(credit_code__in=codes)}


def link_rows_by_year() -> tuple[list[tuple[str, int, int, float]], int | None]:
    """Public: (region, segment, year made, weighted count) of active links of approved organisations, and the
    first year any link was made (aggregates for the platform indicators)."""
    qs = Attachment.objects.filter(
        status=AttachmentStatus.ACTIVE, organisation__status=OrgStatus.APPROVED
    )  # tenancy-ok: aggregate counts, no row leaves the indicators
    first = qs.order_by("created_at").values_list("created_at__year", flat=True).first()
    rows = (
        qs.values_list("region_id", "segment_id", "created_at__year", "role")
        .annotate(n=Count("id"))
        .order_by()
    )
    return [(r, s, y, ROLE_WEIGHTS[role] * n) for r, s, y, role, n in rows], first


def default_scope(*, actor: Actor) -> tuple[str, str]:
    """(zone code, region code) a page opens on: the actor's zone office, else the zone holding its bureau's
    region (and that region), else the zone holding its organisation's region (a 嘉兴 firm opens on 长三角 and
    its city, not on another cluster), else 成渝 (the seeds' 产业链全景图 example)."""
    from xietong.regions.models import Zone

    if actor.zone_ids:
        zone = Zone.objects.filter(pk__in=actor.zone_ids).order_by("id").first()
        if zone is not None:
            return zone.code, ""
    for code in sorted(actor.bureau_region_codes, key=len):
        zones = region_selectors.zones_for_region(code)
        if zones:
            return zones[0].code, code
    for org in own_organisation_choices(actor=actor):
        zones = region_selectors.zones_for_region(org.region_id)
        if zones:
            return zones[0].code, org.region_id
    return "chengyu", ""


def own_organisation_choices(*, actor: Actor) -> list:
    """The organisations the actor declares links for (its own, verified or not) — the page's choice list."""
    from xietong.orgs import selectors as org_selectors

    return org_selectors.own_organisations(actor=actor)


def bureau_queue(*, actor: Actor) -> QuerySet[Attachment]:
    """Suggested links waiting in the regions the actor governs."""
    if not actor.bureau_region_codes and not actor.is_platform_admin:
        return Attachment.objects.none()
    qs = AttachmentPolicy.visible_qs(actor).filter(status=AttachmentStatus.PENDING)
    if not actor.is_platform_admin:
        qs = qs.filter(region_id__in=actor.bureau_region_codes)
    return qs.select_related("organisation", "segment", "segment__chain", "region").order_by("-id")


def organisations_without_links(*, limit: int) -> list[int]:
    """Public: ids of approved organisations with no link at all (for the suggestion command)."""
    from xietong.orgs.models import Organisation

    return list(
        Organisation.objects.filter(status=OrgStatus.APPROVED, chain_attachments__isnull=True)
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )  # tenancy-ok: ids of approved (public) organisations for an operator's batch


def zone_member_codes(zone) -> tuple[str, ...]:
    """Public: the zone's member region codes, in code order (one light query)."""
    from xietong.regions.models import ZoneMember

    return tuple(
        ZoneMember.objects.filter(zone_id=zone.pk).order_by("region_id").values_list("region_id", flat=True)
    )
