"""Chinese labels of the verbs the talent services record (see `core.audit_labels`)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "talent.round_opened": _("开启评审轮次"),
    "talent.item_unsuitable_set": _("申报不适宜专家"),
    "talent.round_assigned": _("分配评审专家"),
    "talent.seat_accepted": _("专家接受评审"),
    "talent.seat_declined": _("专家谢绝评审"),
    "talent.seat_redrawn": _("重抽评审席位"),
    "talent.round_closed": _("结束评审轮次"),
    "talent.seat_unfilled": _("评审席位无法补足"),
    "talent.profile_created": _("创建人才档案"),
    "talent.achievements_linked": _("关联科技成果"),
    "talent.expert_admitted": _("专家入库"),
    "talent.expert_declared": _("专家申报回避与可用性"),
    "talent.zone_sharing_set": _("设置专家库共享"),
    "talent.scheme_created": _("创建人才卡"),
    "talent.card_issued": _("发放人才卡"),
    "talent.agreement_created": _("创建互认协议"),
    "talent.agreement_version_added": _("新增互认协议版本"),
    "talent.agreement_version_closed": _("终止互认协议版本"),
    "talent.appointment_offered": _("发出兼职邀请"),
    "talent.appointment_answered": _("答复兼职邀请"),
    "talent.appointment_ended": _("结束兼职"),
    "talent.profile_updated": _("修改人才档案"),
    "talent.profile_imported": _("导入人才档案"),
    "talent.expert_updated": _("修改专家信息"),
    "talent.expert_imported": _("导入专家"),
}
