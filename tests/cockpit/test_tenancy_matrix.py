"""Tenancy matrix of the zone cockpit: the 长三角 cockpit (and the records behind its figures) answers only its
office and the platform; every other role gets 404 (the cockpit of another zone looks like no cockpit)."""

from __future__ import annotations

import pytest

from tests import tenancy_matrix as m
from tests.vouchers import factories as vf

pytestmark = pytest.mark.django_db


def build(world: m.World) -> None:
    world.objects["order"] = vf.order(provider=world.orgs["p"], customer=world.orgs["a"], quoted_fen=100_000)


ZONE_ONLY = m.expect(m.NOT_FOUND, anonymous=m.LOGIN, platform_admin=m.OK, zone_yrd=m.OK)


def yrd(w):
    return {"code": "yrd"}


CASES = [
    m.Case("GET", "cockpit/<slug:code>/", ZONE_ONLY, yrd),
    m.Case("GET", "cockpit/<slug:code>/export.xlsx", ZONE_ONLY, yrd),
    m.Case("GET", "cockpit/<slug:code>/<slug:kind>/", ZONE_ONLY, lambda w: {"code": "yrd", "kind": "orders"}),
    m.Case(
        "GET",
        "cockpit/<slug:code>/<slug:kind>.xlsx",
        ZONE_ONLY,
        lambda w: {"code": "yrd", "kind": "open-orders"},
    ),
]

world = m.world_fixture(build)


@pytest.mark.parametrize(("case", "role"), m.params(CASES))
def test_role_on_a_zone_cockpit(world, case, role, settings):
    m.check(world, case, role, settings)


def test_every_cockpit_endpoint_with_an_id_is_in_the_matrix():
    m.assert_covers("cockpit", CASES)
