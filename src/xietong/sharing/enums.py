from django.db import models


class AgreementKind(models.TextChoices):
    ENCLAVE = "enclave", "科创飞地"
    PARK = "park", "合作共建园区"
    ZONE = "zone", "经济区（经济区与行政区适度分离）"
    RELOCATION = "relocation", "产业转移对接"
    FUND = "fund", "共同出资基金（成本分担）"


class RevenueKind(models.TextChoices):
    TAX = "tax", "税收（地方留成部分）"
    LAND = "land", "土地出让收入"
    STATISTIC = "statistic", "统计分算指标"
    COST = "cost", "共同出资（成本分担）"


class RevenueType(models.TextChoices):
    VAT = "vat", "增值税"
    CIT = "cit", "企业所得税"
    PIT = "pit", "个人所得税"
    BUSINESS_TAX = "business_tax", "营业税"
    LAND = "land", "土地出让收入"
    GDP = "gdp", "地区生产总值"
    OUTPUT = "output", "工业总产值"
    FUND = "fund", "共同出资"


KIND_OF_TYPE = {
    RevenueType.VAT: RevenueKind.TAX,
    RevenueType.CIT: RevenueKind.TAX,
    RevenueType.PIT: RevenueKind.TAX,
    RevenueType.BUSINESS_TAX: RevenueKind.TAX,
    RevenueType.LAND: RevenueKind.LAND,
    RevenueType.GDP: RevenueKind.STATISTIC,
    RevenueType.OUTPUT: RevenueKind.STATISTIC,
    RevenueType.FUND: RevenueKind.COST,
}


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "草案"
    ACTIVE = "active", "生效中"
    CLOSED = "closed", "已关闭"


class Method(models.TextChoices):
    PROPORTIONAL = "proportional", "按比例分配"
    STOCK_INCREMENT = "stock_increment", "存量归原辖区、增量按比例分成"
    RELOCATION = "relocation", "转移企业税收分享（财预〔2015〕92号）"


class Part(models.TextChoices):
    STOCK = "stock", "存量"
    INCREMENT = "increment", "增量"
    SHARE = "share", "分成"
    HOST = "host", "迁入地留存"


class RecordSource(models.TextChoices):
    IMPORT = "import", "导入"
    MANUAL = "manual", "录入"
