"""Actor-scoped reads of resources, prices, calendars and orders.

CONTRACT: ``order_get(*, actor, order_id) -> ServiceOrder`` raises NotFound for a missing order and for
one the actor may not see alike (the vouchers app relies on this).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import (
    Avg,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from xietong.core import clock
from xietong.core.actor import Actor
from xietong.core.errors import Conflict, Forbidden, Invalid, NotFound
from xietong.core.policies import get_visible
from xietong.matching.synonyms import Synonyms
from xietong.orgs.enums import OrgStatus
from xietong.orgs.models import Organisation
from xietong.regions import selectors as region_selectors
from xietong.regions.models import Region, ZoneMember
from xietong.resources import pricing, sharing_stats
from xietong.resources.enums import (
    CLASS_FALLBACK,
    SLOT_HOLDING,
    CustomerClass,
    OrderKind,
    OrderStatus,
    PriceUnit,
)
from xietong.resources.models import (
    Category,
    MaintenanceBlock,
    OpeningHours,
    OrderRating,
    PriceList,
    PriceTier,
    Resource,
    ServiceOrder,
    TrainingSession,
)
from xietong.resources.policies import OrderPolicy, ResourcePolicy
from xietong.resources.validation import format_clock

# ---------------------------------------------------------------- categories


def category_list() -> list[Category]:
    """Public reference data: the category tree is the same for everyone."""
    return list(Category.objects.order_by("parent_id", "position", "code"))


def category_tree() -> list[dict[str, Any]]:
    """Public reference data: the top-level categories with their children (one query)."""
    rows = category_list()
    top = [c for c in rows if c.parent_id is None]
    children: dict[int, list[Category]] = {}
    for c in rows:
        if c.parent_id:
            children.setdefault(c.parent_id, []).append(c)
    return [
        {
            "code": c.code,
            "name": c.name,
            "children": [{"code": k.code, "name": k.name} for k in children.get(c.pk, [])],
        }
        for c in top
    ]


def _category_ids(code: str) -> list[int]:
    rows = list(Category.objects.filter(Q(code=code) | Q(parent__code=code)).values_list("pk", flat=True))
    if not rows:
        raise Invalid(_("仪器类别“%(code)s”不存在") % {"code": code}, field="category")
    return rows


# ---------------------------------------------------------------- catalogue


@dataclass(frozen=True)
class CatalogueFilters:
    q: str = ""
    zone: str = ""
    category: str = ""
    region: str = ""
    kind: str = ""
    recognised_in: str = (
        ""  # a region code: only CMA/CNAS resources whose reports a zone covering it recognises
    )
    price_max_fen: int | None = None
    owner_id: int | None = None
    near: str = ""  # a region (name or code): nearest resources first


def zone_ids_covering(region_code: str) -> list[int]:
    """Public reference data (zone membership, `regions.policies`): the zones covering a region."""
    codes = (region_code, *region_selectors.region_ancestor_codes(region_code))
    return list(ZoneMember.objects.filter(region_id__in=codes).values_list("zone_id", flat=True).distinct())


def _synonyms() -> Synonyms:
    return Synonyms(getattr(settings, "MATCHING_SYNONYM_FILES", ()))


def _region_code(text: str) -> str:
    """A region typed as a 6-digit code, a name (苏州, 昆山市) or pinyin: its code (the regions lookup)."""
    text = text.strip()
    if text.isascii() and text.isdigit():
        return text
    found = region_selectors.region_lookup(q=text, limit=1)
    if not found:
        raise Invalid(
            _("找不到地区“%(text)s”，请输入地区名称或 6 位区划代码") % {"text": text}, field="region"
        )
    return found[0].code


def resource_list(*, actor: Actor, filters: CatalogueFilters) -> QuerySet[Resource]:
    qs = ResourcePolicy.visible_qs(actor).select_related("owner", "region", "region__parent", "category")
    text = filters.q.strip()
    if text:
        for variants in _synonyms().expand_all(text.split()[:5]):
            where = Q()
            for word in variants:  # 扫描电镜 also finds 扫描电子显微镜 and SEM
                where |= (
                    Q(name__icontains=word) | Q(model_number__icontains=word) | Q(manufacturer__icontains=word)
                    | Q(specs__icontains=word) | Q(description__icontains=word) | Q(owner__name__icontains=word)
                )  # fmt: skip
            qs = qs.filter(where)
    if filters.zone:
        zone = region_selectors.zone_get(zone_id_or_code=filters.zone)
        qs = qs.filter(region_id__in=region_selectors.zone_region_codes(zone))
    if filters.region:
        codes = region_selectors.region_descendant_codes(_region_code(filters.region))
        if not codes:
            raise Invalid(_("地区代码 %(region)s 不存在") % {"region": filters.region}, field="region")
        qs = qs.filter(region_id__in=codes)
    if filters.category:
        qs = qs.filter(category_id__in=_category_ids(filters.category))
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.owner_id:
        qs = qs.filter(owner_id=filters.owner_id)
    if filters.recognised_in:
        through = Resource.recognised_zones.through.objects.filter(
            resource_id=OuterRef("pk"), zone_id__in=zone_ids_covering(filters.recognised_in)
        )
        qs = qs.filter(Q(is_cma=True) | Q(is_cnas=True)).filter(Exists(through))
    if filters.price_max_fen is not None:
        qs = qs.filter(list_price_fen__lte=filters.price_max_fen)
    if filters.near:
        return _by_distance(qs, _region_code(filters.near))
    return qs.order_by("id")


def _by_distance(qs: QuerySet[Resource], code: str) -> QuerySet[Resource]:
    """Nearest first by the regions' centroids (a county without one uses its prefecture's).

    Squared equirectangular distance: exact enough to order places within a country, and plain SQL.
    """
    origin = Region.objects.filter(code=code).select_related("parent").first()
    if origin is None:
        raise Invalid(_("地区代码 %(code)s 不存在") % {"code": code}, field="near")
    lng0 = origin.lng if origin.lng is not None else getattr(origin.parent, "lng", None)
    lat0 = origin.lat if origin.lat is not None else getattr(origin.parent, "lat", None)
    if lng0 is None or lat0 is None:
        raise Invalid(_("地区“%(name)s”没有坐标，无法按距离排序") % {"name": origin.name}, field="near")
    scale = math.cos(math.radians(lat0)) ** 2
    lng, lat = Coalesce("region__lng", "region__parent__lng"), Coalesce("region__lat", "region__parent__lat")
    distance = ExpressionWrapper(
        (lng - Value(lng0)) * (lng - Value(lng0)) * Value(scale) + (lat - Value(lat0)) * (lat - Value(lat0)),
        output_field=FloatField(),
    )
    return qs.annotate(distance2=distance).order_by(F("distance2").asc(nulls_last=True), "id")


def resource_map(*, actor: Actor, qs: QuerySet[Resource]) -> list[dict[str, Any]]:
    """Counts per region at the region's centroid (or its parent's, for counties without one); one query.
    `qs` comes from `resource_list`; the policy filter is applied again so no other queryset leaks counts."""
    rows = (
        qs.filter(ResourcePolicy.visible(actor))
        .order_by()
        .values(
            "region_id",
            "region__name",
            "region__lng",
            "region__lat",
            "region__parent__lng",
            "region__parent__lat",
        )
        .annotate(n=Count("id"))
        .order_by("region_id")
    )
    points = []
    for r in rows:
        lng, lat = r["region__lng"], r["region__lat"]
        if lng is None:
            lng, lat = r["region__parent__lng"], r["region__parent__lat"]
        if lng is not None and lat is not None:
            points.append(
                {"code": r["region_id"], "name": r["region__name"], "lng": lng, "lat": lat, "count": r["n"]}
            )
    return points


def resource_photos(*, actor: Actor, resource: Resource) -> list:
    """The photos of a resource the actor sees (resolved through `resource_get`): public media, in upload order."""
    return list(resource.photos.all()) if ResourcePolicy.can(actor, "view", resource) else []


def resource_schedule(*, actor: Actor, resource: Resource) -> tuple[list, list]:
    """Opening hours and the coming maintenance blocks (50 at most), for those who manage the resource."""
    ResourcePolicy.require(actor, "manage", resource)
    hours = list(resource.opening_hours.all())
    blocks = resource.maintenance_blocks.filter(ends_at__gte=timezone.now()).order_by("starts_at")[:50]
    return hours, list(blocks)


def price_list_versions(*, actor: Actor, resource: Resource, limit: int = 10) -> list:
    """The latest price list versions, for those who manage the resource."""
    ResourcePolicy.require(actor, "manage", resource)
    return list(resource.price_lists.all()[:limit])


def price_list_editing(*, actor: Actor, resource: Resource) -> tuple[Any, list]:
    """The price list in force (or None) and its tiers, to prefill the editor of those who manage the resource."""
    ResourcePolicy.require(actor, "manage", resource)
    in_force = price_list_in_force(actor=actor, resource=resource)
    return in_force, list(in_force.tiers.all()) if in_force else []


def resource_get(*, actor: Actor, resource_id: int) -> Resource:
    qs = ResourcePolicy.visible_qs(actor).select_related(
        "owner", "region", "region__parent", "category", "category__parent"
    )
    return get_visible(qs, _("资源不存在或您无权查看"), pk=resource_id)


def my_region_code(actor: Actor) -> str:
    """The region of the actor's first organisation (for 'recognised in my region')."""
    if not actor.organisation_ids:
        raise Invalid(_("按“本地区互认”筛选需要机构身份"), field="recognised")
    org = Organisation.objects.filter(pk=min(actor.organisation_ids)).only("region_id").first()
    if org is None:
        raise Invalid(_("按“本地区互认”筛选需要机构身份"), field="recognised")
    return org.region_id


