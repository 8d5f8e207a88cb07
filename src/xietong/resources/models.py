"""Tables of the resources app: the catalogue, price lists, calendars and service orders.

CONTRACT (relied on by the vouchers app; keep these names and meanings):

- ``Resource.owner`` → ``orgs.Organisation`` (the provider) and ``Resource.region`` → ``regions.Region``.
- ``ServiceOrder``: ``number`` (unique str), ``resource`` → Resource, ``provider`` → Organisation (the
  resource's owner, denormalised), ``customer`` → Organisation, ``status`` (``OrderStatus``: submitted,
  confirmed, in_progress, delivered, completed, cancelled, rejected, no_show), ``quoted_fen`` (int, the
  price frozen when the order was placed), ``actual_fen`` (int or None, set when usage is recorded),
  ``payable_fen`` (property: ``actual_fen`` if not None else ``quoted_fen``), ``cancellation_fee_fen``,
  ``created_at``, ``completed_at``.

No double booking: on PostgreSQL an exclusion constraint (btree_gist, migration 0002, gated on the
connection vendor) forbids two slot-holding bookings of the same resource unit whose
``[starts_at, ends_at)`` ranges overlap; on SQLite the service checks under the write lock.
Every write goes through ``services.py``; every actor-scoped read through ``selectors.py``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext

from xietong.core.files import private_storage
from xietong.core.money import format_yuan
from xietong.resources.enums import (
    CustomerClass,
    OpenStatus,
    OrderKind,
    OrderStatus,
    PriceUnit,
    ResourceKind,
    Rounding,
    SampleState,
    weekdays_label,
)


def _clock(minute: int) -> str:
    """Minutes since midnight as HH:MM (1440 is 24:00)."""
    return f"{minute // 60:02d}:{minute % 60:02d}"


class Category(models.Model):
    """仪器类别: a small fixture tree (data/categories.json), loaded by a migration and `categories_ensure`."""

    code = models.CharField("代码", max_length=20, unique=True)
    name = models.CharField("名称", max_length=60)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name="上级"
    )
    position = models.PositiveIntegerField("排序", default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = "仪器类别"
        verbose_name_plural = "仪器类别"

    def __str__(self) -> str:
        return self.name


class Resource(models.Model):
    """An instrument, facility or service item owned by an organisation and offered to others."""

    owner = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="resources", verbose_name="所属机构"
    )
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="resources", verbose_name="所在地区"
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="resources", verbose_name="类别"
    )
    kind = models.CharField("类型", max_length=12, choices=ResourceKind.choices, db_index=True)
    name = models.CharField("名称", max_length=120, db_index=True)
    asset_code = models.CharField("资产编号", max_length=40, blank=True)
    model_number = models.CharField("规格型号", max_length=80, blank=True)
    manufacturer = models.CharField("生产厂商", max_length=80, blank=True)
    original_value_fen = models.BigIntegerField("原值（分）", null=True, blank=True)
    specs = models.TextField("主要技术指标", blank=True)
    description = models.TextField("服务内容与简介", blank=True)
    address = models.CharField("存放地点", max_length=200, blank=True)
    lng = models.FloatField("经度", null=True, blank=True)
    lat = models.FloatField("纬度", null=True, blank=True)
    open_status = models.CharField(
        "开放状态", max_length=10, choices=OpenStatus.choices, default=OpenStatus.OPEN, db_index=True
    )
    is_cma = models.BooleanField("CMA 资质认定", default=False)
    is_cnas = models.BooleanField("CNAS 认可", default=False)
    recognised_zones = models.ManyToManyField(
        "regions.Zone", blank=True, related_name="recognised_resources", verbose_name="互认协同区"
    )
    capacity = models.PositiveIntegerField("容量（并行机位 / 在检样品上限）", default=1)
    advance_days = models.PositiveIntegerField("最长提前预约天数", default=30)
    min_notice_hours = models.PositiveIntegerField("最短提前预约小时数", default=2)
    max_booking_hours = models.PositiveIntegerField("单次预约最长小时数", default=12)
    requires_approval = models.BooleanField("预约需服务方确认", default=True)
    free_cancel_hours = models.PositiveIntegerField("免费取消提前小时数", default=24)
    late_cancel_percent = models.PositiveIntegerField("迟取消费比例（%）", default=30)
    no_show_percent = models.PositiveIntegerField("爽约费比例（%）", default=100)
    list_price_fen = models.BigIntegerField("公开价（分/单位）", null=True, blank=True, db_index=True)
    price_unit = models.CharField("计价方式", max_length=10, choices=PriceUnit.choices, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "共享资源"
        verbose_name_plural = "共享资源"
        indexes = [
            models.Index(fields=["open_status", "region"], name="resource_status_region_idx"),
            models.Index(fields=["open_status", "category"], name="resource_status_cat_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ResourceKind.values), name="resource_kind_valid"),
            models.CheckConstraint(
                condition=Q(open_status__in=OpenStatus.values), name="resource_open_status_valid"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="resource_capacity_positive"),
            models.CheckConstraint(
                condition=Q(late_cancel_percent__lte=100) & Q(no_show_percent__lte=100),
                name="resource_fee_percent_max_100",
            ),
            models.CheckConstraint(
                condition=Q(list_price_fen__isnull=True) | Q(list_price_fen__gte=0),
                name="resource_list_price_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_slotted(self) -> bool:
        """Instruments and facilities are booked by time; service items by sample."""
        return self.kind != ResourceKind.SERVICE


class ResourcePhoto(models.Model):
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="photos")
    # public (MEDIA_URL); the name is generated by core.files, never the uploader's
    file = models.FileField("图片", upload_to="resources/photos/", max_length=120)
    caption = models.CharField("说明", max_length=80, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "资源图片"
        verbose_name_plural = "资源图片"

    def __str__(self) -> str:
        return self.caption or self.file.name


class PriceList(models.Model):
    """A version of a resource's prices; the one in force is the latest whose `valid_from` has come."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="price_lists")
    unit = models.CharField("计价方式", max_length=10, choices=PriceUnit.choices)
    minimum_charge_fen = models.BigIntegerField("最低收费（分）", default=0)
    rounding = models.CharField("金额取整", max_length=6, choices=Rounding.choices, default=Rounding.FEN)
    increment_minutes = models.PositiveIntegerField("计时单位（分钟，向上取整）", default=30)
    valid_from = models.DateField("生效日期")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-valid_from", "-id"]
        verbose_name = "价目表"
        verbose_name_plural = "价目表"
        constraints = [
            models.CheckConstraint(condition=Q(unit__in=PriceUnit.values), name="price_list_unit_valid"),
            models.CheckConstraint(
                condition=Q(minimum_charge_fen__gte=0), name="price_list_min_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(increment_minutes__gte=1) & Q(increment_minutes__lte=240),
                name="price_list_increment_range",
            ),
        ]

    def __str__(self) -> str:
        return gettext("%(resource)s价目表（%(day)s 起）") % {
            "resource": self.resource.name,
            "day": self.valid_from,
        }


