"""The organisation-state gate: only a verified (approved) organisation acts on the platform.

A self-registered organisation waits for its bureau's review; until then (and after a rejection or a
suspension) its members may see their own records but not publish, book, apply, redeem, object or send
intents. Every app's policy asks these functions for its "do" rules, so the gate lives in one place.
The actor carries the verified subset of its organisations (`orgs.selectors.actor_build`).
"""

from __future__ import annotations

from django.utils.translation import gettext, gettext_noop

from xietong.core.actor import Actor

NOT_VERIFIED_MESSAGE = gettext_noop("您所在的机构尚未通过认证（待审核、已驳回或已暂停），暂不能办理此项业务")


def acts_for(actor: Actor, org_id: int | None) -> bool:
    """The actor is a member of this organisation and the organisation is verified."""
    return org_id is not None and org_id in actor.acting_organisation_ids


def administers(actor: Actor, org_id: int | None) -> bool:
    """The actor is an admin of this organisation and the organisation is verified."""
    return org_id is not None and org_id in actor.acting_admin_organisation_ids


def acts_for_any(actor: Actor) -> bool:
    return bool(actor.acting_organisation_ids)


def is_held_back(actor: Actor) -> bool:
    """Every organisation the actor belongs to awaits (or failed) review and it holds no public role."""
    public_role = actor.is_platform_admin or actor.bureau_region_codes or actor.zone_ids
    return bool(actor.organisation_ids) and not actor.acting_organisation_ids and not public_role


def denial_message(actor: Actor, default: str) -> str:
    """Tell a held-back actor why it is refused, instead of a bare "no permission"."""
    return gettext(NOT_VERIFIED_MESSAGE) if is_held_back(actor) else default
