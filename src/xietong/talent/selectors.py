"""Every actor-scoped read of the talent app (profiles with masked contacts, experts, schemes, rounds)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext

from xietong.core import clock
from xietong.core.actor import Actor
from xietong.core.policies import get_visible
from xietong.regions import selectors as region_selectors
from xietong.talent import errors
from xietong.talent.contacts import contacts_for
from xietong.talent.enums import AppointmentStatus, ExpertStatus, SeatStatus
from xietong.talent.models import (
    Agreement,
    AgreementVersion,
    Appointment,
    CardHolding,
    ExpertEntry,
    ReviewItem,
    ReviewRound,
    ReviewSeat,
    Scheme,
    SchemeService,
    SchemeTier,
    TalentProfile,
    VersionGrant,
    ZoneSharing,
)
from xietong.talent.policies import (
    AgreementPolicy,
    AppointmentPolicy,
    ExpertPolicy,
    ReviewItemPolicy,
    ReviewRoundPolicy,
    ReviewSeatPolicy,
    SchemePolicy,
    TalentProfilePolicy,
    ZoneSharingPolicy,
    contact_visible_ids,
)

# ---------------------------------------------------------------- profiles


def profile_list(
    *,
    actor: Actor,
    q: str = "",
    region: str = "",
    discipline: str = "",
    title_rank: str = "",
    tier: str = "",
) -> QuerySet[TalentProfile]:
    qs = TalentProfilePolicy.visible_qs(actor).select_related("organisation", "region")
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(expertise__icontains=q) | Q(organisation__name__icontains=q))
    if region:
        qs = qs.filter(region_id__in=region_selectors.region_descendant_codes(region) or {region})
    if discipline:
        qs = qs.filter(discipline=discipline)
    if title_rank:
        qs = qs.filter(title_rank=title_rank)
    if tier:
        qs = qs.filter(tier=tier)
    return qs.order_by("id")


def profile_get(*, actor: Actor, profile_id: int) -> TalentProfile:
    qs = TalentProfilePolicy.visible_qs(actor).select_related("organisation", "region", "user")
    return get_visible(qs, errors.ProfileNotFound.default_message, pk=profile_id)


def profiles_named(
    *, actor: Actor, name: str, organisation: str = "", limit: int = 20
) -> list[TalentProfile]:
    """Visible profiles called exactly `name`, narrowed by the organisation's name or credit code (the CLI's lookup)."""
    qs = TalentProfilePolicy.visible_qs(actor).select_related("organisation").filter(name=name.strip())
    if organisation.strip():
        org = organisation.strip()
        qs = qs.filter(Q(organisation__name=org) | Q(organisation__credit_code=org.upper()))
    return list(qs.order_by("id")[:limit])


def organisations_by_credit_code(*, actor: Actor, codes) -> dict:
    """Visible organisations by credit code (an import's lookup)."""
    from xietong.orgs.policies import OrganisationPolicy

    return {o.credit_code: o for o in OrganisationPolicy.visible_qs(actor).filter(credit_code__in=set(codes))}


def profile_by_name(*, actor: Actor, name: str, credit_code: str) -> TalentProfile | None:
    """The one visible profile with this name at the organisation with this credit code (None if not one)."""
    rows = list(
        TalentProfilePolicy.visible_qs(actor).filter(name=name, organisation__credit_code=credit_code)[:2]
    )
    return rows[0] if len(rows) == 1 else None


def with_contacts(*, actor: Actor, profiles) -> list[tuple[TalentProfile, dict]]:
    """Each profile beside the contacts this actor sees (masked unless the policy names the actor)."""
    profiles = list(profiles)
    shown = contact_visible_ids(actor, profiles)
    return [(p, contacts_for(p, visible=p.pk in shown)) for p in profiles]


@dataclass(frozen=True)
class ProfileDetail:
    profile: TalentProfile
    contacts: dict
    expert: ExpertEntry | None
    cards: list[CardHolding]
    appointments: list[Appointment]
    achievements: list
    reviews: list[ReviewSeat]


def profile_detail(*, actor: Actor, profile_id: int) -> ProfileDetail:
    profile = profile_get(actor=actor, profile_id=profile_id)
    [(_, contacts)] = with_contacts(actor=actor, profiles=[profile])
    expert = ExpertPolicy.visible_qs(actor).filter(profile=profile).first()
    cards = list(profile.cards.select_related("tier__scheme__region"))
    appointments = list(
        AppointmentPolicy.visible_qs(actor)
        .filter(profile=profile, status=AppointmentStatus.ACTIVE)
        .select_related("host_org__region", "home_org")
    )
    reviews = list(
        ReviewSeatPolicy.visible_qs(actor)
        .filter(expert__profile=profile)
        .exclude(status=SeatStatus.DECLINED)
        .select_related("item__round")
        .order_by("-id")[:20]
    )
    return ProfileDetail(
        profile=profile,
        contacts=contacts,
        expert=expert,
        cards=cards,
        appointments=appointments,
        achievements=list(profile.achievements.filter(status="published")[:20]),
        reviews=reviews,
    )


# ---------------------------------------------------------------- experts


def expert_list(
    *,
    actor: Actor,
    region: str = "",
    zone: str = "",
    title_rank: str = "",
    discipline: str = "",
    available_only: bool = False,
) -> QuerySet[ExpertEntry]:
    qs = ExpertPolicy.visible_qs(actor).select_related("profile__organisation", "region")
    if region:
        qs = qs.filter(profile__region_id__in=region_selectors.region_descendant_codes(region) or {region})
    if zone:
        z = region_selectors.zone_get(zone_id_or_code=zone)
        qs = qs.filter(profile__region_id__in=region_selectors.zone_region_codes(z))
    if title_rank:
        qs = qs.filter(profile__title_rank=title_rank)
    if discipline:
        qs = qs.filter(profile__discipline=discipline)
    if available_only:
        today = clock.today()
        qs = qs.filter(
            status=ExpertStatus.ACTIVE, is_available=True, term_start__lte=today, term_end__gte=today
        )
    return qs.order_by("id")


def expert_get(*, actor: Actor, expert_id: int) -> ExpertEntry:
    qs = ExpertPolicy.visible_qs(actor).select_related("profile__organisation", "region")
    return get_visible(qs, errors.ExpertNotFound.default_message, pk=expert_id)


def experts_by_ids(*, actor: Actor, ids) -> dict[int, ExpertEntry]:
    qs = ExpertPolicy.visible_qs(actor).filter(pk__in=list(ids)).select_related("profile__organisation")
    return {e.pk: e for e in qs}


def zone_sharing_list(*, actor: Actor) -> list[tuple]:
    """Every zone with its sharing setting (False when never set)."""
    settings = {s.zone_id: s.shares_experts for s in ZoneSharingPolicy.visible_qs(actor)}
    return [(z, settings.get(z.pk, False)) for z in region_selectors.zone_list()]


# ---------------------------------------------------------------- schemes and agreements


_SCHEME_PARTS = (
    Prefetch("tiers", queryset=SchemeTier.objects.order_by("rank"), to_attr="tier_list"),
    Prefetch("services", queryset=SchemeService.objects.order_by("id"), to_attr="service_list"),
)


def scheme_list(*, actor: Actor) -> QuerySet[Scheme]:
    return (
        SchemePolicy.visible_qs(actor)
        .select_related("region")
        .prefetch_related(*_SCHEME_PARTS)
        .order_by("id")
    )


def scheme_get(*, actor: Actor, scheme_id: int) -> Scheme:
    qs = SchemePolicy.visible_qs(actor).select_related("region").prefetch_related(*_SCHEME_PARTS)
    return get_visible(qs, errors.SchemeNotFound.default_message, pk=scheme_id)


def issuable_schemes(*, actor: Actor) -> list[Scheme]:
    """The schemes whose cards this actor may issue (SchemePolicy "issue_card"), with their tiers."""
    if not SchemePolicy.can(actor, "issue_any"):
        return []
    return [s for s in scheme_list(actor=actor) if SchemePolicy.can(actor, "issue_card", s)]


def tier_get(*, actor: Actor, scheme: Scheme, code: str) -> SchemeTier:
    tier = next((t for t in scheme.tier_list if t.code == code), None)
    if tier is None:
        raise errors.TalentInvalid(
            gettext("%(name)s 没有 %(code)s 这一等级") % {"name": scheme.name, "code": code}, field="tier"
        )
    return tier


def agreement_list(*, actor: Actor, scheme_id: int | None = None) -> QuerySet[Agreement]:
    qs = AgreementPolicy.visible_qs(actor).select_related("scheme__region", "host_region")
    if scheme_id:
        qs = qs.filter(scheme_id=scheme_id)
    versions = AgreementVersion.objects.prefetch_related(
        Prefetch("grants", queryset=VersionGrant.objects.order_by("id"), to_attr="grant_list")
    ).order_by("effective_from")
    tiers = Prefetch("scheme__tiers", queryset=SchemeTier.objects.order_by("rank"), to_attr="tier_list")
    return qs.prefetch_related(
        Prefetch("versions", queryset=versions, to_attr="version_list"), tiers
    ).order_by("id")


def scheme_by_name(*, actor: Actor, name: str) -> Scheme | None:
    return SchemePolicy.visible_qs(actor).filter(name=name).first()


def agreement_for(*, actor: Actor, scheme_id: int, host_region: str) -> Agreement | None:
    return AgreementPolicy.visible_qs(actor).filter(scheme_id=scheme_id, host_region_id=host_region).first()


def agreement_get(*, actor: Actor, agreement_id: int) -> Agreement:
    qs = AgreementPolicy.visible_qs(actor).select_related("scheme__region", "host_region")
    return get_visible(qs, errors.AgreementNotFound.default_message, pk=agreement_id)


# ---------------------------------------------------------------- recognition


@dataclass(frozen=True)
class Benefit:
    service: str
    basis: str  # the scheme (home) or the agreement that grants it
    article: str
    version: int | None = None
    effective_from: date | None = None


@dataclass(frozen=True)
class RecognitionAnswer:
    scheme: Scheme
    tier: SchemeTier
    region_code: str
    region_name: str
    on: date
    benefits: list[Benefit]
    at_home: bool

    @property
    def question(self) -> str:
        return gettext("持%(scheme)s %(tier)s在%(region)s可享受哪些服务") % {
            "scheme": self.scheme.name, "tier": self.tier.name, "region": self.region_name}  # fmt: skip


def _in_force(on: date) -> Q:
    return Q(effective_from__lte=on) & (Q(effective_to__isnull=True) | Q(effective_to__gte=on))


def recognition_query(
    *, actor: Actor, scheme: Scheme, tier: SchemeTier, region_code: str, on: date | None = None
) -> RecognitionAnswer:
    """What a holder of `tier` is served in `region_code` on `on` (today by default): at home the scheme's own
    services, elsewhere the services of the agreement version in force there on that date, each with its article."""
    on = on or clock.today()
    region = region_selectors.region_get(region_code)
    covering = {region.code, *region_selectors.region_ancestor_codes(region.code)}
    at_home = scheme.region_id in covering
    benefits: list[Benefit] = []
    if at_home:
        benefits += [
            Benefit(service=s.name, basis=scheme.name, article=s.article or gettext("本制度"))
            for s in scheme.service_list
            if tier.rank <= s.max_rank
        ]
    versions = (
        AgreementVersion.objects.filter(
            _in_force(on), agreement__scheme=scheme, agreement__host_region_id__in=covering
        )
        .filter(agreement__in=AgreementPolicy.visible_qs(actor))
        .select_related("agreement")
        .prefetch_related(
            Prefetch("grants", queryset=VersionGrant.objects.order_by("id"), to_attr="grant_list")
        )
    )
    for version in versions:
        if tier.rank > version.max_rank:
            continue
        benefits += [
            Benefit(
                service=g.service,
                basis=version.agreement.title,
                article=g.article,
                version=version.number,
                effective_from=version.effective_from,
            )
            for g in version.grant_list
        ]
    return RecognitionAnswer(
        scheme=scheme, tier=tier, region_code=region.code, region_name=region.name, on=on, benefits=benefits,
        at_home=at_home,
    )  # fmt: skip


def holder_benefits(
    *, actor: Actor, profile: TalentProfile, on: date | None = None
) -> list[RecognitionAnswer]:
    """For each card the person holds: what it gives at home and in every region with an agreement, today."""
    on = on or clock.today()
    answers = []
    for card in profile.cards.select_related("tier__scheme"):
        if card.expires_on and card.expires_on < on:
            continue
        scheme = SchemePolicy.visible_qs(actor).prefetch_related(*_SCHEME_PARTS).get(pk=card.tier.scheme_id)
        regions = [scheme.region_id]
        regions += list(
            AgreementPolicy.visible_qs(actor)
            .filter(scheme=scheme)
            .order_by("host_region_id")
            .values_list("host_region_id", flat=True)
        )
        for code in regions:
            answer = recognition_query(actor=actor, scheme=scheme, tier=card.tier, region_code=code, on=on)
            if answer.benefits:
                answers.append(answer)
    return answers


# ---------------------------------------------------------------- appointments


def appointment_list(*, actor: Actor, status: str = "") -> QuerySet[Appointment]:
    qs = AppointmentPolicy.visible_qs(actor).select_related("profile", "host_org__region", "home_org__region")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-id")


def appointment_get(*, actor: Actor, appointment_id: int) -> Appointment:
    qs = AppointmentPolicy.visible_qs(actor).select_related("profile", "host_org__region", "home_org__region")
    return get_visible(qs, errors.AppointmentNotFound.default_message, pk=appointment_id)


# ---------------------------------------------------------------- review rounds


def round_list(*, actor: Actor) -> QuerySet[ReviewRound]:
    return ReviewRoundPolicy.visible_qs(actor).select_related("region").order_by("-id")


def round_get(*, actor: Actor, round_id: int) -> ReviewRound:
    qs = ReviewRoundPolicy.visible_qs(actor).select_related("region")
    return get_visible(qs, errors.RoundNotFound.default_message, pk=round_id)


def round_items(*, actor: Actor, rnd: ReviewRound, only: list[int] | None = None) -> list[ReviewItem]:
    seats = ReviewSeat.objects.select_related("expert__profile__organisation", "expert__region").order_by(
        "id"
    )
    qs = ReviewItemPolicy.visible_qs(actor).filter(round=rnd)
    if only is not None:
        qs = qs.filter(pk__in=only)
    return list(
        qs.select_related("applicant_org", "applicant_region")
        .prefetch_related(
            Prefetch("seats", queryset=seats, to_attr="seat_list"),
            Prefetch(
                "unsuitable",
                queryset=ExpertEntry.objects.select_related("profile"),
                to_attr="unsuitable_list",
            ),
        )
        .order_by("id")
    )


def seat_get(*, actor: Actor, seat_id: int) -> ReviewSeat:
    qs = ReviewSeatPolicy.visible_qs(actor).select_related("expert__profile", "item__round")
    return get_visible(qs, errors.SeatNotFound.default_message, pk=seat_id)


def my_seats(*, actor: Actor) -> QuerySet[ReviewSeat]:
    if actor.user_id is None:
        return ReviewSeat.objects.none()
    return (
        ReviewSeatPolicy.visible_qs(actor)
        .filter(expert__profile__user_id=actor.user_id)
        .select_related("item__round", "expert__profile")
        .order_by("-id")
    )


# ---------------------------------------------------------------- review facts and the expert index


def review_sources(*, actor: Actor, applications: list[int], achievements: list[int]) -> tuple[list, list]:
    """The voucher applications and achievements this actor may see, by id; an unknown id is an error."""
    from xietong.transfer.policies import AchievementPolicy
    from xietong.vouchers.policies import ApplicationPolicy

    apps = {
        a.pk: a
        for a in ApplicationPolicy.visible_qs(actor)
        .filter(pk__in=applications)
        .select_related("enterprise__region", "programme")
    }
    achs = {
        a.pk: a
        for a in AchievementPolicy.visible_qs(actor).filter(pk__in=achievements).select_related("owner")
    }
    missing = [gettext("创新券申领 %(pk)s") % {"pk": i} for i in applications if i not in apps]
    missing += [gettext("科技成果 %(pk)s") % {"pk": i} for i in achievements if i not in achs]
    if missing:
        raise errors.TalentInvalid(
            gettext("以下评审对象不存在或您无权查看：%(missing)s")
            % {"missing": gettext("、").join(missing[:10])},
            field="items",
        )
    return [apps[i] for i in applications], [achs[i] for i in achievements]


def collaboration_partners(*, actor: Actor, org_ids, since: date) -> dict[int, frozenset[int]]:
    """For each organisation, those it worked with on the platform since `since`: technology contracts,
    accepted intents and appointments. System read for the 回避 rules (the round's bureau asks); ids only."""
    from xietong.transfer.enums import IntentStatus
    from xietong.transfer.models import Contract, Intent

    org_ids = [o for o in set(org_ids) if o is not None]
    out: dict[int, set[int]] = {o: set() for o in org_ids}
    pairs = list(
        Contract.objects.filter(signed_on__gte=since)  # tenancy-ok: 回避 facts for a round's bureau, ids only
        .filter(Q(seller_org_id__in=org_ids) | Q(buyer_org_id__in=org_ids))
        .exclude(seller_org_id=None)
        .exclude(buyer_org_id=None)
        .values_list("seller_org_id", "buyer_org_id")
    )
    pairs += list(
        Intent.objects.filter(  # tenancy-ok: 回避 facts for a round's bureau, ids only
            status=IntentStatus.ACCEPTED, created_at__date__gte=since
        )
        .filter(Q(from_org_id__in=org_ids) | Q(to_org_id__in=org_ids))
        .values_list("from_org_id", "to_org_id")
    )
    pairs += list(
        Appointment.objects.filter(end_on__gte=since)  # tenancy-ok: 回避 facts for a round's bureau, ids only
        .exclude(status=AppointmentStatus.REFUSED)
        .filter(Q(host_org_id__in=org_ids) | Q(home_org_id__in=org_ids))
        .values_list("host_org_id", "home_org_id")
    )
    for a, b in pairs:
        if a in out:
            out[a].add(b)
        if b in out:
            out[b].add(a)
    return {o: frozenset(v - {o}) for o, v in out.items()}


def appointed_orgs(*, actor: Actor, profile_ids, since: date) -> dict[int, frozenset[int]]:
    """Host organisations each person held (or was offered and accepted) a post at since `since`."""
    out: dict[int, set[int]] = {}
    rows = (
        Appointment.objects.filter(  # tenancy-ok: 回避 facts for a round's bureau, ids only
            profile_id__in=list(profile_ids), end_on__gte=since
        )
        .exclude(status=AppointmentStatus.REFUSED)
        .values_list("profile_id", "host_org_id")
    )
    for profile_id, org in rows:
        out.setdefault(profile_id, set()).add(org)
    return {p: frozenset(v) for p, v in out.items()}


def seats_taken_this_year(*, actor: Actor, expert_ids, year: int) -> dict[int, int]:
    """Seats each expert holds (not declined) in rounds opened this year: the yearly cap's counter."""
    from django.db.models import Count

    rows = (
        ReviewSeat.objects.filter(  # tenancy-ok: counters for the yearly cap, ids and counts only
            expert_id__in=list(expert_ids), item__round__created_at__year=year
        )
        .exclude(status=SeatStatus.DECLINED)
        .values("expert_id")
        .annotate(n=Count("id"))
    )
    return {r["expert_id"]: r["n"] for r in rows}


def pool_region_codes(*, actor: Actor, region_code: str) -> frozenset[str]:
    """The regions whose experts a round organised in `region_code` draws from: the region and everything
    under it, plus the members of every zone containing it that shares its pool (the 川渝 shared pool)."""
    own = region_selectors.region_descendant_codes(region_code) or frozenset({region_code})
    codes = set(own)
    for sharing in ZoneSharing.objects.filter(shares_experts=True).select_related("zone"):
        members = region_selectors.zone_region_codes(sharing.zone)
        if members & own:
            codes |= members
    return frozenset(codes)


def round_pool(*, actor: Actor, rnd: ReviewRound) -> list[ExpertEntry]:
    """The experts a round may draw from: the pool of its region (see `pool_region_codes`), active,
    available and within term today. The caller has checked that the actor manages the round."""
    today = clock.today()
    codes = pool_region_codes(actor=actor, region_code=rnd.region_id)
    own_codes = region_selectors.region_descendant_codes(rnd.region_id) or {rnd.region_id}
    return list(
        ExpertEntry.objects.filter(  # tenancy-ok: the round's pool, asked for by its bureau (checked by the caller)
            Q(region_id__in=own_codes) | Q(profile__region_id__in=codes), status=ExpertStatus.ACTIVE,
            is_available=True, term_start__lte=today, term_end__gte=today,
        )
        .select_related("profile__organisation")
        .prefetch_related("avoid_orgs", "avoid_profiles")
        .order_by("id")
    )  # fmt: skip


round_pool_for = round_pool


def round_seat_counts(
    *, actor: Actor, rnd: ReviewRound, exclude_item: ReviewItem | None = None
) -> dict[int, int]:
    """Seats each expert holds in this round (not declined), other than on `exclude_item`."""
    from django.db.models import Count

    qs = ReviewSeat.objects.filter(item__round=rnd).exclude(
        status=SeatStatus.DECLINED
    )  # tenancy-ok: the round's own seats
    if exclude_item is not None:
        qs = qs.exclude(item=exclude_item)
    return {r["expert_id"]: r["n"] for r in qs.values("expert_id").annotate(n=Count("id"))}


def _library_fingerprint() -> tuple:
    from django.db.models import Count, Max

    experts = ExpertEntry.objects.aggregate(  # tenancy-ok: the index's change stamp, no rows
        n=Count("id"), t=Max("updated_at")
    )
    profiles = TalentProfile.objects.filter(expert__isnull=False).aggregate(  # tenancy-ok: change stamp
        t=Max("updated_at")
    )
    return experts["n"], experts["t"], profiles["t"]


def _library_rows():
    return (
        ExpertEntry.objects.filter(status=ExpertStatus.ACTIVE)  # tenancy-ok: the index mirrors the library
        .select_related("profile")
        .prefetch_related("profile__achievements")
    )


def expert_index():
    """Pure wrapper around the process's cached index; results are filtered by the actor's view by callers."""
    from xietong.talent import search

    return search.index_for(_library_fingerprint(), _library_rows)


@dataclass(frozen=True)
class ExpertHit:
    expert: ExpertEntry
    score: float
    explanation: str


def expert_search(
    *,
    actor: Actor,
    query: str,
    region: str = "",
    zone: str = "",
    title_rank: str = "",
    discipline: str = "",
    k: int = 20,
) -> list[ExpertHit]:
    """Ranked experts for a text (a demand, an achievement or free words), among those the actor sees and
    the filters keep, each with the matching engine's explanation in the reader's language."""
    from xietong.talent import present, search

    candidates = expert_list(
        actor=actor, region=region, zone=zone, title_rank=title_rank, discipline=discipline
    ).filter(status=ExpertStatus.ACTIVE)
    allowed = list(candidates.values_list("pk", flat=True))
    hits = search.ranked(expert_index(), query, k=k, allowed=allowed)
    rows = experts_by_ids(actor=actor, ids=[int(h.id) for h in hits])
    return [
        ExpertHit(expert=rows[int(h.id)], score=h.score, explanation=present.explanation(h.explanation))
        for h in hits
        if int(h.id) in rows
    ]


def achievement_text(*, actor: Actor, achievement_id: int) -> str:
    from xietong.transfer.policies import AchievementPolicy

    ach = get_visible(AchievementPolicy.visible_qs(actor), gettext("科技成果不存在"), pk=achievement_id)
    return "\n".join(filter(None, (ach.title, ach.summary, " ".join(ach.keywords))))


def demand_text(*, actor: Actor, demand_id: int) -> str:
    from xietong.transfer.policies import DemandPolicy

    demand = get_visible(DemandPolicy.visible_qs(actor), gettext("技术需求不存在"), pk=demand_id)
    return "\n".join(filter(None, (demand.title, demand.problem, " ".join(demand.keywords))))


def excluded_names(*, actor: Actor, items: list[ReviewItem]) -> dict[int, str]:
    """Names of the experts the round's exclusion lists mention (the caller already sees the round)."""
    ids = {int(e) for item in items for e in item.exclusions}
    rows = ExpertEntry.objects.filter(
        pk__in=ids
    ).values_list(  # tenancy-ok: names for the round's own 回避 list
        "pk", "profile__name"
    )
    return dict(rows)


# ---------------------------------------------------------------- form choices


def profile_orgs(*, actor: Actor) -> list:
    """Organisations the actor may file a profile for (its administered ones, or its bureau's, first 300)."""
    from xietong.orgs.policies import OrganisationPolicy

    qs = OrganisationPolicy.visible_qs(actor).select_related("region")
    if actor.is_platform_admin:
        return list(qs.order_by("name")[:300])
    q = Q(pk__in=actor.acting_admin_organisation_ids) | Q(region_id__in=actor.bureau_region_codes)
    return list(qs.filter(q).order_by("name")[:300])


def acting_orgs(*, actor: Actor) -> list:
    from xietong.orgs.policies import OrganisationPolicy

    qs = OrganisationPolicy.visible_qs(actor)
    if not actor.is_platform_admin:
        qs = qs.filter(pk__in=actor.acting_organisation_ids)
    return list(qs.order_by("name")[:300])


def bureau_regions(*, actor: Actor) -> list:
    """The regions the actor governs at the top of its tree (the choices for a round's organising region)."""
    from xietong.regions.models import Region

    codes = actor.bureau_region_codes
    qs = Region.objects.filter(code__in=codes) if codes else Region.objects.filter(level="province")
    if codes:
        qs = qs.exclude(parent_id__in=codes)
    return list(qs.order_by("code")[:50])


def round_candidates(*, actor: Actor) -> dict:
    """What a bureau may put into a round: its region's published achievements and submitted voucher applications."""
    from xietong.transfer.policies import AchievementPolicy
    from xietong.vouchers.enums import ApplicationStatus
    from xietong.vouchers.policies import ApplicationPolicy

    codes = actor.bureau_region_codes
    achievements = AchievementPolicy.visible_qs(actor).filter(status="published").select_related("owner")
    applications = (
        ApplicationPolicy.visible_qs(actor)
        .filter(status=ApplicationStatus.SUBMITTED)
        .select_related("enterprise")
    )
    if not actor.is_platform_admin:
        achievements = achievements.filter(region_id__in=codes)
        applications = applications.filter(enterprise__region_id__in=codes)
    return {
        "achievements": list(achievements.order_by("-id")[:50]),
        "applications": list(applications.order_by("-id")[:50]),
    }
