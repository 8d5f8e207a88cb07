"""How pages and statements name a settlement's ledger entry: by what a person can recognise, never by its id.

A reader knows a booking by its period and kind (结算 or 调整), the day it was booked and the amount it
moved; the entry's database id ("#123") means nothing to them and cannot be looked up anywhere they see.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext

from xietong.core.money import format_yuan


def run_name(settlement) -> str:
    """ "2025-03 结算" or "2025-03 调整" (an adjustment posts only the difference to the period's first run)."""
    kind = gettext("调整") if settlement.adjusts_id else gettext("结算")
    return gettext("%(period)s %(kind)s") % {"period": settlement.period, "kind": kind}


def entry_reference(settlement, *, amount_fen: int | None = None) -> str:
    """The run's booking as "2025-03 结算（2025-04-02，记账 1,234.56 元）"; "—" when it posted nothing.

    The amount is the entry's debit total: given, or read from `entry_total_fen` (annotated by the sharing
    selectors); without it the reference names the period, kind and day only.
    """
    if not settlement.entry_id:
        return "—"
    day = timezone.localtime(settlement.created_at).strftime("%Y-%m-%d")
    if amount_fen is None:
        amount_fen = getattr(settlement, "entry_total_fen", None)
    if amount_fen is None:
        return gettext("%(run)s（%(day)s）") % {"run": run_name(settlement), "day": day}
    return gettext("%(run)s（%(day)s，记账 %(amount)s）") % {
        "run": run_name(settlement),
        "day": day,
        "amount": format_yuan(amount_fen),
    }
