"""Actor-scoped reads of the marketplace: listings, contacts, intents, contracts, flows, metrics."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Sum, Value, When
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _

from xietong.core.actor import Actor
from xietong.core.errors import Forbidden, Invalid
from xietong.core.policies import get_visible
from xietong.orgs.masking import mask_email, mask_name, mask_phone
from xietong.regions import selectors as region_selectors
from xietong.regions.models import Region, Zone
from xietong.transfer import search
from xietong.transfer.enums import Feedback, ListingKind, ListingStatus
from xietong.transfer.models import AcceptanceList, Achievement, Contract, Demand, Intent, Recommendation
from xietong.transfer.policies import (
    AcceptanceListPolicy,
    AchievementPolicy,
    ContractPolicy,
    DemandPolicy,
    IntentPolicy,
    RecommendationPolicy,
)

MAX_TEXT_HITS = 500
POLICIES = {ListingKind.ACHIEVEMENT: AchievementPolicy, ListingKind.DEMAND: DemandPolicy}
MODELS = {ListingKind.ACHIEVEMENT: Achievement, ListingKind.DEMAND: Demand}
NOT_FOUND = {
    ListingKind.ACHIEVEMENT: "科技成果不存在或您无权查看",
    ListingKind.DEMAND: "技术需求不存在或您无权查看",
}


@dataclass(frozen=True)
class ListingFilters:
    q: str = ""
    industry: str = ""
    region: str = ""
    zone: str = ""
    mode: str = ""
    trl_min: int | None = None
    mine: bool = False
    status: str = ""


def _region_codes(filters: ListingFilters) -> frozenset[str] | None:
    codes = None
    if filters.region:
        codes = region_selectors.region_descendant_codes(filters.region)
    if filters.zone:
        zone_codes = region_selectors.zone_region_codes(
            region_selectors.zone_get(zone_id_or_code=filters.zone)
        )
        codes = zone_codes if codes is None else codes & zone_codes
    return codes


def listing_list(*, actor: Actor, kind: str, filters: ListingFilters) -> QuerySet:
    """Visible listings of one kind narrowed by filters; with text, ranked by the match index."""
    qs = POLICIES[kind].visible_qs(actor).select_related("owner", "region", "region__parent")
    qs = qs.filter(status=filters.status or ListingStatus.PUBLISHED)
    if filters.industry:
        qs = qs.filter(industry=filters.industry)
    codes = _region_codes(filters)
    if codes is not None:
        qs = qs.filter(region_id__in=codes)
    if filters.mode:
        qs = qs.filter(transfer_modes__contains=f",{filters.mode},")
    if filters.trl_min:
        field = "trl__gte" if kind == ListingKind.ACHIEVEMENT else "trl_min__gte"
        qs = qs.filter(**{field: filters.trl_min})
    if filters.mine:
        qs = qs.filter(owner_id__in=actor.organisation_ids)
    text = filters.q.strip()
    if not text:
        return qs.order_by("-id")
    hits = search.search(kind, text, k=MAX_TEXT_HITS)
    if hits is None:  # the index could not answer: a plain database search
        where = Q(title__contains=text) | Q(keywords__icontains=text)
        where |= Q(summary__contains=text) if kind == ListingKind.ACHIEVEMENT else Q(problem__contains=text)
        return qs.filter(where).order_by("-id")
    ids = [int(h.id) for h in hits]
    rank = Case(*(When(pk=pk, then=Value(i)) for i, pk in enumerate(ids)), output_field=IntegerField())
    return qs.filter(pk__in=ids).annotate(text_rank=rank).order_by("text_rank")


def listing_get(*, actor: Actor, kind: str, pk: int):
    qs = POLICIES[kind].visible_qs(actor).select_related("owner", "region", "region__parent")
    return get_visible(qs, NOT_FOUND[kind], pk=pk)


def _accepted_intent_org_ids(listing) -> frozenset[int]:
    field = "achievement" if isinstance(listing, Achievement) else "demand"
    rows = Intent.objects.filter(IntentPolicy.accepted(), **{field: listing}).values_list(
        "from_org_id", flat=True
    )
    return frozenset(rows)


def may_see_contact(*, actor: Actor, listing) -> bool:
    policy = AchievementPolicy if isinstance(listing, Achievement) else DemandPolicy
    if policy.can(actor, "view_contact", listing):
        return True
    return bool(actor.organisation_ids) and bool(actor.organisation_ids & _accepted_intent_org_ids(listing))


def listing_contact(*, actor: Actor, listing) -> dict:
    """The listing's contact: in clear for the owner, the governing bureau and accepted counterparts."""
    if may_see_contact(actor=actor, listing=listing):
        return {
            "name": listing.contact_name,
            "phone": listing.contact_phone,
            "email": listing.contact_email,
            "masked": False,
        }
    return {
        "name": mask_name(listing.contact_name),
        "phone": mask_phone(listing.contact_phone) if listing.contact_phone else "",
        "email": mask_email(listing.contact_email) if listing.contact_email else "",
        "masked": True,
    }


