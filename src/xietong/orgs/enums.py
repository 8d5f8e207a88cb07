from django.db import models


class OrgKind(models.TextChoices):
    ENTERPRISE = "enterprise", "企业"
    UNIVERSITY = "university", "高等院校"
    INSTITUTE = "institute", "科研院所"
    TESTING = "testing", "检验检测机构"
    TECH_CENTRE = "tech_centre", "企业技术中心"
    PARK = "park", "园区"
    SERVICE = "service", "科技服务机构"
    GOVERNMENT = "government", "政府部门"


class OrgStatus(models.TextChoices):
    PENDING = "pending", "待审核"
    APPROVED = "approved", "已认证"
    REJECTED = "rejected", "已驳回"
    SUSPENDED = "suspended", "已暂停"


class Industry(models.TextChoices):
    AUTOMOTIVE = "automotive", "汽车"
    ELECTRONICS = "electronics", "电子信息"
    EQUIPMENT = "equipment", "装备制造"
    BIOMEDICINE = "biomedicine", "生物医药"
    IC = "ic", "集成电路"
    AI = "ai", "人工智能"
    TEXTILE = "textile", "丝绸纺织"
    OPTOELECTRONICS = "optoelectronics", "光电通讯"
    NEW_MATERIALS = "new_materials", "新材料"
    NEW_ENERGY = "new_energy", "新能源"
    PETROCHEMICAL = "petrochemical", "绿色石化"
    AEROSPACE = "aerospace", "航空航天"
    DIGITAL = "digital", "数字经济"
    OTHER = "other", "其他"
