"""Cross-region settlement: per period, one statement per (issuing bureau, provider region).

Each line is one posting into an inter-region receivable account (a cross-region payout); generating the
statement moves the lines' total from receivable to payable in one entry, and marking it paid moves it
to settled. Running the generation again for a period creates nothing new.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, time

from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, Sum
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from xietong.core import audit, clock
from xietong.core.actor import SYSTEM, Actor
from xietong.core.errors import Conflict, Invalid
from xietong.core.wording import Wording
from xietong.ledger import services as ledger
from xietong.ledger.models import Account, Entry, Posting
from xietong.regions.models import Region, Zone
from xietong.vouchers import selectors
from xietong.vouchers.enums import EntryKind, StatementStatus
from xietong.vouchers.models import Redemption, Statement, StatementLine
from xietong.vouchers.policies import StatementPolicy
from xietong.vouchers.services import accounts

# Statements whose lines one INSERT … SELECT writes (two parameters each, well under SQLite's limit).
LINES_BATCH = 400
PERIOD = re.compile(r"^(\d{4})-(\d{2})$")


def parse_period(text: str) -> date:
    match = PERIOD.match((text or "").strip())
    if not match or not 1 <= int(match.group(2)) <= 12 or not 2000 <= int(match.group(1)) <= 2100:
        raise Invalid(gettext("结算期格式应为 YYYY-MM，例如 2026-11"), field="period")
    return date(int(match.group(1)), int(match.group(2)), 1)


def period_end(period: date) -> datetime:
    last = calendar.monthrange(period.year, period.month)[1]
    return timezone.make_aware(datetime.combine(date(period.year, period.month, last), time.max))


def _parse_account_code(code: str) -> tuple[str, str]:
    _, issuer_key, region_code, _ = code.split(":")
    return issuer_key, region_code


def _open_payouts(cutoff: datetime):
    """Cross-region payouts (debits to an inter-region receivable) up to the cutoff and on no statement yet."""
    return Posting.objects.filter(  # tenancy-ok: system-wide settlement run (platform task)
        account__kind="xr_receivable", amount_fen__gt=0, entry__created_at__lte=cutoff
    ).filter(
        ~Exists(StatementLine.objects.filter(posting_id=OuterRef("pk")))
    )  # tenancy-ok: system-wide settlement run (platform task)


@transaction.atomic
def statements_generate(*, period: date, actor: Actor = SYSTEM) -> list[Statement]:
    """Create the period's statements from every cross-region payout not yet on a statement (idempotent).

    Set-based, so that a period of a million payouts takes seconds, not hours: the receivable accounts are
    locked (pk order) so that no payout commits into them meanwhile; the open payouts are summed per account
    in the database; each statement gets its entry and row; then one INSERT … SELECT writes every line of
    every new statement, and the lines are counted and summed again per statement: they must equal its
    entry, or nothing at all is written.
    """
    cutoff = period_end(period)
    receivables = {
        a.pk: a for a in Account.objects.select_for_update().filter(kind="xr_receivable").order_by("pk")
    }
    groups = list(
        _open_payouts(cutoff)
        .values("account_id")
        .annotate(total=Sum("amount_fen"), lines=Count("id"))
        .order_by("account_id")
    )
    if not groups:
        return []
    keys = {g["account_id"]: _parse_account_code(receivables[g["account_id"]].code) for g in groups}
    done = set(
        Statement.objects.filter(period=period).values_list("issuer_key", "counterpart_region_id")
    )  # tenancy-ok: system-wide settlement run (platform task)
    regions = Region.objects.in_bulk(
        {region for _, region in keys.values()} | {k[1:] for k, _ in keys.values() if k.startswith("R")}
    )
    zones = Zone.objects.in_bulk([int(k[1:]) for k, _ in keys.values() if k.startswith("Z")])
    created: dict[int, Statement] = {}
    for group in groups:
        issuer_key, region_code = keys[group["account_id"]]
        if (issuer_key, region_code) in done:
            continue  # this period was settled already; later payouts go to the next period's statement
        issuer_region = regions.get(issuer_key[1:]) if issuer_key.startswith("R") else None
        issuer_zone = zones.get(int(issuer_key[1:])) if issuer_key.startswith("Z") else None
        created[group["account_id"]] = _statement_for(
            period=period,
            receivable=receivables[group["account_id"]],
            issuer=(issuer_key, issuer_region, issuer_zone),
            region=regions[region_code],
            total=group["total"],
            lines=group["lines"],
            actor=actor,
        )
    batch = list(created.items())
    for start in range(0, len(batch), LINES_BATCH):
        _insert_lines(statements=dict(batch[start : start + LINES_BATCH]), cutoff=cutoff)
    _check_lines(list(created.values()))
    return list(created.values())


def _statement_for(
    *,
    period: date,
    receivable: Account,
    issuer: tuple[str, Region | None, Zone | None],
    region: Region,
    total: int,
    lines: int,
    actor: Actor,
) -> Statement:
    """One statement's entry (receivable → payable) and row, without its lines. Expects the receivable locked."""
    issuer_key, issuer_region, issuer_zone = issuer
    label = f"{issuer_region or issuer_zone}→{region.name}"
    payable = accounts.interregion_payable(issuer_key=issuer_key, region_code=region.pk, label=label)
    number = f"JS{period:%Y%m}-{issuer_key}-{region.pk}"
    entry = ledger.post_entry(
        kind=EntryKind.STATEMENT,
        postings=[(payable, total), (receivable, -total)],
        actor=actor,
        memo=Wording(gettext_noop("结算单 %(number)s"), {"number": number}),
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
        line_count=lines,
        entry=entry,
    )
    audit.record(
        actor=actor,
        verb="voucher.statement_generated",
        target=statement,
        data={"fen": total, "lines": lines},
    )
    return statement


