"""Tenancy matrix of shared resources and service orders: every role × the 上海 provider's objects.

Provider P (上海) owns a closed instrument (hidden from the public: outsiders get 404), an open instrument and
an open testing service; enterprise A (嘉兴) has orders with P in every workflow state. Only P's admin manages
P's resources and works P's side of an order, only A's people work the customer's side; the bureaus of both
regions and the 长三角 office read (403 on acting), the other side sees nothing (404) and nothing is written.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from tests import tenancy_matrix as m
from tests.factories import actor
from tests.resources.conftest import ensure_categories
from tests.resources.factories import ResourceFactory, at, next_weekday, open_weekdays, with_prices
from tests.resources.test_edit_pages import _png, _price_post
from xietong.resources import services
from xietong.resources.edit_views import _resource_values
from xietong.resources.enums import OpenStatus, ResourceKind
from xietong.resources.models import ResourcePhoto, ServiceOrder

pytestmark = pytest.mark.django_db


def _pdf(name: str = "报告.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, b"%PDF-1.4\n% report\n" + b"0" * 64, content_type="application/pdf")


def build(world: m.World) -> None:
    ensure_categories()
    p = world.orgs["p"]
    firm, provider = actor(world.users["a_admin"]), actor(world.users["p_admin"])
    closed = ResourceFactory(owner=p, name="矩阵测试透射电镜（未开放）", open_status=OpenStatus.CLOSED)
    with_prices(closed)
    open_weekdays(closed)
    instrument = ResourceFactory(owner=p, name="矩阵测试扫描电镜")
    with_prices(instrument)
    open_weekdays(instrument)
    service = ResourceFactory(
        owner=p, name="矩阵测试材料成分检测", kind=ResourceKind.SERVICE, requires_approval=True, capacity=100
    )
    with_prices(service, unit="sample")
    photo = ResourcePhoto.objects.create(
        resource=closed, file=default_storage.save("resources/photos/matrix/a.png", _png()), caption="外观"
    )

    def sample_order(*steps: str) -> ServiceOrder:
        order = services.order_sample(actor=firm, resource_id=service.pk, samples=2, note="")
        for step in steps:
            if step == "usage":
                services.order_record_usage(actor=provider, order_id=order.pk, samples=2)
            elif step == "report":
                services.order_upload_report(actor=provider, order_id=order.pk, upload=_pdf())
            else:
                getattr(services, f"order_{step}")(actor=provider, order_id=order.pk)
        return ServiceOrder.objects.get(pk=order.pk)

    monday = next_weekday(1)
    booking = services.order_book(
        actor=firm,
        resource_id=instrument.pk,
        starts_at=at(monday, "14:00"),
        ends_at=at(monday, "15:00"),
        note="",
    )
    services.order_confirm(actor=provider, order_id=booking.pk)
    yesterday = timezone.now() - timedelta(days=1)
    ServiceOrder.objects.filter(pk=booking.pk).update(
        starts_at=yesterday, ends_at=yesterday + timedelta(hours=1)
    )
    world.objects.update(
        closed=closed,
        instrument=instrument,
        service=service,
        photo=photo,
        monday=monday,
        submitted=sample_order(),
        confirmed=sample_order("confirm"),
        in_progress=sample_order("confirm", "start"),
        ready=sample_order("confirm", "start", "usage", "report"),
        delivered=sample_order("confirm", "start", "usage", "report", "deliver"),
        completed=_completed(firm, sample_order("confirm", "start", "usage", "report", "deliver")),
        past_booking=ServiceOrder.objects.get(pk=booking.pk),
    )


def _completed(firm, order: ServiceOrder) -> ServiceOrder:
    services.order_complete(actor=firm, order_id=order.pk)
    return ServiceOrder.objects.get(pk=order.pk)


# ------------------------------------------------------------------------------------------------ who sees what

# The closed instrument: the platform, its owner P, the 上海 bureau and the 长三角 office.
SEES_CLOSED = ("platform_admin", "p_admin", "bureau_sh", "zone_yrd")
MANAGERS = ("platform_admin", "p_admin")
# An order of A at P: both parties, the bureaus of both regions, the 长三角 office.
SEES_ORDER = ("platform_admin", "a_admin", "a_member", "p_admin", "bureau_jx", "bureau_sh", "zone_yrd")
PROVIDER = ("p_admin",)
CUSTOMER = ("a_admin", "a_member")
# Anyone in an organisation may book an open resource (cross-region use is the point of sharing).
MEMBERS = ("a_admin", "a_member", "p_admin", "b_admin", "b_member")


def outcome(sees, allowed, status, *, anonymous, default=m.NOT_FOUND):
    out = {role: m.FORBIDDEN for role in sees}
    out.update({role: status for role in allowed})
    out["anonymous"] = anonymous
    return m.expect(default, **out)


REPORT_READERS = ("platform_admin", "p_admin", *CUSTOMER)


def api(sees, allowed, status=m.OK):
    return outcome(sees, allowed, status, anonymous=m.UNAUTHENTICATED)


def page(sees, allowed, status=m.REDIRECT, anonymous=m.LOGIN):
    return outcome(sees, allowed, status, anonymous=anonymous)


def objects(**names):
    return lambda w: {key: getattr(w, name) for key, name in names.items()}


def slot(w) -> dict:
    return {"starts_at": at(w.monday, "09:00").isoformat(), "ends_at": at(w.monday, "10:00").isoformat()}


def edit_post(w) -> dict:
    values = _resource_values(w.closed)
    return {**values, "description": "矩阵测试修改的说明", "original_value": ""}


ORDER_ACTIONS = {  # action → (order, side allowed to act, form body)
    "confirm": ("submitted", PROVIDER, {}),
    "reject": ("submitted", PROVIDER, {"reason": "设备检修"}),
    "cancel": ("submitted", CUSTOMER, {"reason": "计划调整"}),
    "start": ("confirmed", PROVIDER, {}),
    "usage": ("in_progress", PROVIDER, {"samples": 2}),
    "report": ("in_progress", PROVIDER, None),
    "deliver": ("ready", PROVIDER, {}),
    "complete": ("delivered", CUSTOMER, {}),
    "no-show": ("past_booking", PROVIDER, {}),
}


def _after_service_cases() -> list[m.Case]:
    return [
        m.Case(
            "POST", "api/v1/resources/orders/<int:order_id>/rating", api(SEES_ORDER, CUSTOMER, m.CREATED),
            objects(order_id="completed"), lambda w: {"score": 5, "comment": "矩阵评价"},
        ),
        m.Case(
            "POST", "resources/orders/<int:order_id>/after/rate/", page(SEES_ORDER, CUSTOMER),
            objects(order_id="completed"), lambda w: {"score": "5"},
        ),
        m.Case(
            "POST", "api/v1/resources/orders/<int:order_id>/sample-state", api(SEES_ORDER, PROVIDER),
            objects(order_id="confirmed"), lambda w: {"state": "received"},
        ),
        m.Case(
            "POST", "resources/orders/<int:order_id>/after/sample/", page(SEES_ORDER, PROVIDER),
            objects(order_id="confirmed"), lambda w: {"state": "received"},
        ),
    ]  # fmt: skip


# The statistics of a region's units: who reads the region (its bureau, the zone office holding it, the platform);
# another bureau or zone office gets 404, anyone else is refused the page.
READS_JX = ("platform_admin", "bureau_jx", "zone_yrd")
PUBLIC_OFFICES = ("bureau_sh", "bureau_sc", "zone_jjj")


def _sharing_cases() -> list[m.Case]:
    region = lambda w: {"region_code": "330400"}  # noqa: E731
    return [
        m.Case(
            "POST", "api/v1/resources/<int:resource_id>/trainings", api(m.ROLES, MANAGERS, m.CREATED),
            objects(resource_id="instrument"),
            lambda w: {"held_on": "2025-06-01", "topic": "矩阵培训", "attendees": 5}, name="open",
        ),
        m.Case(
            "POST", "api/v1/resources/<int:resource_id>/trainings", api(SEES_CLOSED, MANAGERS, m.CREATED),
            objects(resource_id="closed"),
            lambda w: {"held_on": "2025-06-01", "topic": "矩阵培训", "attendees": 5}, name="closed",
        ),
        m.Case(
            "GET", "api/v1/resources/sharing/regions/<region_code>",
            m.expect(m.FORBIDDEN, anonymous=m.UNAUTHENTICATED, **dict.fromkeys(READS_JX, m.OK),
                     **dict.fromkeys(PUBLIC_OFFICES, m.NOT_FOUND)),
            region, lambda w: {"year": 2025},
        ),
    ]  # fmt: skip


def _action_cases() -> list[m.Case]:
    cases = []
    for action, (order, side, body) in ORDER_ACTIONS.items():
        api_name = {"no-show": "mark-no-show"}.get(action, action)
        api_body = page_body = (
            (lambda w: {"file": _pdf()}) if body is None else (lambda w, body=body: dict(body))
        )
        cases.append(
            m.Case(
                "POST",
                f"api/v1/resources/orders/<int:order_id>/{api_name}",
                api(SEES_ORDER, side),
                objects(order_id=order),
                api_body,
            )
        )
        if action == "report":  # the page uploads at its own URL (see the case below)
            continue
        cases.append(
            m.Case(
                "POST",
                "resources/orders/<int:order_id>/<slug:action>/",
                page(SEES_ORDER, side),
                lambda w, order=order, action=action: {"order_id": getattr(w, order), "action": action},
                page_body,
                name=action,
            )
        )
    return cases


CASES = [
    # reading the closed instrument
    m.Case(
        "GET",
        "api/v1/resources/<int:resource_id>",
        m.expect(m.NOT_FOUND, **dict.fromkeys(SEES_CLOSED, m.OK)),
        objects(resource_id="closed"),
    ),
    m.Case(
        "GET",
        "api/v1/resources/<int:resource_id>/prices",
        m.expect(m.NOT_FOUND, **dict.fromkeys(SEES_CLOSED, m.OK)),
        objects(resource_id="closed"),
    ),
    m.Case(
        "GET",
        "api/v1/resources/<int:resource_id>/calendar",
        m.expect(m.NOT_FOUND, **dict.fromkeys(SEES_CLOSED, m.OK)),
        objects(resource_id="closed"),
    ),
    # a quote is made for the asker's own organisation: only P (the owner) has one among those who see it
    m.Case(
        "GET",
        "api/v1/resources/<int:resource_id>/quote",
        api(SEES_CLOSED, ("p_admin",)),
        objects(resource_id="closed"),
        slot,
    ),
    m.Case(
        "GET",
        "resources/<int:resource_id>/",
        m.expect(m.NOT_FOUND, **dict.fromkeys(SEES_CLOSED, m.OK)),
        objects(resource_id="closed"),
    ),
    # managing it
    m.Case(
        "PATCH",
        "api/v1/resources/<int:resource_id>",
        api(SEES_CLOSED, MANAGERS),
        objects(resource_id="closed"),
        lambda w: {"description": "矩阵测试"},
        name="closed",
    ),
    m.Case(
        "PATCH",
        "api/v1/resources/<int:resource_id>",
        api(m.ROLES, MANAGERS),
        objects(resource_id="instrument"),
        lambda w: {"description": "矩阵测试"},
        name="open",
    ),
    m.Case(
        "PUT",
        "api/v1/resources/<int:resource_id>/price-list",
        api(SEES_CLOSED, MANAGERS, m.CREATED),
        objects(resource_id="closed"),
        lambda w: {"unit": "hour", "tiers": [{"customer_class": "other", "unit_price_fen": 70000}]},
    ),
    m.Case(
        "PUT",
        "api/v1/resources/<int:resource_id>/opening-hours",
        api(SEES_CLOSED, MANAGERS),
        objects(resource_id="closed"),
        lambda w: [{"weekday": 6, "start": "09:00", "end": "12:00"}],
    ),
    m.Case(
        "POST",
        "api/v1/resources/<int:resource_id>/maintenance",
        api(SEES_CLOSED, MANAGERS, m.CREATED),
        objects(resource_id="closed"),
        lambda w: {**slot(w), "reason": "年度保养"},
    ),
    m.Case(
        "POST",
        "api/v1/resources/<int:resource_id>/photos",
        api(SEES_CLOSED, MANAGERS, m.CREATED),
        objects(resource_id="closed"),
        lambda w: {"file": _png(), "caption": "侧面"},
    ),
    m.Case(
        "DELETE",
        "api/v1/resources/<int:resource_id>/photos/<int:photo_id>",
        api(SEES_CLOSED, MANAGERS, m.NO_CONTENT),
        objects(resource_id="closed", photo_id="photo"),
    ),
    m.Case(
        "GET",
        "resources/<int:resource_id>/manage/",
        page(SEES_CLOSED, MANAGERS, m.OK),
        objects(resource_id="closed"),
    ),
    m.Case(
        "POST",
        "resources/<int:resource_id>/manage/",
        page(SEES_CLOSED, MANAGERS),
        objects(resource_id="closed"),
        lambda w: {"action": "status", "open_status": "paused"},
    ),
    m.Case(
        "GET",
        "resources/<int:resource_id>/edit/",
        page(SEES_CLOSED, MANAGERS, m.OK),
        objects(resource_id="closed"),
    ),
    m.Case(
        "POST",
        "resources/<int:resource_id>/edit/",
        page(SEES_CLOSED, MANAGERS),
        objects(resource_id="closed"),
        edit_post,
    ),
    m.Case(
        "GET",
        "resources/<int:resource_id>/photos/",
        page(SEES_CLOSED, MANAGERS, m.OK),
        objects(resource_id="closed"),
    ),
    m.Case(
        "POST",
        "resources/<int:resource_id>/photos/",
        page(SEES_CLOSED, MANAGERS),
        objects(resource_id="closed"),
        lambda w: {"action": "upload", "file": _png(), "caption": "侧面"},
    ),
    m.Case(
        "GET",
        "resources/<int:resource_id>/prices/",
        page(SEES_CLOSED, MANAGERS, m.OK),
        objects(resource_id="closed"),
    ),
    m.Case(
        "POST",
        "resources/<int:resource_id>/prices/",
        page(SEES_CLOSED, MANAGERS),
        objects(resource_id="closed"),
        lambda w: _price_post(),
    ),
    # ordering: the open instrument and service take orders from any organisation; the closed one from none
    m.Case(
        "POST",
        "api/v1/resources/<int:resource_id>/bookings",
        api(m.ROLES, MEMBERS, m.CREATED),
        objects(resource_id="instrument"),
        slot,
    ),
    m.Case(
        "POST",
        "api/v1/resources/<int:resource_id>/bookings",
        api(SEES_CLOSED, SEES_CLOSED, m.CONFLICT),
        objects(resource_id="closed"),
        slot,
        name="closed",
    ),
    m.Case(
        "POST",
        "api/v1/resources/<int:resource_id>/sample-orders",
        api(m.ROLES, MEMBERS, m.CREATED),
        objects(resource_id="service"),
        lambda w: {"samples": 3},
    ),
    m.Case(
        "POST",
        "resources/<int:resource_id>/book/",
        page(m.ROLES, MEMBERS),
        objects(resource_id="instrument"),
        lambda w: {"day": w.monday.date().isoformat(), "start": "09:00", "end": "10:00"},
    ),
    m.Case(
        "POST",
        "resources/<int:resource_id>/book/",
        page(SEES_CLOSED, SEES_CLOSED, m.CONFLICT),
        objects(resource_id="closed"),
        lambda w: {"day": w.monday.date().isoformat(), "start": "09:00", "end": "10:00"},
        name="closed",
    ),
    # A's orders at P
    m.Case(
        "GET",
        "api/v1/resources/orders/<int:order_id>",
        api(SEES_ORDER, SEES_ORDER),
        objects(order_id="submitted"),
    ),
    m.Case(
        "GET",
        "resources/orders/<int:order_id>/",
        page(SEES_ORDER, SEES_ORDER, m.OK),
        objects(order_id="submitted"),
    ),
    m.Case(
        "GET",
        "api/v1/resources/orders/<int:order_id>/report",
        # a private file: whoever may not download it gets 404, like a file that is not there
        api(REPORT_READERS, REPORT_READERS),
        objects(order_id="delivered"),
    ),
    m.Case(
        "GET",
        "resources/orders/<int:order_id>/report/",
        page(REPORT_READERS, REPORT_READERS, m.OK),
        objects(order_id="delivered"),
    ),
    m.Case(
        "POST",
        "resources/orders/<int:order_id>/report/upload/",
        page(SEES_ORDER, PROVIDER),
        objects(order_id="in_progress"),
        lambda w: {"file": _pdf()},
    ),
    *_action_cases(),
    *_after_service_cases(),
    *_sharing_cases(),
]

world = m.world_fixture(build)


@pytest.mark.parametrize(("case", "role"), m.params(CASES))
def test_role_on_another_tenants_resource_or_order(world, case, role, settings):
    m.check(world, case, role, settings)


def test_every_resource_endpoint_with_an_id_is_in_the_matrix():
    m.assert_covers("resources", CASES)
