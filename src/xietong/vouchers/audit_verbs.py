"""Chinese labels of the verbs the voucher services record (see `core.audit_labels`)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "voucher.programme_created": _("创建创新券方案"),
    "voucher.programme_closed": _("关闭创新券方案"),
    "voucher.applied": _("申领创新券"),
    "voucher.application_approved": _("申领审核通过"),
    "voucher.application_rejected": _("申领被驳回"),
    "voucher.application_passed_level": _("申领通过本级审核"),
    "voucher.attachment_read": _("查看申领附件"),
    "voucher.attachment_added": _("添加申领附件"),
    "voucher.granted": _("发放创新券"),
    "voucher.reserved": _("预留额度"),
    "voucher.released": _("释放额度"),
    "voucher.service_done": _("服务完成待兑付"),
    "voucher.claimed": _("申请兑付"),
    "voucher.claim_approved": _("兑付审核通过"),
    "voucher.evidence_read": _("查看兑付材料"),
    "voucher.objection_raised": _("提出异议"),
    "voucher.objection_resolved": _("处理异议"),
    "voucher.paid": _("完成支付"),
    "voucher.lapsed": _("额度到期失效"),
    "voucher.bundle_invited": _("邀请合用创新券"),
    "voucher.statement_generated": _("生成结算单"),
    "voucher.statement_paid": _("结算单付讫"),
    "voucher.payee_account_set": _("设置收款账户"),
    "voucher.statement_proof": _("上传支付凭证"),
}
