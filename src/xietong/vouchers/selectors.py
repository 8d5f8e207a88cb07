"""Every actor-scoped read of the vouchers app."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from xietong.core import clock
from xietong.core.actor import Actor
from xietong.core.errors import Forbidden, NotFound
from xietong.core.ids import is_valid_id
from xietong.core.policies import get_visible
from xietong.ledger import selectors as ledger_selectors
from xietong.resources.enums import OPEN_STATUSES
from xietong.resources.policies import OrderPolicy
from xietong.vouchers import review_levels
from xietong.vouchers.enums import (
    OPEN_REDEMPTION,
    ApplicationStatus,
    GrantStatus,
    ObjectionStatus,
    RedemptionStatus,
)
from xietong.vouchers.models import (
    Application,
    ApplicationAttachment,
    ApplicationReview,
    BundlePartner,
    Evidence,
    Grant,
    Objection,
    PayeeAccount,
    Programme,
    Redemption,
    Statement,
)
from xietong.vouchers.policies import (
    ApplicationPolicy,
    BundlePolicy,
    GrantPolicy,
    ObjectionPolicy,
    ProgrammePolicy,
    RedemptionPolicy,
    StatementPolicy,
    managed_q,
    waiting_for_q,
)
from xietong.vouchers.subsidy import max_subsidy_fen


def programme_list(*, actor: Actor) -> QuerySet[Programme]:
    return (
        ProgrammePolicy.visible_qs(actor)
        .select_related("issuer_region", "issuer_zone")
        .order_by("-year", "id")
    )


def programmes_managed(*, actor: Actor) -> QuerySet[Programme]:
    return programme_list(actor=actor).filter(ProgrammePolicy.managed(actor))


def programme_get(*, actor: Actor, programme_id: int) -> Programme:
    qs = programme_list(actor=actor).select_related("provider_zone")
    return get_visible(qs, _("创新券方案不存在"), pk=programme_id)


def application_list(
    *, actor: Actor, status: str = "", programme_id: int | None = None, mine: bool = False
) -> QuerySet[Application]:
    qs = ApplicationPolicy.visible_qs(actor).select_related(
        "programme", "enterprise", "enterprise__region", "review_region"
    )
    if mine:
        qs = qs.filter(enterprise_id__in=actor.organisation_ids)
    if status:
        qs = qs.filter(status=status)
    if programme_id:
        qs = qs.filter(programme_id=programme_id)
    return qs.order_by("-id")


def _managed(actor: Actor, prefix: str) -> Q:
    """Rows of programmes the actor manages (for review queues, which read-only viewers do not get)."""
    return Q() if actor.is_platform_admin else managed_q(actor, prefix)


def application_review_queue(*, actor: Actor) -> QuerySet[Application]:
    """What waits at the actor's level: the issuer's step of its programmes, or a lower step in its own region."""
    return (
        ApplicationPolicy.visible_qs(actor)
        .filter(waiting_for_q(actor), status=ApplicationStatus.SUBMITTED)
        .select_related("programme", "enterprise", "enterprise__region", "review_region")
        .order_by("created_at", "id")
    )


def application_get(*, actor: Actor, application_id: int) -> Application:
    return get_visible(application_list(actor=actor), _("申领记录不存在"), pk=application_id)


def application_steps(*, actor: Actor, application: Application) -> list[ApplicationReview]:
    """The review steps taken so far (application resolved through `application_get`, so the actor sees it)."""
    return list(application.reviews.select_related("region").order_by("id"))


def application_detail(*, actor: Actor, application_id: int) -> Application:
    """The application with its steps, attachments and where it waits (for the API's detail)."""
    application = application_get(actor=actor, application_id=application_id)
    waiting = application_waiting_at(application=application)
    application.waiting_at = "".join(waiting) if waiting else ""
    application.steps = application_steps(actor=actor, application=application)
    return application


def application_attachments(*, actor: Actor, application: Application) -> list[ApplicationAttachment]:
    """The enterprise's attachments (application resolved through `application_get`)."""
    return list(application.attachments.order_by("id"))


def application_waiting_at(*, application: Application) -> tuple[str, str] | None:
    """Pure: reads only the application the caller fetched through `application_get` (and its enterprise's
    region). Where a submitted application waits: ("嘉兴市南湖区", "初审"); None once decided."""
    if application.status != ApplicationStatus.SUBMITTED:
        return None
    region = application.enterprise.region
    return review_levels.step(application.programme, region, application.review_region)


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
    return get_visible(
        grant_list(actor=actor), _("券不存在"), pk=grant_id
    )  # same answer for "missing" and "not yours"


@dataclass(frozen=True)
class GrantBalance:
    available_fen: int
    reserved_fen: int
    used_fen: int
    lapsed_fen: int


def grant_balance(*, actor: Actor, grant: Grant) -> GrantBalance:
    """Balances read fresh (one query) through `GrantPolicy`: NotFound for a grant the actor may not see."""
    balances = (
        GrantPolicy.visible_qs(actor)
        .filter(pk=grant.pk)
        .values_list("available_account__balance_fen", "reserved_account__balance_fen")
        .first()
    )
    if balances is None:
        raise NotFound(_("券不存在"))
    available, reserved = balances
    return GrantBalance(
        available_fen=available,
        reserved_fen=reserved,
        used_fen=grant.amount_fen - available - reserved - grant.lapsed_fen,
        lapsed_fen=grant.lapsed_fen,
    )


def grant_history(*, actor: Actor, grant: Grant) -> list[ledger_selectors.HistoryLine]:
    """The grant's available-account postings, restricted (in the same query) to grants the actor sees."""
    seen = GrantPolicy.visible_qs(actor).filter(pk=grant.pk).values("available_account")
    return ledger_selectors.account_history(grant.available_account, within=seen)


def orders_for_use(*, actor: Actor, grant: Grant, limit: int = 100) -> list:
    """The orders the grant may go on, for the grant page's picker: the holder's own open orders and those it
    was invited onto, that the actor sees (people pick an order by its number, never type a database id)."""
    invited = BundlePartner.objects.filter(enterprise_id=grant.enterprise_id).values("order_id")
    qs = (
        OrderPolicy.visible_qs(actor)
        .filter(Q(customer_id=grant.enterprise_id) | Q(pk__in=invited), status__in=OPEN_STATUSES)
        .exclude(provider_id=grant.enterprise_id)
        .select_related("resource", "provider")
        .order_by("-created_at", "-id")
    )
    return list(qs[:limit])


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
    return get_visible(redemption_list(actor=actor), _("创新券使用记录不存在"), pk=redemption_id)


def evidence_get(*, actor: Actor, redemption_id: int, evidence_id: int) -> Evidence:
    """One evidence file of a redemption, for those the policy lets read it; anyone else gets a 404."""
    redemption = redemption_get(actor=actor, redemption_id=redemption_id)
    if not RedemptionPolicy.can(actor, "read_evidence", redemption) or not is_valid_id(evidence_id):
        raise NotFound(_("兑付材料不存在"))
    found = (
        Evidence.objects.filter(redemption=redemption, pk=evidence_id).select_related("redemption").first()
    )
    if found is None:
        raise NotFound(_("兑付材料不存在"))
    return found


def claim_review_queue(*, actor: Actor) -> QuerySet[Redemption]:
    return redemption_list(actor=actor).filter(
        _managed(actor, "programme__"), status=RedemptionStatus.CLAIMED
    )


def publicity_list(*, actor: Actor) -> QuerySet[Redemption]:
    """The 公示 list: public (`RedemptionPolicy.publicised`); redemptions currently publicised."""
    open_only = Objection.objects.filter(status=ObjectionStatus.OPEN).order_by("id")
    return (
        Redemption.objects.filter(RedemptionPolicy.publicised())
        .select_related("programme", "enterprise", "provider", "provider__region", "order")
        .annotate(open_objections=Count("objections", filter=Q(objections__status=ObjectionStatus.OPEN)))
        .prefetch_related(Prefetch("objections", queryset=open_only, to_attr="open_objection_list"))
        .order_by("publicity_ends_on", "id")
    )


def redemption_papers(*, actor: Actor, redemption: Redemption) -> tuple[list, list]:
    """Evidence and objections of a redemption the actor sees (resolved through `redemption_get`); objections
    through `ObjectionPolicy`."""
    objections = ObjectionPolicy.visible_qs(actor).filter(redemption=redemption).order_by("id")
    return list(redemption.evidence.all()), list(objections)


def objection_get(*, actor: Actor, objection_id: int) -> Objection:
    return get_visible(ObjectionPolicy.visible_qs(actor), _("异议不存在"), pk=objection_id)


def payable_list(*, actor: Actor) -> QuerySet[Redemption]:
    """Publicised redemptions whose 公示 has ended, ready for payment by the issuing bureau."""
    return redemption_list(actor=actor).filter(
        _managed(actor, "programme__"),
        status=RedemptionStatus.PUBLICISED,
        publicity_ends_on__lt=clock.today(),
    )


def statement_list(*, actor: Actor, period=None) -> QuerySet[Statement]:
    qs = StatementPolicy.visible_qs(actor).select_related(
        "issuer_region", "issuer_zone", "counterpart_region"
    )
    if period:
        qs = qs.filter(period=period)
    return qs.order_by("-period", "issuer_key", "counterpart_region_id")


def statement_get(*, actor: Actor, statement_id: int) -> Statement:
    return get_visible(statement_list(actor=actor), _("结算单不存在"), pk=statement_id)


def statement_lines(*, actor: Actor, statement: Statement):
    """The statement's lines, restricted (in the same query) to statements the actor sees."""
    seen = StatementPolicy.visible_qs(actor).values("pk")
    return (
        statement.lines.filter(statement__in=seen)
        .select_related(
            "redemption",
            "redemption__provider",
            "redemption__enterprise",
            "redemption__programme",
            "redemption__order",
            "posting__entry",
        )
        .order_by("id")
    )


def programme_dashboard(*, actor: Actor, programme_id: int) -> dict:
    """Budget used, by provider region and by provider, for the ECharts dashboard (five queries); only for
    those `ProgrammePolicy` lets see it (its managers and the zone offices it concerns), Forbidden otherwise."""
    programme = programme_get(actor=actor, programme_id=programme_id)
    if not ProgrammePolicy.can(actor, "dashboard", programme):
        raise Forbidden(_("方案看板仅对发券部门和相关协同区办公室开放"))
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
        "programme": programme,
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


# ---------------------------------------------------------------- the voucher panel on an order page


@dataclass(frozen=True)
class UsableGrant:
    grant: Grant
    available_fen: int
    suggested_fen: int  # what this grant may still cover on the order (> 0)


@dataclass(frozen=True)
class OrderVouchers:
    redemptions: list[Redemption]
    usable: list[UsableGrant]
    partners: list
    is_open: bool
    is_customer: bool
    on_order_fen: int
    is_capped: bool = False


def order_vouchers(*, actor: Actor, order) -> OrderVouchers:
    """What the order page shows about vouchers: uses visible to the actor, and the actor's grants it may use here.

    `order` was already resolved through `resources.selectors.order_get`; a grant is usable when its holder is
    the order's customer or an invited bundle partner, it is active, before its use deadline and not empty.
    """
    redemptions = list(redemption_list(actor=actor, order_id=order.pk).order_by("id"))
    partners = _partners(actor, order)
    holders = {order.customer_id, *(p.enterprise_id for p in partners)} & set(actor.organisation_ids)
    is_open = order.status in OPEN_STATUSES
    usable: list[UsableGrant] = []
    is_capped = False  # the actor holds usable grants, but the order's caps are reached
    on_order = _open_on_order(order)
    if is_open and holders:
        grants = (
            grant_list(actor=actor)
            .filter(
                enterprise_id__in=holders,
                status=GrantStatus.ACTIVE,
                use_deadline__gte=clock.today(),
                available_account__balance_fen__gt=0,
            )
            .order_by("use_deadline", "id")
        )
        payable = order.payable_fen
        for grant in grants:
            available = grant.available_account.balance_fen
            room = min(
                max_subsidy_fen(grant.programme, payable)
                - on_order["by_programme"].get(grant.programme_id, 0),
                payable - on_order["total"],
            )
            if (suggested := min(available, room)) > 0:
                usable.append(UsableGrant(grant, available, suggested))
            else:
                is_capped = True
    return OrderVouchers(
        redemptions=redemptions,
        usable=usable,
        partners=partners,
        is_open=is_open,
        is_customer=order.customer_id in actor.organisation_ids,
        on_order_fen=on_order["total"],
        is_capped=is_capped,
    )


def _open_on_order(order) -> dict:
    by_programme = dict(
        # totals on an order the caller already resolved
        Redemption.objects.filter(order=order, status__in=OPEN_REDEMPTION)
        .values("programme_id")
        .annotate(total=Sum("amount_fen"))
        .values_list("programme_id", "total")
    )
    return {"total": sum(by_programme.values()), "by_programme": by_programme}


def _partners(actor: Actor, order) -> list[BundlePartner]:
    return list(
        BundlePolicy.visible_qs(actor).filter(order=order).select_related("enterprise").order_by("id")
    )


def order_partners(*, actor: Actor, order_id: int):
    """(order, partners) for the bundle page; the order through the resources selector (404 if not visible)."""
    from xietong.resources import selectors as resource_selectors

    order = resource_selectors.order_get(actor=actor, order_id=order_id)
    partners = _partners(actor, order)
    return order, partners


def enterprise_by_credit_code(*, actor: Actor, credit_code: str):
    """An approved enterprise by its 统一社会信用代码 (the directory's own visibility), else NotFound."""
    from xietong.orgs import selectors as org_selectors
    from xietong.orgs.enums import OrgKind, OrgStatus

    code = (credit_code or "").strip().upper()
    found = (
        org_selectors.organisation_list(
            actor=actor, filters=org_selectors.OrgFilters(kind=OrgKind.ENTERPRISE, status=OrgStatus.APPROVED)
        )
        .filter(credit_code=code)
        .first()
        if len(code) == 18
        else None
    )
    if found is None:
        raise NotFound(_("未找到该统一社会信用代码对应的已认证企业"))
    return found


def organisation_ids_by_credit_codes(*, actor: Actor, codes: list[str]) -> list[int]:
    """Ids of approved organisations with these credit codes; Invalid names the codes not found."""
    from xietong.core.errors import Invalid
    from xietong.orgs import selectors as org_selectors
    from xietong.orgs.enums import OrgStatus

    wanted = {c.strip().upper() for c in codes if c.strip()}
    rows = dict(
        org_selectors.organisation_list(
            actor=actor, filters=org_selectors.OrgFilters(status=OrgStatus.APPROVED)
        )
        .filter(credit_code__in=wanted)
        .values_list("credit_code", "pk")
    )
    missing = sorted(wanted - set(rows))
    if missing:
        raise Invalid(
            _("以下信用代码未找到已认证机构：%(missing)s") % {"missing": _("、").join(missing[:5])},
            field="named_providers",
        )
    return sorted(rows.values())


def issuer_choices(*, actor: Actor) -> list[tuple[str, str]]:
    """Where the actor may set up a programme: its governed regions (R:<code>) and its zones (Z:<code>)."""
    from xietong.regions.enums import RegionLevel
    from xietong.regions.models import Region, Zone

    if actor.is_platform_admin:
        regions = Region.objects.filter(level=RegionLevel.PROVINCE)
        zones = Zone.objects.all()
    else:
        codes = actor.bureau_region_codes
        regions = Region.objects.filter(code__in=codes).exclude(parent_id__in=codes)
        zones = Zone.objects.filter(pk__in=actor.zone_ids)
    out = [(f"R:{r.code}", r.name) for r in regions.order_by("code")]
    return out + [(f"Z:{z.code}", z.name) for z in zones.order_by("id")]


def zone_choices() -> list[tuple[str, str]]:
    """Public reference data (`ZonePolicy.visible` is every zone): the zones a programme may name."""
    from xietong.regions import selectors as region_selectors

    return [(z.code, z.name) for z in region_selectors.zone_list()]


def publicity_page_rows(*, actor: Actor, rows: list[Redemption]) -> list[Redemption]:
    """Mark the 公示 rows whose objections the actor may resolve (the issuing bureau)."""
    for row in rows:
        row.can_resolve = RedemptionPolicy.can(actor, "review", row)
    return rows


def bundle_invitations(*, actor: Actor) -> QuerySet[BundlePartner]:
    """Orders on which the actor's enterprises were invited to put their own vouchers."""
    return (
        BundlePolicy.visible_qs(actor)
        .filter(enterprise_id__in=actor.organisation_ids)
        .select_related("order", "order__resource", "order__provider", "order__customer", "enterprise")
        .order_by("-id")
    )


@dataclass(frozen=True)
class EnterpriseHistory:
    applications: list
    grants: list
    redemptions: list
    granted_fen: int
    redeemed_fen: int


def enterprise_history(*, actor: Actor, enterprise_id: int, exclude_application: int | None = None):
    """What the reviewer weighs beside an application: the firm's earlier applications, grants and 兑付,
    across every programme the reviewer may read (each list through its own policy)."""
    apps = application_list(actor=actor).filter(enterprise_id=enterprise_id)
    if exclude_application:
        apps = apps.exclude(pk=exclude_application)
    grants = grant_list(actor=actor).filter(enterprise_id=enterprise_id).order_by("-id")
    redemptions = redemption_list(actor=actor).filter(enterprise_id=enterprise_id)
    paid = redemptions.filter(status=RedemptionStatus.PAID).aggregate(s=Sum("amount_fen"))["s"] or 0
    return EnterpriseHistory(
        applications=list(apps[:20]),
        grants=list(grants[:20]),
        redemptions=list(redemptions[:20]),
        granted_fen=grants.aggregate(s=Sum("amount_fen"))["s"] or 0,
        redeemed_fen=paid,
    )


def statement_payee(*, actor: Actor, statement: Statement):
    """The account the statement is paid to (statement resolved through `statement_get`, so the actor sees
    it); None until the counterpart region's bureau records one."""
    return PayeeAccount.objects.filter(region_id=statement.counterpart_region_id).first()


def programme_publicity(*, actor: Actor, programme: Programme, q: str = "") -> QuerySet[Redemption]:
    """Public (a 公示 is public by rule): a programme's redemptions that went through 公示 — in 公示 now or paid
    after it — with only what a 公示 shows (enterprise, provider, amount, period); `q` searches both names."""
    qs = Redemption.objects.filter(
        programme=programme, status__in=[RedemptionStatus.PUBLICISED, RedemptionStatus.PAID]
    ).select_related("enterprise", "provider", "provider__region")
    text = (q or "").strip()[:50]
    if text:
        qs = qs.filter(Q(enterprise__name__contains=text) | Q(provider__name__contains=text))
    return qs.order_by("-publicity_starts_on", "-id")
