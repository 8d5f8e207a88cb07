"""Cross-region settlement: per period, one statement per (issuing bureau, provider region).

Each line is one posting into an inter-region receivable account (a cross-region payout); generating the
statement moves the lines' total from receivable to payable in one entry, and marking it paid moves it
to settled. Running the generation again for a period creates nothing new.
"""

from __future__ import annotations

import calendar
import re
from collections import defaultdict
from datetime import date, datetime, time

from django.db import transaction
from django.utils import timezone

from xietong.core import audit
from xietong.core.actor import SYSTEM, Actor
from xietong.core.errors import Conflict, Invalid
from xietong.ledger import services as ledger
from xietong.ledger.models import Account, Posting
from xietong.regions.models import Region, Zone
from xietong.vouchers import selectors
from xietong.vouchers.enums import EntryKind, StatementStatus
from xietong.vouchers.models import Redemption, Statement, StatementLine
from xietong.vouchers.policies import StatementPolicy
from xietong.vouchers.services import accounts

PERIOD = re.compile(r"^(\d{4})-(\d{2})$")


def parse_period(text: str) -> date:
    match = PERIOD.match((text or "").strip())
    if not match or not 1 <= int(match.group(2)) <= 12 or not 2000 <= int(match.group(1)) <= 2100:
        raise Invalid("结算期格式应为 YYYY-MM，例如 2026-11", field="period")
    return date(int(match.group(1)), int(match.group(2)), 1)


def period_end(period: date) -> datetime:
    last = calendar.monthrange(period.year, period.month)[1]
    return timezone.make_aware(datetime.combine(date(period.year, period.month, last), time.max))


def _parse_account_code(code: str) -> tuple[str, str]:
    _, issuer_key, region_code, _ = code.split(":")
    return issuer_key, region_code


@transaction.atomic
def statements_generate(*, period: date, actor: Actor = SYSTEM) -> list[Statement]:
    """Create the period's statements from every cross-region payout not yet on a statement (idempotent)."""
    cutoff = period_end(period)
    settled = StatementLine.objects.values("posting_id")
    open_postings = (
        Posting.objects.filter(account__kind="xr_receivable", amount_fen__gt=0, entry__created_at__lte=cutoff)
        .exclude(pk__in=settled)
        .select_related("account")
        .order_by("pk")
    )
    groups: dict[int, list[Posting]] = defaultdict(list)
    for posting in open_postings:
        groups[posting.account_id].append(posting)
    created = []
    for postings in groups.values():
        statement = _statement_for(period=period, postings=postings, actor=actor)
        if statement is not None:
            created.append(statement)
    return created


def _statement_for(*, period: date, postings: list[Posting], actor: Actor) -> Statement | None:
    receivable: Account = postings[0].account
    issuer_key, region_code = _parse_account_code(receivable.code)
    # tenancy-ok: system-wide settlement run (platform task)
    if Statement.objects.filter(
        issuer_key=issuer_key, counterpart_region_id=region_code, period=period
    ).exists():
        return None  # this period was settled already; later payouts go to the next period's statement
    total = sum(p.amount_fen for p in postings)
    region = Region.objects.get(pk=region_code)
    issuer_region = Region.objects.filter(pk=issuer_key[1:]).first() if issuer_key.startswith("R") else None
    issuer_zone = Zone.objects.filter(pk=int(issuer_key[1:])).first() if issuer_key.startswith("Z") else None
    label = f"{issuer_region or issuer_zone}→{region.name}"
    payable = accounts.interregion_payable(issuer_key=issuer_key, region_code=region_code, label=label)
    number = f"JS{period:%Y%m}-{issuer_key}-{region_code}"
    entry = ledger.post_entry(
        kind=EntryKind.STATEMENT,
        postings=[(payable, total), (receivable, -total)],
        actor=actor,
        memo=f"结算单 {number}",
        idempotency_key=f"voucher.statement:{number}",
    )
    statement = Statement.objects.create(
        number=number,
        issuer_key=issuer_key,
        issuer_region=issuer_region,
        issuer_zone=issuer_zone,
        counterpart_region=region,
        period=period,
        total_fen=total,
        line_count=len(postings),
        entry=entry,
    )
    by_entry = dict(
        # tenancy-ok: system-wide settlement run (platform task)
        Redemption.objects.filter(pay_entry_id__in=[p.entry_id for p in postings]).values_list(
            "pay_entry_id", "pk"
        )
    )
    StatementLine.objects.bulk_create(
        StatementLine(
            statement=statement, posting=p, redemption_id=by_entry[p.entry_id], amount_fen=p.amount_fen
        )
        for p in postings
    )
    audit.record(
        actor=actor,
        verb="voucher.statement_generated",
        target=statement,
        data={"fen": total, "lines": len(postings)},
    )
    return statement


@transaction.atomic
def statement_mark_paid(*, actor: Actor, statement_id: int, reference: str) -> Statement:
    """The issuing bureau records the transfer to the provider region with its bank reference."""
    statement = selectors.statement_get(actor=actor, statement_id=statement_id)
    StatementPolicy.require(actor, "mark_paid", statement)
    reference = (reference or "").strip()
    if not 2 <= len(reference) <= 60:
        raise Invalid("请填写支付凭证号（2–60 个字符）", field="reference")
    statement = (
        Statement.objects.select_for_update(of=("self",))
        .select_related("counterpart_region")
        .get(pk=statement.pk)
    )  # tenancy-ok: checked above
    if statement.status == StatementStatus.PAID:
        raise Conflict(f"结算单已于 {timezone.localtime(statement.paid_at):%Y-%m-%d} 支付")
    label = f"{statement.issuer_name}→{statement.counterpart_region.name}"
    payable = accounts.interregion_payable(
        issuer_key=statement.issuer_key, region_code=statement.counterpart_region_id, label=label
    )
    settled = accounts.interregion_settled(
        issuer_key=statement.issuer_key, region_code=statement.counterpart_region_id, label=label
    )
    entry = ledger.post_entry(
        kind=EntryKind.STATEMENT_PAID,
        postings=[(settled, statement.total_fen), (payable, -statement.total_fen)],
        actor=actor,
        memo=f"结算单 {statement.number} 已支付（{reference}）",
        idempotency_key=f"voucher.statement_paid:{statement.number}",
    )
    statement.status, statement.paid_entry, statement.paid_reference, statement.paid_at = (
        StatementStatus.PAID,
        entry,
        reference,
        timezone.now(),
    )
    statement.save(update_fields=["status", "paid_entry", "paid_reference", "paid_at"])
    audit.record(actor=actor, verb="voucher.statement_paid", target=statement, data={"reference": reference})
    return statement
