from django.db import models

from xietong.regions.enums import RegionLevel, ZoneKind


class Region(models.Model):
    """A GB/T 2260 division (province, prefecture-level or county-level), keyed by its 6-digit code."""

    code = models.CharField("区划代码", max_length=6, primary_key=True)
    name = models.CharField("名称", max_length=60, db_index=True)
    short_name = models.CharField("简称", max_length=30, db_index=True)
    level = models.CharField("层级", max_length=12, choices=RegionLevel.choices, db_index=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name="上级"
    )
    pinyin = models.CharField("拼音", max_length=120, blank=True, db_index=True)
    pinyin_initials = models.CharField("拼音首字母", max_length=30, blank=True, db_index=True)
    lng = models.FloatField("经度", null=True, blank=True)
    lat = models.FloatField("纬度", null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[1-9][0-9]{5}$"), name="region_code_6_digits"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Zone(models.Model):
    """A cooperation zone (协同区 / 城市群): any set of regions acting together."""

    code = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=80, unique=True)
    short_name = models.CharField("简称", max_length=30)
    kind = models.CharField("类型", max_length=10, choices=ZoneKind.choices, default=ZoneKind.CUSTOM)
    description = models.TextField("简介", blank=True)
    source = models.CharField("依据", max_length=200, blank=True)
    color = models.CharField("地图颜色", max_length=9, default="#1f6feb")
    members = models.ManyToManyField(Region, through="ZoneMember", related_name="zones", verbose_name="成员")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "协同区"
        verbose_name_plural = "协同区"

    def __str__(self) -> str:
        return self.name


class ZoneMember(models.Model):
    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="memberships")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="zone_memberships")
    joined_on = models.DateField("加入日期", null=True, blank=True)

    class Meta:
        ordering = ["zone_id", "region_id"]
        verbose_name = "协同区成员"
        verbose_name_plural = "协同区成员"
        constraints = [models.UniqueConstraint(fields=["zone", "region"], name="zone_member_unique")]

    def __str__(self) -> str:
        return f"{self.zone} · {self.region}"
