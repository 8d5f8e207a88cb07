"""Every actor-scoped read of the vouchers app."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from xietong.core.actor import Actor
from xietong.core.errors import NotFound
from xietong.ledger import selectors as ledger_selectors
from xietong.vouchers.enums import ApplicationStatus, RedemptionStatus
from xietong.vouchers.models import Application, Grant, Programme, Redemption, Statement
from xietong.vouchers.policies import (
    ApplicationPolicy,
    GrantPolicy,
    ProgrammePolicy,
    RedemptionPolicy,
    StatementPolicy,
    managed_q,
)


def _valid_id(value) -> bool:
    return isinstance(value, int) and 0 < value < 2**63


def programme_list(*, actor: Actor) -> QuerySet[Programme]:
    return (
        ProgrammePolicy.visible_qs(actor)
        .select_related("issuer_region", "issuer_zone")
        .order_by("-year", "id")
    )


def programmes_managed(*, actor: Actor) -> QuerySet[Programme]:
    return programme_list(actor=actor).filter(ProgrammePolicy.managed(actor))


def programme_get(*, actor: Actor, programme_id: int) -> Programme:
    programme = (
        programme_list(actor=actor).select_related("provider_zone").filter(pk=programme_id).first()
        if _valid_id(programme_id)
        else None
    )
    if programme is None:
        raise NotFound("创新券方案不存在")
    return programme


def application_list(
    *, actor: Actor, status: str = "", programme_id: int | None = None
) -> QuerySet[Application]:
    qs = ApplicationPolicy.visible_qs(actor).select_related("programme", "enterprise", "enterprise__region")
    if status:
        qs = qs.filter(status=status)
    if programme_id:
        qs = qs.filter(programme_id=programme_id)
    return qs.order_by("-id")


def _managed(actor: Actor, prefix: str) -> Q:
    """Rows of programmes the actor manages (for review queues, which read-only viewers do not get)."""
    return Q() if actor.is_platform_admin else managed_q(actor, prefix)


def application_review_queue(*, actor: Actor) -> QuerySet[Application]:
    return (
        Application.objects.filter(_managed(actor, "programme__"), status=ApplicationStatus.SUBMITTED)
        .select_related("programme", "enterprise", "enterprise__region")
        .order_by("created_at", "id")
    )


def application_get(*, actor: Actor, application_id: int) -> Application:
    app = (
        application_list(actor=actor).filter(pk=application_id).first() if _valid_id(application_id) else None
    )
    if app is None:
        raise NotFound("申领记录不存在")
    return app


def grant_list(*, actor: Actor, programme_id: int | None = None, mine: bool = False) -> QuerySet[Grant]:
    qs = GrantPolicy.visible_qs(actor).select_related(
        "programme", "enterprise", "available_account", "reserved_account"
    )
    if mine:
        qs = qs.filter(enterprise_id__in=actor.organisation_ids)
    if programme_id:
        qs = qs.filter(programme_id=programme_id)
    return qs.order_by("-id")


def grant_get(*, actor: Actor, grant_id: int) -> Grant:
    grant = grant_list(actor=actor).filter(pk=grant_id).first() if _valid_id(grant_id) else None
    if grant is None:
        raise NotFound("券不存在")  # same answer for "missing" and "not yours"
    return grant


@dataclass(frozen=True)
class GrantBalance:
    available_fen: int
    reserved_fen: int
    used_fen: int
    lapsed_fen: int


def grant_balance(grant: Grant) -> GrantBalance:
    balances = ledger_selectors.balances_of([grant.available_account_id, grant.reserved_account_id])
    available = balances.get(grant.available_account_id, 0)
    reserved = balances.get(grant.reserved_account_id, 0)
    return GrantBalance(
        available_fen=available,
        reserved_fen=reserved,
        used_fen=grant.amount_fen - available - reserved - grant.lapsed_fen,
        lapsed_fen=grant.lapsed_fen,
    )


def grant_history(grant: Grant) -> list[ledger_selectors.HistoryLine]:
    return ledger_selectors.account_history(grant.available_account)


def redemption_list(
    *, actor: Actor, status: str = "", programme_id: int | None = None, order_id: int | None = None
) -> QuerySet[Redemption]:
    qs = RedemptionPolicy.visible_qs(actor).select_related(
        "programme", "grant", "enterprise", "provider", "provider__region", "order"
    )
    if status:
        qs = qs.filter(status=status)
    if programme_id:
        qs = qs.filter(programme_id=programme_id)
    if order_id:
        qs = qs.filter(order_id=order_id)
    return qs.order_by("-id")


def redemption_get(*, actor: Actor, redemption_id: int) -> Redemption:
    found = (
        redemption_list(actor=actor).filter(pk=redemption_id).first() if _valid_id(redemption_id) else None
    )
    if found is None:
        raise NotFound("创新券使用记录不存在")
    return found


def claim_review_queue(*, actor: Actor) -> QuerySet[Redemption]:
    return redemption_list(actor=actor).filter(
        _managed(actor, "programme__"), status=RedemptionStatus.CLAIMED
    )


def publicity_list(*, actor: Actor) -> QuerySet[Redemption]:
    """The 公示 list: public; redemptions currently publicised."""
    return (
        Redemption.objects.filter(status=RedemptionStatus.PUBLICISED)
        .select_related("programme", "enterprise", "provider", "provider__region")
        .annotate(open_objections=Count("objections"))
        .order_by("publicity_ends_on", "id")
    )


def payable_list(*, actor: Actor) -> QuerySet[Redemption]:
    """Publicised redemptions whose 公示 has ended, ready for payment by the issuing bureau."""
    return redemption_list(actor=actor).filter(
        _managed(actor, "programme__"),
        status=RedemptionStatus.PUBLICISED,
        publicity_ends_on__lt=timezone.localdate(),
    )


def statement_list(*, actor: Actor, period=None) -> QuerySet[Statement]:
    qs = StatementPolicy.visible_qs(actor).select_related(
        "issuer_region", "issuer_zone", "counterpart_region"
    )
    if period:
        qs = qs.filter(period=period)
    return qs.order_by("-period", "issuer_key", "counterpart_region_id")


def statement_get(*, actor: Actor, statement_id: int) -> Statement:
    found = statement_list(actor=actor).filter(pk=statement_id).first() if _valid_id(statement_id) else None
    if found is None:
        raise NotFound("结算单不存在")
    return found


def statement_lines(statement: Statement):
    return statement.lines.select_related(
        "redemption",
        "redemption__provider",
        "redemption__enterprise",
        "redemption__programme",
        "redemption__order",
    ).order_by("id")


def programme_dashboard(programme: Programme) -> dict:
    """Budget used, by provider region and by provider, for the ECharts dashboard (four queries)."""
    granted = programme.grants.aggregate(total=Sum("amount_fen"), lapsed=Sum("lapsed_fen"))
    live = Redemption.objects.filter(programme=programme).exclude(
        status__in=[RedemptionStatus.RELEASED, RedemptionStatus.REJECTED, RedemptionStatus.REVOKED]
    )
    by_region = list(
        live.values("provider__region__name")
        .annotate(total=Sum("amount_fen"), n=Count("id"))
        .order_by("-total")
    )
    by_provider = list(
        live.values("provider__name").annotate(total=Sum("amount_fen"), n=Count("id")).order_by("-total")[:15]
    )
    by_status = list(live.values("status").annotate(total=Sum("amount_fen")).order_by("status"))
    return {
        "budget_fen": programme.budget_fen,
        "granted_fen": granted["total"] or 0,
        "lapsed_fen": granted["lapsed"] or 0,
        "remaining_fen": ledger_selectors.balance_of(programme.budget_account_id),
        "by_region": [
            {"name": r["provider__region__name"], "fen": r["total"], "n": r["n"]} for r in by_region
        ],
        "by_provider": [{"name": r["provider__name"], "fen": r["total"], "n": r["n"]} for r in by_provider],
        "by_status": [{"status": RedemptionStatus(r["status"]).label, "fen": r["total"]} for r in by_status],
    }