# ---------------------------------------------------------------- acceptance lists


def acceptance_list_list(*, actor: Actor, region: str = "") -> QuerySet[AcceptanceList]:
    qs = AcceptanceListPolicy.visible_qs(actor).filter(status=ListingStatus.PUBLISHED)
    if region:
        qs = qs.filter(region_id__in=region_selectors.region_descendant_codes(region))
    return qs.select_related("region", "region__parent", "publisher").order_by("-id")


def acceptance_list_get(*, actor: Actor, pk: int) -> AcceptanceList:
    qs = AcceptanceListPolicy.visible_qs(actor).select_related("region", "region__parent", "publisher")
    return get_visible(qs, _("承接清单不存在或您无权查看"), pk=pk)


# ---------------------------------------------------------------- intents


def intent_list(*, actor: Actor, box: str = "") -> QuerySet[Intent]:
    """Intents the actor may see; box "sent" / "received" narrows to the actor's organisations' side."""
    qs = IntentPolicy.visible_qs(actor)
    if box == "sent":
        qs = qs.filter(from_org_id__in=actor.organisation_ids)
    elif box == "received":
        qs = qs.filter(to_org_id__in=actor.organisation_ids)
    return qs.select_related("from_org", "to_org", "achievement", "demand", "created_by").order_by("-id")


def intent_contacts(*, actor: Actor, intent: Intent) -> dict | None:
    """Both parties' contacts once the intent is accepted, for those two parties only (None otherwise).

    The publisher's side is the listing's contact; the maker's side is the maker's organisation contact,
    falling back to the person who sent the intent.
    """
    if not IntentPolicy.can(actor, "view_contacts", intent):
        return None
    listing, maker, sender = intent.target, intent.from_org, intent.created_by
    return {
        "publisher": {
            "name": listing.contact_name or intent.to_org.contact_name,
            "phone": listing.contact_phone or intent.to_org.contact_phone,
            "email": listing.contact_email or intent.to_org.contact_email,
        },
        "maker": {
            "name": maker.contact_name or (sender.get_full_name() or sender.get_username() if sender else ""),
            "phone": maker.contact_phone,
            "email": maker.contact_email or (sender.email if sender else ""),
        },
    }


def with_contacts(*, actor: Actor, intents) -> list[Intent]:
    """The intents with `contacts` set on each (see `intent_contacts`); no query beyond the list's own."""
    rows = list(intents)
    for intent in rows:
        intent.contacts = intent_contacts(actor=actor, intent=intent)
    return rows


def intent_get(*, actor: Actor, pk: int) -> Intent:
    return get_visible(intent_list(actor=actor), _("合作意向不存在或您无权查看"), pk=pk)