class PriceTier(models.Model):
    """A unit price for one customer class, optionally only on some weekdays and times of day."""

    price_list = models.ForeignKey(PriceList, on_delete=models.CASCADE, related_name="tiers")
    customer_class = models.CharField("客户类别", max_length=12, choices=CustomerClass.choices)
    weekdays = models.CharField("适用星期（1-7）", max_length=7, default="1234567")
    start_minute = models.PositiveIntegerField("起始时刻（分钟）", default=0)
    end_minute = models.PositiveIntegerField("结束时刻（分钟）", default=1440)
    unit_price_fen = models.BigIntegerField("单价（分）")

    class Meta:
        ordering = ["price_list_id", "id"]
        verbose_name = "价格档"
        verbose_name_plural = "价格档"
        constraints = [
            models.CheckConstraint(
                condition=Q(customer_class__in=CustomerClass.values), name="price_tier_class_valid"
            ),
            models.CheckConstraint(condition=Q(unit_price_fen__gte=0), name="price_tier_price_not_negative"),
            models.CheckConstraint(
                condition=Q(start_minute__lt=models.F("end_minute")) & Q(end_minute__lte=1440),
                name="price_tier_window_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{gettext(self.get_customer_class_display())} {format_yuan(self.unit_price_fen)}"

    @property
    def is_all_day(self) -> bool:
        return self.weekdays == "1234567" and self.start_minute == 0 and self.end_minute == 1440


class OpeningHours(models.Model):
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField("星期（1=周一）")
    start_minute = models.PositiveIntegerField("开始（分钟）")
    end_minute = models.PositiveIntegerField("结束（分钟）")

    class Meta:
        ordering = ["weekday", "start_minute"]
        verbose_name = "开放时间"
        verbose_name_plural = "开放时间"
        constraints = [
            models.CheckConstraint(condition=Q(weekday__gte=1, weekday__lte=7), name="opening_weekday_range"),
            models.CheckConstraint(
                condition=Q(start_minute__lt=models.F("end_minute")) & Q(end_minute__lte=1440),
                name="opening_window_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{weekdays_label(str(self.weekday))} {_clock(self.start_minute)}–{_clock(self.end_minute)}"


class MaintenanceBlock(models.Model):
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="maintenance_blocks")
    starts_at = models.DateTimeField("开始")
    ends_at = models.DateTimeField("结束")
    reason = models.CharField("原因", max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = "维护时段"
        verbose_name_plural = "维护时段"
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="maintenance_range_valid"
            )
        ]

    def __str__(self) -> str:
        return gettext("%(start)s 维护") % {"start": f"{self.starts_at:%Y-%m-%d %H:%M}"}


class ServiceOrder(models.Model):
    """A booking of instrument time or an order for a sample service; the price is frozen when placed."""

    number = models.CharField("订单号", max_length=32, unique=True)
    kind = models.CharField("订单类型", max_length=10, choices=OrderKind.choices)
    resource = models.ForeignKey(
        Resource, on_delete=models.PROTECT, related_name="orders", verbose_name="资源"
    )
    provider = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="provider_orders", verbose_name="服务方"
    )
    customer = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="customer_orders", verbose_name="客户"
    )
    customer_class = models.CharField("客户类别", max_length=12, choices=CustomerClass.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        "状态", max_length=12, choices=OrderStatus.choices, default=OrderStatus.SUBMITTED, db_index=True
    )
    starts_at = models.DateTimeField("开始时间", null=True, blank=True)
    ends_at = models.DateTimeField("结束时间", null=True, blank=True)
    unit = models.PositiveIntegerField("机位", default=1)
    sample_count = models.PositiveIntegerField("样品数", null=True, blank=True)
    quoted_fen = models.BigIntegerField("报价（分）")
    actual_fen = models.BigIntegerField("实际费用（分）", null=True, blank=True)
    actual_minutes = models.PositiveIntegerField("实际机时（分钟）", null=True, blank=True)
    actual_samples = models.PositiveIntegerField("实际样品数", null=True, blank=True)
    cancellation_fee_fen = models.BigIntegerField("取消/爽约费（分）", default=0)
    sample_state = models.CharField("样品状态", max_length=10, choices=SampleState.choices, blank=True)
    sample_state_at = models.DateTimeField("样品状态更新时间", null=True, blank=True)
    price_snapshot = models.JSONField("下单时价格", default=dict)
    note = models.CharField("备注", max_length=500, blank=True)
    provider_note = models.CharField("服务方意见", max_length=300, blank=True)
    early_reason = models.CharField("提前服务理由", max_length=300, blank=True)
    # private: served only by the report views, which ask OrderPolicy
    report = models.FileField(
        "结果报告", upload_to="resources/reports/", storage=private_storage, blank=True, max_length=120
    )
    report_name = models.CharField("报告文件名", max_length=120, blank=True)
    created_at = models.DateTimeField("下单时间", auto_now_add=True, db_index=True)
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)
    started_at = models.DateTimeField("开始服务时间", null=True, blank=True)
    delivered_at = models.DateTimeField("交付时间", null=True, blank=True)
    completed_at = models.DateTimeField("完成时间", null=True, blank=True)
    cancelled_at = models.DateTimeField("取消时间", null=True, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "服务订单"
        verbose_name_plural = "服务订单"
        indexes = [
            models.Index(fields=["provider", "status"], name="order_provider_status_idx"),
            models.Index(fields=["customer", "status"], name="order_customer_status_idx"),
            models.Index(fields=["resource", "starts_at"], name="order_resource_start_idx"),
            # The zone cockpit's flows: GROUP BY (provider, customer) read in index order, no sort, and every
            # column the aggregate needs is in the index (cockpit.selectors._order_flows).
            models.Index(
                fields=["provider", "customer", "status", "completed_at", "actual_fen", "quoted_fen"],
                name="order_flow_cover_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=OrderStatus.values), name="order_status_valid"),
            models.CheckConstraint(condition=Q(kind__in=OrderKind.values), name="order_kind_valid"),
            models.CheckConstraint(condition=Q(quoted_fen__gte=0), name="order_quoted_not_negative"),
            models.CheckConstraint(
                condition=Q(actual_fen__isnull=True) | Q(actual_fen__gte=0), name="order_actual_not_negative"
            ),
            models.CheckConstraint(condition=Q(cancellation_fee_fen__gte=0), name="order_fee_not_negative"),
            models.CheckConstraint(
                condition=Q(kind=OrderKind.SAMPLE, sample_count__gte=1)
                | Q(kind=OrderKind.BOOKING, starts_at__isnull=False, ends_at__gt=models.F("starts_at")),
                name="order_booking_has_range_or_samples",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def payable_fen(self) -> int:
        """What the customer owes for the service: the recorded actual charge, else the frozen quote."""
        return self.actual_fen if self.actual_fen is not None else self.quoted_fen


class OrderRating(models.Model):
    """The client's rating of a completed service: once per order (the one-to-one key says so)."""

    order = models.OneToOneField(ServiceOrder, on_delete=models.CASCADE, related_name="rating")
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="ratings")
    score = models.PositiveSmallIntegerField("评分（1–5）")
    comment = models.CharField("评价", max_length=500, blank=True)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("评价时间")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "服务评价"
        verbose_name_plural = "服务评价"
        constraints = [
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="rating_score_1_5")
        ]

    def __str__(self) -> str:
        return gettext("订单 %(number)s 评分 %(score)s") % {"number": self.order.number, "score": self.score}


class TrainingSession(models.Model):
    """A training on an instrument the provider held (操作培训, 上机培训): the evaluation's 培训人数 source.

    The provider records each session with its date, topic and the number of people trained; 培训人数 of a year
    is the sum of attendees of the sessions held in that year."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="trainings")
    held_on = models.DateField("培训日期", db_index=True)
    topic = models.CharField("培训内容", max_length=100)
    attendees = models.PositiveIntegerField("培训人数")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = "仪器培训"
        verbose_name_plural = "仪器培训"
        constraints = [
            models.CheckConstraint(
                condition=Q(attendees__gte=1, attendees__lte=1000), name="training_attendees_range"
            )
        ]

    def __str__(self) -> str:
        return gettext("%(resource)s %(day)s 培训：%(topic)s") % {
            "resource": self.resource.name,
            "day": self.held_on,
            "topic": self.topic,
        }
