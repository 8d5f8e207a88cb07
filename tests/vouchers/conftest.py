from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest

from tests.factories import OrganisationFactory, actor, member
from tests.vouchers import factories as vf
from xietong.core.roles import Role
from xietong.orgs.enums import OrgKind
from xietong.regions.models import Zone
from xietong.vouchers import services


@dataclass
class World:
    firm: object
    firm_user: object
    other_firm: object
    other_firm_user: object
    sh_provider: object
    sh_provider_user: object
    jx_provider: object
    jx_bureau: object
    sh_bureau: object
    sc_bureau: object
    yrd_office: object
    jjj_office: object

    def a(self, name: str):
        return actor(getattr(self, name))


@pytest.fixture
def world(db) -> World:
    firm = OrganisationFactory(name="嘉兴南湖智造有限公司", region_id="330402", is_tech_sme=True)
    other = OrganisationFactory(name="嘉兴秀洲新材料有限公司", region_id="330411", is_tech_sme=True)
    sh = OrganisationFactory(name="上海徐汇检测技术研究院", region_id="310104", kind=OrgKind.TESTING)
    jx = OrganisationFactory(name="嘉兴南湖分析测试中心", region_id="330402", kind=OrgKind.TESTING)
    return World(
        firm=firm,
        firm_user=member(Role.ORG_ADMIN, organisation=firm),
        other_firm=other,
        other_firm_user=member(Role.ORG_ADMIN, organisation=other),
        sh_provider=sh,
        sh_provider_user=member(Role.ORG_ADMIN, organisation=sh),
        jx_provider=jx,
        jx_bureau=member(Role.REGION_BUREAU, region_id="330400"),
        sh_bureau=member(Role.REGION_BUREAU, region_id="310000"),
        sc_bureau=member(Role.REGION_BUREAU, region_id="510000"),
        yrd_office=member(Role.ZONE_OFFICE, zone=Zone.objects.get(code="yrd")),
        jjj_office=member(Role.ZONE_OFFICE, zone=Zone.objects.get(code="jjj")),
    )


@pytest.fixture
def tongdui(world):
    return vf.programme(actor=world.a("jx_bureau"))


def grant_for(world, programme, *, fen=2_000_000, who="firm"):
    firm, user = getattr(world, who), getattr(world, f"{who}_user")
    app = services.application_submit(
        actor=actor(user),
        programme_id=programme.pk,
        enterprise_id=firm.pk,
        amount_fen=fen,
        purpose="检测服务",
    )
    services.application_review(actor=world.a("jx_bureau"), application_id=app.pk, approve=True)
    app.refresh_from_db()
    return app.grant


def approved_redemption(world, grant, *, key: str, fen: int = 150_000, quoted_fen: int = 300_000):
    """The firm's voucher on a new order at the 上海 provider, service done, claimed and approved (in 公示)."""
    order = vf.order(provider=world.sh_provider, customer=world.firm, quoted_fen=quoted_fen)
    r = services.redemption_reserve(
        actor=world.a("firm_user"), grant_id=grant.pk, order_id=order.pk, amount_fen=fen, idempotency_key=key
    )
    vf.complete(order)
    services.redemption_claim(actor=world.a("sh_provider_user"), redemption_id=r.pk, files=vf.evidence())
    services.redemption_review(actor=world.a("jx_bureau"), redemption_id=r.pk, approve=True)
    return r


@pytest.fixture
def grant(world, tongdui):
    return grant_for(world, tongdui)


def shift_days(days: int):
    """A context manager that moves the platform clock `days` ahead."""
    from xietong.core import clock

    return clock.travel_to(clock.now() + timedelta(days=days))


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.XIETONG_PRIVATE_ROOT = tmp_path / "private"