def intents_on(*, actor: Actor, listing) -> list[Intent]:
    field = "achievement" if isinstance(listing, Achievement) else "demand"
    return list(intent_list(actor=actor).filter(**{field: listing}))


# ---------------------------------------------------------------- contracts and flows


@dataclass(frozen=True)
class ContractFilters:
    year_from: int | None = None
    year_to: int | None = None
    kind: str = ""
    region: str = ""  # either party in this region (and below)
    zone: str = ""  # either party in this zone
    q: str = ""


def contract_list(*, actor: Actor, filters: ContractFilters) -> QuerySet[Contract]:
    qs = ContractPolicy.visible_qs(actor)
    if filters.year_from:
        qs = qs.filter(signed_on__gte=dt.date(filters.year_from, 1, 1))
    if filters.year_to:
        qs = qs.filter(signed_on__lte=dt.date(filters.year_to, 12, 31))
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    for value, resolve in (
        (filters.region, region_selectors.region_descendant_codes),
        (filters.zone, _zone_codes),
    ):
        if value:
            codes = resolve(value)
            qs = qs.filter(Q(seller_region_id__in=codes) | Q(buyer_region_id__in=codes))
    if filters.q.strip():
        text = filters.q.strip()
        qs = qs.filter(
            Q(title__contains=text) | Q(seller_name__contains=text) | Q(buyer_name__contains=text)
            | Q(registration_no=text)
        )  # fmt: skip
    return qs.select_related("seller_region", "buyer_region").order_by("-signed_on", "-id")


def _zone_codes(code: str) -> frozenset[str]:
    return region_selectors.zone_region_codes(region_selectors.zone_get(zone_id_or_code=code))


def _province(code: str) -> str:
    return code[:2] + "0000"


@dataclass(frozen=True)
class FlowEdge:
    source: str
    target: str
    source_name: str
    target_name: str
    contracts: int
    amount_fen: int
    tech_amount_fen: int


@dataclass(frozen=True)
class Flows:
    level: str
    edges: list[FlowEdge]
    years: list[int]
    series: dict[str, list[int]]  # 输出 / 吸纳 / 区域内 per year, in 分
    total_fen: int
    total_tech_fen: int
    contracts: int


def _zone_of_province() -> dict[str, str]:
    """Province (or member) code → the short name of the first zone covering it."""
    out: dict[str, str] = {}
    for zone in Zone.objects.order_by("id").prefetch_related("memberships"):
        for member in zone.memberships.all():
            out.setdefault(_province(member.region_id), zone.short_name)
    return out


def contract_flows(*, actor: Actor, filters: ContractFilters, level: str = "province") -> Flows:
    """Sums of contract amounts between provinces (or zones), exact in 分, and a yearly series.

    The series is relative to `filters.region` when given: 输出 = its sellers' contracts, 吸纳 = its
    buyers'; otherwise 跨地区 vs 地区内 (seller and buyer in the same province).
    """
    if level not in ("province", "zone"):
        raise Invalid(_("层级应为 province 或 zone"), field="level")
    qs = contract_list(actor=actor, filters=filters).order_by()
    rows = list(
        qs.values("seller_region_id", "buyer_region_id")
        .annotate(
            year=ExtractYear("signed_on"),
            n=Count("id"),
            amount=Sum("amount_fen"),
            tech=Sum("tech_amount_fen"),
        )
        .order_by()
    )
    names = dict(Region.objects.filter(level="province").values_list("code", "short_name"))
    zone_of = _zone_of_province() if level == "zone" else {}

    def node(code: str) -> tuple[str, str]:
        province = _province(code)
        if level == "zone":
            name = zone_of.get(province, "区外")
            return name, name
        return province, names.get(province, province)

    edges: dict[tuple[str, str], list] = {}
    series: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    region_codes = region_selectors.region_descendant_codes(filters.region) if filters.region else None
    for r in rows:
        (s, s_name), (t, t_name) = node(r["seller_region_id"]), node(r["buyer_region_id"])
        edge = edges.setdefault((s, t), [s_name, t_name, 0, 0, 0])
        edge[2] += r["n"]
        edge[3] += r["amount"]
        edge[4] += r["tech"]
        year = int(r["year"])
        if region_codes is not None:
            if r["seller_region_id"] in region_codes:
                series["输出"][year] += r["amount"]
            if r["buyer_region_id"] in region_codes:
                series["吸纳"][year] += r["amount"]
        else:
            same = _province(r["seller_region_id"]) == _province(r["buyer_region_id"])
            series["地区内" if same else "跨地区"][year] += r["amount"]
    years = sorted({int(r["year"]) for r in rows})
    out_edges = sorted(
        (FlowEdge(s, t, v[0], v[1], v[2], v[3], v[4]) for (s, t), v in edges.items()),
        key=lambda e: (-e.amount_fen, e.source, e.target),
    )
    return Flows(
        level=level,
        edges=out_edges,
        years=years,
        series={name: [by_year.get(y, 0) for y in years] for name, by_year in sorted(series.items())},
        total_fen=sum(e.amount_fen for e in out_edges),
        total_tech_fen=sum(e.tech_amount_fen for e in out_edges),
        contracts=sum(e.contracts for e in out_edges),
    )


