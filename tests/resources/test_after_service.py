"""After the service: one rating per completed order by the client, shown on the resource page; a sample moves
收样 → 检测中 → 出报告 → 已寄回 one step at a time, by the provider only."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.clients import client_for
from tests.factories import actor
from tests.resources.factories import ResourceFactory, with_prices
from xietong.core.errors import Conflict, Forbidden, Invalid
from xietong.resources import services
from xietong.resources.enums import OrderStatus, ResourceKind
from xietong.resources.models import OrderRating, ServiceOrder

pytestmark = pytest.mark.django_db


@pytest.fixture
def sample_order(provider, customer):
    service = ResourceFactory(
        owner=provider["org"], kind=ResourceKind.SERVICE, name="材料成分检测", capacity=10
    )
    with_prices(service, unit="sample")
    return services.order_sample(actor=actor(customer["admin"]), resource_id=service.pk, samples=2)


def _complete(order, provider, customer):
    p = actor(provider["admin"])
    if order.status == OrderStatus.SUBMITTED:
        services.order_confirm(actor=p, order_id=order.pk)
    services.order_start(actor=p, order_id=order.pk)
    services.order_record_usage(actor=p, order_id=order.pk, samples=2)
    report = SimpleUploadedFile(
        "报告.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", content_type="application/pdf"
    )
    services.order_upload_report(actor=p, order_id=order.pk, upload=report)
    services.order_deliver(actor=p, order_id=order.pk)
    services.order_complete(actor=actor(customer["admin"]), order_id=order.pk)


def test_sample_moves_forward_one_step_at_a_time(sample_order, provider, customer):
    p = actor(provider["admin"])
    services.order_confirm(actor=p, order_id=sample_order.pk)
    with pytest.raises(Conflict):
        services.order_sample_advance(actor=p, order_id=sample_order.pk, state="testing")
    with pytest.raises(Forbidden):
        services.order_sample_advance(
            actor=actor(customer["admin"]), order_id=sample_order.pk, state="received"
        )
    with pytest.raises(Invalid):
        services.order_sample_advance(actor=p, order_id=sample_order.pk, state="lost")
    for state in ("received", "testing", "reported", "returned"):
        services.order_sample_advance(actor=p, order_id=sample_order.pk, state=state)
    assert ServiceOrder.objects.get(pk=sample_order.pk).sample_state == "returned"
    with pytest.raises(Conflict):
        services.order_sample_advance(actor=p, order_id=sample_order.pk, state="returned")
    page = client_for(customer["admin"]).get(f"/resources/orders/{sample_order.pk}/").content.decode()
    assert "已寄回" in page and 'id="sample-tracking"' in page


def test_rating_once_after_completion_and_shown_on_the_resource(sample_order, provider, customer):
    client = client_for(customer["admin"])
    url = f"/resources/orders/{sample_order.pk}/after/rate/"
    assert client.post(url, {"score": "5"}).status_code == 409  # not completed yet
    _complete(sample_order, provider, customer)
    assert client_for(provider["admin"]).post(url, {"score": "1"}).status_code == 403
    assert client.post(url, {"score": "6"}).status_code == 400
    assert client.post(url, {"score": "abc"}).status_code == 400
    assert not OrderRating.objects.exists()
    assert client.post(url, {"score": "4", "comment": "报告及时，数据清楚"}).status_code == 302
    assert client.post(url, {"score": "1", "comment": "改主意了"}).status_code == 409
    rating = OrderRating.objects.get()
    assert (rating.score, rating.comment) == (4, "报告及时，数据清楚")
    page = client_for(None).get(f"/resources/{sample_order.resource_id}/").content.decode()
    assert 'data-testid="rating-average">4.0<' in page and "报告及时" in page


def test_api_rating_and_sample(sample_order, provider, customer):
    p_client, c_client = client_for(provider["admin"]), client_for(customer["admin"])
    services.order_confirm(actor=actor(provider["admin"]), order_id=sample_order.pk)
    sample_order.refresh_from_db()
    r = p_client.post(
        f"/api/v1/resources/orders/{sample_order.pk}/sample-state",
        {"state": "received"},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["sample_state"] == "received"
    assert (
        c_client.post(
            f"/api/v1/resources/orders/{sample_order.pk}/sample-state",
            {"state": "testing"},
            content_type="application/json",
        ).status_code
        == 403
    )
    _complete(sample_order, provider, customer)
    ok = c_client.post(
        f"/api/v1/resources/orders/{sample_order.pk}/rating",
        {"score": 5, "comment": "好"},
        content_type="application/json",
    )
    assert ok.status_code == 201 and ok.json()["score"] == 5
    again = c_client.post(
        f"/api/v1/resources/orders/{sample_order.pk}/rating", {"score": 5}, content_type="application/json"
    )
    assert again.status_code == 409
