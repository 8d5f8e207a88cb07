"""Expiry and forfeit: what is unused after the deadlines returns from the grant to the programme's budget."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext_lazy, gettext_noop

from xietong.core import audit
from xietong.core.actor import SYSTEM, Actor
from xietong.core.wording import Wording
from xietong.ledger import selectors as ledger_selectors
from xietong.ledger import services as ledger
from xietong.vouchers import locks
from xietong.vouchers.enums import EntryKind, GrantStatus, RedemptionStatus
from xietong.vouchers.models import Grant
from xietong.vouchers.services.common import today as _today
from xietong.vouchers.services.redemptions import _release


@transaction.atomic
def grants_expire(*, actor: Actor = SYSTEM, today: date | None = None) -> dict[str, int]:
    """Release reservations past their deadlines and lapse every expired grant's available balance (idempotent).

    - a voucher still reserved on an order that was not completed by the use deadline is released;
    - a completed service not claimed by the redemption deadline is released;
    - then each grant past its use deadline gives its available balance back to the budget (lapsed).
    """
    now = today or _today()
    stale = locks.redemptions_for_update().select_related("grant").filter(
        status=RedemptionStatus.RESERVED, grant__use_deadline__lt=now
    ) | locks.redemptions_for_update().select_related("grant").filter(
        status=RedemptionStatus.SERVICE_DONE, grant__redemption_deadline__lt=now
    )
    released = 0
    for redemption in stale.order_by("pk"):
        _release(
            actor=actor,
            redemption=redemption,
            status=RedemptionStatus.RELEASED,
            reason=gettext_lazy("逾期未使用或未申请兑付"),
        )
        released += 1
    lapsed_grants, lapsed_fen = 0, 0
    for grant in locks.grants_for_update().filter(use_deadline__lt=now).select_related("programme"):
        balance = ledger_selectors.balance_of(grant.available_account_id)
        if balance > 0:
            ledger.post_entry(
                kind=EntryKind.LAPSE,
                postings=[(grant.programme.budget_account, balance), (grant.available_account, -balance)],
                actor=actor,
                memo=Wording(gettext_noop("创新券 %(code)s 到期收回"), {"code": grant.code}),
            )
            # counter update on a grant locked by the sweep
            Grant.objects.filter(pk=grant.pk).update(lapsed_fen=F("lapsed_fen") + balance)
            lapsed_grants, lapsed_fen = lapsed_grants + 1, lapsed_fen + balance
            audit.record(actor=actor, verb="voucher.lapsed", target=grant, data={"fen": balance})
        if grant.status != GrantStatus.EXPIRED:
            grant.status = GrantStatus.EXPIRED
            grant.save(update_fields=["status"])
    return {"released": released, "lapsed_grants": lapsed_grants, "lapsed_fen": lapsed_fen}
