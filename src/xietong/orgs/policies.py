"""Who may see and change organisations and memberships."""

from __future__ import annotations

from django.db.models import Q

from xietong.core.actor import Actor
from xietong.core.policies import Policy
from xietong.orgs.enums import OrgStatus
from xietong.orgs.models import Organisation


def _governs(actor: Actor, org: Organisation) -> bool:
    return actor.governs_region(org.region_id)


def _governs_region_code(actor: Actor, region_code: str | None) -> bool:
    return actor.governs_region(region_code)


def _own_admin(actor: Actor, org: Organisation) -> bool:
    return org.pk in actor.admin_organisation_ids


def _reads_personal(actor: Actor, org: Organisation) -> bool:
    return actor.reads_region(org.region_id) or org.pk in actor.organisation_ids


class OrganisationPolicy(Policy):
    model = Organisation
    denied_message = "您无权处理该机构的信息"
    rules = {
        "review": _governs,  # approve / reject a registration
        "update": lambda actor, org: _governs(actor, org) or _own_admin(actor, org),
        "suspend": _governs,
        "create_in_region": _governs_region_code,  # obj: region code
        "view_contact": _reads_personal,
        "manage_members": lambda actor, org: _governs(actor, org) or _own_admin(actor, org),
    }

    @classmethod
    def visible(cls, actor: Actor) -> Q:
        """Approved organisations are public; the rest only to those who govern, read or own them."""
        if actor.is_platform_admin:
            return Q()
        q = Q(status=OrgStatus.APPROVED)
        if actor.bureau_region_codes:
            q |= Q(region_id__in=actor.bureau_region_codes)
        if actor.zone_region_codes:
            q |= Q(region_id__in=actor.zone_region_codes)
        if actor.organisation_ids:
            q |= Q(pk__in=actor.organisation_ids)
        if actor.user_id is not None:
            q |= Q(registered_by_id=actor.user_id)
        return q

    @classmethod
    def review_queue(cls, actor: Actor) -> Q:
        if actor.is_platform_admin:
            return Q(status=OrgStatus.PENDING)
        return Q(status=OrgStatus.PENDING, region_id__in=actor.bureau_region_codes)

    @classmethod
    def rename_queue(cls, actor: Actor) -> Q:
        renames = ~Q(pending_name="")
        if actor.is_platform_admin:
            return renames
        return renames & Q(region_id__in=actor.bureau_region_codes)
