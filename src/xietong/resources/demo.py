"""Deterministic, idempotent demo data (labelled 演示): instruments, testing services, price lists and orders.

Providers are the demo universities, institutes, testing agencies and technology centres created by
`orgs.demo` in the three big zones; each gets four or five resources (≥ 500 in all) with price lists,
opening hours and, for testing agencies, CMA/CNAS flags recognised across their zones. Orders in every
state are added, several for the enterprise of the demo account `org_admin` (嘉兴) and several on the
instruments of the university of the demo account `org_member` (上海). Re-running creates nothing new:
resources are keyed by their `DEMO-…` asset code and orders by their `XTDEMO…` number.
"""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from xietong.core import clock
from xietong.core.actor import SYSTEM
from xietong.orgs.demo import _scope_org
from xietong.orgs.enums import OrgKind, OrgStatus
from xietong.orgs.models import Organisation
from xietong.regions.models import ZoneMember
from xietong.regions.selectors import region_ancestor_codes
from xietong.resources import pricing, selectors
from xietong.resources.enums import OpenStatus, OrderKind, OrderStatus, ResourceKind
from xietong.resources.models import Category, OpeningHours, PriceList, PriceTier, Resource, ServiceOrder
from xietong.resources.services import categories_ensure
from xietong.resources.validation import format_clock

SEED = 2026
PROVIDER_KINDS = (OrgKind.UNIVERSITY, OrgKind.INSTITUTE, OrgKind.TESTING, OrgKind.TECH_CENTRE)
# category code → {"price": 分 per hour, "items": [[name, maker, model, original value 万元, specifications]]}
CATALOGUE = {
    code: entry
    for code, entry in json.loads(
        (Path(__file__).parent / "data" / "demo_instruments.json").read_text("utf-8")
    ).items()
    if not code.startswith("_")
}
NOTES = ("样品为粉末，约 2 g，常温保存", "请提前告知制样要求", "需出具中英文报告", "样品 3 件，测试后退回")
SERVICE_SPECS = {
    "0801": "依据 GB/T 228.1、GB/T 223 系列等标准；出具 CMA 检测报告；常规 5 个工作日",
    "0802": "依据 GB/T 17626 系列、GB/T 9254.1（CISPR 32）；3 米法半电波暗室；常规 7 个工作日",
    "0803": "依据 GB 5749、GB 2763 等标准；气相/液相色谱-质谱法；常规 7 个工作日",
    "0804": "依据《中华人民共和国药典》及 ICH Q3A/Q3B、GB/T 16886.5；常规 10 个工作日",
    "0805": "依据相关 JJG 检定规程和 JJF 校准规范；出具 CNAS 校准证书；常规 3 个工作日",
}
SERVICES = {
    "0801": (["金属材料成分分析", "塑料拉伸性能检测", "涂层厚度与附着力检测"], 60000),
    "0802": (["电磁兼容（EMC）全项检测", "静电放电抗扰度检测"], 300000),
    "0803": (["水质全项检测", "食品农药残留检测"], 80000),
    "0804": (["药物杂质分析", "细胞毒性检测"], 150000),
    "0805": (["力值计量校准", "温湿度计量校准"], 30000),
}


def _zones_by_region() -> dict[str, set[int]]:
    rows = ZoneMember.objects.values_list("region_id", "zone_id")
    out: dict[str, set[int]] = {}
    for region, zone in rows:
        out.setdefault(region, set()).add(zone)
    return out


def _zones_covering(code: str, members: dict[str, set[int]]) -> set[int]:
    zones: set[int] = set()
    for candidate in (code, *region_ancestor_codes(code)):
        zones |= members.get(candidate, set())
    return zones


def _plan(
    rng: random.Random, provider: Organisation, categories: dict[str, Category], index: int
) -> list[dict]:
    count = 4 + (index % 2)
    plans = []
    for i in range(count):
        as_service = (provider.kind == OrgKind.TESTING and i < 3) or (
            provider.kind != OrgKind.TESTING and i == count - 1 and index % 3 == 0
        )
        if as_service:
            code = rng.choice(sorted(SERVICES))
            names, price = SERVICES[code]
            plans.append({"code": code, "name": rng.choice(names), "kind": ResourceKind.SERVICE, "price": price,
                          "maker": "", "model": "", "specs": SERVICE_SPECS[code], "value": None,
                          "asset": f"DEMO-{provider.credit_code[-9:]}-{i}"})  # fmt: skip
        else:
            code = rng.choice(sorted(CATALOGUE))
            name, maker, model, value, specs = rng.choice(CATALOGUE[code]["items"])
            kind = ResourceKind.FACILITY if code in ("0601", "0701") else ResourceKind.INSTRUMENT
            plans.append({"code": code, "name": name, "kind": kind, "price": CATALOGUE[code]["price"], "maker": maker,
                          "model": model, "specs": specs, "value": value * 1_000_000,
                          "asset": f"DEMO-{provider.credit_code[-9:]}-{i}"})  # fmt: skip
    return plans


