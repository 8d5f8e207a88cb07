"""Zones are public to read; only platform admins create or change them."""

from __future__ import annotations

import pytest

from xietong.core.actor import ANONYMOUS, SYSTEM, Actor
from xietong.core.errors import Forbidden
from xietong.core.roles import Role
from xietong.regions.policies import ZonePolicy

ACTORS = {
    "anonymous": ANONYMOUS,
    "platform_admin": Actor(user_id=1, username="admin", is_platform_admin=True),
    "zone_office": Actor(
        user_id=2, username="office", roles=frozenset({Role.ZONE_OFFICE}), zone_ids=frozenset({1})
    ),
    "region_bureau": Actor(user_id=3, username="bureau", roles=frozenset({Role.REGION_BUREAU})),
    "org_admin": Actor(user_id=4, username="org", roles=frozenset({Role.ORG_ADMIN})),
    "system": SYSTEM,
}
ALLOWED = {
    "read": set(ACTORS),
    "create": {"platform_admin", "system"},
    "update": {"platform_admin", "system"},
    "delete": set(),  # undeclared: denied to everyone
}


@pytest.mark.parametrize("action", sorted(ALLOWED))
@pytest.mark.parametrize("who", sorted(ACTORS))
def test_zone_policy_matrix(who, action):
    assert ZonePolicy.can(ACTORS[who], action, None) is (who in ALLOWED[action])


def test_require_raises_forbidden_in_chinese():
    with pytest.raises(Forbidden) as caught:
        ZonePolicy.require(ACTORS["zone_office"], "update", None)
    assert caught.value.message == "只有平台管理员可以创建或修改协同区"


@pytest.mark.django_db
def test_every_zone_is_visible_to_everyone():
    assert ZonePolicy.visible_qs(ANONYMOUS).count() == 6
