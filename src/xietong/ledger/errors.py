"""Ledger errors: an unbalanced entry is a programming error (400); an overdraw is a conflict (409)."""

from django.utils.translation import gettext_lazy

from xietong.core.errors import Conflict, Invalid


class Unbalanced(Invalid):
    code = "ledger_unbalanced"
    default_message = gettext_lazy("分录借贷不平衡")


class Overdraw(Conflict):
    code = "insufficient_balance"
    default_message = gettext_lazy("余额不足")


class AlreadyReversed(Conflict):
    code = "already_reversed"
    default_message = gettext_lazy("该分录已被冲销")
