"""Chinese labels of the verbs the coordination services record (see `core.audit_labels`)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "coordination.unit_created": _("登记督办单位"),
    "coordination.feed_token_rotated": _("更换日历订阅令牌"),
    "coordination.body_created": _("设立联席会议机构"),
    "coordination.meeting_created": _("登记会议"),
    "coordination.minutes_updated": _("修改会议纪要"),
    "coordination.decision_added": _("记录议定事项"),
    "coordination.task_created": _("交办督办事项"),
    "coordination.task_updated": _("修改督办事项"),
    "coordination.milestone_done": _("完成节点"),
    "coordination.commitment_added": _("新增承诺事项"),
    "coordination.major_item_created": _("新增重大事项"),
    "coordination.major_item_status": _("更新重大事项状态"),
    "coordination.report_submitted": _("报送进展"),
    "coordination.agreement_created": _("登记合作框架协议"),
}
