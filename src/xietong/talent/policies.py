"""Who may see and change talent profiles, experts, schemes, agreements, appointments and review rounds.

Profiles form one cross-region pool: every signed-in user sees a profile, never its contacts unless the
policy names them ("view_contact": the person, their organisation's admin, the bureau governing their
region, and an organisation that is a party to an accepted intent with theirs or to one of their
appointments). Experts are seen by the bureau that admitted them, by bureaus of regions sharing a pool
with it (a zone's sharing setting), by zone offices over their members, and by the expert.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy

from xietong.core.acting import acts_for, administers
from xietong.core.actor import Actor
from xietong.core.policies import Policy
from xietong.regions import selectors as region_selectors
from xietong.talent.enums import AppointmentStatus
from xietong.talent.models import (
    Agreement,
    Appointment,
    ExpertEntry,
    ReviewItem,
    ReviewRound,
    ReviewSeat,
    Scheme,
    TalentProfile,
    ZoneSharing,
)
from xietong.transfer.enums import IntentStatus
from xietong.transfer.models import Intent

NONE = Q(pk__in=[])
LIVE_APPOINTMENT = (AppointmentStatus.OFFERED, AppointmentStatus.ACTIVE)


def _is_bureau_or_platform(actor: Actor, obj=None) -> bool:
    return actor.is_platform_admin or bool(actor.bureau_region_codes)


def _is_public_reader(actor: Actor, obj=None) -> bool:
    return actor.is_platform_admin or bool(actor.bureau_region_codes or actor.zone_region_codes)


def partner_org_ids(actor: Actor) -> frozenset[int]:
    """Organisations that are the other party to an accepted intent with one of the actor's organisations."""
    mine = actor.organisation_ids
    if not mine:
        return frozenset()
    rows = (
        Intent.objects.filter(status=IntentStatus.ACCEPTED)
        .filter(Q(from_org_id__in=mine) | Q(to_org_id__in=mine))
        .values_list("from_org_id", "to_org_id")
    )
    return frozenset(org for pair in rows for org in pair if org not in mine)


def appointment_profile_ids(actor: Actor, profile_ids) -> frozenset[int]:
    """Profiles among `profile_ids` with a live appointment hosted by one of the actor's organisations (the home
    side is the person's own organisation, whose admin already reads the contacts)."""
    if not actor.organisation_ids:
        return frozenset()
    return frozenset(
        Appointment.objects.filter(
            profile_id__in=list(profile_ids),
            status__in=LIVE_APPOINTMENT,
            host_org_id__in=actor.organisation_ids,
        ).values_list("profile_id", flat=True)
    )


def contact_visible_ids(actor: Actor, profiles) -> frozenset[int]:
    """The ids among `profiles` whose contacts this actor may read (three queries for a whole page)."""
    profiles = list(profiles)
    if actor.is_platform_admin:
        return frozenset(p.pk for p in profiles)
    if not actor.is_authenticated:
        return frozenset()
    partners = partner_org_ids(actor)
    appointed = appointment_profile_ids(actor, [p.pk for p in profiles])
    return frozenset(
        p.pk
        for p in profiles
        if (actor.user_id is not None and p.user_id == actor.user_id)
        or p.organisation_id in actor.admin_organisation_ids
        or p.region_id in actor.bureau_region_codes
        or p.organisation_id in partners
        or p.pk in appointed
    )


def _profile_editor(actor: Actor, profile: TalentProfile) -> bool:
    return (
        actor.governs_region(profile.region_id)
        or administers(actor, profile.organisation_id)
        or (actor.user_id is not None and profile.user_id == actor.user_id)
    )


class TalentProfilePolicy(Policy):
    model = TalentProfile
    denied_message = gettext_lazy("您无权处理该人才档案")
    rules = {
        # obj: the home organisation
        "create_for": lambda actor, org: actor.governs_region(org.region_id) or administers(actor, org.pk),
        "create_any": lambda actor, obj=None: (
            actor.is_platform_admin or bool(actor.bureau_region_codes or actor.acting_admin_organisation_ids)
        ),
        "update": _profile_editor,
        "view_contact": lambda actor, profile: profile.pk in contact_visible_ids(actor, [profile]),
        "import": _is_bureau_or_platform,
        "export": lambda actor, obj=None: actor.is_authenticated,
    }

    @classmethod
    def visible(cls, actor: Actor) -> Q:
        return Q() if actor.is_platform_admin or actor.is_authenticated else NONE


def shared_region_codes(actor: Actor) -> frozenset[str]:
    """Region codes (where the experts work) this bureau sees through a zone that shares its pool."""
    if not actor.bureau_region_codes:
        return frozenset()
    codes: set[str] = set()
    for sharing in ZoneSharing.objects.filter(shares_experts=True).select_related("zone"):
        members = region_selectors.zone_region_codes(sharing.zone)
        if members & actor.bureau_region_codes:
            codes |= members
    return frozenset(codes)


class ExpertPolicy(Policy):
    model = ExpertEntry
    denied_message = gettext_lazy("您无权处理该专家")
    rules = {
        "admit_in": lambda actor, region_code: actor.governs_region(region_code),  # obj: region code
        "admit_any": _is_bureau_or_platform,
        "update": lambda actor, expert: actor.governs_region(expert.region_id),
        "declare": lambda actor, expert: (
            actor.governs_region(expert.region_id)
            or (actor.user_id is not None and expert.profile.user_id == actor.user_id)
        ),
        "search": _is_public_reader,
        "import": _is_bureau_or_platform,
    }

    @classmethod
    def visible(cls, actor: Actor) -> Q:
        if actor.is_platform_admin:
            return Q()
        if not actor.is_authenticated:
            return NONE
        q = Q(profile__user_id=actor.user_id)
        codes = actor.bureau_region_codes | actor.zone_region_codes
        if codes:
            q |= Q(region_id__in=codes) | Q(profile__region_id__in=codes)
        shared = shared_region_codes(actor)
        if shared:  # a shared pool: experts who live and work in the zone, whoever admitted them
            q |= Q(profile__region_id__in=shared)
        return q


