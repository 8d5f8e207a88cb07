import pytest

from tests.factories import actor, member
from xietong.core.roles import Role
from xietong.regions.models import Zone
from xietong.sharing import services

SICHUAN, CHONGQING = "510000", "500000"
RULES_5050 = [
    {
        "revenue_type": "*",
        "method": "stock_increment",
        "ratios": {SICHUAN: 50, CHONGQING: 50},
        "base_period": "2024",
    }
]


@pytest.fixture
def people(db):
    """Bureaus of the two parties (四川, 重庆), a third bureau (北京), the 成渝 zone office and the platform."""
    return {
        "sc": member(Role.REGION_BUREAU, region_id=SICHUAN),
        "cq": member(Role.REGION_BUREAU, region_id=CHONGQING),
        "bj": member(Role.REGION_BUREAU, region_id="110000"),
        "zone": member(Role.ZONE_OFFICE, zone=Zone.objects.get(code="chengyu")),
        "admin": member(Role.PLATFORM_ADMIN),
    }


@pytest.fixture
def sc(people):
    return actor(people["sc"])


@pytest.fixture
def park(sc):
    """A 成渝 economic-zone agreement with 存量/增量 五五分成 from 2025-01 and two enterprises."""
    agreement = services.agreement_create(
        actor=sc, code="CY-2025-01", name="遂潼川渝毗邻地区一体化发展先行区", kind="zone", park_name="遂潼先行区",
        host_region="510900", party_regions=[SICHUAN, CHONGQING],
    )  # fmt: skip
    draft = services.version_save_draft(actor=sc, agreement=agreement, rules=RULES_5050)
    services.version_adopt(actor=sc, agreement=agreement, version=draft, effective_from="2025-01")
    import datetime as dt

    services.enterprise_add(
        actor=sc, agreement=agreement, name="甲公司", origin=SICHUAN, entry_date=dt.date(2023, 5, 1)
    )
    services.enterprise_add(
        actor=sc, agreement=agreement, name="乙公司", origin=CHONGQING, entry_date=dt.date(2023, 5, 1)
    )
    return agreement


def rows(*items):
    """(enterprise, type label, period, amount 元) → import rows."""
    return [
        (i + 2, {"enterprise": e, "revenue_type": t, "period": p, "amount": a})
        for i, (e, t, p, a) in enumerate(items)
    ]
