"""Tables of the industry-chain app: chains as versioned DAGs of segments, organisations attached to
segments (with yearly measures), gap thresholds per zone and technology roadmaps; every write is in
services.py."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext

from xietong.chains.enums import AttachmentRole, AttachmentSource, AttachmentStatus, Stage
from xietong.core import explanations
from xietong.orgs.enums import Industry

USER = settings.AUTH_USER_MODEL


class Chain(models.Model):
    """产业链: a directed acyclic graph of segments; `version` grows with every change of its structure."""

    code = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=60, unique=True)
    industry = models.CharField("所属领域", max_length=20, choices=Industry.choices, blank=True)
    description = models.TextField("简介", blank=True)
    source = models.CharField("编制依据", max_length=300, blank=True)
    version = models.PositiveIntegerField("版本", default=1)
    is_preset = models.BooleanField("平台预置", default=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "产业链"
        verbose_name_plural = "产业链"

    def __str__(self) -> str:
        return self.name


class Segment(models.Model):
    """环节: a node of a chain; `parent` makes it a sub-segment, `SegmentEdge` says what it supplies."""

    chain = models.ForeignKey(Chain, on_delete=models.CASCADE, related_name="segments")
    code = models.CharField("环节代码", max_length=40)
    name = models.CharField("环节名称", max_length=60)
    stage = models.CharField("链位", max_length=12, choices=Stage.choices)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
        verbose_name="上级环节",
    )
    description = models.TextField("说明", blank=True)
    keywords = models.JSONField("关键词", default=list, blank=True)
    tech_fields = models.JSONField("相关技术领域", default=list, blank=True)
    position = models.PositiveIntegerField("顺序", default=0)

    class Meta:
        ordering = ["chain_id", "position", "id"]
        verbose_name = "产业链环节"
        verbose_name_plural = "产业链环节"
        constraints = [
            models.UniqueConstraint(fields=["chain", "code"], name="segment_code_unique_in_chain"),
            models.CheckConstraint(condition=Q(stage__in=Stage.values), name="segment_stage_valid"),
            models.CheckConstraint(condition=~Q(parent=F("id")), name="segment_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.name


class SegmentEdge(models.Model):
    """An upstream segment supplies a downstream one (within one chain)."""

    chain = models.ForeignKey(Chain, on_delete=models.CASCADE, related_name="edges")
    upstream = models.ForeignKey(Segment, on_delete=models.CASCADE, related_name="out_edges")
    downstream = models.ForeignKey(Segment, on_delete=models.CASCADE, related_name="in_edges")

    class Meta:
        ordering = ["id"]
        verbose_name = "环节关系"
        verbose_name_plural = "环节关系"
        constraints = [
            models.UniqueConstraint(fields=["upstream", "downstream"], name="segment_edge_unique"),
            models.CheckConstraint(condition=~Q(upstream=F("downstream")), name="segment_edge_not_loop"),
        ]

    def __str__(self) -> str:
        return f"{self.upstream_id} → {self.downstream_id}"


class ChainVersion(models.Model):
    """A snapshot of a chain's structure at one version: what the graph was when a map was drawn."""

    chain = models.ForeignKey(Chain, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField("版本号")
    note = models.CharField("说明", max_length=200, blank=True)
    snapshot = models.JSONField("结构快照", default=dict)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        ordering = ["chain_id", "-number"]
        verbose_name = "产业链版本"
        verbose_name_plural = "产业链版本"
        constraints = [models.UniqueConstraint(fields=["chain", "number"], name="chain_version_unique")]

    def __str__(self) -> str:
        return f"{self.chain_id} v{self.number}"


class Attachment(models.Model):
    """An organisation working in a segment (主营 or 配套), with where the link came from.

    `region` copies the organisation's region when the link is made, so that the region × segment
    matrix of a zone is one indexed aggregate over this table.
    """

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="chain_attachments", verbose_name="机构"
    )
    segment = models.ForeignKey(Segment, on_delete=models.CASCADE, related_name="attachments")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(
        "角色", max_length=12, choices=AttachmentRole.choices, default=AttachmentRole.PRIMARY
    )
    source = models.CharField("来源", max_length=12, choices=AttachmentSource.choices)
    status = models.CharField("状态", max_length=12, choices=AttachmentStatus.choices)
    is_bureau_confirmed = models.BooleanField("主管部门已确认", default=False)
    score = models.FloatField("推荐得分", default=0)
    reason = models.CharField("推荐理由", max_length=300, blank=True)
    # A suggestion's matching evidence (`core.explanations.parts`), so its page words it in the reader's language.
    why = models.JSONField("推荐依据", default=dict, blank=True)
    is_demo = models.BooleanField("演示数据", default=False)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    confirmed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True, db_index=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "机构挂链"
        verbose_name_plural = "机构挂链"
        indexes = [
            models.Index(fields=["status", "segment", "region"], name="attach_status_seg_region_idx"),
            # covers the zone matrix's aggregate (status filter, region × segment groups, role weights)
            models.Index(fields=["status", "region", "segment", "role"], name="attach_matrix_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "segment"], name="attachment_unique"),
            models.CheckConstraint(condition=Q(role__in=AttachmentRole.values), name="attachment_role_valid"),
            models.CheckConstraint(
                condition=Q(source__in=AttachmentSource.values), name="attachment_source_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=AttachmentStatus.values), name="attachment_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation.name} · {self.segment.name}"

    @property
    def reason_shown(self) -> str:
        """The reason in the reader's language when its evidence was kept (`why`), else as stored."""
        if not self.why:
            return self.reason
        return gettext("根据机构名称与简介匹配：%(why)s") % {"why": explanations.text(self.why)}


class AttachmentMeasure(models.Model):
    """Yearly size of an organisation in a segment; seen only by its bureau, zone offices and itself."""

    attachment = models.ForeignKey(Attachment, on_delete=models.CASCADE, related_name="measures")
    year = models.PositiveSmallIntegerField("年度")
    revenue_fen = models.BigIntegerField("营业收入（分）", null=True, blank=True)
    employees = models.PositiveIntegerField("从业人员（人）", null=True, blank=True)
    output_fen = models.BigIntegerField("产值（分）", null=True, blank=True)
    updated_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        ordering = ["attachment_id", "-year"]
        verbose_name = "挂链机构年度数据"
        verbose_name_plural = "挂链机构年度数据"
        constraints = [
            models.UniqueConstraint(fields=["attachment", "year"], name="measure_unique_year"),
            models.CheckConstraint(condition=Q(year__gte=1990, year__lte=2100), name="measure_year_range"),
            models.CheckConstraint(
                condition=Q(revenue_fen__isnull=True) | Q(revenue_fen__gte=0),
                name="measure_revenue_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(output_fen__isnull=True) | Q(output_fen__gte=0),
                name="measure_output_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.attachment_id} · {self.year}"


class GapThresholds(models.Model):
    """补链/强链/延链 thresholds as data: one row per zone (none: the documented defaults apply)."""

    zone = models.OneToOneField("regions.Zone", on_delete=models.CASCADE, related_name="chain_thresholds")
    strong_rca = models.FloatField("强链区位熵下限", default=1.0)
    strong_min_orgs = models.FloatField("强链最少机构数（加权）", default=2.0)
    weak_rca = models.FloatField("薄弱区位熵上限", default=0.5)
    extend_density_quantile = models.FloatField("延链关联密度分位数", default=0.75)
    updated_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "缺链判定阈值"
        verbose_name_plural = "缺链判定阈值"
        constraints = [
            models.CheckConstraint(condition=Q(strong_rca__gt=0), name="thresholds_strong_rca_positive"),
            models.CheckConstraint(
                condition=Q(strong_min_orgs__gte=0), name="thresholds_min_orgs_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(weak_rca__gte=0) & Q(weak_rca__lt=F("strong_rca")),
                name="thresholds_weak_below_strong",
            ),
            models.CheckConstraint(
                condition=Q(extend_density_quantile__gte=0, extend_density_quantile__lte=1),
                name="thresholds_quantile_0_1",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.zone_id}"


class Milestone(models.Model):
    """产业技术路线图: a technology milestone of a chain in a zone, by year, with the members responsible."""

    chain = models.ForeignKey(Chain, on_delete=models.CASCADE, related_name="milestones")
    zone = models.ForeignKey("regions.Zone", on_delete=models.CASCADE, related_name="+")
    segment = models.ForeignKey(Segment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("里程碑", max_length=120)
    description = models.TextField("说明", blank=True)
    responsible = models.ManyToManyField("regions.Region", related_name="+", verbose_name="牵头成员")
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        ordering = ["chain_id", "year", "id"]
        verbose_name = "技术路线图里程碑"
        verbose_name_plural = "技术路线图里程碑"
        constraints = [
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name="milestone_year_range"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.title}"