def sankey_data(flows: Flows) -> dict:
    """Pure: ECharts sankey nodes and links; sources are suffixed 输出 and targets 吸纳 so no cycle forms."""
    links = [
        {"source": f"{e.source_name}·输出", "target": f"{e.target_name}·吸纳", "value": e.amount_fen / 100}
        for e in flows.edges
    ]
    nodes = sorted({link["source"] for link in links} | {link["target"] for link in links})
    return {"nodes": [{"name": n} for n in nodes], "links": links}


# ---------------------------------------------------------------- recommendations and metrics


def recommendations_shown(*, actor: Actor, query_kind: str, query_id: int, hit_kind: str) -> dict:
    """The actor's own recommendation rows for one query, by hit id (to record what was shown once)."""
    rows = RecommendationPolicy.visible_qs(actor).filter(
        user_id=actor.user_id, query_kind=query_kind, query_id=query_id, hit_kind=hit_kind
    )
    return {r.hit_id: r for r in rows}


def recommendation_get(*, actor: Actor, pk: int) -> Recommendation:
    qs = RecommendationPolicy.visible_qs(actor).filter(user_id=actor.user_id)
    return get_visible(qs, _("推荐记录不存在"), pk=pk)


def acceptance_default_region(*, actor: Actor) -> str:
    """The region an acceptance list form starts with: the bureau's own top region (a province before a city)."""
    return min(actor.bureau_region_codes, key=lambda c: (c[2:] != "0000", c), default="")


def online_metrics(*, actor: Actor, max_rank: int = 10) -> list[dict]:
    """Per rank: shown, clicked, useful, irrelevant, contacted and the rates (operators only)."""
    if not RecommendationPolicy.can(actor, "metrics"):
        raise Forbidden(_("推荐效果指标仅对平台运营人员开放"))
    qs = Recommendation.objects.filter(rank__lte=max_rank)
    rows = (
        qs.values("rank")
        .annotate(
            shown=Count("id"),
            clicked=Count("id", filter=Q(clicked_at__isnull=False)),
            useful=Count("id", filter=Q(feedback=Feedback.USEFUL)),
            irrelevant=Count("id", filter=Q(feedback=Feedback.IRRELEVANT)),
            contacted=Count("id", filter=Q(feedback=Feedback.CONTACTED)),
        )
        .order_by("rank")
    )
    out = []
    for r in rows:
        shown = r["shown"] or 1
        out.append(
            {
                **r,
                "click_rate": r["clicked"] / shown,
                "useful_rate": r["useful"] / shown,
                "contact_rate": r["contacted"] / shown,
                "irrelevant_rate": r["irrelevant"] / shown,
            }
        )
    return out
