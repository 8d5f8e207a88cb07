"""Errors of the vouchers app, each with a code and a 中文 message."""

from django.utils.translation import gettext_lazy

from xietong.core.errors import Conflict, DomainError, Invalid


class NotEligible(Invalid):
    code = "not_eligible"
    default_message = gettext_lazy("不符合申领条件")


class OverCap(Invalid):
    code = "over_cap"
    default_message = gettext_lazy("超过上限")


class PastDeadline(Invalid):
    code = "past_deadline"
    default_message = gettext_lazy("已过截止日期")


class BadVoucherCode(Invalid):
    code = "bad_voucher_code"
    default_message = gettext_lazy("券码无效")


class IneligibleProvider(Invalid):
    code = "ineligible_provider"
    default_message = gettext_lazy("该服务机构不在本方案认可范围内")


class BadEvidence(Invalid):
    code = "bad_evidence"
    default_message = gettext_lazy("兑付材料不符合要求")


class WrongState(Conflict):
    code = "wrong_state"
    default_message = gettext_lazy("当前状态不允许该操作")


class KeyReused(Conflict):
    code = "idempotency_key_reused"
    default_message = gettext_lazy("幂等键已用于另一笔不同的请求")


class TooManyObjections(DomainError):
    status = 429
    code = "objection_limit"
    default_message = gettext_lazy("异议次数已达上限")
