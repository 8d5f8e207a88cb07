"""Shared test set-up: GB/T 2260 regions and zone presets are loaded once and restored after flushes."""

from __future__ import annotations

import os

import pytest
from hypothesis import settings as hypothesis_settings

# Speed is measured in bench/, never asserted in tests: no per-example deadline (a loaded CI machine
# otherwise fails a correct property on time alone).
hypothesis_settings.register_profile("xietong", deadline=None)
hypothesis_settings.load_profile("xietong")

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


def _is_transactional(request) -> bool:
    if {"transactional_db", "live_server"} & set(request.fixturenames):
        return True
    marker = request.node.get_closest_marker("django_db")
    return bool(marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])))


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Transactional tests (live server, django_db(transaction=True)) flush every table; refill them."""
    if _is_transactional(request):
        request.getfixturevalue("transactional_db")
        _ensure_reference_data()
    yield


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request made in English (LocaleMiddleware activates its language
    and nothing deactivates it) would otherwise leave English active for the next test's code run outside a request."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def postgres_only(settings):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL)")


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path_factory):
    """Uploaded files (photos, reports, evidence) go to a temporary directory, never into var/."""
    settings.MEDIA_ROOT = str(tmp_path_factory.getbasetemp() / "media")
    settings.XIETONG_PRIVATE_ROOT = str(tmp_path_factory.getbasetemp() / "private")


@pytest.fixture
def frozen_clock():
    """The platform clock (`core.clock`) stands still at 2026-03-02 10:00 in Shanghai (a Monday) until the
    test moves it with `move_to` / `advance`; the real time comes back afterwards."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from xietong.core import clock

    with clock.travel_to(datetime(2026, 3, 2, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))) as travel:
        yield travel
