"""The only writer of postings: `post_entry`; corrections are `reverse_entry`, never edits."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext, gettext_noop

from xietong.core import hotsql
from xietong.core.actor import Actor
from xietong.core.money import format_yuan
from xietong.core.wording import Wording
from xietong.ledger.enums import NormalSide
from xietong.ledger.errors import AlreadyReversed, Overdraw, Unbalanced
from xietong.ledger.models import Account, Entry, Posting

MAX_POSTINGS = 1000


def account_open(
    *, code: str, name: str, kind: str, normal_side: str = NormalSide.DEBIT, allow_negative: bool = False
) -> Account:
    """The account with this code, created on first use (idempotent)."""
    account, _ = Account.objects.get_or_create(
        code=code,
        defaults={
            "name": name[:200],
            "kind": kind,
            "normal_side": normal_side,
            "allow_negative": allow_negative,
        },
    )
    return account


def _legs(postings: Iterable[tuple[Account, int]]) -> list[tuple[Account, int]]:
    """Validated (account, signed amount) pairs: whole 分, none zero, at least two, summing to zero."""
    legs = list(postings)
    if len(legs) < 2 or len(legs) > MAX_POSTINGS:
        raise Unbalanced(gettext("一笔分录至少需要两条过账"), count=len(legs))
    for account, amount in legs:
        if isinstance(amount, bool) or not isinstance(amount, int):
            raise Unbalanced(gettext("过账金额必须是整数分"), account=getattr(account, "code", ""))
        if amount == 0:
            raise Unbalanced(gettext("过账金额不能为零"), account=account.code)
        if account.pk is None:
            raise Unbalanced(gettext("账户尚未开立"), account=account.code)
    total = sum(amount for _, amount in legs)
    if total != 0:
        raise Unbalanced(gettext("分录借贷不平衡：合计 %(total)s 分") % {"total": total}, total_fen=total)
    return legs


def post_entry(
    *,
    kind: str,
    postings: Sequence[tuple[Account, int]],
    actor: Actor,
    memo: str = "",
    idempotency_key: str | None = None,
    reverses: Entry | None = None,
    data: dict[str, Any] | None = None,
) -> Entry:
    """Write one balanced entry and move the cached balances; an overdraw raises and writes nothing.

    Amounts are signed 分 (debit > 0, credit < 0). With an idempotency key, a replay returns the entry
    written the first time and changes nothing. A `core.wording.Wording` memo is stored in Chinese (the record)
    with its template and parameters in ``data["memo"]`` (`Entry.shown_memo`).

    Runs in the caller's transaction without a savepoint of its own (two statements fewer on the busiest path):
    the balances move first, an overdraw undoes the moves already made and is raised once nothing is left
    written, so a caller may catch it and go on; any other error leaves the caller's transaction to roll back.
    """
    legs = _legs(postings)
    if isinstance(memo, Wording):  # kept worded too, so that pages show it in the reader's language
        data, memo = {**(data or {}), "memo": memo.as_json()}, memo.zh()
    with transaction.atomic(savepoint=False):
        if idempotency_key and (
            done := Entry.objects.filter(idempotency_key=idempotency_key).first()
        ):  # tenancy-ok: the ledger's own bookkeeping (idempotent replay), called after a policy check
            return done
        refused = _move_balances(legs)
        if refused is None:
            # Plain INSERTs (core.hotsql): every voucher use and release passes here.
            entry = hotsql.create(
                Entry,
                kind=kind,
                memo=memo[:300],
                idempotency_key=idempotency_key or None,
                reverses=reverses,
                actor_user_id=actor.user_id,
                actor_label=actor.label,
                data=data or {},
            )
            hotsql.insert([Posting(entry=entry, account=a, amount_fen=amount) for a, amount in legs])
            return entry
    raise refused


# The F() counter move with its no-negative guard, in SQL: see _move_balances.
_MOVE_SQL = (
    f"UPDATE {Account._meta.db_table} SET balance_fen = balance_fen + %s "
    "WHERE id = %s AND (allow_negative OR balance_fen >= %s)"
)
_UNDO_SQL = f"UPDATE {Account._meta.db_table} SET balance_fen = balance_fen - %s WHERE id = %s"


def _move_balances(legs: list[tuple[Account, int]]) -> Overdraw | None:
    """Apply each account's net change in pk order (no deadlocks); a balance never goes below zero.

    One conditional UPDATE per account (the F() counter move, spelled in SQL): this is the hottest statement
    of the platform, and building it through the ORM costs ten times what the database spends running it.
    When an account cannot pay, the moves already made are undone (their rows are still locked by this
    transaction) and the overdraw is returned for the caller to raise.
    """
    net: dict[int, int] = defaultdict(int)
    accounts = {}
    for account, amount in legs:
        net[account.pk] += amount * account.sign
        accounts[account.pk] = account
    moved: list[tuple[int, int]] = []
    with hotsql.cursor() as cursor:
        for pk in sorted(net):
            delta = net[pk]
            if delta == 0:
                continue
            cursor.execute(_MOVE_SQL, [delta, pk, -delta])
            if cursor.rowcount == 1:
                moved.append((pk, delta))
                continue
            for done_pk, done_delta in reversed(moved):
                cursor.execute(_UNDO_SQL, [done_delta, done_pk])
            balance = Account.objects.values_list("balance_fen", flat=True).get(
                pk=pk
            )  # tenancy-ok: the ledger's own bookkeeping, called by services after their policy check
            return Overdraw(
                gettext("%(name)s余额不足：可用 %(balance)s，需要 %(value)s")
                % {"name": accounts[pk].name, "balance": format_yuan(balance), "value": format_yuan(-delta)},
                account=accounts[pk].code,
                remaining_fen=balance,
                required_fen=-delta,
            )
    return None


@transaction.atomic
def reverse_entry(*, entry: Entry, actor: Actor, memo: str = "", idempotency_key: str | None = None) -> Entry:
    """A new entry with every posting negated; the original stays as written. An entry is reversed once."""
    # Lock the original so two reversals cannot race past the check below.
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    if Entry.objects.filter(
        reverses=entry
    ).exists():  # tenancy-ok: the ledger's own bookkeeping, called by services after their policy check
        raise AlreadyReversed(entry_id=entry.pk)
    legs = [(p.account, -p.amount_fen) for p in entry.postings.select_related("account").order_by("id")]
    return post_entry(
        kind=f"{entry.kind}.reversal"[:40],
        postings=legs,
        actor=actor,
        memo=memo or Wording(gettext_noop("冲销分录 #%(entry)s"), {"entry": entry.pk}),
        idempotency_key=idempotency_key,
        reverses=entry,
        data={"reverses": entry.pk},
    )
