"""Chinese labels of the verbs the chains services record (see `core.audit_labels`)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "chain.structure_saved": _("保存产业链结构"),
    "chain.attachment_added": _("申报挂链"),
    "chain.attachment_confirmed": _("确认挂链"),
    "chain.attachment_rejected": _("驳回挂链"),
    "chain.measure_set": _("填报年度数据"),
    "chain.thresholds_updated": _("修改缺链阈值"),
    "chain.milestone_created": _("新增路线图里程碑"),
    "chain.milestone_deleted": _("删除路线图里程碑"),
    "chain.attachment_withdrawn": _("撤回挂链"),
    "chain.attachment_suggested": _("系统推荐挂链"),
    "chain.attachment_imported": _("导入挂链"),
}