def customer_orgs(*, actor: Actor) -> list[Organisation]:
    """Organisations the actor may order for (its memberships), first by id."""
    return list(
        Organisation.objects.filter(pk__in=actor.organisation_ids).select_related("region").order_by("id")
    )


def customer_for(*, actor: Actor, customer_id: int | None = None) -> Organisation:
    """The ordering organisation: one of the actor's own and approved (the first one if none is named)."""
    if customer_id is None and actor.organisation_ids:
        customer_id = min(actor.organisation_ids)
    if customer_id not in actor.organisation_ids:
        raise Forbidden(_("只能以您所属的机构名义下单或询价"))
    org = next(o for o in customer_orgs(actor=actor) if o.pk == customer_id)
    if org.status != OrgStatus.APPROVED:
        raise Conflict(_("您的机构尚未通过认证，暂不能下单"))
    return org


# ---------------------------------------------------------------- prices


def price_list_in_force(*, actor: Actor, resource: Resource, on: date | None = None) -> PriceList | None:
    """The published tariff of a resource the actor sees (`ResourcePolicy.visible`, in the same query)."""
    on = on or clock.today()
    return (
        PriceList.objects.filter(
            resource=resource, resource__in=ResourcePolicy.visible_qs(actor).values("pk"), valid_from__lte=on
        )
        .prefetch_related(Prefetch("tiers", queryset=PriceTier.objects.order_by("id")))
        .order_by("-valid_from", "-id")
        .first()
    )


