"""This app's domain errors (a code and a 中文 message each)."""

from django.utils.translation import gettext_lazy

from xietong.core.errors import Conflict, Invalid, NotFound


class ProfileNotFound(NotFound):
    code = "talent_profile_not_found"
    default_message = gettext_lazy("人才档案不存在")


class ExpertNotFound(NotFound):
    code = "expert_not_found"
    default_message = gettext_lazy("专家不存在")


class SchemeNotFound(NotFound):
    code = "scheme_not_found"
    default_message = gettext_lazy("人才卡（认定）制度不存在")


class AgreementNotFound(NotFound):
    code = "agreement_not_found"
    default_message = gettext_lazy("互认协议不存在")


class AppointmentNotFound(NotFound):
    code = "appointment_not_found"
    default_message = gettext_lazy("柔性聘用不存在")


class RoundNotFound(NotFound):
    code = "review_round_not_found"
    default_message = gettext_lazy("评审轮次不存在")


class SeatNotFound(NotFound):
    code = "review_seat_not_found"
    default_message = gettext_lazy("评审邀请不存在")


class OverlappingVersion(Conflict):
    code = "agreement_version_overlap"
    default_message = gettext_lazy("新版本的有效期与已有版本重叠")


class TalentInvalid(Invalid):
    code = "talent_invalid"


class RoundInfeasible(Invalid):
    code = "review_round_infeasible"
    default_message = gettext_lazy("评审轮次无法配齐专家")
