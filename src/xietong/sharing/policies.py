"""Who may see and do what with benefit-sharing agreements.

An agreement is seen by the bureaus of its parties, the zone offices reading any party's region (aggregates
only: settlements and totals, never an enterprise's revenue) and the platform. Enterprise-level data (the
park's enterprises and their revenue records, per-enterprise explanations) is seen only by the bureaus that
are parties and the platform. Only a party's bureau (or the platform) changes an agreement, imports revenue
and settles.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy

from xietong.core.actor import Actor
from xietong.core.policies import Policy
from xietong.sharing.models import (
    Agreement,
    AgreementParty,
    AgreementVersion,
    ParkEnterprise,
    RevenueRecord,
    Settlement,
)


def _party_codes(agreement: Agreement) -> set[str]:
    return {p.region_id for p in agreement.parties.all()}


def is_party_bureau(actor: Actor, agreement: Agreement | None) -> bool:
    """The platform, or a bureau whose governed regions include one of the agreement's parties."""
    if agreement is None:
        return False
    return actor.is_platform_admin or bool(_party_codes(agreement) & actor.bureau_region_codes)


def _agreements_of_bureau(actor: Actor):
    return AgreementParty.objects.filter(region_id__in=actor.bureau_region_codes).values("agreement_id")


def _agreements_of_zone(actor: Actor):
    return AgreementParty.objects.filter(region_id__in=actor.zone_region_codes).values("agreement_id")


def agreement_q(actor: Actor, prefix: str = "") -> Q:
    """Agreements the actor sees (as a party's bureau or a zone office), on `prefix` + id."""
    if actor.is_platform_admin:
        return Q()
    field = f"{prefix}id__in" if prefix else "id__in"
    q = Q(pk__in=[])
    if actor.bureau_region_codes:
        q |= Q(**{field: _agreements_of_bureau(actor)})
    if actor.zone_region_codes:
        q |= Q(**{field: _agreements_of_zone(actor)})
    return q


def party_agreement_q(actor: Actor, prefix: str = "") -> Q:
    """Agreements whose enterprise-level data the actor sees: a party's bureau, or the platform."""
    if actor.is_platform_admin:
        return Q()
    if not actor.bureau_region_codes:
        return Q(pk__in=[])
    return Q(**{f"{prefix}id__in": _agreements_of_bureau(actor)})


class AgreementPolicy(Policy):
    model = Agreement
    denied_message = gettext_lazy("您无权处理该利益共享协议")
    rules = {
        # page-level (obj None)
        "list": lambda actor, obj=None: (
            actor.is_platform_admin or bool(actor.bureau_region_codes or actor.zone_region_codes)
        ),
        "income": lambda actor, obj=None: actor.is_platform_admin or bool(actor.bureau_region_codes),
        "create": lambda actor, obj=None: actor.is_platform_admin or bool(actor.bureau_region_codes),
        # obj: a list of party region codes — the creator must be one of the parties
        "create_with": lambda actor, codes: (
            actor.is_platform_admin or bool(set(codes) & actor.bureau_region_codes)
        ),
        "edit": is_party_bureau,
        "import": is_party_bureau,
        "settle": is_party_bureau,
        "view_records": is_party_bureau,
    }

    @classmethod
    def visible(cls, actor: Actor) -> Q:
        return agreement_q(actor)


class AgreementVersionPolicy(Policy):
    model = AgreementVersion

    @classmethod
    def visible(cls, actor: Actor) -> Q:
        return agreement_q(actor, "agreement__")


class ParkEnterprisePolicy(Policy):
    model = ParkEnterprise

    @classmethod
    def visible(cls, actor: Actor) -> Q:
        return party_agreement_q(actor, "agreement__")


class RevenueRecordPolicy(Policy):
    model = RevenueRecord

    @classmethod
    def visible(cls, actor: Actor) -> Q:
        return party_agreement_q(actor, "agreement__")


class SettlementPolicy(Policy):
    model = Settlement

    @classmethod
    def visible(cls, actor: Actor) -> Q:
        return agreement_q(actor, "agreement__")
