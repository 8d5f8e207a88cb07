"""Tables of this app; see services.py for every write.

A framework belongs to exactly one scope (a zone, managed by its office, or a region, managed by its
bureau); its versions, data sets and runs inherit that scope. Versions and data sets are immutable once
written, so a run pins exactly what it computed from: framework version, data version, options.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext

from xietong.evaluation.enums import RunStatus


class Framework(models.Model):
    """An index (e.g. 长三角区域协同创新指数) with its indicator tree kept in versions."""

    name = models.CharField("指数名称", max_length=120)
    zone = models.ForeignKey(
        "regions.Zone",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="协同区",
    )
    region = models.ForeignKey(
        "regions.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="地区",
    )
    preset = models.CharField("预设", max_length=20, blank=True)
    base_year = models.PositiveSmallIntegerField("基期", null=True, blank=True)
    description = models.TextField("说明", blank=True)
    is_demo = models.BooleanField("演示数据", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "指标框架"
        verbose_name_plural = "指标框架"
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(zone__isnull=False, region__isnull=True) | Q(zone__isnull=True, region__isnull=False)
                ),
                name="eval_framework_one_scope",
            ),
        ]
        indexes = [models.Index(fields=["zone"], name="eval_fw_zone_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def scope_name(self) -> str:
        return str(self.zone or self.region)


class FrameworkVersion(models.Model):
    """One immutable indicator tree (COINr iMeta rows plus a Source column)."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField("版本")
    table = models.JSONField("指标表")
    note = models.CharField("说明", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["framework_id", "number"]
        verbose_name = "框架版本"
        verbose_name_plural = "框架版本"
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="eval_fw_version_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="eval_fw_version_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.framework} v{self.number}"


class Dataset(models.Model):
    """One immutable data version: region × year rows of indicator values, with where each came from."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="datasets")
    number = models.PositiveIntegerField("数据版本")
    name = models.CharField("名称", max_length=120)
    columns = models.JSONField("列")  # ["uCode", "Time", indicator codes…]
    rows = models.JSONField("数据")  # [[code, year, value|null, …], …]
    sources = models.JSONField("来源", default=dict)  # {indicator: {"import": n, "platform:<key>": n}}
    # cells computed by the platform (not imported): {indicator: [[uCode, year], …]}; a refresh recomputes them
    platform_cells = models.JSONField("平台计算的单元格", default=dict, blank=True)
    unit_count = models.PositiveIntegerField("地区数", default=0)
    year_min = models.PositiveSmallIntegerField("起始年份", null=True)
    year_max = models.PositiveSmallIntegerField("截止年份", null=True)
    is_demo = models.BooleanField("演示数据", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["framework_id", "number"]
        verbose_name = "指标数据"
        verbose_name_plural = "指标数据"
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="eval_dataset_version_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="eval_dataset_version_positive"),
        ]

    def __str__(self) -> str:
        return gettext("%(name)s（数据版本 %(number)s）") % {"name": self.name, "number": self.number}


class Run(models.Model):
    """One computation of an index: what it used, how, and what came out."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="runs")
    framework_version = models.ForeignKey(FrameworkVersion, on_delete=models.PROTECT, related_name="runs")
    dataset = models.ForeignKey(Dataset, on_delete=models.PROTECT, related_name="runs")
    number = models.PositiveIntegerField("运行编号")
    options = models.JSONField("计算选项", default=dict)
    status = models.CharField("状态", max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    progress = models.PositiveSmallIntegerField("进度", default=0)
    message = models.CharField("进度说明", max_length=200, blank=True)
    error = models.JSONField("错误", default=dict, blank=True)
    results = models.JSONField("结果", default=dict, blank=True)
    is_published = models.BooleanField("已发布", default=False)
    rerun_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = "指数运行"
        verbose_name_plural = "指数运行"
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="eval_run_number_unique"),
            models.CheckConstraint(condition=Q(status__in=RunStatus.values), name="eval_run_status_valid"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="eval_run_progress_range"),
        ]
        indexes = [models.Index(fields=["is_published", "status"], name="eval_run_published_idx")]

    def __str__(self) -> str:
        return gettext("%(framework)s · 第 %(number)s 次运行") % {
            "framework": self.framework,
            "number": self.number,
        }

    @property
    def is_finished(self) -> bool:
        return self.status in (RunStatus.DONE, RunStatus.FAILED)
