"""How money follows an order: other apps (the vouchers app) implement `OrderPaymentHooks` and register it.

CONTRACT:

- ``on_order_completed(order)`` is called inside the transaction in which the customer confirms completion,
  after the order's row is saved (``order.status == "completed"``; ``order.payable_fen`` is final).
- ``on_order_cancelled(order)`` is called inside the transaction in which an order ends without being served:
  the customer cancelled (``"cancelled"``, a late cancellation carries ``cancellation_fee_fen``), the provider
  rejected it (``"rejected"``) or the customer did not show up (``"no_show"``, with its fee).

Why not a signal on commit: money must move together with the state change that causes it. A hook that
raises rolls the whole order change back (the order stays as it was, the ledger unchanged), and the error
reaches the caller as the server fault it is; nothing is left half done for a check to find later.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from xietong.resources.models import ServiceOrder


class OrderPaymentHooks(Protocol):
    def on_order_completed(self, order: ServiceOrder) -> None: ...

    def on_order_cancelled(self, order: ServiceOrder) -> None: ...


_registry: list[OrderPaymentHooks] = []


def register(hooks: OrderPaymentHooks) -> OrderPaymentHooks:
    """Add `hooks` (once: registering the same object again changes nothing); called from AppConfig.ready."""
    if not any(existing is hooks for existing in _registry):
        _registry.append(hooks)
    return hooks


def unregister(hooks: OrderPaymentHooks) -> None:
    _registry[:] = [existing for existing in _registry if existing is not hooks]


def registered() -> tuple[OrderPaymentHooks, ...]:
    return tuple(_registry)


def completed(order: ServiceOrder) -> None:
    """Expects the caller's transaction: every registered app moves its money for the completed order."""
    for hooks in _registry:
        hooks.on_order_completed(order)


def cancelled(order: ServiceOrder) -> None:
    """Expects the caller's transaction: every registered app gives back what it held on the order."""
    for hooks in _registry:
        hooks.on_order_cancelled(order)
