"""Tenancy matrix of regions and zones: reference data every role reads; only the platform edits a zone.

A custom zone (嘉兴 + 上海 徐汇) is public like the presets; even the office of a zone may not change members.
"""

from __future__ import annotations

import pytest

from tests import tenancy_matrix as m
from xietong.core.actor import SYSTEM
from xietong.regions import services

pytestmark = pytest.mark.django_db


def build(world: m.World) -> None:
    world.objects["zone"] = services.zone_create(
        actor=SYSTEM,
        code="matrix-jx-xh",
        name="嘉兴—徐汇矩阵测试协作区",
        short_name="嘉徐",
        member_codes=["330400", "310104"],
    )


def zone(w):
    return {"code": w.zone.code}


CASES = [
    m.Case("GET", "api/v1/regions/<code>", m.expect(m.OK), lambda w: {"code": "330402"}),
    m.Case("GET", "api/v1/zones/<code>", m.expect(m.OK), zone),
    m.Case("GET", "zones/<slug:code>/", m.expect(m.OK), zone),
    m.Case(
        "PUT",
        "api/v1/zones/<code>/members",
        m.expect(m.FORBIDDEN, anonymous=m.UNAUTHENTICATED, platform_admin=m.OK),
        zone,
        lambda w: {"member_codes": ["330400", "310104", "320500"]},
    ),
    m.Case(
        "PUT",
        "api/v1/zones/<code>/members",
        m.expect(m.FORBIDDEN, anonymous=m.UNAUTHENTICATED, platform_admin=m.OK),
        lambda w: {"code": "yrd"},
        lambda w: {"member_codes": ["310000", "330400"]},
        name="preset",
    ),
]

world = m.world_fixture(build)


@pytest.mark.parametrize(("case", "role"), m.params(CASES))
def test_role_on_a_zone(world, case, role, settings):
    m.check(world, case, role, settings)


def test_every_region_and_zone_endpoint_with_an_id_is_in_the_matrix():
    m.assert_covers("regions", CASES)
