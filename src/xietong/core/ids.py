"""Database ids: the one bound every schema, form and selector checks before a lookup.

Primary keys are 64-bit (`BigAutoField`); a larger number in a URL or a payload cannot name a row, and passing
it to the database raises an overflow on PostgreSQL. Checking it first turns it into the ordinary 404/400.
"""

from __future__ import annotations

MAX_ID = 2**63 - 1


def is_valid_id(value: object) -> bool:
    """Whether `value` is an int (not a bool) that can be a primary key."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ID
