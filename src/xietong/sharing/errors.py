"""This app's errors, each with a code and a 中文 message (the engine's are translated by rule_messages)."""

from django.utils.translation import gettext_lazy

from xietong.core.errors import Conflict, Invalid, NotFound


class BadRules(Invalid):
    code = "sharing_bad_rules"
    default_message = gettext_lazy("分配规则有误")


class OverlappingVersions(Conflict):
    code = "sharing_overlapping_versions"
    default_message = gettext_lazy("协议版本的有效期重叠")


class ClosedPeriod(Conflict):
    code = "sharing_closed_period"
    default_message = gettext_lazy("该期间已按已关闭的协议版本结算，不能再修改")


class OutsidePark(Invalid):
    code = "sharing_outside_park"
    default_message = gettext_lazy("企业不在该园区范围内")


class NoVersion(Invalid):
    code = "sharing_no_version"
    default_message = gettext_lazy("该期间没有生效的协议版本")


class AgreementNotFound(NotFound):
    code = "not_found"
    default_message = gettext_lazy("利益共享协议不存在或您无权查看")
