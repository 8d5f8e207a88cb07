"""Signals other apps listen to (the vouchers app reserves and releases voucher money on them).

CONTRACT:

- ``order_completed`` is sent with ``order=<ServiceOrder>`` after the transaction in which the customer
  confirmed completion commits (``order.status == "completed"``; ``order.payable_fen`` is final).
- ``order_cancelled`` is sent with ``order=<ServiceOrder>`` after the transaction in which an order
  ended without being served commits: the customer cancelled (``status == "cancelled"``, a late
  cancellation carries ``cancellation_fee_fen``), the provider rejected it (``"rejected"``) or the
  customer did not show up (``"no_show"``, with its fee in ``cancellation_fee_fen``).

Both are sent through ``transaction.on_commit``: a rolled-back change sends nothing, and receivers run
after the order's row is committed (inside tests' atomic blocks, use ``captureOnCommitCallbacks``).
"""

from __future__ import annotations

from django.db import transaction
from django.dispatch import Signal

order_completed = Signal()
order_cancelled = Signal()


def send_on_commit(signal: Signal, order) -> None:
    """Send `signal` with `order=` once the surrounding transaction commits."""
    from xietong.resources.models import ServiceOrder

    transaction.on_commit(lambda: signal.send(sender=ServiceOrder, order=order))
