"""Reads of balances and history (the ledger has no tenancy of its own: callers scope by their objects)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from xietong.core.wording import stored as worded
from xietong.ledger.models import Account, Posting


def balance_of(account: Account | int) -> int:
    """The account's balance in 分 on its normal side, read fresh from the database."""
    pk = account if isinstance(account, int) else account.pk
    return Account.objects.values_list("balance_fen", flat=True).get(pk=pk)


def balances_of(accounts: list[Account | int]) -> dict[int, int]:
    pks = [a if isinstance(a, int) else a.pk for a in accounts]
    return dict(Account.objects.filter(pk__in=pks).values_list("pk", "balance_fen"))


@dataclass(frozen=True)
class HistoryLine:
    posting_id: int
    entry_id: int
    kind: str
    memo: str
    created_at: datetime
    change_fen: int
    balance_fen: int


def account_history(account: Account, *, limit: int = 200, within=None) -> list[HistoryLine]:
    """The account's postings, oldest first, with the running balance in its normal side (one query).
    `within` (account ids, e.g. a policy-scoped subquery) lets the calling app scope the read in the same query."""
    postings = Posting.objects.filter(account=account)
    if within is not None:
        postings = postings.filter(account__in=within)
    rows = (
        postings.select_related("entry")
        .order_by("entry__created_at", "entry_id", "id")  # time order: an entry dated in the past sorts there
        .values_list(
            "pk",
            "entry_id",
            "entry__kind",
            "entry__memo",
            "entry__data__memo",
            "entry__created_at",
            "amount_fen",
        )
    )
    out, running = [], 0
    for pk, entry_id, kind, memo, memo_worded, created_at, amount in rows:
        change = amount * account.sign
        running += change
        out.append(HistoryLine(pk, entry_id, kind, worded(memo_worded, memo), created_at, change, running))
    return out[-limit:]
