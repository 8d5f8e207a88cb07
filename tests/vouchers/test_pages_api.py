"""Pages and API: tenancy matrix, exact query counts, exports."""

import pytest

from tests.clients import client_for
from tests.vouchers import factories as vf
from tests.vouchers.conftest import approved_redemption, grant_for, shift_days
from xietong.core.models import AuditEvent
from xietong.ledger.models import Entry
from xietong.vouchers import services
from xietong.vouchers.models import Application, Redemption, Statement
from xietong.vouchers.services.settlement import statements_generate

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(world, tongdui):
    return services.application_submit(
        actor=world.a("firm_user"),
        programme_id=tongdui.pk,
        enterprise_id=world.firm.pk,
        amount_fen=100_000,
        purpose="检测",
    )


REVIEW = {
    "jx_bureau": 200,
    "sh_bureau": 404,
    "sc_bureau": 404,
    "yrd_office": 403,
    "jjj_office": 404,
    "other_firm_user": 404,
    "firm_user": 403,
}


@pytest.mark.parametrize("who", list(REVIEW))
def test_application_review_matrix_by_api(world, pending, who):
    before_entries, before_events = Entry.objects.count(), AuditEvent.objects.count()
    response = client_for(getattr(world, who)).post(
        f"/api/v1/vouchers/applications/{pending.pk}/review",
        {"approve": True},
        content_type="application/json",
    )
    assert response.status_code == REVIEW[who], response.content
    if REVIEW[who] != 200:
        assert response.json()["message"]
        assert Application.objects.get(pk=pending.pk).status == "submitted"
        assert (Entry.objects.count(), AuditEvent.objects.count()) == (before_entries, before_events)


GRANT_READ = {
    "firm_user": 200,
    "jx_bureau": 200,
    "yrd_office": 200,
    "other_firm_user": 404,
    "sc_bureau": 404,
    "jjj_office": 404,
}


@pytest.mark.parametrize("who", list(GRANT_READ))
def test_grant_read_matrix_by_page_and_api(world, grant, who):
    client = client_for(getattr(world, who))
    assert client.get(f"/api/v1/vouchers/grants/{grant.pk}").status_code == GRANT_READ[who]
    assert client.get(f"/vouchers/grants/{grant.pk}/").status_code == GRANT_READ[who]


def test_redeem_by_api_with_409_and_tampered_code(world, tongdui):
    grant = grant_for(world, tongdui, fen=10_000)
    order = vf.order(provider=world.jx_provider, customer=world.firm, quoted_fen=1_000_000)
    client = client_for(world.firm_user)
    url = f"/api/v1/vouchers/grants/{grant.pk}/redemptions"
    ok = client.post(
        url,
        {"order_id": order.pk, "amount_fen": 10_000, "idempotency_key": "a"},
        content_type="application/json",
    )
    assert ok.status_code == 201
    again = client.post(
        url,
        {"order_id": order.pk, "amount_fen": 10_000, "idempotency_key": "a"},
        content_type="application/json",
    )
    assert again.json()["id"] == ok.json()["id"]
    over = client.post(
        url, {"order_id": order.pk, "amount_fen": 1, "idempotency_key": "b"}, content_type="application/json"
    )
    assert over.status_code == 409 and "余额不足" in over.json()["message"]
    bad = client.post(
        "/api/v1/vouchers/redemptions",
        {
            "voucher_code": grant.code[:-1] + ("0" if grant.code[-1] != "0" else "1"),
            "order_id": order.pk,
            "amount_fen": 1,
            "idempotency_key": "c",
        },
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["code"] == "bad_voucher_code"
    negative = client.post(
        url, {"order_id": order.pk, "amount_fen": -1, "idempotency_key": "d"}, content_type="application/json"
    )
    assert negative.status_code == 422
    assert Redemption.objects.count() == 1


def test_apply_and_approve_by_pages(world, tongdui):
    firm = client_for(world.firm_user)
    response = firm.post(
        f"/vouchers/programmes/{tongdui.pk}/apply/",
        {"enterprise": world.firm.pk, "amount": "1,000.50", "purpose": "检测服务"},
    )
    assert response.status_code == 302
    app = Application.objects.get()
    assert app.amount_fen == 100_050
    bad = firm.post(
        f"/vouchers/programmes/{tongdui.pk}/apply/",
        {"enterprise": world.firm.pk, "amount": "0", "purpose": "检测服务"},
    )
    assert bad.status_code == 400 and "申领金额必须大于 0" in bad.content.decode()
    bureau = client_for(world.jx_bureau)
    assert "嘉兴南湖智造有限公司" in bureau.get("/vouchers/review/").content.decode()
    assert bureau.post(f"/vouchers/applications/{app.pk}/review/", {"decision": "approve"}).status_code == 302
    page = firm.get("/vouchers/mine/").content.decode()
    assert "XT-330400-" in page


def test_list_pages_and_endpoints_have_fixed_query_counts(world, tongdui, django_assert_num_queries):
    for _ in range(3):
        grant_for(world, tongdui, fen=100_000)
    client = client_for(world.jx_bureau)
    client.get("/vouchers/")  # warm caches (region tree, session)
    with django_assert_num_queries(5):
        assert client.get("/api/v1/vouchers/grants").json()["total"] == 3
    with django_assert_num_queries(5):
        assert client.get("/vouchers/").status_code == 200
    with django_assert_num_queries(8):  # + the managed programmes' dashboard links
        assert client.get("/vouchers/review/").status_code == 200


def test_statement_pages_exports_and_tenancy(world, tongdui, grant):
    r = approved_redemption(world, grant, key="x")
    with shift_days(6):
        services.redemption_pay(actor=world.a("jx_bureau"), redemption_id=r.pk)
    from django.utils import timezone

    statement = statements_generate(period=timezone.localdate().replace(day=1))[0]
    assert statement.total_fen == 150_000
    for who, status in {
        "jx_bureau": 200,
        "sh_bureau": 200,
        "yrd_office": 200,
        "sc_bureau": 404,
        "firm_user": 404,
    }.items():
        assert (
            client_for(getattr(world, who)).get(f"/vouchers/statements/{statement.pk}/").status_code == status
        )
    bureau = client_for(world.jx_bureau)
    xlsx = bureau.get(f"/vouchers/statements/{statement.pk}.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    pdf = bureau.get(f"/vouchers/statements/{statement.pk}.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF") and b"FontFile2" in pdf.content
    assert (
        client_for(world.sh_bureau)
        .post(f"/vouchers/statements/{statement.pk}/paid/", {"reference": "X1"})
        .status_code
        == 403
    )
    assert (
        bureau.post(f"/vouchers/statements/{statement.pk}/paid/", {"reference": "ZJ-001"}).status_code == 302
    )
    assert Statement.objects.get().paid_reference == "ZJ-001"
    assert bureau.get(f"/vouchers/programmes/{tongdui.pk}/dashboard/").status_code == 200
    assert bureau.get(f"/vouchers/programmes/{tongdui.pk}/grants.xlsx").content[:2] == b"PK"