def _insert_lines(*, statements: dict[int, Statement], cutoff: datetime) -> None:
    """Every open payout into the statements' receivables becomes a line of its statement, with the
    redemption its entry paid: one INSERT … SELECT, in posting order. Expects the receivables locked."""
    line, posting = StatementLine._meta.db_table, Posting._meta.db_table
    entry, redemption = Entry._meta.db_table, Redemption._meta.db_table
    pairs = ", ".join(["(%s, %s)"] * len(statements))
    sql = f"""
        INSERT INTO {line} (statement_id, posting_id, redemption_id, amount_fen)
        SELECT s.column2, p.id, r.id, p.amount_fen
        FROM (VALUES {pairs}) AS s
        JOIN {posting} p ON p.account_id = s.column1
        JOIN {entry} e ON e.id = p.entry_id
        JOIN {redemption} r ON r.pay_entry_id = p.entry_id
        WHERE p.amount_fen > 0 AND e.created_at <= %s
          AND NOT EXISTS (SELECT 1 FROM {line} l WHERE l.posting_id = p.id)
        ORDER BY p.id
    """
    params = [x for account_id, statement in statements.items() for x in (account_id, statement.pk)]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, connection.ops.adapt_datetimefield_value(cutoff)])


def _check_lines(statements: list[Statement]) -> None:
    """Each statement's lines, counted and summed again, equal its entry; else the whole run is undone."""
    written = {
        row["statement_id"]: (row["n"], row["fen"])
        for row in StatementLine.objects.filter(
            statement__in=statements
        )  # tenancy-ok: totals of the statements this run just wrote
        .values("statement_id")
        .annotate(n=Count("id"), fen=Sum("amount_fen"))
        .order_by()
    }
    for statement in statements:
        n, fen = written.get(statement.pk, (0, 0))
        if (n, fen) != (statement.line_count, statement.total_fen):
            raise Conflict(
                gettext(
                    "结算单 %(number)s 明细与过账不一致（明细 %(n)s 条，应为 %(line_count)s 条），本次未生成任何结算单"
                )
                % {"number": statement.number, "n": n, "line_count": statement.line_count},
                code="statement_mismatch",
            )


@transaction.atomic
def statement_mark_paid(*, actor: Actor, statement_id: int, reference: str) -> Statement:
    """The issuing bureau records the transfer to the provider region with its bank reference."""
    statement = selectors.statement_get(actor=actor, statement_id=statement_id)
    StatementPolicy.require(actor, "mark_paid", statement)
    reference = (reference or "").strip()
    if not 2 <= len(reference) <= 60:
        raise Invalid(gettext("请填写支付凭证号（2–60 个字符）"), field="reference")
    statement = (
        Statement.objects.select_for_update(of=("self",))  # re-read under lock after the check
        .select_related("counterpart_region")
        .get(pk=statement.pk)
    )
    if statement.status == StatementStatus.PAID:
        raise Conflict(
            gettext("结算单已于 %(paid_at)s 支付")
            % {"paid_at": format(timezone.localtime(statement.paid_at), "%Y-%m-%d")}
        )
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
        memo=Wording(
            gettext_noop("结算单 %(number)s 已支付（%(reference)s）"),
            {"number": statement.number, "reference": reference},
        ),
        idempotency_key=f"voucher.statement_paid:{statement.number}",
    )
    statement.status, statement.paid_entry, statement.paid_reference, statement.paid_at = (
        StatementStatus.PAID,
        entry,
        reference,
        clock.now(),
    )
    statement.save(update_fields=["status", "paid_entry", "paid_reference", "paid_at"])
    audit.record(actor=actor, verb="voucher.statement_paid", target=statement, data={"reference": reference})
    return statement
