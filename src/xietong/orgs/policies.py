"""Who may see and change organisations and memberships."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy

from xietong.core.actor import Actor
from xietong.core.policies import Policy
from xietong.core.roles import Role
from xietong.orgs.enums import OrgStatus
from xietong.orgs.models import Membership, Organisation


def _governs(actor: Actor, org: Organisation) -> bool:
    return actor.governs_region(org.region_id)


def _governs_region_code(actor: Actor, region_code: str | None) -> bool:
    return actor.governs_region(region_code)


def _own_admin(actor: Actor, org: Organisation) -> bool:
    return org.pk in actor.admin_organisation_ids


def _governs_somewhere(actor: Actor, obj: object = None) -> bool:
    """Bureaus (and platform admins) review registrations and import organisations for their regions."""
    return actor.is_platform_admin or bool(actor.bureau_region_codes)


def _reads_personal(actor: Actor, org: Organisation) -> bool:
    return actor.reads_region(org.region_id) or org.pk in actor.organisation_ids


class OrganisationPolicy(Policy):
    model = Organisation
    denied_message = gettext_lazy("您无权处理该机构的信息")
    rules = {
        "review": _governs,  # approve / reject a registration
        "update": lambda actor, org: _governs(actor, org) or _own_admin(actor, org),
        # suspend / reinstate: the bureau that governs the organisation's region ("manages its region's
        # organisations", as it reviews their registrations) and the platform; never the organisation itself
        "suspend": _governs,
        "suspend_any": _governs_somewhere,  # obj None: the suspended organisations' list on the review page
        "create_in_region": _governs_region_code,  # obj: region code
        "view_contact": _reads_personal,
        "view_history": lambda actor, org: actor.reads_region(org.region_id),  # the audit trail on its page
        "manage_members": lambda actor, org: _governs(actor, org) or _own_admin(actor, org),
        "review_queue": _governs_somewhere,  # obj None: the registration review page
        "import": _governs_somewhere,  # obj None: bulk import of organisations
    }

    @classmethod
    def visible(cls, actor: Actor) -> Q:
        """Approved organisations are public; the rest only to those who govern, read or own them."""
        if actor.is_platform_admin:
            return Q()
        q = cls.public()
        if actor.bureau_region_codes:
            q |= Q(region_id__in=actor.bureau_region_codes)
        if actor.zone_region_codes:
            q |= Q(region_id__in=actor.zone_region_codes)
        if actor.organisation_ids:
            q |= Q(pk__in=actor.organisation_ids)
        if actor.user_id is not None:
            q |= Q(registered_by_id=actor.user_id)
        return q

    @staticmethod
    def public() -> Q:
        """Approved organisations are public: the directory, headline counts and the home map show them."""
        return Q(status=OrgStatus.APPROVED)

    @classmethod
    def review_queue(cls, actor: Actor) -> Q:
        if actor.is_platform_admin:
            return Q(status=OrgStatus.PENDING)
        return Q(status=OrgStatus.PENDING, region_id__in=actor.bureau_region_codes)

    @classmethod
    def suspended(cls, actor: Actor) -> Q:
        """Suspended organisations the actor may reinstate: those of its regions (all, for the platform)."""
        if actor.is_platform_admin:
            return Q(status=OrgStatus.SUSPENDED)
        return Q(status=OrgStatus.SUSPENDED, region_id__in=actor.bureau_region_codes)

    @classmethod
    def rename_queue(cls, actor: Actor) -> Q:
        renames = ~Q(pending_name="")
        if actor.is_platform_admin:
            return renames
        return renames & Q(region_id__in=actor.bureau_region_codes)


def _may_grant(actor: Actor, membership: Membership) -> bool:
    """Platform admins grant any role; an organisation's admin (or its bureau) grants roles inside it."""
    if actor.is_platform_admin:
        return True
    return (
        membership.organisation is not None
        and membership.role in (Role.ORG_ADMIN, Role.ORG_MEMBER)
        and OrganisationPolicy.can(actor, "manage_members", membership.organisation)
    )


class MembershipPolicy(Policy):
    model = Membership
    denied_message = gettext_lazy("您无权授予该角色")
    rules = {"grant": _may_grant}  # obj: the membership about to be created

    @classmethod
    def visible(cls, actor: Actor) -> Q:
        """One's own memberships, and those of organisations one administers or governs."""
        if actor.is_platform_admin:
            return Q()
        q = Q(organisation_id__in=actor.admin_organisation_ids)
        if actor.user_id is not None:
            q |= Q(user_id=actor.user_id)
        if actor.bureau_region_codes:
            q |= Q(organisation__region_id__in=actor.bureau_region_codes)
        return q
