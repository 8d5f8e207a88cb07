"""The demo loader: deterministic, idempotent, ≥ 500 resources, orders for the demo accounts."""

import pytest

from xietong.orgs import demo as orgs_demo
from xietong.resources import demo
from xietong.resources.enums import OrderStatus
from xietong.resources.models import PriceList, Resource, ServiceOrder

pytestmark = pytest.mark.django_db


def test_demo_loads_once_and_is_idempotent():
    orgs_demo.load()
    # when
    summary = demo.load()
    # then
    total = Resource.objects.count()
    assert total >= 500 and summary.startswith(f"新增 {total} 项共享资源")
    assert PriceList.objects.count() == total + 1  # one instrument also has a list published for next week
    assert Resource.objects.filter(kind="service", is_cma=True).exists()
    assert Resource.objects.filter(recognised_zones__code="yrd").exists()
    firm = orgs_demo._scope_org("first:enterprise:330400")
    statuses = set(ServiceOrder.objects.filter(customer=firm).values_list("status", flat=True))
    assert {
        OrderStatus.COMPLETED,
        OrderStatus.DELIVERED,
        OrderStatus.CONFIRMED,
        OrderStatus.SUBMITTED,
    } <= statuses
    university = orgs_demo._scope_org("first:university:310000")
    assert ServiceOrder.objects.filter(provider=university, status=OrderStatus.SUBMITTED).exists()
    orders = ServiceOrder.objects.count()
    assert orders > 200
    # the provider account administers org_member's university, whose first instrument has a list for next week
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from xietong.core.actor import actor_for

    provider = actor_for(get_user_model().objects.get(username="provider_sh"))
    assert university.pk in provider.admin_organisation_ids
    assert (
        PriceList.objects.filter(resource__owner=university, valid_from__gt=timezone.localdate()).count() == 1
    )
    # running again creates nothing
    assert demo.load() == f"新增 0 项共享资源（共 {total} 项演示资源）、0 个服务订单"
    assert (Resource.objects.count(), ServiceOrder.objects.count(), PriceList.objects.count()) == (
        total,
        orders,
        total + 1,
    )
