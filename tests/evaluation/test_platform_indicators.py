"""Platform indicators from the vouchers, resources and transfer records: small hand-made records, exact values.

Units are three cities of the 长三角 (上海 310000, 苏州 320500, 嘉兴 330400); records sit in their districts
(徐汇 310104, 浦东 310115, 苏州高新区 320505, 南湖区 330402) and must roll up to the city. A region outside
every unit (北京 110108) or above their level (江苏省 320000) is "another region" credited to no unit.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.utils import timezone

from tests.factories import OrganisationFactory, actor, member
from tests.transfer.factories import AchievementFactory, ContractFactory
from xietong.core.roles import Role
from xietong.evaluation import platform_indicators
from xietong.orgs.enums import OrgKind
from xietong.resources.enums import CustomerClass, OrderKind, OrderStatus, ResourceKind
from xietong.resources.models import Category, Resource, ServiceOrder
from xietong.transfer.enums import IntentStatus
from xietong.transfer.models import Intent
from xietong.vouchers.enums import RedemptionStatus
from xietong.vouchers.models import Redemption

pytestmark = pytest.mark.django_db

UNITS = ("310000", "320500", "330400")
YEARS = (2023, 2024, 2025, 2026)
YI = 10_000_000_000  # 分 in 1 亿元
NEW_KEYS = (
    "vouchers.cross_region_redeemed",
    "resources.cross_region_hours",
    "resources.cross_region_orders",
    "transfer.contract_inflow",
    "transfer.contract_outflow",
    "transfer.contract_inflow_total",
    "transfer.contract_outflow_total",
    "transfer.cross_region_contracts",
    "transfer.joint_achievements",
)
_numbers = itertools.count(1)


def values(key: str) -> dict:
    return platform_indicators.compute(key, units=UNITS, years=YEARS)


def zeros(**nonzero) -> dict:
    return {u: nonzero.get(f"u{u}", 0.0) for u in UNITS}


def noon(year: int, month: int = 6, day: int = 1) -> dt.datetime:
    return dt.datetime(year, month, day, 12, tzinfo=timezone.get_current_timezone())


@pytest.mark.parametrize("key", NEW_KEYS)
def test_no_records_no_values(key):
    # given an app with no records at all, then the indicator has no values (blank cells, not zeros)
    assert values(key) == {}
    assert {p["key"]: p["available"] for p in platform_indicators.providers()}[key] is True


# ---------------------------------------------------------------------- transfer: contracts
@pytest.fixture
def contracts():
    ContractFactory(
        seller_region_id="310104", buyer_region_id="320505", amount_fen=2 * YI, signed_on=dt.date(2025, 3, 1)
    )
    ContractFactory(
        seller_region_id="320506", buyer_region_id="110108", amount_fen=YI, signed_on=dt.date(2025, 9, 9)
    )
    ContractFactory(
        seller_region_id="310104", buyer_region_id="310115", amount_fen=YI // 2, signed_on=dt.date(2026, 1, 5)
    )
    ContractFactory(seller_region_id="330402", buyer_region_id="320000", amount_fen=3 * YI // 10, signed_on=dt.date(2024, 7, 1))  # fmt: skip


def test_contract_flows_within_the_zone(contracts):
    # 吸纳 / 输出 from or to another unit of the framework only: 上海 → 苏州 2 亿元 in 2025
    assert values("transfer.contract_inflow") == {2024: zeros(), 2025: zeros(u320500=2.0), 2026: zeros()}
    assert values("transfer.contract_outflow") == {2024: zeros(), 2025: zeros(u310000=2.0), 2026: zeros()}


def test_contract_flows_total(contracts):
    # every contract of the unit's buyers / sellers, local ones (徐汇 → 浦东) and those with 北京 or 江苏省 included
    assert values("transfer.contract_inflow_total") == {
        2024: zeros(), 2025: zeros(u320500=2.0), 2026: zeros(u310000=0.5),
    }  # fmt: skip
    assert values("transfer.contract_outflow_total") == {
        2024: zeros(u330400=0.3), 2025: zeros(u310000=2.0, u320500=1.0), 2026: zeros(u310000=0.5),
    }  # fmt: skip


def test_cross_region_contract_counts(contracts):
    # each end inside a unit counts once; the local contract (徐汇 → 浦东) does not count
    assert values("transfer.cross_region_contracts") == {
        2024: zeros(u330400=1.0), 2025: zeros(u310000=1.0, u320500=2.0), 2026: zeros(),
    }  # fmt: skip


def test_no_values_before_the_first_record(contracts):
    assert (
        platform_indicators.compute("transfer.contract_outflow_total", units=UNITS, years=(2022, 2023)) == {}
    )


def test_joint_achievements():
    # given an achievement of a 徐汇 university with accepted intents from 嘉兴 (twice) and 浦东, and a declined one
    owner = OrganisationFactory(kind=OrgKind.UNIVERSITY, region_id="310104")
    achievement = AchievementFactory(owner=owner)
    jx1, jx2 = OrganisationFactory(region_id="330402"), OrganisationFactory(region_id="330411")
    pudong = OrganisationFactory(region_id="310115")
    for org, status in ((jx1, IntentStatus.ACCEPTED), (jx2, IntentStatus.ACCEPTED), (pudong, IntentStatus.ACCEPTED),
                        (OrganisationFactory(region_id="320505"), IntentStatus.DECLINED)):  # fmt: skip
        Intent.objects.create(
            from_org=org, to_org=owner, achievement=achievement, status=status, decided_at=noon(2025)
        )
    # then 上海 has one cooperative achievement in 2025 (counted once), none in 2026
    assert values("transfer.joint_achievements") == {2025: zeros(u310000=1.0), 2026: zeros()}


# ---------------------------------------------------------------------- resources: orders
def _order(provider, customer, *, completed: dt.datetime | None, kind=OrderKind.BOOKING, hours=2, minutes=None,
           status=OrderStatus.COMPLETED):  # fmt: skip
    category, _ = Category.objects.get_or_create(code="T-EVAL", defaults={"name": "测试类别"})
    resource = Resource.objects.create(
        owner=provider,
        region_id=provider.region_id,
        category=category,
        kind=ResourceKind.INSTRUMENT,
        name="电镜",
    )
    start = noon(2026, 1, 1) + dt.timedelta(days=next(_numbers))
    booking = (
        {"starts_at": start, "ends_at": start + dt.timedelta(hours=hours)}
        if kind == OrderKind.BOOKING
        else {}
    )
    return ServiceOrder.objects.create(
        number=f"EV{next(_numbers):08d}", kind=kind, resource=resource, provider=provider, customer=customer,
        customer_class=CustomerClass.OTHER, status=status, quoted_fen=10_000, actual_minutes=minutes,
        sample_count=None if booking else 1, completed_at=completed, **booking,
    )  # fmt: skip


@pytest.fixture
def orders():
    sh = OrganisationFactory(kind=OrgKind.TESTING, region_id="310104")
    sz = OrganisationFactory(kind=OrgKind.TESTING, region_id="320505")
    jx_firm, pudong_firm = OrganisationFactory(region_id="330402"), OrganisationFactory(region_id="310115")
    _order(sh, jx_firm, completed=noon(2026, 3, 2), minutes=90)  # 1.5 h used
    _order(sh, jx_firm, completed=noon(2026, 4, 2), hours=3)  # no usage recorded: the 3 h booked
    _order(sh, pudong_firm, completed=noon(2026, 5, 2), minutes=600)  # same city: not cross-region
    _order(
        sz, OrganisationFactory(region_id="110108"), completed=noon(2025), kind=OrderKind.SAMPLE
    )  # a sample
    _order(sh, jx_firm, completed=None, status=OrderStatus.CANCELLED, minutes=60)  # not served


def test_cross_region_instrument_hours(orders):
    # 上海 served 嘉兴 for 1.5 + 3 = 4.5 hours = 0.00045 万小时 in 2026; 苏州's sample order has no hours
    result = values("resources.cross_region_hours")
    assert list(result) == [2025, 2026]
    assert result[2025] == zeros()
    assert result[2026] == pytest.approx(zeros(u310000=4.5 / 10_000))


def test_cross_region_orders(orders):
    assert values("resources.cross_region_orders") == {2025: zeros(u320500=1.0), 2026: zeros(u310000=2.0)}


# ---------------------------------------------------------------------- vouchers: redemptions
def test_cross_region_voucher_redemptions():
    # given 嘉兴's programme and a 南湖 firm's grant
    from tests.vouchers import factories as vf
    from xietong.vouchers import services as voucher_services

    programme = vf.programme()
    firm = OrganisationFactory(region_id="330402", is_tech_sme=True)
    application = voucher_services.application_submit(
        actor=actor(member(Role.ORG_ADMIN, organisation=firm)), programme_id=programme.pk,
        enterprise_id=firm.pk, amount_fen=2_000_000, purpose="检测服务",
    )  # fmt: skip
    voucher_services.application_review(
        actor=actor(member(Role.REGION_BUREAU, region_id="330400")),
        application_id=application.pk,
        approve=True,
    )
    grant = application.__class__.objects.get(pk=application.pk).grant
    sh = OrganisationFactory(kind=OrgKind.TESTING, region_id="310104")
    jx = OrganisationFactory(kind=OrgKind.TESTING, region_id="330411")

    def redemption(provider, fen, status, paid_at):
        order = vf.order(provider=provider, customer=firm, quoted_fen=fen * 2)
        Redemption.objects.create(
            grant=grant, order=order, programme=programme, enterprise=firm, provider=provider, amount_fen=fen,
            idempotency_key=f"k{next(_numbers)}", status=status, paid_at=paid_at,
        )  # fmt: skip

    # when it is used with a 上海 provider (paid 2025 and 2026), a 嘉兴 provider (local), and one not yet paid
    redemption(sh, 600_000, RedemptionStatus.PAID, noon(2026))
    redemption(sh, 250_000, RedemptionStatus.PAID, noon(2025))
    redemption(jx, 300_000, RedemptionStatus.PAID, noon(2026))
    redemption(sh, 900_000, RedemptionStatus.CLAIMED, None)
    # then 嘉兴 (the issuer) used 0.25 万元 and 0.6 万元 across regions
    assert values("vouchers.cross_region_redeemed") == {2025: zeros(u330400=0.25), 2026: zeros(u330400=0.6)}
