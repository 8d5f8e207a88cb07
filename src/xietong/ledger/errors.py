"""Ledger errors: an unbalanced entry is a programming error (400); an overdraw is a conflict (409)."""

from xietong.core.errors import Conflict, Invalid


class Unbalanced(Invalid):
    code = "ledger_unbalanced"
    default_message = "分录借贷不平衡"


class Overdraw(Conflict):
    code = "insufficient_balance"
    default_message = "余额不足"


class AlreadyReversed(Conflict):
    code = "already_reversed"
    default_message = "该分录已被冲销"
