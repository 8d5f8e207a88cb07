"""Playwright, three flows a newcomer hit a dead end in (issue 12): a sample order's report uploaded on the order
page and on the 服务方工作台, then delivered and completed; a 兑付 claim opened, its invoice downloaded and decided
on the redemption page; the API docs rendered with every request off this machine aborted."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.e2e.conftest import login
from tests.factories import PASSWORD, OrganisationFactory, member
from tests.resources.conftest import ensure_categories
from tests.resources.factories import ResourceFactory, with_prices
from tests.vouchers import factories as vf
from xietong.core.actor import actor_for
from xietong.core.roles import Role
from xietong.orgs.enums import OrgKind
from xietong.resources import services as order_services
from xietong.resources.models import ServiceOrder
from xietong.vouchers import services as voucher_services
from xietong.vouchers.models import Redemption

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

REPORT = b"%PDF-1.4\n% sample test report\n" + b"0" * 64


def _as(page, base, username):
    page.context.clear_cookies()
    login(page, base, username, PASSWORD)


# ------------------------------------------------------------------------------------------------ sample orders


@pytest.fixture
def sample_orders(settings, tmp_path):
    """Two sample orders of a 嘉兴 firm at a 上海 testing institute, in service with the usage recorded."""
    settings.MEDIA_ROOT, settings.XIETONG_PRIVATE_ROOT = tmp_path / "media", tmp_path / "private"
    ensure_categories()
    lab = OrganisationFactory(name="上海徐汇检测技术研究院", region_id="310104", kind=OrgKind.TESTING)
    firm = OrganisationFactory(name="嘉兴南湖智造有限公司", region_id="330402", is_tech_sme=True)
    service = ResourceFactory(
        owner=lab, name="材料成分检测", kind="service", requires_approval=True, capacity=100
    )
    with_prices(service, unit="sample")
    provider = actor_for(member(Role.ORG_ADMIN, organisation=lab, username="e2e_nf_lab"))
    customer = actor_for(member(Role.ORG_ADMIN, organisation=firm, username="e2e_nf_firm"))
    orders = []
    for _ in range(2):
        order = order_services.order_sample(actor=customer, resource_id=service.pk, samples=2, note="")
        order_services.order_confirm(actor=provider, order_id=order.pk)
        order_services.order_start(actor=provider, order_id=order.pk)
        order_services.order_record_usage(actor=provider, order_id=order.pk, samples=2)
        orders.append(ServiceOrder.objects.get(pk=order.pk))
    return orders


def test_a_sample_order_is_reported_delivered_and_completed(live_server, page, shot, sample_orders, tmp_path):
    base, (order, second) = live_server.url, sample_orders
    report = tmp_path / "检测报告.pdf"
    report.write_bytes(REPORT)
    # 1. the provider uploads the result report on the order page
    login(page, base, "e2e_nf_lab", PASSWORD)
    page.goto(f"{base}/resources/orders/{order.pk}/")
    upload = page.locator("#actions form[action$='/report/upload/']")
    upload.locator("input[type=file]").set_input_files(str(report))
    shot(page, "newcomer-01-order-report-chosen")
    upload.locator("button").click()
    page.wait_for_selector(f"text=已上传结果报告：{order.number}")
    assert page.inner_text("#report-link") == "检测报告.pdf"
    # 2. and delivers: the report is there, so 交付 goes through
    page.click("#actions form[action$='/deliver/'] button")
    page.wait_for_selector(f"text=已交付，等待客户确认完成：{order.number}")
    assert ServiceOrder.objects.get(pk=order.pk).status == "delivered"
    shot(page, "newcomer-02-order-delivered")
    # 3. the customer downloads the report and confirms completion
    _as(page, base, "e2e_nf_firm")
    page.goto(f"{base}/resources/orders/{order.pk}/")
    with page.expect_download() as download:
        page.click("#report-link")
    assert Path(download.value.path()).read_bytes() == REPORT
    page.click("#complete-button")
    page.wait_for_selector(f"text=已确认完成：{order.number}")
    assert ServiceOrder.objects.get(pk=order.pk).status == "completed"
    shot(page, "newcomer-03-order-completed")
    # 4. the 服务方工作台's report list takes an upload too, and returns to itself
    _as(page, base, "e2e_nf_lab")
    page.goto(f"{base}/resources/console/reports/")
    row = page.locator("#reports-table tr", has_text=second.number)
    row.locator("input[type=file]").set_input_files(str(report))
    row.locator("button").click()
    page.wait_for_selector(f"text=已上传结果报告：{second.number}")
    assert page.url == f"{base}/resources/console/reports/"
    assert (
        page.locator("#reports-table tr", has_text=second.number).locator("a[href$='/report/']").inner_text()
        == "检测报告.pdf"
    )
    assert ServiceOrder.objects.get(pk=second.pk).report_name == "检测报告.pdf"
    shot(page, "newcomer-04-console-report-uploaded")


# ------------------------------------------------------------------------------------------------ 兑付 review


@pytest.fixture
def claims(settings, tmp_path):
    """Two 兑付 claims of a 嘉兴 firm's 通兑 voucher at a 上海 provider, each with a contract and a PDF invoice."""
    settings.MEDIA_ROOT, settings.XIETONG_PRIVATE_ROOT = tmp_path / "media", tmp_path / "private"
    firm = OrganisationFactory(name="嘉兴南湖智造有限公司", region_id="330402", is_tech_sme=True)
    lab = OrganisationFactory(name="上海徐汇检测技术研究院", region_id="310104", kind=OrgKind.TESTING)
    firm_admin = actor_for(member(Role.ORG_ADMIN, organisation=firm, username="e2e_nf_vfirm"))
    provider = actor_for(member(Role.ORG_ADMIN, organisation=lab, username="e2e_nf_vlab"))
    bureau = actor_for(member(Role.REGION_BUREAU, region_id="330400", username="e2e_nf_jx"))
    programme = vf.programme(actor=bureau)
    application = voucher_services.application_submit(
        actor=firm_admin,
        programme_id=programme.pk,
        enterprise_id=firm.pk,
        amount_fen=2_000_000,
        purpose="检测",
    )
    voucher_services.application_review(actor=bureau, application_id=application.pk, approve=True)
    application.refresh_from_db()
    out = []
    for key in ("first", "second"):
        order = vf.order(provider=lab, customer=firm, quoted_fen=300_000)
        r = voucher_services.redemption_reserve(
            actor=firm_admin,
            grant_id=application.grant.pk,
            order_id=order.pk,
            amount_fen=150_000,
            idempotency_key=key,
        )
        vf.complete(order)
        files = [
            ("contract", SimpleUploadedFile("服务合同.pdf", vf.PDF, content_type="application/pdf")),
            ("invoice", SimpleUploadedFile("发票.pdf", vf.PDF, content_type="application/pdf")),
        ]
        voucher_services.redemption_claim(actor=provider, redemption_id=r.pk, files=files)
        out.append(Redemption.objects.select_related("order").get(pk=r.pk))
    return out