def _resources(rng: random.Random) -> int:
    categories_ensure()
    categories = {c.code: c for c in Category.objects.all()}
    providers = list(
        Organisation.objects.filter(kind__in=PROVIDER_KINDS, status=OrgStatus.APPROVED).order_by("id")
    )
    existing = set(
        Resource.objects.filter(asset_code__startswith="DEMO-").values_list("asset_code", flat=True)
    )
    members = _zones_by_region()
    fresh: list[tuple[Resource, dict, set[int]]] = []
    for index, provider in enumerate(providers):
        for plan in _plan(rng, provider, categories, index):
            if plan["asset"] in existing:
                continue
            testing = provider.kind == OrgKind.TESTING
            resource = Resource(
                owner=provider, region_id=provider.region_id, category=categories[plan["code"]], kind=plan["kind"],
                name=plan["name"], asset_code=plan["asset"], manufacturer=plan["maker"], model_number=plan["model"],
                original_value_fen=plan["value"], address=f"{provider.name}实验楼 {rng.randint(1, 9)}{rng.randint(1, 30):02d} 室",
                specs=plan["specs"], description=f"{provider.name}对外开放共享的{categories[plan['code']].name}。",
                open_status=OpenStatus.PAUSED if rng.random() < 0.05 else OpenStatus.OPEN,
                is_cma=testing or rng.random() < 0.15, is_cnas=testing and rng.random() < 0.7,
                capacity=rng.choice([1, 1, 1, 2]) if plan["kind"] != ResourceKind.SERVICE else rng.choice([20, 50, 100]),
                requires_approval=rng.random() < 0.7, min_notice_hours=rng.choice([2, 12, 24]), advance_days=rng.choice([14, 30, 60]),
                list_price_fen=plan["price"], price_unit="sample" if plan["kind"] == ResourceKind.SERVICE else "hour",
            )  # fmt: skip
            zones = (
                _zones_covering(provider.region_id, members)
                if (resource.is_cma or resource.is_cnas)
                else set()
            )
            fresh.append((resource, plan, zones))
    Resource.objects.bulk_create([r for r, _, _ in fresh], batch_size=500)
    if fresh and fresh[0][0].pk is None:  # backends without RETURNING: read the ids back
        ids = dict(
            Resource.objects.filter(asset_code__in=[p["asset"] for _, p, _ in fresh]).values_list(
                "asset_code", "pk"
            )
        )
        for resource, plan, _ in fresh:
            resource.pk = ids[plan["asset"]]
    through = Resource.recognised_zones.through
    through.objects.bulk_create(
        [through(resource_id=r.pk, zone_id=z) for r, _, zones in fresh for z in sorted(zones)],
        batch_size=1000,
    )
    price_lists = [
        PriceList(resource=r, unit=r.price_unit, minimum_charge_fen=plan["price"] // 2 if r.price_unit == "hour" else 0,
                  rounding="yuan", increment_minutes=30, valid_from=clock.today() - timedelta(days=365))
        for r, plan, _ in fresh
    ]  # fmt: skip
    PriceList.objects.bulk_create(price_lists, batch_size=500)
    if price_lists and price_lists[0].pk is None:
        by_resource = dict(
            PriceList.objects.filter(resource__in=[r for r, _, _ in fresh]).values_list("resource_id", "pk")
        )
        for pl in price_lists:
            pl.pk = by_resource[pl.resource_id]
    tiers, hours = [], []
    for price_list, (resource, plan, _) in zip(price_lists, fresh, strict=True):
        base = plan["price"]
        for klass, share in (("other", 100), ("same_zone", 80), ("same_region", 70), ("own_org", 40)):
            tiers.append(
                PriceTier(
                    price_list_id=price_list.pk, customer_class=klass, unit_price_fen=base * share // 100
                )
            )
        if resource.price_unit == "hour":
            tiers.append(
                PriceTier(
                    price_list_id=price_list.pk,
                    customer_class="other",
                    weekdays="67",
                    unit_price_fen=base * 3 // 2,
                )
            )
            hours += [
                OpeningHours(resource_id=resource.pk, weekday=d, start_minute=510, end_minute=1050)
                for d in range(1, 6)
            ]
    PriceTier.objects.bulk_create(tiers, batch_size=1000)
    OpeningHours.objects.bulk_create(hours, batch_size=1000)
    return len(fresh)


