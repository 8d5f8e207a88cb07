"""复式记账 (ledger): a reusable double-entry ledger in integer 分.

`from xietong import ledger` then `ledger.post_entry(...)`, `ledger.balance_of(...)`,
`ledger.reverse_entry(...)`, `ledger.account_open(...)`; the names resolve lazily so importing the
package never touches the app registry.
"""

from __future__ import annotations

_SERVICES = {"post_entry", "reverse_entry", "account_open"}
_SELECTORS = {"balance_of", "balances_of", "account_history"}


def __getattr__(name: str):
    if name in _SERVICES:
        from xietong.ledger import services

        return getattr(services, name)
    if name in _SELECTORS:
        from xietong.ledger import selectors

        return getattr(selectors, name)
    raise AttributeError(name)
