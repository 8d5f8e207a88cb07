"""The vouchers app's side of `resources.payment_hooks`: an order's reservations follow the order's fate.

Called inside the order's transaction, so a completed order and its vouchers' moves commit together or not
at all (a failure here rolls the order back too).
"""

from __future__ import annotations

from xietong.resources.models import ServiceOrder
from xietong.vouchers import services


class VoucherOrderPayments:
    def on_order_completed(self, order: ServiceOrder) -> None:
        services.on_order_completed(order=order)

    def on_order_cancelled(self, order: ServiceOrder) -> None:
        services.on_order_cancelled(order=order)


HOOKS = VoucherOrderPayments()
