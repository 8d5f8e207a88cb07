"""Chinese labels of the verbs the index services record (see `core.audit_labels`)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "evaluation.framework_created": _("创建指标体系"),
    "evaluation.framework_versioned": _("发布指标体系新版本"),
    "evaluation.dataset_imported": _("导入数据版本"),
    "evaluation.dataset_refreshed": _("更新平台指标数据"),
    "evaluation.run_created": _("提交指数计算"),
    "evaluation.run_done": _("指数计算完成"),
    "evaluation.run_failed": _("指数计算失败"),
    "evaluation.run_published": _("发布指数结果"),
    "evaluation.run_withdrawn": _("撤回指数结果"),
}
