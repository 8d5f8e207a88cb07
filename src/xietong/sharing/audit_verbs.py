"""Chinese labels of the verbs the sharing services record (see `core.audit_labels`)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "sharing.agreement_created": _("创建利益共享协议"),
    "sharing.draft_saved": _("保存规则草案"),
    "sharing.version_adopted": _("启用协议版本"),
    "sharing.enterprise_added": _("登记园区企业"),
    "sharing.version_closed": _("关闭协议版本"),
    "sharing.record_written": _("录入收入记录"),
    "sharing.records_imported": _("导入收入记录"),
    "sharing.adjusted": _("调整结算"),
    "sharing.settled": _("完成结算"),
    "sharing.whatif_run": _("规则对比测算"),
}
