"""A provider suspended after an order came in does not take on that new work (confirm is refused, nothing is
written), while its own people still read the order and may turn it down."""

from __future__ import annotations

import pytest

from tests.factories import actor, member
from tests.resources.factories import ResourceFactory, with_prices
from xietong.core.acting import NOT_VERIFIED_MESSAGE
from xietong.core.errors import Forbidden
from xietong.core.models import AuditEvent
from xietong.core.roles import Role
from xietong.orgs import services as org_services
from xietong.resources import services
from xietong.resources.enums import OrderStatus, ResourceKind
from xietong.resources.models import ServiceOrder

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting(provider, customer):
    """A sample order submitted to the provider, which the 上海 bureau then suspends."""
    service = ResourceFactory(
        owner=provider["org"], kind=ResourceKind.SERVICE, name="材料成分检测", capacity=10
    )
    with_prices(service, unit="sample")
    order = services.order_sample(actor=actor(customer["admin"]), resource_id=service.pk, samples=2)
    assert order.status == OrderStatus.SUBMITTED
    bureau = actor(member(Role.REGION_BUREAU, region_id="310000"))
    org_services.organisation_suspend(actor=bureau, org_id=provider["org"].pk, suspend=True, note="资质过期")
    return order


def test_a_suspended_provider_cannot_confirm_new_work(provider, waiting):
    before = (ServiceOrder.objects.get(pk=waiting.pk).status, AuditEvent.objects.count())
    with pytest.raises(Forbidden) as refused:
        services.order_confirm(actor=actor(provider["admin"]), order_id=waiting.pk)
    assert refused.value.message == NOT_VERIFIED_MESSAGE
    assert (ServiceOrder.objects.get(pk=waiting.pk).status, AuditEvent.objects.count()) == before


def test_a_suspended_provider_may_still_turn_the_order_down(provider, waiting):
    services.order_reject(
        actor=actor(provider["admin"]), order_id=waiting.pk, reason="本单位暂停业务，无法承接"
    )
    assert ServiceOrder.objects.get(pk=waiting.pk).status == OrderStatus.REJECTED