def _order(number: str, resource: Resource, customer: Organisation, status: str, *, start: datetime | None = None,
           hours: int = 2, samples: int = 0) -> ServiceOrder:  # fmt: skip
    klass = selectors.customer_class(customer=customer, resource=resource)
    price_list = selectors.price_list_in_force(actor=SYSTEM, resource=resource)
    snapshot = selectors.price_snapshot(price_list=price_list, klass=klass)
    now = clock.now()
    if status == OrderStatus.SUBMITTED and not resource.requires_approval:
        status = OrderStatus.CONFIRMED  # 预约即确认: such a booking is never waiting for the provider
    order = ServiceOrder(number=number, resource=resource, provider_id=resource.owner_id, customer=customer,
                         customer_class=klass, status=status, price_snapshot=snapshot, note=NOTES[int(number[-2:]) % len(NOTES)])  # fmt: skip
    if resource.is_slotted:
        order.kind, order.starts_at, order.ends_at = OrderKind.BOOKING, start, start + timedelta(hours=hours)
        order.quoted_fen = pricing.price_booking(
            snapshot, starts_at=timezone.localtime(start), minutes=hours * 60
        )
    else:
        order.kind, order.sample_count = OrderKind.SAMPLE, samples or 2
        order.quoted_fen = pricing.price_samples(snapshot, samples=order.sample_count)
    if status not in (OrderStatus.SUBMITTED, OrderStatus.REJECTED, OrderStatus.CANCELLED):
        order.confirmed_at = now
    if status in (OrderStatus.IN_PROGRESS, OrderStatus.DELIVERED, OrderStatus.COMPLETED):
        order.started_at = now
    if status in (OrderStatus.DELIVERED, OrderStatus.COMPLETED):
        order.delivered_at = now
        if order.kind == OrderKind.BOOKING:
            order.actual_minutes = hours * 60 - 30
            order.actual_fen = pricing.price_booking(
                snapshot, starts_at=timezone.localtime(start), minutes=order.actual_minutes
            )
        else:
            order.actual_samples = order.sample_count
            order.actual_fen = order.quoted_fen
    if status == OrderStatus.COMPLETED:
        order.completed_at = now
    if status in (OrderStatus.CANCELLED, OrderStatus.REJECTED, OrderStatus.NO_SHOW):
        order.cancelled_at = now
        order.provider_note = "该时段设备排期已满，请改约其他时间" if status == OrderStatus.REJECTED else ""
        order.cancellation_fee_fen = (
            pricing.fee(order.quoted_fen, resource.no_show_percent) if status == OrderStatus.NO_SHOW else 0
        )
    return order


def _day(offset: int, hour: int) -> datetime:
    """A weekday `offset` days from today, moved away from today past a weekend (a past slot stays past)."""
    day = clock.today() + timedelta(days=offset)
    while day.isoweekday() > 5:
        day += timedelta(days=-1 if offset < 0 else 1)
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=timezone.get_current_timezone())


