from django.db import models


class RegionLevel(models.TextChoices):
    PROVINCE = "province", "省级"
    PREFECTURE = "prefecture", "地级"
    COUNTY = "county", "县级"


class ZoneKind(models.TextChoices):
    PRESET = "preset", "预置"
    CUSTOM = "custom", "自定义"
