"""The pages and endpoints added around the lifecycle: programme set-up, the order page's voucher panel, bundle
invitations, objections resolved on the 公示 list, and multipart evidence upload."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.clients import client_for
from tests.vouchers import factories as vf
from tests.vouchers.conftest import approved_redemption, grant_for
from xietong.core.models import AuditEvent
from xietong.ledger import checks
from xietong.ledger.models import Entry
from xietong.vouchers import services
from xietong.vouchers.models import BundlePartner, Evidence, Objection, Programme, Redemption

pytestmark = pytest.mark.django_db


def _untouched():
    return (Entry.objects.count(), AuditEvent.objects.count(), Redemption.objects.count())


PROGRAMME_FORM = {
    "name": "嘉兴市科技创新券（通兑·长三角）",
    "code": "jx-2027-td",
    "mode": "tongdui",
    "issuer": "R:330400",
    "year": "2027",
    "budget": "5000000",
    "applications_open_on": "2027-01-01",
    "applications_close_on": "2027-06-30",
    "per_application_cap": "200000",
    "per_firm_year_cap": "300000",
    "subsidy_ratio": "50",
    "full_subsidy_below": "2000",
    "provider_scope": "zone",
    "provider_zone": "yrd",
    "use_deadline": "2027-12-31",
    "redemption_deadline": "2028-01-31",
    "publicity_days": "7",
    "require_tech_sme": "on",
}


def test_a_bureau_sets_up_a_programme_on_the_page(world):
    bureau = client_for(world.jx_bureau)
    # given the form offers the bureau's own region as issuer
    page = bureau.get("/vouchers/programmes/new/").content.decode()
    assert 'value="R:330400"' in page and "嘉兴市" in page
    # when it submits
    response = bureau.post("/vouchers/programmes/new/", PROGRAMME_FORM)
    # then the programme exists with its budget in 分 funded into the ledger
    programme = Programme.objects.get(code="jx-2027-td")
    assert response.status_code == 302 and response["Location"] == f"/vouchers/programmes/{programme.pk}/"
    assert (programme.budget_fen, programme.subsidy_ratio_bp, programme.full_subsidy_below_fen) == (
        500_000_000,
        5_000,
        200_000,
    )
    assert programme.require_tech_sme and programme.provider_zone.code == "yrd"
    assert checks.run_all() == []


@pytest.mark.parametrize(
    ("who", "change", "status", "message"),
    [
        ("sh_bureau", {}, 403, "只能为本辖区"),
        ("firm_user", {}, 403, "只有科技主管部门"),
        ("jx_bureau", {"budget": "-1"}, 400, "预算超出允许范围"),
        ("jx_bureau", {"budget": "10.001"}, 400, "最多保留两位小数"),
        ("jx_bureau", {"redemption_deadline": "2027-01-01"}, 400, "兑付申请截止日期不能早于使用截止日期"),
        (
            "jx_bureau",
            {"provider_scope": "named", "named_providers": "91330400MA0000000X"},
            400,
            "未找到已认证机构",
        ),
    ],
    ids=["other-region", "enterprise", "negative-budget", "sub-fen", "dates", "unknown-provider"],
)
def test_programme_form_refusals_are_chinese_and_write_nothing(world, who, change, status, message):
    before = (_untouched(), Programme.objects.count())
    response = client_for(getattr(world, who)).post("/vouchers/programmes/new/", {**PROGRAMME_FORM, **change})
    assert response.status_code == status
    assert message in response.content.decode()
    assert (_untouched(), Programme.objects.count()) == before


def test_the_order_page_panel_lists_usable_grants_and_reserves(world, tongdui, grant):
    order = vf.order(provider=world.sh_provider, customer=world.firm, quoted_fen=300_000)
    firm = client_for(world.firm_user)
    # given the panel offers the grant with what it may cover (50 % of 3 000 元)
    page = firm.get(f"/resources/orders/{order.pk}/").content.decode()
    assert 'id="voucher-panel"' in page and grant.code in page and "1,500.00 元" in page
    # when the firm uses it, twice with the same key (a double click)
    form = {"grant": grant.pk, "amount": "1200", "idempotency_key": "order-page-1"}
    assert firm.post(f"/vouchers/orders/{order.pk}/use/", form).status_code == 302
    assert firm.post(f"/vouchers/orders/{order.pk}/use/", form).status_code == 302
    # then one reservation exists and the panel shows it
    redemption = Redemption.objects.get()
    assert (redemption.amount_fen, redemption.order_id) == (120_000, order.pk)
    page = firm.get(f"/resources/orders/{order.pk}/").content.decode()
    assert "1,200.00 元" in page and "已预留" in page
    # and the provider sees the use on its order page, without a form
    provider_page = client_for(world.sh_provider_user).get(f"/resources/orders/{order.pk}/").content.decode()
    assert grant.code in provider_page and 'id="voucher-use-form"' not in provider_page
    # an amount over the programme's ceiling is a 400 in Chinese and writes nothing
    before = _untouched()
    over = firm.post(
        f"/vouchers/orders/{order.pk}/use/", {"grant": grant.pk, "amount": "400", "idempotency_key": "k2"}
    )
    assert over.status_code == 400 and "补贴上限" in over.content.decode()
    assert _untouched() == before
    assert checks.run_all() == []


def test_bundle_invitation_page_and_api(world, tongdui):
    order = vf.order(provider=world.sh_provider, customer=world.firm, quoted_fen=400_000)
    firm = client_for(world.firm_user)
    assert "邀请其他企业合用创新券" in firm.get(f"/resources/orders/{order.pk}/").content.decode()
    # a wrong code: 404 in Chinese, nothing written
    bad = firm.post(f"/vouchers/orders/{order.pk}/partners/", {"credit_code": "9" * 18})
    assert bad.status_code == 404 and "未找到" in bad.content.decode()
    # the other firm cannot invite on someone else's order (it does not even see it)
    other = client_for(world.other_firm_user)
    denied = other.post(f"/vouchers/orders/{order.pk}/partners/", {"credit_code": world.firm.credit_code})
    assert denied.status_code == 404
    assert not BundlePartner.objects.exists() and not AuditEvent.objects.filter(
        verb__startswith="voucher.bundle"
    )
    # the customer invites by credit code
    ok = firm.post(f"/vouchers/orders/{order.pk}/partners/", {"credit_code": world.other_firm.credit_code})
    assert ok.status_code == 302
    partner = BundlePartner.objects.get()
    assert partner.enterprise_id == world.other_firm.pk
    assert world.other_firm.name in firm.get(f"/vouchers/orders/{order.pk}/partners/").content.decode()
    # the partner sees the invitation with the order's id and uses its own grant on the order
    partner_grant = grant_for(world, tongdui, fen=500_000, who="other_firm")
    assert order.number in other.get("/vouchers/mine/").content.decode()
    use = {"order_id": order.pk, "amount": "500", "idempotency_key": "partner-1"}
    assert other.post(f"/vouchers/grants/{partner_grant.pk}/use/", use).status_code == 302
    assert Redemption.objects.get().enterprise_id == world.other_firm.pk
    # the customer sees the total covered on its order (not the partner's voucher itself)
    customer_page = firm.get(f"/resources/orders/{order.pk}/").content.decode()
    assert "已抵扣 500.00 元" in customer_page and partner_grant.code not in customer_page
    # by API: inviting the provider is refused
    api = firm.post(
        f"/api/v1/vouchers/orders/{order.pk}/partners",
        {"enterprise_id": world.sh_provider.pk},
        content_type="application/json",
    )
    assert api.status_code == 400 and api.json()["message"]
    assert BundlePartner.objects.count() == 1


def test_objections_are_resolved_on_the_publicity_page(world, tongdui, grant, django_assert_num_queries):
    r = approved_redemption(world, grant, key="p")
    other = client_for(world.other_firm_user)
    assert other.post(f"/vouchers/redemptions/{r.pk}/object/", {"text": "服务未实际提供"}).status_code == 302
    objection = Objection.objects.get()
    bureau = client_for(world.jx_bureau)
    bureau.get("/vouchers/publicity/")  # warm the session and caches
    with django_assert_num_queries(6):
        page = bureau.get("/vouchers/publicity/").content.decode()
    assert "服务未实际提供" in page and f'data-objection="{objection.pk}"' in page
    # another region's bureau cannot resolve it: nothing changes
    before = _untouched()
    denied = client_for(world.sh_bureau).post(
        f"/vouchers/objections/{objection.pk}/resolve/", {"decision": "upheld", "note": "越权"}
    )
    assert (denied.status_code, _untouched()) == (403, before)
    # the issuing bureau upholds it: the approval is reversed and the money returns to the grant
    done = bureau.post(
        f"/vouchers/objections/{objection.pk}/resolve/", {"decision": "upheld", "note": "经核实异议成立"}
    )
    assert done.status_code == 302
    assert Redemption.objects.get(pk=r.pk).status == "revoked"
    assert Objection.objects.get().status == "upheld"
    assert checks.run_all() == []


def test_evidence_upload_by_api_multipart(world, tongdui, grant):
    order = vf.order(provider=world.sh_provider, customer=world.firm, quoted_fen=300_000)
    r = services.redemption_reserve(
        actor=world.a("firm_user"),
        grant_id=grant.pk,
        order_id=order.pk,
        amount_fen=150_000,
        idempotency_key="e",
    )
    vf.complete(order)
    provider = client_for(world.sh_provider_user)
    url = f"/api/v1/vouchers/redemptions/{r.pk}/claim"
    # a file whose content is not what its extension says: 400, nothing stored
    fake = provider.post(url, {"invoice": SimpleUploadedFile("发票.pdf", b"MZ not a pdf")})
    assert fake.status_code == 400 and "内容与扩展名不符" in fake.json()["message"]
    assert not Evidence.objects.exists() and Redemption.objects.get(pk=r.pk).status == "service_done"
    # the firm is not the claimant of a 通兑 voucher
    assert (
        client_for(world.firm_user).post(url, {"invoice": SimpleUploadedFile("a.pdf", vf.PDF)}).status_code
        == 403
    )
    # the provider's claim with two files
    ok = provider.post(
        url,
        {
            "invoice": SimpleUploadedFile("发票.pdf", vf.PDF, content_type="application/pdf"),
            "report": SimpleUploadedFile("报告.png", vf.PNG, content_type="image/png"),
            "note": "检测已完成",
        },
    )
    assert ok.status_code == 201, ok.content
    body = ok.json()
    assert body["status"] == "claimed" and {e["kind"] for e in body["evidence"]} == {"invoice", "report"}
    assert Evidence.objects.count() == 2
