"""Chinese labels of the verbs the organisation services record (see `core.audit_labels`)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "org.registered": _("提交机构注册"),
    "org.created": _("登记机构"),
    "org.imported": _("批量导入机构"),
    "org.approved": _("审核通过"),
    "org.rejected": _("审核驳回"),
    "org.suspended": _("暂停机构"),
    "org.reinstated": _("恢复机构"),
    "org.updated": _("修改机构信息"),
    "org.rename_requested": _("申请更名"),
    "org.rename_approved": _("更名获批"),
    "org.rename_rejected": _("更名被驳回"),
    "membership.granted": _("授予成员角色"),
}
