"""A price list published ahead of its date becomes the catalogue's list price on that date."""

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from tests.factories import actor
from xietong.core.actor import SYSTEM
from xietong.core.audit import events_for
from xietong.resources import selectors, services
from xietong.resources.models import Resource
from xietong.resources.services.list_prices import list_prices_refresh
from xietong.resources.tasks import refresh_list_prices

pytestmark = pytest.mark.django_db


def _publish(provider, resource, *, other_fen: int, days_ahead: int):
    return services.price_list_set(
        actor=actor(provider["admin"]),
        resource_id=resource.pk,
        raw={
            "unit": "hour",
            "valid_from": timezone.localdate() + timedelta(days=days_ahead),
            "tiers": [
                {"customer_class": "other", "unit_price_fen": other_fen},
                {"customer_class": "own_org", "unit_price_fen": other_fen // 2},
            ],
        },
    )


def _list_price(resource) -> int:
    return Resource.objects.values_list("list_price_fen", flat=True).get(pk=resource.pk)


def test_a_future_list_takes_over_on_its_date_and_only_then(provider, instrument):
    today = timezone.localdate()
    # given the list in force (600 元/h) and one published for three days ahead (700 元/h)
    _publish(provider, instrument, other_fen=70_000, days_ahead=3)
    assert _list_price(instrument) == 60_000
    # the nightly refresh before the date changes nothing
    assert list_prices_refresh(on=today) == 0
    assert list_prices_refresh(on=today + timedelta(days=2)) == 0
    # on the date the catalogue shows, filters and sorts by the new price
    assert list_prices_refresh(on=today + timedelta(days=3)) == 1
    assert _list_price(instrument) == 70_000
    assert selectors.price_list_in_force(
        actor=SYSTEM, resource=instrument, on=today + timedelta(days=3)
    ).valid_from == (today + timedelta(days=3))
    # idempotent, and recorded
    assert list_prices_refresh(on=today + timedelta(days=4)) == 0
    (event,) = events_for(instrument).filter(verb="resource.list_price_refreshed")
    assert (event.data["from_fen"], event.data["to_fen"]) == (60_000, 70_000)


def test_a_list_in_force_today_is_written_at_once_and_the_refresh_agrees(provider, instrument):
    _publish(provider, instrument, other_fen=55_000, days_ahead=0)
    assert _list_price(instrument) == 55_000
    assert list_prices_refresh() == 0


def test_the_nightly_task_and_the_command(provider, instrument, capsys):
    Resource.objects.filter(pk=instrument.pk).update(list_price_fen=1)  # e.g. a night the worker was down
    assert refresh_list_prices.call_local() == 1
    assert _list_price(instrument) == 60_000
    _publish(provider, instrument, other_fen=80_000, days_ahead=1)
    call_command("refresh_list_prices", on=(timezone.localdate() + timedelta(days=1)).isoformat())
    assert "已刷新 1 个资源的公开价" in capsys.readouterr().out
    assert _list_price(instrument) == 80_000
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("refresh_list_prices", on="2026-13-01")
