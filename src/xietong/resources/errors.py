"""This app's domain errors (Chinese messages; statuses follow core.errors)."""

from django.utils.translation import gettext_lazy

from xietong.core.errors import Conflict


class SlotTaken(Conflict):
    code = "slot_taken"
    default_message = gettext_lazy("该时段已被预约，请选择其他时段")


class BadTransition(Conflict):
    code = "bad_transition"
    default_message = gettext_lazy("订单当前状态不允许此操作")