def test_the_bureau_opens_the_evidence_and_decides_on_the_redemption_page(live_server, page, shot, claims):
    base, (first, second) = live_server.url, claims
    login(page, base, "e2e_nf_jx", PASSWORD)
    # 1. the 嘉兴 bureau opens the claim: every evidence file is a link, the order number too
    page.goto(f"{base}/vouchers/redemptions/{first.pk}/")
    links = page.locator("a.evidence-link")
    assert sorted(links.all_inner_texts()) == ["发票.pdf", "服务合同.pdf"]
    assert page.get_attribute("#order-link", "href") == f"/resources/orders/{first.order_id}/"
    shot(page, "newcomer-05-redemption-claimed")
    # 2. it downloads the invoice and reads it
    with page.expect_download() as download:
        page.click("a.evidence-link:text('发票.pdf')")
    assert download.value.suggested_filename == "发票.pdf"
    assert Path(download.value.path()).read_bytes() == vf.PDF
    # 3. and approves on the same page, which then shows the claim in 公示
    page.click("#approve-button")
    page.wait_for_selector("text=兑付审核通过，已进入公示")
    assert page.url == f"{base}/vouchers/redemptions/{first.pk}/"
    assert Redemption.objects.get(pk=first.pk).status == "publicised"
    assert page.locator("#review-form").count() == 0
    shot(page, "newcomer-06-redemption-approved")
    # 4. rejecting the second one without a reason: the form shows why, nothing changes
    page.goto(f"{base}/vouchers/redemptions/{second.pk}/")
    page.click("#reject-button")
    page.wait_for_selector("#review-error")
    assert page.inner_text("#review-error") == "驳回时请填写理由"
    assert page.locator("#review-form").is_visible() and page.locator("a.evidence-link").count() == 2
    assert Redemption.objects.get(pk=second.pk).status == "claimed"
    shot(page, "newcomer-07-redemption-reject-needs-reason")
    # 5. with a reason it is rejected
    page.fill("#review-note", "发票抬头与企业名称不符")
    page.click("#reject-button")
    page.wait_for_selector("text=已驳回兑付申请")
    assert Redemption.objects.get(pk=second.pk).status == "rejected"


# ------------------------------------------------------------------------------------------------ API docs offline


def test_the_api_docs_render_with_every_outside_request_aborted(live_server, page, shot):
    aborted, errors = [], []

    def only_this_machine(route):
        if urlsplit(route.request.url).hostname in ("localhost", "127.0.0.1"):
            route.continue_()
        else:
            aborted.append(route.request.url)
            route.abort()

    page.route("**/*", only_this_machine)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{live_server.url}/api/v1/docs")
    # then Swagger UI lists the operations, tagged by app, from this server alone
    page.wait_for_selector("#swagger-ui .opblock")
    assert page.locator("#swagger-ui .opblock").count() > 50
    assert page.locator("#swagger-ui .opblock-tag", has_text="resources").count() == 1
    assert page.get_by_text("/api/v1/resources/orders/{order_id}/report", exact=True).count() >= 1
    assert aborted == [] and errors == []
    shot(page, "newcomer-08-api-docs-offline")
