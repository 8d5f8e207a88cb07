"""Pure invariant checks over the ledger's data, run in tests and by `xietong check-ledger`.

Other apps add their own (grants within budget, statement totals …) with `register`; `run_all` runs
every registered check and returns the problems found (an empty list means the books are sound).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce

from xietong.ledger.enums import NormalSide
from xietong.ledger.models import Account, Entry, Posting


@dataclass(frozen=True)
class Problem:
    check: str
    message: str
    detail: dict[str, Any] = field(default_factory=dict)


Check = Callable[[], list[Problem]]
_REGISTRY: dict[str, Check] = {}


def register(check: Check) -> Check:
    _REGISTRY[check.__name__] = check
    return check


@register
def entries_balanced() -> list[Problem]:
    """Every entry's postings sum to zero."""
    rows = Posting.objects.values("entry_id").annotate(total=Sum("amount_fen")).filter(~Q(total=0))
    return [
        Problem("entries_balanced", f"分录 #{r['entry_id']} 借贷不平衡：合计 {r['total']} 分", dict(r))
        for r in rows
    ]


@register
def entries_have_two_postings() -> list[Problem]:
    rows = Entry.objects.annotate(n=Count("postings")).filter(n__lt=2).values_list("pk", "n")
    return [
        Problem("entries_have_two_postings", f"分录 #{pk} 只有 {n} 条过账", {"entry": pk}) for pk, n in rows
    ]


def _computed_balances() -> dict[int, int]:
    rows = Account.objects.annotate(total=Coalesce(Sum("postings__amount_fen"), 0)).values_list(
        "pk", "normal_side", "total"
    )
    return {pk: total if side == NormalSide.DEBIT else -total for pk, side, total in rows}


@register
def balances_match_postings() -> list[Problem]:
    """The cached balance of every account equals the sum of its postings."""
    computed = _computed_balances()
    out = []
    for pk, code, cached in Account.objects.values_list("pk", "code", "balance_fen"):
        if computed.get(pk, 0) != cached:
            out.append(
                Problem(
                    "balances_match_postings",
                    f"账户 {code} 余额 {cached} 分与过账合计 {computed.get(pk, 0)} 分不符",
                    {"account": code},
                )
            )
    return out


@register
def no_negative_balances() -> list[Problem]:
    computed = _computed_balances()
    out = []
    for pk, code in Account.objects.filter(allow_negative=False).values_list("pk", "code"):
        if computed.get(pk, 0) < 0:
            out.append(
                Problem("no_negative_balances", f"账户 {code} 余额为负：{computed[pk]} 分", {"account": code})
            )
    return out


@register
def reversals_mirror_originals() -> list[Problem]:
    """A reversal's postings are exactly its original's, negated."""
    out = []
    for entry in Entry.objects.filter(reverses__isnull=False).prefetch_related(
        "postings", "reverses__postings"
    ):
        mine = sorted((p.account_id, p.amount_fen) for p in entry.postings.all())
        theirs = sorted((p.account_id, -p.amount_fen) for p in entry.reverses.postings.all())
        if mine != theirs:
            out.append(
                Problem(
                    "reversals_mirror_originals", f"冲销分录 #{entry.pk} 与原分录不对应", {"entry": entry.pk}
                )
            )
    return out


def run_all() -> list[Problem]:
    problems: list[Problem] = []
    for check in _REGISTRY.values():
        problems.extend(check())
    return problems


def names() -> list[str]:
    return list(_REGISTRY)
