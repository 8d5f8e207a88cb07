"""Who may see and do what with programmes, applications, grants, redemptions, objections and statements.

- a bureau manages the programmes it issued (its region or a region below it); a zone office manages its
  zone's programmes and reads everything in its zone's regions;
- a programme's dashboard is for those who manage it and for the zone offices it concerns (issued by or for
  their zone, or by a region inside it); any other bureau or zone office is refused;
- an enterprise sees its own applications, grants and redemptions; a provider sees redemptions on its orders;
- the bureau of a provider's region reads the statements and redemptions it is the counterpart of.

Rules whose object is None answer page-level questions ("may this actor open the review queue at all");
views, API handlers, nav entries and templates ask them instead of looking at roles or region codes.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy

from xietong.core.acting import acts_for, acts_for_any
from xietong.core.actor import Actor
from xietong.core.policies import Policy
from xietong.resources.policies import OrderPolicy
from xietong.vouchers import review_levels
from xietong.vouchers.enums import Mode, RedemptionStatus
from xietong.vouchers.models import (
    Application,
    BundlePartner,
    Grant,
    Objection,
    PayeeAccount,
    Programme,
    Redemption,
    Statement,
)


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


def issues_programmes(actor: Actor, obj: object = None) -> bool:
    """Bureaus and zone offices set up programmes and have a review queue; firms and anonymous users do not."""
    return actor.is_platform_admin or bool(actor.bureau_region_codes) or bool(actor.zone_ids)


def oversees(actor: Actor, programme: Programme) -> bool:
    """A zone office reads the programmes issued by or for its zone, or by a region inside it."""
    if programme.issuer_zone_id in actor.zone_ids or programme.provider_zone_id in actor.zone_ids:
        return True
    return programme.issuer_region_id is not None and programme.issuer_region_id in actor.zone_region_codes


def holds_organisation(actor: Actor, obj: object = None) -> bool:
    """Members of a verified organisation apply for, hold and use vouchers (a pending one waits for review)."""
    return acts_for_any(actor)


def managed_q(actor: Actor, prefix: str = "") -> Q:
    """Programmes (reached through `prefix`) that the actor manages."""
    q = Q(pk__in=[])
    if actor.bureau_region_codes:
        q |= Q(**{f"{prefix}issuer_region_id__in": actor.bureau_region_codes})
    if actor.zone_ids:
        q |= Q(**{f"{prefix}issuer_zone_id__in": actor.zone_ids})
    return q


def enterprise_records_q(actor: Actor) -> Q:
    """Who sees an enterprise's application or grant: the programme's managers, the enterprise's members,
    and the zone offices whose regions hold the enterprise (one rule, so the two cannot drift apart)."""
    if actor.is_platform_admin:
        return Q()
    q = managed_q(actor, "programme__") | Q(enterprise_id__in=actor.organisation_ids)
    if actor.zone_region_codes:
        q |= Q(enterprise__region_id__in=actor.zone_region_codes)
    return q


def _member(actor: Actor, org_id: int | None) -> bool:
    return org_id is not None and org_id in actor.organisation_ids


class ProgrammePolicy(Policy):
    model = Programme
    denied_message = gettext_lazy("您无权管理该创新券方案")
    rules = {
        "manage": manages,
        "apply": holds_organisation,
        "dashboard": lambda actor, programme: manages(actor, programme) or oversees(actor, programme),
        "create": issues_programmes,  # obj None: may set up a programme somewhere (the new-programme page)
        "review_queue": issues_programmes,  # obj None: the review page
    }

    @classmethod
    def visible(cls, actor: Actor) -> Q:
        return Q()  # programmes are public notices

    @classmethod
    def managed(cls, actor: Actor) -> Q:
        return Q() if actor.is_platform_admin else managed_q(actor)


def reviews_now(actor: Actor, application: Application) -> bool:
    """The reviewer of the step the application waits at: the bureau of its district / city at a lower level
    (review_levels.reviews_region), the programme's managers at the issuer's step."""
    if application.review_region_id is None:
        return manages(actor, application.programme)
    return review_levels.reviews_region(actor, application.review_region)


def waiting_for_q(actor: Actor) -> Q:
    """Applications whose current step is the actor's: a lower level in its own region, or the issuer's step of
    a programme it manages (must agree with `reviews_now`)."""
    if actor.is_platform_admin:
        return Q()
    codes = actor.bureau_region_codes
    lower = Q(review_region_id__in=codes) & ~Q(review_region__parent_id__in=codes) if codes else Q(pk__in=[])
    return lower | (Q(review_region__isnull=True) & managed_q(actor, "programme__"))


class ApplicationPolicy(Policy):
    model = Application
    denied_message = gettext_lazy("您无权处理该申领")
    rules = {
        "review": reviews_now,
        "attach": lambda actor, app: acts_for(actor, app.enterprise_id),
        "submit_for": lambda actor, org: acts_for(actor, getattr(org, "pk", None)),  # obj: the enterprise
    }

    @classmethod
    def visible(cls, actor: Actor) -> Q:
        """As every enterprise record, plus, for a programme reviewed in levels, the applications of firms in
        the bureau's region (the district and city bureaus reviewing them before the issuer)."""
        q = enterprise_records_q(actor)
        if actor.bureau_region_codes and not actor.is_platform_admin:
            q |= Q(programme__review_levels__gt="", enterprise__region_id__in=actor.bureau_region_codes)
        return q


