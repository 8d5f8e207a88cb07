"""Chinese labels of the verbs the marketplace services record (see `core.audit_labels`)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "achievement.published": _("发布科技成果"),
    "achievement.updated": _("修改科技成果"),
    "achievement.withdrawn": _("撤回科技成果"),
    "demand.published": _("发布技术需求"),
    "demand.updated": _("修改技术需求"),
    "demand.withdrawn": _("撤回技术需求"),
    "acceptance_list.published": _("发布承接清单"),
    "intent.expressed": _("提交合作意向"),
    "intent.accepted": _("接受合作意向"),
    "intent.declined": _("婉拒合作意向"),
    "intent.withdrawn": _("撤回合作意向"),
    "contract.registered": _("登记技术合同"),
    "contract.imported": _("导入技术合同"),
    "recommendation.feedback": _("反馈推荐结果"),
}
