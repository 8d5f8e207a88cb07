"""Chinese labels of the verbs the resource and order services record (see `core.audit_labels`)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "order.booked": _("预约下单"),
    "order.placed": _("送样下单"),
    "order.confirmed": _("确认订单"),
    "order.rejected": _("拒绝订单"),
    "order.started": _("开始服务"),
    "order.usage_recorded": _("登记实际使用量"),
    "order.report_uploaded": _("上传结果报告"),
    "order.delivered": _("交付"),
    "order.completed": _("确认完成"),
    "order.cancelled": _("取消订单"),
    "order.no_show": _("登记爽约"),
    "resource.created": _("登记资源"),
    "resource.updated": _("修改资源"),
    "resource.imported": _("批量导入资源"),
    "resource.hours_set": _("设置开放时间"),
    "resource.maintenance_added": _("添加维护时段"),
    "resource.maintenance_removed": _("删除维护时段"),
    "resource.photo_added": _("上传图片"),
    "resource.photo_removed": _("删除图片"),
    "resource.price_list_set": _("发布价目表"),
    "resource.price_list_imported": _("导入价目表"),
    "resource.list_price_refreshed": _("更新标价"),
    "order.rated": _("评价服务"),
    "order.sample_state": _("更新样品状态"),
    "resource.training_recorded": _("登记仪器培训"),
}
