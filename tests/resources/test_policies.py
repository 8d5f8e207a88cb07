"""Tenancy matrix for resources and orders: role × region × action, by API and by page; denials change nothing."""

import pytest

from tests.clients import REFUSAL_CODES, client_for
from tests.factories import OrganisationFactory, actor, member
from tests.resources.factories import ResourceFactory, at, next_weekday
from xietong.core.models import AuditEvent
from xietong.core.roles import Role
from xietong.regions.models import Zone
from xietong.resources import services
from xietong.resources.enums import OrderStatus
from xietong.resources.models import ServiceOrder

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(provider, customer, instrument):
    """A 嘉兴 firm's booking of a 上海 university's instrument, and everyone else around it."""
    day = next_weekday(1)
    order = services.order_book(
        actor=actor(customer["admin"]),
        resource_id=instrument.pk,
        starts_at=at(day, "10:00"),
        ends_at=at(day, "12:00"),
    )
    other_org = OrganisationFactory(region_id="510107", name="成都旁观企业有限公司")
    users = {
        "anonymous": None,
        "customer": customer["admin"],
        "provider_staff": provider["staff"],
        "other_org": member(Role.ORG_ADMIN, organisation=other_org),
        "sh_bureau": member(Role.REGION_BUREAU, region_id="310000"),
        "jx_bureau": member(Role.REGION_BUREAU, region_id="330400"),
        "sc_bureau": member(Role.REGION_BUREAU, region_id="510000"),
        "yrd_office": member(Role.ZONE_OFFICE, zone=Zone.objects.get(code="yrd")),
        "chengyu_office": member(Role.ZONE_OFFICE, zone=Zone.objects.get(code="chengyu")),
        "platform_admin": member(Role.PLATFORM_ADMIN),
    }
    return {"order": order, "users": users, "resource": instrument}


# who may read the order (API status, page status)
READ_ORDER = {
    "anonymous": (401, 302), "customer": (200, 200), "provider_staff": (200, 200), "other_org": (404, 404),
    "sh_bureau": (200, 200), "jx_bureau": (200, 200), "sc_bureau": (404, 404), "yrd_office": (200, 200),
    "chengyu_office": (404, 404), "platform_admin": (200, 200),
}  # fmt: skip
# who may confirm it (API status); only the provider's members
CONFIRM_ORDER = {
    "anonymous": 401, "customer": 403, "provider_staff": 200, "other_org": 404, "sh_bureau": 403,
    "jx_bureau": 403, "sc_bureau": 404, "yrd_office": 403, "chengyu_office": 404, "platform_admin": 403,
}  # fmt: skip
# who may cancel it (API status); only the customer's members
CANCEL_ORDER = {**CONFIRM_ORDER, "customer": 200, "provider_staff": 403}


@pytest.mark.parametrize("who", list(READ_ORDER))
def test_read_order(who, world):
    client = client_for(world["users"][who])
    order = world["order"]
    assert client.get(f"/api/v1/resources/orders/{order.pk}").status_code == READ_ORDER[who][0]
    assert client.get(f"/resources/orders/{order.pk}/").status_code == READ_ORDER[who][1]


@pytest.mark.parametrize("who", list(CONFIRM_ORDER))
def test_confirm_order_by_api(who, world):
    order = world["order"]
    events = AuditEvent.objects.count()
    response = client_for(world["users"][who]).post(f"/api/v1/resources/orders/{order.pk}/confirm")
    assert response.status_code == CONFIRM_ORDER[who]
    status = ServiceOrder.objects.get(pk=order.pk).status
    if CONFIRM_ORDER[who] == 200:
        assert status == OrderStatus.CONFIRMED
    else:
        assert status == OrderStatus.SUBMITTED
        assert AuditEvent.objects.count() == events  # no audit event for a denial
        assert response.json()["message"]
        assert response.json()["code"] == REFUSAL_CODES[response.status_code]


@pytest.mark.parametrize("who", list(CANCEL_ORDER))
def test_cancel_order_by_api(who, world):
    order = world["order"]
    response = client_for(world["users"][who]).post(
        f"/api/v1/resources/orders/{order.pk}/cancel", {"reason": ""}, content_type="application/json"
    )
    assert response.status_code == CANCEL_ORDER[who]
    expected = OrderStatus.CANCELLED if CANCEL_ORDER[who] == 200 else OrderStatus.SUBMITTED
    assert ServiceOrder.objects.get(pk=order.pk).status == expected


@pytest.mark.parametrize(("who", "status"), [("sh_bureau", 403), ("other_org", 404), ("anonymous", 302)])
def test_confirm_by_page_is_refused(who, status, world):
    order = world["order"]
    response = client_for(world["users"][who]).post(f"/resources/orders/{order.pk}/confirm/")
    assert response.status_code == status
    assert ServiceOrder.objects.get(pk=order.pk).status == OrderStatus.SUBMITTED


def test_a_provider_sees_only_its_own_orders(world, customer):
    # given a second provider with its own order from the same firm
    other_provider = OrganisationFactory(region_id="320505", kind="testing", name="苏州检测中心")
    other_staff = member(Role.ORG_MEMBER, organisation=other_provider)
    resource = ResourceFactory(owner=other_provider)
    from tests.resources.factories import with_prices

    with_prices(resource)
    day = next_weekday(2)
    services.order_book(
        actor=actor(customer["admin"]),
        resource_id=resource.pk,
        starts_at=at(day, "09:00"),
        ends_at=at(day, "10:00"),
    )

    def numbers(user, side=""):
        items = client_for(user).get("/api/v1/resources/orders", {"side": side}).json()["items"]
        return {o["number"] for o in items}

    assert numbers(world["users"]["provider_staff"], "provider") == {world["order"].number}
    assert numbers(other_staff) == {ServiceOrder.objects.get(resource=resource).number}
    assert len(numbers(customer["admin"], "customer")) == 2
    assert numbers(world["users"]["other_org"]) == set()
    assert numbers(world["users"]["sc_bureau"]) == set()


READ_CLOSED = {
    "anonymous": 404, "customer": 404, "provider_staff": 200, "other_org": 404, "sh_bureau": 200,
    "jx_bureau": 404, "sc_bureau": 404, "yrd_office": 200, "chengyu_office": 404, "platform_admin": 200,
}  # fmt: skip


@pytest.mark.parametrize("who", list(READ_CLOSED))
def test_read_a_closed_resource(who, world):
    resource = world["resource"]
    resource.open_status = "closed"
    resource.save()
    client = client_for(world["users"][who])
    assert client.get(f"/api/v1/resources/{resource.pk}").status_code == READ_CLOSED[who]
    assert client.get(f"/resources/{resource.pk}/").status_code == READ_CLOSED[who]


@pytest.mark.parametrize(
    ("who", "status"),
    [("provider_staff", 403), ("customer", 403), ("sh_bureau", 403), ("other_org", 403), ("anonymous", 401)],
)
def test_only_the_owner_admin_changes_prices(who, status, world, provider):
    resource = world["resource"]
    payload = {"unit": "hour", "tiers": [{"customer_class": "other", "unit_price_fen": 1}]}
    response = client_for(world["users"][who]).put(
        f"/api/v1/resources/{resource.pk}/price-list", payload, content_type="application/json"
    )
    assert response.status_code == status
    assert resource.price_lists.count() == 1
    ok = client_for(provider["admin"]).put(
        f"/api/v1/resources/{resource.pk}/price-list", payload, content_type="application/json"
    )
    assert ok.status_code == 201 and resource.price_lists.count() == 2