def _may_use(actor: Actor, grant: Grant) -> bool:
    return acts_for(actor, grant.enterprise_id)


class GrantPolicy(Policy):
    model = Grant
    denied_message = gettext_lazy("您无权使用或管理该创新券")
    rules = {
        "use": _may_use,
        "manage": lambda actor, grant: manages(actor, grant.programme),
        "hold": holds_organisation,  # obj None: the "my vouchers" page
    }

    @classmethod
    def usable(cls, actor: Actor) -> Q:
        """The grants the "use" rule allows, as a filter: a locking read restricted by it never locks a
        grant the actor may not use (the policy check comes before the lock). Must agree with `_may_use`."""
        return Q(enterprise_id__in=actor.acting_organisation_ids)

    @classmethod
    def visible(cls, actor: Actor) -> Q:
        return enterprise_records_q(actor)


class BundlePolicy(Policy):
    """Bundling rides on the order: its customer invites other firms; a partner row is seen by whoever sees
    the order (`resources.policies.OrderPolicy`)."""

    model = BundlePartner
    denied_message = gettext_lazy("只有订单的委托方可以邀请其他企业共同使用创新券")
    rules = {"invite": lambda actor, order: _member(actor, order.customer_id)}  # obj: the service order

    @classmethod
    def visible(cls, actor: Actor) -> Q:
        return Q(order__in=OrderPolicy.visible_qs(actor).values("pk"))


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
    denied_message = gettext_lazy("您无权处理该创新券使用记录")
    rules = {
        "claim": _claimant,
        "release": lambda actor, r: _member(actor, r.enterprise_id) or manages(actor, r.programme),
        "review": lambda actor, r: manages(actor, r.programme),
        "pay": lambda actor, r: manages(actor, r.programme),
        "object": may_object,
        "resolve_objection": lambda actor, r: manages(actor, r.programme),
        # invoices and contracts: the two parties and the issuing bureau, not every reader of the redemption
        "read_evidence": lambda actor, r: (
            _member(actor, r.enterprise_id) or _member(actor, r.provider_id) or manages(actor, r.programme)
        ),
    }

    @staticmethod
    def publicised() -> Q:
        """The 公示 list is public by rule (anyone may object): these rows are seen by every actor."""
        return Q(status=RedemptionStatus.PUBLICISED)

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


class ObjectionPolicy(Policy):
    """Objections are raised on the public 公示 list and resolved by the issuing bureau; the text is seen by
    those who see the redemption, and by everyone while the redemption is on the 公示 list."""

    model = Objection
    denied_message = gettext_lazy("您无权处理该异议")
    rules = {"resolve": lambda actor, objection: manages(actor, objection.redemption.programme)}

    @classmethod
    def visible(cls, actor: Actor) -> Q:
        seen = RedemptionPolicy.visible_qs(actor).values("pk")
        return Q(redemption__status=RedemptionStatus.PUBLICISED) | Q(redemption__in=seen)


def _statement_issuer(actor: Actor, statement: Statement) -> bool:
    if actor.is_platform_admin:
        return True
    if statement.issuer_zone_id:
        return statement.issuer_zone_id in actor.zone_ids
    return actor.governs_region(statement.issuer_region_id)


class StatementPolicy(Policy):
    model = Statement
    denied_message = gettext_lazy("您无权处理该结算单")
    rules = {
        "mark_paid": _statement_issuer,
        # obj None: the statements page, for issuers and the zone offices reading their regions' statements
        "list": lambda actor, obj=None: issues_programmes(actor) or bool(actor.zone_region_codes),
    }

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


class PayeeAccountPolicy(Policy):
    """A region's settlement account is kept by the bureau governing that region; anyone who sees a statement
    paid to the region reads it there (statements are read through StatementPolicy)."""

    model = PayeeAccount
    denied_message = gettext_lazy("只有本地区科技主管部门可以维护收款账户")
    rules = {
        "set": lambda actor, region_code: actor.governs_region(region_code),
    }

    @classmethod
    def visible(cls, actor: Actor) -> Q:
        if actor.is_platform_admin:
            return Q()
        return Q(region_id__in=actor.bureau_region_codes | actor.zone_region_codes)