class ZoneSharingPolicy(Policy):
    model = ZoneSharing
    denied_message = gettext_lazy("只有协同区办公室或平台可以设置专家库共享")
    rules = {"set": lambda actor, zone: actor.is_platform_admin or zone.pk in actor.zone_ids}

    @classmethod
    def visible(cls, actor: Actor) -> Q:
        return Q()


def _runs_scheme(actor: Actor, scheme) -> bool:
    """The bureau of the region that issues a scheme both maintains it and issues its cards."""
    return actor.governs_region(scheme.region_id)


class SchemePolicy(Policy):
    model = Scheme
    denied_message = gettext_lazy("只有发放地区的主管部门可以维护该制度")
    rules = {
        "manage_in": lambda actor, region_code: actor.governs_region(region_code),  # obj: region code
        "create_any": _is_bureau_or_platform,
        "update": _runs_scheme,
        # a card of a scheme is issued by the bureau that runs the scheme (the page's link: issue_any)
        "issue_card": _runs_scheme,
        "issue_any": _is_bureau_or_platform,
        "import": _is_bureau_or_platform,
    }

    @classmethod
    def visible(cls, actor: Actor) -> Q:
        """Public: what a card is worth is meant to be known."""
        return Q()


class AgreementPolicy(Policy):
    model = Agreement
    denied_message = gettext_lazy("只有服务地区的主管部门可以维护该互认协议")
    rules = {
        "manage_in": lambda actor, region_code: actor.governs_region(region_code),  # obj: host region code
        "create_any": _is_bureau_or_platform,
        "update": lambda actor, agreement: actor.governs_region(agreement.host_region_id),
        "import": _is_bureau_or_platform,
    }

    @classmethod
    def visible(cls, actor: Actor) -> Q:
        """Public, like the schemes."""
        return Q()


class AppointmentPolicy(Policy):
    model = Appointment
    denied_message = gettext_lazy("您无权处理该柔性聘用")
    rules = {
        "offer_from": lambda actor, org: actor.is_platform_admin or acts_for(actor, org.pk),  # obj: host org
        "offer_any": lambda actor, obj=None: actor.is_platform_admin or bool(actor.acting_organisation_ids),
        "consent": lambda actor, appt: actor.is_platform_admin or administers(actor, appt.home_org_id),
        "end": lambda actor, appt: (
            actor.is_platform_admin
            or administers(actor, appt.home_org_id)
            or administers(actor, appt.host_org_id)
        ),
    }

    @classmethod
    def visible(cls, actor: Actor) -> Q:
        if actor.is_platform_admin:
            return Q()
        if not actor.is_authenticated:
            return NONE
        q = Q(profile__user_id=actor.user_id)
        if actor.organisation_ids:
            q |= Q(host_org_id__in=actor.organisation_ids) | Q(home_org_id__in=actor.organisation_ids)
        if actor.bureau_region_codes:
            q |= Q(host_org__region_id__in=actor.bureau_region_codes)
            q |= Q(home_org__region_id__in=actor.bureau_region_codes)
        return q


class ReviewRoundPolicy(Policy):
    model = ReviewRound
    denied_message = gettext_lazy("只有组织该评审的主管部门可以处理该评审轮次")
    rules = {
        "open_in": lambda actor, region_code: actor.governs_region(region_code),  # obj: region code
        "open_any": _is_bureau_or_platform,
        "manage": lambda actor, rnd: actor.governs_region(rnd.region_id),
    }

    @classmethod
    def visible(cls, actor: Actor) -> Q:
        if actor.is_platform_admin:
            return Q()
        if not actor.bureau_region_codes:
            return NONE
        return Q(region_id__in=actor.bureau_region_codes)


class ReviewItemPolicy(Policy):
    model = ReviewItem
    denied_message = gettext_lazy("您无权处理该评审项目")

    @classmethod
    def visible(cls, actor: Actor) -> Q:
        if actor.is_platform_admin:
            return Q()
        if not actor.bureau_region_codes:
            return NONE
        return Q(round__region_id__in=actor.bureau_region_codes)


def _may_be_invited(actor: Actor, obj=None) -> bool:
    """Review invitations go to experts, and an expert is a person (a talent profile, linked to that person's
    own account); the accounts of a bureau, a zone office or the platform act for an agency, which organises
    reviews and is never invited to one, so they have no "my reviews" to look at."""
    return actor.is_authenticated and not (
        actor.is_platform_admin or actor.bureau_region_codes or actor.zone_ids
    )


class ReviewSeatPolicy(Policy):
    model = ReviewSeat
    denied_message = gettext_lazy("只有受邀专家本人可以答复")
    rules = {
        "list_mine": _may_be_invited,
        "answer": lambda actor, seat: (
            actor.user_id is not None and seat.expert.profile.user_id == actor.user_id
        ),
    }

    @classmethod
    def visible(cls, actor: Actor) -> Q:
        if actor.is_platform_admin:
            return Q()
        if not actor.is_authenticated:
            return NONE
        q = Q(expert__profile__user_id=actor.user_id)
        if actor.bureau_region_codes:
            q |= Q(item__round__region_id__in=actor.bureau_region_codes)
        return q
