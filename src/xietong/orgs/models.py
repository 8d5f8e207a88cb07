from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext

from xietong.core.roles import Role
from xietong.orgs.enums import Industry, OrgKind, OrgStatus


class Organisation(models.Model):
    """A legal entity on the platform; it belongs to exactly one region, which decides who governs it."""

    name = models.CharField("机构名称", max_length=120, db_index=True)
    # A verified organisation's rename waits here for its bureau's review; the public keeps the old name.
    pending_name = models.CharField("待审核的新名称", max_length=120, blank=True)
    credit_code = models.CharField("统一社会信用代码", max_length=18, unique=True)
    kind = models.CharField("机构类型", max_length=20, choices=OrgKind.choices, db_index=True)
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="organisations", verbose_name="所在地区"
    )
    industry = models.CharField(
        "所属行业", max_length=20, choices=Industry.choices, blank=True, db_index=True
    )
    is_high_tech = models.BooleanField("高新技术企业", default=False)
    is_tech_sme = models.BooleanField("科技型中小企业", default=False)
    is_little_giant = models.BooleanField("专精特新“小巨人”", default=False)
    status = models.CharField("状态", max_length=12, choices=OrgStatus.choices, default=OrgStatus.PENDING)
    address = models.CharField("地址", max_length=200, blank=True)
    website = models.URLField("网址", blank=True)
    description = models.TextField("简介", blank=True)
    contact_name = models.CharField("联系人", max_length=40, blank=True)
    contact_phone = models.CharField("联系电话", max_length=30, blank=True)
    contact_email = models.EmailField("电子邮箱", blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    review_note = models.CharField("审核意见", max_length=300, blank=True)
    # When the organisation was suspended (empty while it is not): its members' banner says "since …".
    suspended_at = models.DateTimeField("暂停时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "机构"
        verbose_name_plural = "机构"
        indexes = [
            models.Index(fields=["status", "kind"], name="org_status_kind_idx"),
            models.Index(fields=["status", "region"], name="org_status_region_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(credit_code__regex=r"^[0-9A-HJ-NPQRTUWXY]{18}$"), name="org_credit_code_form"
            ),
            models.CheckConstraint(condition=Q(status__in=OrgStatus.values), name="org_status_valid"),
            models.CheckConstraint(condition=Q(kind__in=OrgKind.values), name="org_kind_valid"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def flags_display(self) -> list[str]:
        names = []
        for field in ("is_high_tech", "is_tech_sme", "is_little_giant"):
            if getattr(self, field):
                names.append(gettext(str(self._meta.get_field(field).verbose_name)))
        return names


class Membership(models.Model):
    """A user's role in a scope: an organisation, a region (bureau), a zone (zone office) or the platform."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="memberships"
    )
    region = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="bureau_memberships"
    )
    zone = models.ForeignKey(
        "regions.Zone", null=True, blank=True, on_delete=models.CASCADE, related_name="office_memberships"
    )
    title = models.CharField("职务", max_length=60, blank=True)
    is_active = models.BooleanField("有效", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "角色授权"
        verbose_name_plural = "角色授权"
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(role=Role.REGION_BUREAU, region__isnull=False)
                    | Q(role=Role.ZONE_OFFICE, zone__isnull=False)
                    | Q(role__in=[Role.ORG_ADMIN, Role.ORG_MEMBER], organisation__isnull=False)
                    | Q(role__in=[Role.PLATFORM_ADMIN, Role.EXPERT])
                ),
                name="membership_scope_matches_role",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "organisation", "region", "zone"], name="membership_unique"
            ),
        ]

    def __str__(self) -> str:
        scope = self.organisation or self.region or self.zone or "平台"
        return f"{self.user} · {self.get_role_display()} · {scope}"
