"""Who may see and do what with programmes, applications, grants, redemptions and statements.

- a bureau manages the programmes it issued (its region or a region below it); a zone office manages its
  zone's programmes and reads everything in its zone's regions;
- an enterprise sees its own applications, grants and redemptions; a provider sees redemptions on its orders;
- the bureau of a provider's region reads the statements and redemptions it is the counterpart of.
"""

from __future__ import annotations

from django.db.models import Q

from xietong.core.acting import acts_for, acts_for_any
from xietong.core.actor import Actor
from xietong.core.policies import Policy
from xietong.vouchers.enums import Mode
from xietong.vouchers.models import Application, Grant, Programme, Redemption, Statement


def manages(actor: Actor, programme: Programme) -> bool:
    if actor.is_platform_admin:
        return True
    if programme.issuer_zone_id:
        return programme.issuer_zone_id in actor.zone_ids
    return actor.governs_region(programme.issuer_region_id)


def may_issue(actor: Actor, region_code: str | None, zone_id: int | None) -> bool:
    if actor.is_platform_admin:
        return True
    if zone_id:
        return zone_id in actor.zone_ids
    return actor.governs_region(region_code)


def managed_q(actor: Actor, prefix: str = "") -> Q:
    """Programmes (reached through `prefix`) that the actor manages."""
    q = Q(pk__in=[])
    if actor.bureau_region_codes:
        q |= Q(**{f"{prefix}issuer_region_id__in": actor.bureau_region_codes})
    if actor.zone_ids:
        q |= Q(**{f"{prefix}issuer_zone_id__in": actor.zone_ids})
    return q


def _member(actor: Actor, org_id: int | None) -> bool:
    return org_id is not None and org_id in actor.organisation_ids


class ProgrammePolicy(Policy):
    model = Programme
    denied_message = "您无权管理该创新券方案"
    rules = {
        "manage": manages,
        "apply": lambda actor, programme: acts_for_any(actor),
    }

    @classmethod
    def visible(cls, actor: Actor) -> Q:
        return Q()  # programmes are public notices

    @classmethod
    def managed(cls, actor: Actor) -> Q:
        return Q() if actor.is_platform_admin else managed_q(actor)


class ApplicationPolicy(Policy):
    model = Application
    denied_message = "您无权处理该申领"
    rules = {"review": lambda actor, app: manages(actor, app.programme)}

    @classmethod
    def visible(cls, actor: Actor) -> Q:
        if actor.is_platform_admin:
            return Q()
        q = managed_q(actor, "programme__") | Q(enterprise_id__in=actor.organisation_ids)
        if actor.zone_region_codes:
            q |= Q(enterprise__region_id__in=actor.zone_region_codes)
        return q


def _may_use(actor: Actor, grant: Grant) -> bool:
    return acts_for(actor, grant.enterprise_id)


class GrantPolicy(Policy):
    model = Grant
    denied_message = "您无权使用或管理该创新券"
    rules = {
        "use": _may_use,
        "manage": lambda actor, grant: manages(actor, grant.programme),
    }

    @classmethod
    def usable(cls, actor: Actor) -> Q:
        """The grants the "use" rule allows, as a filter: a locking read restricted by it never locks a
        grant the actor may not use (the policy check comes before the lock). Must agree with `_may_use`."""
        return Q(enterprise_id__in=actor.acting_organisation_ids)

    @classmethod
    def visible(cls, actor: Actor) -> Q:
        if actor.is_platform_admin:
            return Q()
        q = managed_q(actor, "programme__") | Q(enterprise_id__in=actor.organisation_ids)
        if actor.zone_region_codes:
            q |= Q(enterprise__region_id__in=actor.zone_region_codes)
        return q


def _claimant(actor: Actor, redemption: Redemption) -> bool:
    if redemption.programme.mode == Mode.TONGDUI:
        return acts_for(actor, redemption.provider_id)
    return acts_for(actor, redemption.enterprise_id)


def may_object(actor: Actor, redemption: Redemption | None = None) -> bool:
    """公示 objections come from accountable parties: a verified organisation's member or a public office.

    An open objection holds the payment until the bureau resolves it, so an anonymous or unreviewed
    account must not be able to raise one (the per-account limits are in the objection service)."""
    public_office = actor.is_platform_admin or bool(actor.bureau_region_codes or actor.zone_ids)
    return actor.is_authenticated and (public_office or acts_for_any(actor))


class RedemptionPolicy(Policy):
    model = Redemption
    denied_message = "您无权处理该创新券使用记录"
    rules = {
        "claim": _claimant,
        "release": lambda actor, r: _member(actor, r.enterprise_id) or manages(actor, r.programme),
        "review": lambda actor, r: manages(actor, r.programme),
        "pay": lambda actor, r: manages(actor, r.programme),
        "object": may_object,
    }

    @classmethod
    def visible(cls, actor: Actor) -> Q:
        if actor.is_platform_admin:
            return Q()
        q = (
            managed_q(actor, "programme__")
            | Q(enterprise_id__in=actor.organisation_ids)
            | Q(provider_id__in=actor.organisation_ids)
        )
        if actor.bureau_region_codes:
            q |= Q(provider__region_id__in=actor.bureau_region_codes)
        if actor.zone_region_codes:
            q |= Q(enterprise__region_id__in=actor.zone_region_codes) | Q(
                provider__region_id__in=actor.zone_region_codes
            )
        return q


def _statement_issuer(actor: Actor, statement: Statement) -> bool:
    if actor.is_platform_admin:
        return True
    if statement.issuer_zone_id:
        return statement.issuer_zone_id in actor.zone_ids
    return actor.governs_region(statement.issuer_region_id)


class StatementPolicy(Policy):
    model = Statement
    denied_message = "您无权处理该结算单"
    rules = {"mark_paid": _statement_issuer}

    @classmethod
    def visible(cls, actor: Actor) -> Q:
        if actor.is_platform_admin:
            return Q()
        q = Q(pk__in=[])
        if actor.bureau_region_codes:
            q |= Q(issuer_region_id__in=actor.bureau_region_codes) | Q(
                counterpart_region_id__in=actor.bureau_region_codes
            )
        if actor.zone_ids:
            q |= Q(issuer_zone_id__in=actor.zone_ids)
        if actor.zone_region_codes:
            q |= Q(issuer_region_id__in=actor.zone_region_codes) | Q(
                counterpart_region_id__in=actor.zone_region_codes
            )
        return q
