"""The platform's roles; a user holds one or more through memberships (orgs.Membership)."""

from django.db import models


class Role(models.TextChoices):
    PLATFORM_ADMIN = "platform_admin", "平台管理员"
    ZONE_OFFICE = "zone_office", "协同区办公室"
    REGION_BUREAU = "region_bureau", "地区科技主管部门"
    ORG_ADMIN = "org_admin", "机构管理员"
    ORG_MEMBER = "org_member", "机构成员"
    EXPERT = "expert", "专家"
