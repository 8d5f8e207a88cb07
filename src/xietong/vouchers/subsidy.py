"""The subsidy cap: how much of an order a programme's vouchers may cover.

A pure rule of the programme, in its own module so both the selectors (what the order page offers) and the
services (what a redemption may take) use this one definition without importing each other.
"""

from __future__ import annotations


def max_subsidy_fen(programme, payable_fen: int) -> int:
    """What the programme's vouchers may cover of an order: all of it below the threshold, else the ratio (floor)."""
    if payable_fen < programme.full_subsidy_below_fen:
        return payable_fen
    return payable_fen * programme.subsidy_ratio_bp // 10_000
