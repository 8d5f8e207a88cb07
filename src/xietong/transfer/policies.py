"""Who may see and change achievements, demands, acceptance lists, intents and contracts.

Published listings are public (their contacts masked); a withdrawn one is seen only by its owner,
the bureau governing its region, the zone office reading it and the platform. Contacts are seen by
the owner, the governing bureau, the platform and any organisation whose intent the owner accepted; the
contacts of an accepted intent's two parties are seen by those two parties and nobody else.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy

from xietong.core.acting import acts_for
from xietong.core.actor import Actor
from xietong.core.policies import Policy
from xietong.orgs.enums import OrgStatus
from xietong.transfer.enums import IntentStatus, ListingStatus
from xietong.transfer.models import AcceptanceList, Achievement, Contract, Demand, Intent, Recommendation


def _owns(actor: Actor, listing) -> bool:
    return actor.is_platform_admin or listing.owner_id in actor.organisation_ids


def _member_of(actor: Actor, org_id: int | None) -> bool:
    return actor.is_platform_admin or (org_id is not None and org_id in actor.organisation_ids)


def _acts_for(actor: Actor, org_id: int | None) -> bool:
    """A "do" on behalf of an organisation: the platform, or a member of a verified organisation."""
    return actor.is_platform_admin or acts_for(actor, org_id)


def _listing_visible(actor: Actor) -> Q:
    if actor.is_platform_admin:
        return Q()
    # a suspended owner's listings leave the marketplace with it (like its resources), and come back with it
    q = Q(status=ListingStatus.PUBLISHED, owner__status=OrgStatus.APPROVED)
    if actor.organisation_ids:
        q |= Q(owner_id__in=actor.organisation_ids)
    if actor.bureau_region_codes:
        q |= Q(region_id__in=actor.bureau_region_codes)
    if actor.zone_region_codes:
        q |= Q(region_id__in=actor.zone_region_codes)
    return q


class _ListingPolicy(Policy):
    rules = {
        "publish_for": lambda actor, org: _acts_for(actor, getattr(org, "pk", None)),  # obj: organisation
        "publish": lambda actor, obj=None: bool(
            actor.acting_organisation_ids
        ),  # obj None: the "publish" link
        # editing is acting (a suspended owner may not change what it offers); withdrawing is always allowed
        "update": lambda actor, listing: _acts_for(actor, listing.owner_id),
        "withdraw": _owns,
        "view_contact": lambda actor, listing: (
            _owns(actor, listing) or actor.governs_region(listing.region_id)
        ),
        "express_interest": lambda actor, listing: (
            actor.is_authenticated
            and listing.status == ListingStatus.PUBLISHED
            and bool(actor.acting_organisation_ids - {listing.owner_id})
        ),
        "answer_intents": lambda actor, listing: _acts_for(actor, listing.owner_id),
        "recommend": lambda actor, listing: _owns(actor, listing) or actor.governs_region(listing.region_id),
    }

    @classmethod
    def visible(cls, actor: Actor) -> Q:
        return _listing_visible(actor)


class AchievementPolicy(_ListingPolicy):
    model = Achievement
    denied_message = gettext_lazy("您无权处理该科技成果")


class DemandPolicy(_ListingPolicy):
    model = Demand
    denied_message = gettext_lazy("您无权处理该技术需求")


def _acceptance_publisher(actor: Actor, obj) -> bool:
    """obj: (region code, publisher organisation or None)."""
    region_code, publisher = obj
    if publisher is not None:
        return _acts_for(actor, publisher.pk) and publisher.region_id == region_code
    return actor.governs_region(region_code)


class AcceptanceListPolicy(Policy):
    model = AcceptanceList
    denied_message = gettext_lazy("您无权处理该承接清单")
    rules = {
        "publish": _acceptance_publisher,
        # obj None: the "publish" link, for bureaus and organisation members
        "publish_any": lambda actor, obj=None: bool(actor.bureau_region_codes or actor.organisation_ids),
        # obj None: whether the form offers 以主管部门名义发布 (a bureau, for a region it governs)
        "publish_as_bureau": lambda actor, obj=None: (
            actor.is_platform_admin or bool(actor.bureau_region_codes)
        ),
        "update": lambda actor, lst: _acceptance_publisher(actor, (lst.region_id, lst.publisher)),
    }

    @classmethod
    def visible(cls, actor: Actor) -> Q:
        if actor.is_platform_admin:
            return Q()
        q = Q(status=ListingStatus.PUBLISHED)
        if actor.organisation_ids:
            q |= Q(publisher_id__in=actor.organisation_ids)
        if actor.bureau_region_codes:
            q |= Q(region_id__in=actor.bureau_region_codes)
        return q


class IntentPolicy(Policy):
    model = Intent
    denied_message = gettext_lazy("您无权处理该合作意向")
    rules = {
        # answering opens a deal (and the contacts): a verified organisation's act, like sending one
        "answer": lambda actor, intent: _acts_for(actor, intent.to_org_id),
        "withdraw": lambda actor, intent: _member_of(actor, intent.from_org_id),
        # the two parties of an accepted intent only: not their bureaus, not the platform's operators
        "view_contacts": lambda actor, intent: (
            intent.status == IntentStatus.ACCEPTED
            and bool(actor.organisation_ids & {intent.from_org_id, intent.to_org_id})
        ),
    }

    @classmethod
    def visible(cls, actor: Actor) -> Q:
        """The two parties, the bureaus governing either party's region, and the platform."""
        if actor.is_platform_admin:
            return Q()
        if not actor.is_authenticated:
            return Q(pk__in=[])
        q = Q(pk__in=[])
        if actor.organisation_ids:
            q |= Q(from_org_id__in=actor.organisation_ids) | Q(to_org_id__in=actor.organisation_ids)
        if actor.bureau_region_codes:
            q |= Q(from_org__region_id__in=actor.bureau_region_codes)
            q |= Q(to_org__region_id__in=actor.bureau_region_codes)
        return q

    @staticmethod
    def accepted() -> Q:
        return Q(status=IntentStatus.ACCEPTED)