def _orders(rng: random.Random) -> int:
    if ServiceOrder.objects.filter(number__startswith="XTDEMO").exists():
        return 0
    resources = list(Resource.objects.filter(asset_code__startswith="DEMO-", open_status=OpenStatus.OPEN)
                     .select_related("owner").order_by("id"))  # fmt: skip
    if not resources:
        return 0
    firm = _scope_org("first:enterprise:330400")
    university = _scope_org("first:university:310000")
    enterprises = list(
        Organisation.objects.filter(kind=OrgKind.ENTERPRISE, status=OrgStatus.APPROVED).order_by("id")[:120]
    )
    shanghai = [r for r in resources if r.region_id.startswith("31") and r.is_slotted] or resources
    campus = [r for r in resources if r.owner_id == university.pk and r.is_slotted] or shanghai
    labs = [r for r in resources if not r.is_slotted]
    orders: list[ServiceOrder] = []
    used: set[tuple[int, object]] = set()  # one booking per resource and day, so no slot is taken twice

    def free(resource: Resource, offset: int, hour: int) -> datetime:
        start = _day(offset, hour)
        step = -1 if offset < 0 else 1  # past orders (completed, delivered) never slide into the future
        while (resource.pk, start.date()) in used:
            start = _day((start.date() - clock.today()).days + step, hour)
        used.add((resource.pk, start.date()))
        return start

    # the demo enterprise (嘉兴) books Shanghai instruments and orders a test
    story = [
        (OrderStatus.COMPLETED, shanghai[0], -20, 9), (OrderStatus.DELIVERED, shanghai[1 % len(shanghai)], -3, 10),
        (OrderStatus.CONFIRMED, shanghai[2 % len(shanghai)], 5, 9), (OrderStatus.SUBMITTED, campus[0], 7, 14),
        (OrderStatus.CANCELLED, shanghai[3 % len(shanghai)], 9, 9),
    ]  # fmt: skip
    for i, (status, resource, offset, hour) in enumerate(story):
        orders.append(_order(f"XTDEMO{i:05d}", resource, firm, status, start=free(resource, offset, hour)))
    if labs:
        orders.append(_order("XTDEMO00010", labs[0], firm, OrderStatus.IN_PROGRESS, samples=3))
    # the demo university's instruments have bookings waiting for the provider
    for i, resource in enumerate(campus[:3]):
        start = free(resource, 3 + i, 10)
        orders.append(
            _order(
                f"XTDEMO{20 + i:05d}", resource, rng.choice(enterprises), OrderStatus.SUBMITTED, start=start
            )
        )
    # and a few hundred orders across the zones
    statuses = [OrderStatus.COMPLETED] * 6 + [OrderStatus.CONFIRMED, OrderStatus.SUBMITTED, OrderStatus.CANCELLED,
                                               OrderStatus.REJECTED, OrderStatus.NO_SHOW, OrderStatus.DELIVERED]  # fmt: skip
    for i in range(300):
        resource, status = rng.choice(resources), rng.choice(statuses)
        past = status in (OrderStatus.COMPLETED, OrderStatus.NO_SHOW, OrderStatus.DELIVERED)
        offset = -rng.randint(5, 120) if past else rng.randint(2, 28)
        start = free(resource, offset, rng.choice([9, 13, 15])) if resource.is_slotted else None
        orders.append(_order(f"XTDEMO{100 + i:05d}", resource, rng.choice(enterprises), status, start=start,
                             hours=rng.choice([1, 2, 3]), samples=rng.randint(1, 5)))  # fmt: skip
    ServiceOrder.objects.bulk_create(orders, batch_size=500)
    return len(orders)


EXTRA_ACCOUNTS = [
    ("provider_sh", "机构管理员", "上海一所高校的仪器平台管理员：登记资源、上传图片、发布价目表、处理订单"),
]


def _provider_account() -> Organisation:
    """The admin of the university whose instruments `org_member` works with (the provider pages need an admin)."""
    from django.contrib.auth import get_user_model

    from xietong.core.roles import Role
    from xietong.orgs import services as org_services
    from xietong.orgs.demo import DEMO_PASSWORD

    university = _scope_org("first:university:310000")
    user, created = get_user_model().objects.get_or_create(
        username="provider_sh", defaults={"first_name": "上海高校仪器平台管理员"}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    org_services.membership_grant(
        actor=SYSTEM, user=user, role=Role.ORG_ADMIN, organisation=university, title="仪器平台管理员"
    )
    return university


def _future_price_list(university: Organisation) -> bool:
    """One of the university's instruments has a price list published ahead of its date (10 % dearer in a week):
    the price page shows it as 待生效, and the nightly refresh makes it the list price on that date."""
    from xietong.core.actor import SYSTEM
    from xietong.resources.services import price_list_set

    resource = Resource.objects.filter(owner=university, kind=ResourceKind.INSTRUMENT).order_by("id").first()
    if resource is None or resource.price_lists.filter(valid_from__gt=clock.today()).exists():
        return False
    current = selectors.price_list_in_force(actor=SYSTEM, resource=resource)
    if current is None:
        return False
    tiers = [
        {"customer_class": t.customer_class, "weekdays": t.weekdays, "unit_price_fen": t.unit_price_fen * 11 // 10,
         "start": format_clock(t.start_minute), "end": format_clock(t.end_minute)}
        for t in current.tiers.all()
    ]  # fmt: skip
    price_list_set(
        actor=SYSTEM,
        resource_id=resource.pk,
        raw={"unit": current.unit, "minimum_charge_fen": current.minimum_charge_fen, "rounding": current.rounding,
             "increment_minutes": current.increment_minutes, "tiers": tiers,
             "valid_from": clock.today() + timedelta(days=7)},
    )  # fmt: skip
    return True


@transaction.atomic
def load(*, seed: int = SEED) -> str:
    rng = random.Random(seed)
    created = _resources(rng)
    orders = _orders(rng)
    university = _provider_account()
    _future_price_list(university)
    total = Resource.objects.filter(asset_code__startswith="DEMO-").count()
    return f"新增 {created} 项共享资源（共 {total} 项演示资源）、{orders} 个服务订单"
