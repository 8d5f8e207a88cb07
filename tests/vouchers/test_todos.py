"""The vouchers app's to-dos: applications to review and claims to approve show for the bureau that manages
the programme, with counts; approving from the application page (reached from the to-do centre) works."""

from __future__ import annotations

import pytest

from tests.clients import client_for
from tests.factories import actor
from tests.vouchers import factories as vf
from tests.vouchers.conftest import approved_redemption
from xietong.core import todos
from xietong.vouchers import services
from xietong.vouchers.enums import ApplicationStatus
from xietong.vouchers.models import Application

pytestmark = pytest.mark.django_db


def _counts(user) -> dict[str, int]:
    return {s.key: n for s, n in todos.counts(actor(user))}


def _submit(world, programme, fen=1_000_000):
    return services.application_submit(
        actor=world.a("firm_user"), programme_id=programme.pk, enterprise_id=world.firm.pk, amount_fen=fen,
        purpose="检测服务",
    )  # fmt: skip


def test_applications_to_review_counted_for_the_managing_bureau_only(world, tongdui):
    _submit(world, tongdui)
    assert _counts(world.jx_bureau).get("vouchers.applications") == 1
    assert "vouchers.applications" not in _counts(world.sh_bureau)
    assert "vouchers.applications" not in _counts(world.firm_user)
    body = client_for(world.jx_bureau).get("/me/todos/").content.decode()
    assert "待审核的创新券申领" in body and world.firm.name in body


def test_the_application_to_review_reads_in_english(world, tongdui):
    _submit(world, tongdui)
    client = client_for(world.jx_bureau)
    client.cookies["django_language"] = "en"
    body = client.get("/me/todos/").content.decode()
    assert "Voucher applications to review" in body and "Applies for 10,000.00 yuan" in body
    assert "待审核的创新券申领" not in body and "申领 10,000.00" not in body


def test_approve_from_the_todo_centre_with_a_lower_amount(world, tongdui):
    app = _submit(world, tongdui)
    client = client_for(world.jx_bureau)
    page = client.get(f"/vouchers/applications/{app.pk}/?from=todos")
    assert page.status_code == 200
    assert "企业历史记录" in page.content.decode()
    response = client.post(
        f"/vouchers/applications/{app.pk}/decide/", {"decision": "approve", "amount": "8000", "next": "todos"}
    )
    assert response.status_code == 302 and response["Location"] == "/me/todos/"
    app.refresh_from_db()
    assert app.status == ApplicationStatus.APPROVED
    assert app.grant.amount_fen == 800_000
    assert "vouchers.applications" not in _counts(world.jx_bureau)


def test_amount_above_the_application_is_refused_and_nothing_changes(world, tongdui):
    app = _submit(world, tongdui)
    response = client_for(world.jx_bureau).post(
        f"/vouchers/applications/{app.pk}/decide/", {"decision": "approve", "amount": "20000"}
    )
    assert response.status_code == 400
    assert "核定金额应大于 0 且不超过申领金额" in response.content.decode()
    assert Application.objects.get(pk=app.pk).status == ApplicationStatus.SUBMITTED


def test_another_bureau_cannot_decide(world, tongdui):
    app = _submit(world, tongdui)
    response = client_for(world.sh_bureau).post(
        f"/vouchers/applications/{app.pk}/decide/", {"decision": "approve"}
    )
    assert response.status_code in (403, 404)
    assert Application.objects.get(pk=app.pk).status == ApplicationStatus.SUBMITTED


def test_claims_and_payable_counted(world, grant):
    order = vf.order(provider=world.sh_provider, customer=world.firm, quoted_fen=300_000)
    r = services.redemption_reserve(
        actor=world.a("firm_user"),
        grant_id=grant.pk,
        order_id=order.pk,
        amount_fen=150_000,
        idempotency_key="t1",
    )
    vf.complete(order)
    services.redemption_claim(actor=world.a("sh_provider_user"), redemption_id=r.pk, files=vf.evidence())
    assert _counts(world.jx_bureau).get("vouchers.claims") == 1
    services.redemption_review(actor=world.a("jx_bureau"), redemption_id=r.pk, approve=True)
    assert "vouchers.claims" not in _counts(world.jx_bureau)


def test_payable_after_publicity(world, grant):
    from tests.vouchers.conftest import shift_days

    approved_redemption(world, grant, key="p1")
    with shift_days(10):
        assert _counts(world.jx_bureau).get("vouchers.payable") == 1