def customer_class(*, customer: Organisation, resource: Resource) -> CustomerClass:
    """Pure: the customer's price class for the resource (no read)."""
    if customer.pk == resource.owner_id:
        return CustomerClass.OWN_ORG
    if not region_selectors.is_cross_region(customer.region_id, resource.region_id):
        return CustomerClass.SAME_REGION
    if set(zone_ids_covering(customer.region_id)) & set(zone_ids_covering(resource.region_id)):
        return CustomerClass.SAME_ZONE
    return CustomerClass.OTHER


def price_snapshot(*, price_list: PriceList, klass: CustomerClass) -> dict[str, Any]:
    """Pure (over the tiers `price_list_in_force` prefetched): the tiers for `klass`, falling back to the next
    broader class that has any."""
    tiers = list(price_list.tiers.all())
    for candidate in CLASS_FALLBACK[CLASS_FALLBACK.index(klass) :]:
        chosen = [t for t in tiers if t.customer_class == candidate]
        if chosen:
            break
    else:
        raise Invalid(_("该资源尚未设置适用于您的价格"), code="no_price")
    return {
        "price_list_id": price_list.pk,
        "unit": price_list.unit,
        "customer_class": str(klass),
        "tier_class": str(candidate),
        "minimum_charge_fen": price_list.minimum_charge_fen,
        "rounding": price_list.rounding,
        "increment_minutes": price_list.increment_minutes,
        "tiers": [
            {"weekdays": t.weekdays, "start_minute": t.start_minute, "end_minute": t.end_minute,
             "unit_price_fen": t.unit_price_fen}
            for t in chosen
        ],
    }  # fmt: skip


