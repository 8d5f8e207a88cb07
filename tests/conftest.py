"""Shared test set-up: GB/T 2260 regions and zone presets are loaded once and restored after flushes."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop


def _ensure_reference_data() -> None:
    from xietong.regions import services
    from xietong.regions.models import Region, Zone

    if not Region.objects.exists():
        services.regions_load()
    if not Zone.objects.exists():
        services.zone_presets_load()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        _ensure_reference_data()


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Transactional tests (live server) flush every table; put the reference data back for them."""
    if "transactional_db" in request.fixturenames or "live_server" in request.fixturenames:
        request.getfixturevalue("transactional_db")
        _ensure_reference_data()
    yield


@pytest.fixture
def postgres_only(settings):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL)")
