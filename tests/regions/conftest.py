"""Fixtures for the regions tests. The GB/T 2260 regions and the preset zones are loaded once per test
session by tests/conftest.py (`services.regions_load()` + `services.zone_presets_load()`)."""

from __future__ import annotations

import pytest

from tests.factories import actor, member
from xietong.core.roles import Role


@pytest.fixture
def admin_user(db):
    return member(Role.PLATFORM_ADMIN, username="platform-admin")


@pytest.fixture
def admin_actor(admin_user):
    return actor(admin_user)


@pytest.fixture
def bureau_user(db):
    return member(Role.REGION_BUREAU, username="sh-bureau", region_id="310000")


@pytest.fixture
def bureau_actor(bureau_user):
    return actor(bureau_user)
