"""Voucher invariants added to the ledger's checks (run in tests and by `xietong check-ledger`)."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Exists, OuterRef, Q, Sum

from xietong.ledger.checks import Problem, register
from xietong.ledger.models import Account, Posting
from xietong.resources.enums import OPEN_STATUSES, OrderStatus
from xietong.vouchers.enums import RedemptionStatus
from xietong.vouchers.models import Grant, Programme, Redemption, Statement, StatementLine

HELD = (RedemptionStatus.RESERVED, RedemptionStatus.SERVICE_DONE, RedemptionStatus.CLAIMED)
SPENT = (RedemptionStatus.PUBLICISED, RedemptionStatus.PAID)


def grants_within_budget() -> list[Problem]:
    """Σ granted − Σ lapsed ≤ budget, and the budget account holds exactly the rest."""
    out = []
    totals = {
        r["programme_id"]: (r["granted"] or 0, r["lapsed"] or 0)
        for r in Grant.objects.values("programme_id").annotate(
            granted=Sum("amount_fen"), lapsed=Sum("lapsed_fen")
        )
    }
    for programme in Programme.objects.select_related("budget_account"):
        granted, lapsed = totals.get(programme.pk, (0, 0))
        if granted - lapsed > programme.budget_fen:
            out.append(
                Problem(
                    "grants_within_budget",
                    f"方案 {programme.code} 发放超出预算",
                    {"programme": programme.code},
                )
            )
        expected = programme.budget_fen - granted + lapsed
        if programme.budget_account.balance_fen != expected:
            out.append(
                Problem(
                    "grants_within_budget",
                    f"方案 {programme.code} 可用预算 {programme.budget_account.balance_fen} 分，应为 {expected} 分",
                    {"programme": programme.code},
                )
            )
    return out


def grants_match_redemptions() -> list[Problem]:
    """Per grant: reserved = Σ held redemptions; available + reserved + spent + lapsed = amount."""
    held: dict[int, int] = defaultdict(int)
    spent: dict[int, int] = defaultdict(int)
    for grant_id, status, fen in Redemption.objects.values_list("grant_id", "status", "amount_fen"):
        if status in HELD:
            held[grant_id] += fen
        elif status in SPENT:
            spent[grant_id] += fen
    balances = dict(
        Account.objects.filter(kind__in=["grant", "grant_reserved"]).values_list("pk", "balance_fen")
    )
    out = []
    for grant in Grant.objects.only(
        "pk", "code", "amount_fen", "lapsed_fen", "available_account_id", "reserved_account_id"
    ):
        available, reserved = (
            balances.get(grant.available_account_id, 0),
            balances.get(grant.reserved_account_id, 0),
        )
        if reserved != held[grant.pk]:
            out.append(
                Problem(
                    "grants_match_redemptions",
                    f"券 {grant.code} 预留余额 {reserved} 分与使用记录 {held[grant.pk]} 分不符",
                )
            )
        if available + reserved + spent[grant.pk] + grant.lapsed_fen != grant.amount_fen:
            out.append(Problem("grants_match_redemptions", f"券 {grant.code} 可用+预留+已兑付+收回 ≠ 额度"))
    return out


def redemptions_unique() -> list[Problem]:
    """No idempotency key used twice on a grant, and no ledger entry serving two redemptions."""
    out = []
    dupes = Redemption.objects.values("grant_id", "idempotency_key").annotate(n=Count("id")).filter(n__gt=1)
    out += [
        Problem("redemptions_unique", f"券 #{d['grant_id']} 的幂等键 {d['idempotency_key']} 重复")
        for d in dupes
    ]
    for field in ("reserve_entry", "approve_entry", "pay_entry"):
        shared = (
            Redemption.objects.filter(**{f"{field}__isnull": False})
            .values(field)
            .annotate(n=Count("id"))
            .filter(n__gt=1)
        )
        out += [Problem("redemptions_unique", f"分录 #{d[field]} 被多条使用记录引用") for d in shared]
    return out


def statement_totals_match_postings() -> list[Problem]:
    """Each statement's total = Σ its lines = its entry; each line = its posting, on a cross-region account."""
    out = []
    lines = defaultdict(int)
    for statement_id, fen, posting_fen, kind in StatementLine.objects.values_list(
        "statement_id", "amount_fen", "posting__amount_fen", "posting__account__kind"
    ):
        lines[statement_id] += fen
        if fen != posting_fen or kind != "xr_receivable":
            out.append(Problem("statement_totals", f"结算单 #{statement_id} 的明细与过账不符"))
    entry_totals = dict(
        Posting.objects.filter(entry__in=Statement.objects.values("entry_id"), amount_fen__gt=0).values_list(
            "entry_id", "amount_fen"
        )
    )
    for statement in Statement.objects.only("pk", "number", "total_fen", "entry_id"):
        if not statement.total_fen == lines[statement.pk] == entry_totals.get(statement.entry_id):
            out.append(Problem("statement_totals", f"结算单 {statement.number} 合计与明细或分录不符"))
    return out