@dataclass(frozen=True)
class Quote:
    customer: Organisation
    customer_class: CustomerClass
    snapshot: dict[str, Any]
    amount_fen: int
    minutes: int | None = None
    samples: int | None = None

    @property
    def unit_price_fen(self) -> int:
        return pricing.unit_price(self.snapshot)


def quote(
    *, actor: Actor, resource: Resource, customer: Organisation,
    starts_at: datetime | None = None, ends_at: datetime | None = None, samples: int | None = None,
) -> Quote:  # fmt: skip
    """The price `customer` would pay now, for a slot (per hour) or a number of samples (per sample)."""
    price_list = price_list_in_force(actor=actor, resource=resource)
    if price_list is None:
        raise Invalid(_("该资源尚未发布价目表，暂不能下单"), code="no_price")
    klass = customer_class(customer=customer, resource=resource)
    snapshot = price_snapshot(price_list=price_list, klass=klass)
    if price_list.unit == PriceUnit.SAMPLE:
        samples = samples or 1
        amount = pricing.price_samples(snapshot, samples=samples)
        return Quote(customer, klass, snapshot, amount, samples=samples)
    if starts_at is None or ends_at is None:
        raise Invalid(_("按机时计价的资源请填写开始和结束时间"), field="starts_at")
    starts_at, ends_at = check_range(starts_at, ends_at)
    minutes = int((ends_at - starts_at).total_seconds() // 60)
    amount = pricing.price_booking(snapshot, starts_at=timezone.localtime(starts_at), minutes=minutes)
    return Quote(customer, klass, snapshot, amount, minutes=minutes)


def check_range(starts_at: datetime, ends_at: datetime, *, max_days: int = 7) -> tuple[datetime, datetime]:
    """Pure: aware datetimes within a year of now and at most `max_days` apart, or Invalid (never an overflow)."""
    starts_at, ends_at = (timezone.make_aware(t) if timezone.is_naive(t) else t for t in (starts_at, ends_at))
    now = clock.now()
    if not (now - timedelta(days=366) <= starts_at <= now + timedelta(days=366)):
        raise Invalid(_("开始时间应在一年之内"), field="starts_at")
    if not starts_at < ends_at <= starts_at + timedelta(days=max_days):
        raise Invalid(
            _("结束时间应晚于开始时间，且时长不超过 %(max_days)s 天") % {"max_days": max_days},
            field="ends_at",
        )
    return starts_at, ends_at


def check_day(day: date) -> date:
    """Pure: a day within two years of today, else Invalid (no read)."""
    today = clock.today()
    if not today - timedelta(days=731) <= day <= today + timedelta(days=731):
        raise Invalid(_("日期应在前后两年之内"), field="start")
    return day


def price_table(*, actor: Actor, resource: Resource) -> list[dict[str, Any]]:
    """The price list in force as rows for the resource page (one row per tier)."""
    price_list = price_list_in_force(actor=actor, resource=resource)
    if price_list is None:
        return []
    labels = dict(CustomerClass.choices)
    # a tier for days the resource never opens (a weekend price of an instrument closed at weekends)
    # could never be charged: not shown. Without opening hours (sample services) every tier applies.
    open_days = {
        str(d) for d in OpeningHours.objects.filter(resource=resource).values_list("weekday", flat=True)
    }
    return [
        {"class": t.customer_class, "class_label": gettext(labels[t.customer_class]), "weekdays": t.weekdays,
         "window": gettext("全天") if (t.start_minute, t.end_minute) == (0, 1440) else f"{format_clock(t.start_minute)}–{format_clock(t.end_minute)}",
         "unit_price_fen": t.unit_price_fen, "unit": gettext(price_list.get_unit_display()),
         "minimum_charge_fen": price_list.minimum_charge_fen}
        for t in price_list.tiers.all()
        if not open_days or open_days & set(t.weekdays)
    ]  # fmt: skip


# ---------------------------------------------------------------- calendar


EARLY_SERVED = (OrderStatus.IN_PROGRESS, OrderStatus.DELIVERED, OrderStatus.COMPLETED)


def _slot_label(order: ServiceOrder, now) -> str:
    """Pure: a slot that has not begun cannot have been served in it: an order served ahead of its slot
    (with the provider's recorded reason) reads 已提前服务, never 已完成 on a future day."""
    if order.starts_at > now and order.status in EARLY_SERVED:
        return gettext("已提前服务")
    return order.get_status_display()


@dataclass
class CalendarDay:
    day: date
    is_open: bool = False
    opening: list[tuple[str, str]] = field(default_factory=list)
    maintenance: list[dict[str, Any]] = field(default_factory=list)
    bookings: list[dict[str, Any]] = field(default_factory=list)


def resource_calendar(*, actor: Actor, resource: Resource, start: date, days: int = 7) -> list[CalendarDay]:
    """Opening hours, maintenance and busy slots per day; customer names only for the provider (3 queries)."""
    days = max(1, min(days, 31))
    check_day(start)
    tz = timezone.get_current_timezone()
    begin = datetime.combine(start, datetime.min.time(), tzinfo=tz)
    end = begin + timedelta(days=days)
    hours = list(OpeningHours.objects.filter(resource=resource))
    blocks = list(MaintenanceBlock.objects.filter(resource=resource, starts_at__lt=end, ends_at__gt=begin))
    is_provider = ResourcePolicy.can(actor, "view_orders", resource)
    bookings = list(
        ServiceOrder.objects.filter(  # only times are shown to others, names to the provider
            resource=resource, kind=OrderKind.BOOKING, status__in=SLOT_HOLDING,
            starts_at__lt=end, ends_at__gt=begin,
        ).select_related("customer").order_by("starts_at")
    )  # fmt: skip
    out, now = [], clock.now()
    for offset in range(days):
        day = start + timedelta(days=offset)
        day_begin = begin + timedelta(days=offset)
        day_end = day_begin + timedelta(days=1)
        cal = CalendarDay(day=day)
        cal.opening = [
            (format_clock(h.start_minute), format_clock(h.end_minute))
            for h in hours
            if h.weekday == day.isoweekday()
        ]
        cal.maintenance = [
            {"from": timezone.localtime(b.starts_at), "to": timezone.localtime(b.ends_at), "reason": b.reason}
            for b in blocks
            if b.starts_at < day_end and b.ends_at > day_begin
        ]
        cal.is_open = bool(cal.opening)
        cal.bookings = [
            {"from": timezone.localtime(o.starts_at), "to": timezone.localtime(o.ends_at), "unit": o.unit,
             "status": o.status, "status_label": _slot_label(o, now),
             "customer": o.customer.name if is_provider or o.customer_id in actor.organisation_ids else "",
             "order_id": o.pk if is_provider or o.customer_id in actor.organisation_ids else None}
            for o in bookings
            if o.starts_at < day_end and o.ends_at > day_begin
        ]  # fmt: skip
        out.append(cal)
    return out


# ---------------------------------------------------------------- orders


def order_get(*, actor: Actor, order_id: int) -> ServiceOrder:
    """The order if the actor may see it; NotFound for missing and hidden alike."""
    qs = OrderPolicy.visible_qs(actor).select_related(
        "resource", "resource__region", "provider", "provider__region", "customer", "customer__region"
    )
    return get_visible(qs, _("订单不存在或您无权查看"), pk=order_id)


@dataclass(frozen=True)
class OrderFilters:
    side: str = ""  # "customer", "provider" or "" (everything visible)
    status: str = ""
    q: str = ""
    resource_id: int | None = None


def order_report_get(*, actor: Actor, order_id: int) -> ServiceOrder:
    """The order whose report the actor may download; a 404 for anyone else, as for a missing report."""
    order = order_get(actor=actor, order_id=order_id)
    if not OrderPolicy.can(actor, "download_report", order) or not order.report:
        raise NotFound(_("该订单尚无结果报告"))
    return order


def order_list(*, actor: Actor, filters: OrderFilters) -> QuerySet[ServiceOrder]:
    qs = OrderPolicy.visible_qs(actor).select_related("resource", "provider", "customer")
    if filters.side == "customer":
        qs = qs.filter(customer_id__in=actor.organisation_ids)
    elif filters.side == "provider":
        qs = qs.filter(provider_id__in=actor.organisation_ids)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.resource_id:
        qs = qs.filter(resource_id=filters.resource_id)
    text = filters.q.strip()
    if text:
        qs = qs.filter(
            Q(number__icontains=text) | Q(resource__name__contains=text) | Q(customer__name__contains=text)
        )
    return qs.order_by("-created_at", "-id")


def provider_usage(*, actor: Actor) -> dict[str, Any]:
    """The provider console's usage figures over the actor's organisations' orders (four queries)."""
    qs = ServiceOrder.objects.filter(provider_id__in=actor.organisation_ids)  # own orgs only
    done = qs.filter(status=OrderStatus.COMPLETED)
    totals = done.aggregate(n=Count("id"), minutes=Sum("actual_minutes"), fen=Sum("actual_fen"))
    by_status = dict(qs.order_by().values_list("status").annotate(n=Count("id")))
    pairs = done.order_by().values_list("customer__region_id", "provider__region_id").annotate(n=Count("id"))
    cross = sum(n for customer, provider, n in pairs if region_selectors.is_cross_region(customer, provider))
    per_resource = list(
        done.order_by().values("resource_id", "resource__name")
        .annotate(n=Count("id"), minutes=Sum("actual_minutes"), fen=Sum("actual_fen"))
        .order_by("-n", "resource_id")[:50]
    )  # fmt: skip
    labels = dict(OrderStatus.choices)
    return {
        "completed": totals["n"] or 0,
        "hours": round((totals["minutes"] or 0) / 60, 1),
        "revenue_fen": totals["fen"] or 0,
        "by_status": [
            {"status": s, "label": gettext(labels[s]), "count": by_status.get(s, 0)}
            for s in OrderStatus.values
        ],
        "cross_region": cross,
        "cross_region_percent": round(100 * cross / totals["n"], 1) if totals["n"] else 0.0,
        "per_resource": per_resource,
    }


def owned_resources(*, actor: Actor) -> QuerySet[Resource]:
    """Resources of the actor's own organisations (the provider console)."""
    return (
        Resource.objects.filter(owner_id__in=actor.organisation_ids)
        .select_related("owner", "category")
        .order_by("id")
    )


# ---------------------------------------------------------------- after the service


def resource_ratings(*, actor: Actor, resource: Resource, latest: int = 5) -> dict[str, Any]:
    """Public (for a resource the actor sees, resolved through `resource_get`): the average score, how many
    ratings, and the latest comments without the rater's name (clients are organisations' staff)."""
    qs = OrderRating.objects.filter(resource=resource)
    agg = qs.aggregate(n=Count("id"), avg=Avg("score"))
    return {
        "count": agg["n"] or 0,
        "average": round(agg["avg"], 1) if agg["avg"] is not None else None,
        "latest": list(qs.exclude(comment="").values("score", "comment", "created_at")[:latest]),
    }


def order_rating(*, actor: Actor, order: ServiceOrder):
    """The rating of an order the actor sees (resolved through `order_get`), or None."""
    return OrderRating.objects.filter(order=order).first()


# ---------------------------------------------------------------- open-sharing statistics


def _year_bounds(year: int) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return datetime(year, 1, 1, tzinfo=tz), datetime(year + 1, 1, 1, tzinfo=tz)


def _stat_rows(qs: QuerySet[ServiceOrder], start: datetime, end: datetime) -> list:
    in_period = (
        Q(starts_at__lt=end, ends_at__gt=start)
        | Q(completed_at__gte=start, completed_at__lt=end)
        | Q(cancelled_at__gte=start, cancelled_at__lt=end)
    )
    fields = [f for f in sharing_stats.OrderRow.__dataclass_fields__ if f != "resource_id"]
    return [
        sharing_stats.OrderRow(resource_id=values["resource_id"], **{k: values[k] for k in fields})
        for values in qs.filter(in_period).order_by().values("resource_id", *fields)
    ]


def _training_attendees(*, owner_ids, year: int) -> list[tuple[int, int]]:
    """(resource id, people trained) over the training sessions held in `year` on the owners' instruments
    (callers have checked that the actor may read these owners' statistics)."""
    return list(
        TrainingSession.objects.filter(resource__owner_id__in=owner_ids, held_on__year=year)
        .order_by()
        .values("resource_id")
        .annotate(n=Sum("attendees"))
        .values_list("resource_id", "n")
    )


def trainings_recent(*, actor: Actor, organisation_id: int, limit: int = 20) -> list:
    """The unit's latest recorded trainings (the same readers as its statistics: `open_sharing` checks)."""
    if not (actor.is_platform_admin or organisation_id in actor.organisation_ids):
        return []
    return list(
        TrainingSession.objects.filter(resource__owner_id=organisation_id).select_related("resource")[:limit]
    )


def sharing_units(*, actor: Actor) -> list[Organisation]:
    """The organisations whose statistics the actor may read: its own (the provider console)."""
    ids = actor.organisation_ids
    return list(Organisation.objects.filter(pk__in=sorted(ids)).order_by("id"))


def open_sharing(*, actor: Actor, organisation_id: int, year: int) -> dict[str, Any]:
    """A unit's open-sharing statistics for a year, per instrument and in total, and where the unit stands
    among the units of its city (aggregates only: the others are not named)."""
    if not (actor.is_platform_admin or organisation_id in actor.organisation_ids):
        raise NotFound(_("机构不存在或您无权查看其统计"))
    if not 2000 <= year <= 2100:
        raise Invalid(_("年份应在 2000–2100 之间"), field="year")
    org = get_visible(Organisation.objects.select_related("region"), _("机构不存在"), pk=organisation_id)
    start, end = _year_bounds(year)
    resources = list(Resource.objects.filter(owner=org).order_by("kind", "name", "id"))
    figures = sharing_stats.per_resource(
        _stat_rows(ServiceOrder.objects.filter(provider=org), start, end), start, end
    )
    sharing_stats.add_trainings(figures, _training_attendees(owner_ids=[org.pk], year=year))
    ratings = {
        r["resource_id"]: (round(r["avg"], 1), r["n"])
        for r in OrderRating.objects.filter(resource__owner=org, created_at__gte=start, created_at__lt=end)
        .order_by()
        .values("resource_id")
        .annotate(avg=Avg("score"), n=Count("id"))
    }
    rows = [
        {"resource": r, "f": figures.get(r.pk, sharing_stats.Figures()), "rating": ratings.get(r.pk)}
        for r in resources
    ]
    unit = sharing_stats.total(row["f"] for row in rows)
    return {
        "organisation": org,
        "year": year,
        "rows": rows,
        "total": unit,
        "region": _region_standing(org, unit, start, end),
    }


def _region_standing(org: Organisation, unit, start: datetime, end: datetime) -> dict[str, Any]:
    city = region_selectors.locality_code(org.region_id)
    codes = region_selectors.region_descendant_codes(city) or frozenset({org.region_id})
    owners = set(
        Resource.objects.filter(owner__region_id__in=codes).values_list("owner_id", flat=True).distinct()
    )
    owners.add(org.pk)
    qs = ServiceOrder.objects.filter(provider_id__in=owners)  # aggregates of the city's units, none named
    per_unit: dict[int, sharing_stats.Figures] = {pk: sharing_stats.Figures() for pk in owners}
    rows = _stat_rows(qs, start, end)
    by_provider: dict[int, list] = {}
    for row in rows:
        by_provider.setdefault(row.provider_id, []).append(row)
    for pk, provider_rows in by_provider.items():
        per_unit[pk] = sharing_stats.total(sharing_stats.per_resource(provider_rows, start, end).values())
    n = len(per_unit)
    hours = sorted((f.effective_minutes for f in per_unit.values()), reverse=True)
    rates = [f.sharing_rate for f in per_unit.values() if f.sharing_rate is not None]
    return {
        "city": region_selectors.region_get(city).name if city else "",
        "units": n,
        "rank_hours": 1 + sum(1 for h in hours if h > unit.effective_minutes),
        "avg_hours": round(sum(hours) / 60 / n, 2) if n else 0,
        "avg_external_hours": round(sum(f.external_minutes for f in per_unit.values()) / 60 / n, 2)
        if n
        else 0,
        "avg_rate": round(sum(rates) / len(rates), 4) if rates else None,
        "avg_income_fen": sum(f.income_fen for f in per_unit.values()) // n if n else 0,
    }
