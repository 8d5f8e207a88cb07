"""The ledger is append-only on SQLite too: triggers refuse UPDATE and DELETE of entries and postings.

The triggers (migration 0006) fire only while ``xietong_ledger_sealed()`` is true. That SQL function is
registered on every SQLite connection this process opens; a connection without it (the sqlite3 shell, a
script) fails the statement with "no such function", so it refuses edits too. The one operation that lifts
the seal is ``flush`` (this app's override of Django's command), which empties every table at once; on
PostgreSQL it runs TRUNCATE, which row triggers do not see either, so both databases agree.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

_state = threading.local()
SQL_FUNCTION = "xietong_ledger_sealed"


def _sealed() -> int:
    return 0 if getattr(_state, "unsealed", False) else 1


def install_sql_function(sender, connection, **kwargs) -> None:
    """connection_created receiver: give every SQLite connection the function the triggers ask."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQL_FUNCTION, 0, _sealed)


@contextmanager
def unsealed_for_flush() -> Iterator[None]:
    """Only for emptying the whole database (``flush``) in this thread; never for editing the books."""
    _state.unsealed = True
    try:
        yield
    finally:
        _state.unsealed = False