def statement_lines_traceable() -> list[Problem]:
    """Every line points at an existing cross-region receivable posting of its amount, made by the payment entry
    of the redemption it names (the lines carry no database foreign key: see `StatementLine`)."""
    paid_by = Redemption.objects.filter(pk=OuterRef(OuterRef("redemption_id"))).values("pay_entry_id")
    traceable = Posting.objects.filter(
        pk=OuterRef("posting_id"),
        amount_fen=OuterRef("amount_fen"),
        account__kind="xr_receivable",
        entry_id__in=paid_by,
    )
    bad = StatementLine.objects.filter(~Exists(traceable)).values_list("statement_id", "posting_id")[:20]
    return [
        Problem(
            "statement_lines",
            f"结算单 #{statement_id} 的明细（过账 #{posting_id}）找不到对应的过账或用券记录",
        )
        for statement_id, posting_id in bad
    ]


# The order states each redemption state may sit on: a reservation rides an open order, everything after
# 服务完成 needs a completed one; a released voucher may sit on any order (withdrawn, cancelled, excess freed).
ORDER_STATES_FOR = {
    RedemptionStatus.RESERVED: OPEN_STATUSES,
    **{
        status: (OrderStatus.COMPLETED,)
        for status in (
            RedemptionStatus.SERVICE_DONE,
            RedemptionStatus.CLAIMED,
            RedemptionStatus.PUBLICISED,
            RedemptionStatus.PAID,
            RedemptionStatus.REJECTED,
            RedemptionStatus.REVOKED,
        )
    },
}


def redemptions_match_orders() -> list[Problem]:
    """No redemption whose state disagrees with its order's: e.g. a voucher still reserved on a completed or
    cancelled order (money that did not follow the order), or one claimed on an order never completed."""
    agrees = Q(status=RedemptionStatus.RELEASED)
    for status, order_states in ORDER_STATES_FOR.items():
        agrees |= Q(status=status, order__status__in=order_states)
    rows = (
        Redemption.objects.exclude(agrees)
        .order_by("pk")
        .values_list("pk", "status", "order__number", "order__status")
    )
    redemption_labels, order_labels = dict(RedemptionStatus.choices), dict(OrderStatus.choices)
    return [
        Problem(
            "redemptions_match_orders",
            f"用券记录 #{pk} 状态为“{redemption_labels.get(status, status)}”，"
            f"而订单 {number} 状态为“{order_labels.get(order_status, order_status)}”",
            {"redemption": pk, "status": status, "order": number, "order_status": order_status},
        )
        for pk, status, number, order_status in rows
    ]


def install() -> None:
    for check in (
        grants_within_budget,
        grants_match_redemptions,
        redemptions_unique,
        statement_totals_match_postings,
        statement_lines_traceable,
        redemptions_match_orders,
    ):
        register(check)
