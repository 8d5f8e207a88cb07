"""Listening to the resources app: a completed order moves its vouchers on, a cancelled one releases them."""

from __future__ import annotations


def _completed(sender, order, **kwargs) -> None:
    from xietong.vouchers.services import on_order_completed

    on_order_completed(order=order)


def _cancelled(sender, order, **kwargs) -> None:
    from xietong.vouchers.services import on_order_cancelled

    on_order_cancelled(order=order)


def connect() -> None:
    from xietong.resources.signals import order_cancelled, order_completed

    order_completed.connect(_completed, dispatch_uid="vouchers.order_completed")
    order_cancelled.connect(_cancelled, dispatch_uid="vouchers.order_cancelled")
