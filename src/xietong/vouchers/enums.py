"""Statuses and kinds of the vouchers app."""

from django.db import models


class Mode(models.TextChoices):
    TONGYONG = "tongyong", "通用"  # the firm pays in full; its own bureau reimburses the firm
    TONGDUI = "tongdui", "通兑"  # the firm pays its share; the provider redeems the rest


class ProgrammeStatus(models.TextChoices):
    OPEN = "open", "受理中"
    CLOSED = "closed", "已结束"


class ProviderScope(models.TextChoices):
    OWN_REGION = "own_region", "本地区服务机构"
    ZONE = "zone", "协同区内服务机构"
    NAMED = "named", "指定服务机构"


class ReviewLevels(models.TextChoices):
    """Who reviews an application before the issuer decides (and sets 核定金额): the bureaus of the
    applicant's own district / city, lowest first. Empty: the issuer reviews alone (one step)."""

    NONE = "", "发券方一级审核"
    COUNTY = "county", "区县初审 → 发券方复审"
    PREFECTURE = "prefecture", "市级初审 → 发券方复审"
    COUNTY_PREFECTURE = "county,prefecture", "区县初审 → 市级复审 → 发券方终审"


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", "待审核"
    APPROVED = "approved", "已通过"
    REJECTED = "rejected", "已驳回"


class GrantStatus(models.TextChoices):
    ACTIVE = "active", "有效"
    EXPIRED = "expired", "已到期"


class RedemptionStatus(models.TextChoices):
    RESERVED = "reserved", "已预留"
    SERVICE_DONE = "service_done", "服务完成"
    CLAIMED = "claimed", "兑付待审"
    PUBLICISED = "publicised", "公示中"
    PAID = "paid", "已兑付"
    RELEASED = "released", "已释放"
    REJECTED = "rejected", "兑付驳回"
    REVOKED = "revoked", "异议成立已撤销"


OPEN_REDEMPTION = (
    RedemptionStatus.RESERVED,
    RedemptionStatus.SERVICE_DONE,
    RedemptionStatus.CLAIMED,
    RedemptionStatus.PUBLICISED,
)


class EvidenceKind(models.TextChoices):
    CONTRACT = "contract", "服务合同"
    INVOICE = "invoice", "发票"
    PAYMENT = "payment", "付款凭证"
    REPORT = "report", "服务报告"


class ObjectionStatus(models.TextChoices):
    OPEN = "open", "待处理"
    UPHELD = "upheld", "异议成立"
    DISMISSED = "dismissed", "异议不成立"


class StatementStatus(models.TextChoices):
    ISSUED = "issued", "待支付"
    PAID = "paid", "已支付"


class EntryKind(models.TextChoices):
    FUND = "voucher.fund", "方案预算拨入"
    GRANT = "voucher.grant", "发放额度"
    RESERVE = "voucher.reserve", "订单预留"
    RELEASE = "voucher.release", "释放预留"
    APPROVE = "voucher.approve", "兑付审核通过"
    PAY = "voucher.pay", "兑付支付"
    CROSS_REGION = "voucher.cross_region", "跨区兑付待结算"
    LAPSE = "voucher.lapse", "到期收回"
    STATEMENT = "voucher.statement", "结算单确认"
    STATEMENT_PAID = "voucher.statement_paid", "结算单支付"