class ContractPolicy(Policy):
    model = Contract
    denied_message = gettext_lazy("您无权处理该技术合同")
    rules = {
        # 技术合同由卖方所在地的技术合同登记机构登记（obj: seller region code）
        "register_in": lambda actor, region_code: actor.governs_region(region_code),
    }

    @classmethod
    def visible(cls, actor: Actor) -> Q:
        """Bureaus and zone offices see contracts touching their regions; parties see their own."""
        if actor.is_platform_admin:
            return Q()
        q = Q(pk__in=[])
        codes = actor.bureau_region_codes | actor.zone_region_codes
        if codes:
            q |= Q(seller_region_id__in=codes) | Q(buyer_region_id__in=codes)
        if actor.organisation_ids:
            q |= Q(seller_org_id__in=actor.organisation_ids) | Q(buyer_org_id__in=actor.organisation_ids)
        return q

    @classmethod
    def may_import(cls, actor: Actor) -> bool:
        return actor.is_platform_admin or bool(actor.bureau_region_codes)


class RecommendationPolicy(Policy):
    """Recommendation rows record what one user was shown and how they answered: theirs, and the operators'."""

    model = Recommendation
    denied_message = gettext_lazy("推荐效果指标仅对平台运营人员开放")
    rules = {"metrics": lambda actor, obj=None: actor.is_platform_admin}  # obj None: the metrics page

    @classmethod
    def visible(cls, actor: Actor) -> Q:
        if actor.is_platform_admin:
            return Q()
        return Q(user_id=actor.user_id) if actor.user_id is not None else Q(pk__in=[])


POLICIES_BY_KIND = {"achievement": AchievementPolicy, "demand": DemandPolicy}
