"""Playwright: an enterprise in 嘉兴 applies for a voucher, the 嘉兴 bureau approves, the firm sees its grant."""

import pytest
from django.contrib.auth import get_user_model

from tests.e2e.conftest import login
from tests.factories import PASSWORD, OrganisationFactory, member
from tests.vouchers import factories as vf
from xietong.core.actor import actor_for
from xietong.core.roles import Role
from xietong.orgs.enums import OrgKind
from xietong.vouchers import services
from xietong.vouchers.models import Grant, Objection, Programme, Redemption

User = get_user_model()

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def data(transactional_db):
    firm = OrganisationFactory(name="嘉兴南湖智造有限公司", region_id="330402", is_tech_sme=True)
    bureau = member(Role.REGION_BUREAU, region_id="330400", username="e2e_jx")
    member(Role.ORG_ADMIN, organisation=firm, username="e2e_firm")
    programme = vf.programme(actor=actor_for(bureau), name="嘉兴市科技创新券（通兑）")
    return {"firm": firm, "programme": programme}


def test_apply_approve_and_see_the_grant(live_server, page, shot, data):
    base = live_server.url
    login(page, base, "e2e_firm", PASSWORD)
    page.goto(f"{base}/vouchers/")
    page.click("text=嘉兴市科技创新券（通兑）")
    page.fill("#id_amount", "8000")
    page.fill("#id_purpose", "委托上海检测机构做材料成分分析")
    shot(page, "vouchers-apply")
    page.click("#apply-form button[type=submit]")
    page.wait_for_selector("text=申领已提交")
    page.context.clear_cookies()
    login(page, base, "e2e_jx", PASSWORD)
    page.goto(f"{base}/vouchers/review/")
    assert page.inner_text("#application-count") == "1"
    shot(page, "vouchers-review-queue")
    page.click("#application-queue button[value=approve]")
    page.wait_for_selector("text=已通过：嘉兴南湖智造有限公司")
    page.context.clear_cookies()
    login(page, base, "e2e_firm", PASSWORD)
    page.goto(f"{base}/vouchers/mine/")
    grant = Grant.objects.get()
    page.click(f"text={grant.code}")
    page.wait_for_selector("#grant-code")
    assert "8,000.00 元" in page.inner_text("#available")
    shot(page, "vouchers-grant")


def test_bureau_sets_up_a_programme_invites_and_resolves_objections(
    live_server, page, shot, data, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    base = live_server.url
    # the bureau sets up a programme on the page
    login(page, base, "e2e_jx", PASSWORD)
    page.goto(f"{base}/vouchers/")
    page.click("#new-programme")
    page.fill("#id_name", "嘉兴市科技创新券（通用）")
    page.fill("#id_code", "jx-e2e-ty")
    page.select_option("#id_mode", "tongyong")
    page.fill("#id_budget", "2000000")
    for field, value in {
        "#id_applications_open_on": "2026-01-01", "#id_applications_close_on": "2030-12-31",
        "#id_use_deadline": "2030-12-31", "#id_redemption_deadline": "2031-03-31",
    }.items():  # fmt: skip
        page.fill(field, value)
    page.fill("#id_per_application_cap", "100000")
    page.fill("#id_per_firm_year_cap", "200000")
    page.select_option("#id_provider_scope", "zone")
    page.select_option("#id_provider_zone", "yrd")
    shot(page, "vouchers-programme-new")
    page.click("#programme-form button[type=submit]")
    page.wait_for_selector("text=已设立方案“嘉兴市科技创新券（通用）”")
    programme = Programme.objects.get(code="jx-e2e-ty")
    assert programme.budget_fen == 200_000_000
    # a redemption on the 公示 list with an objection
    firm_user, bureau_user = (User.objects.get(username=n) for n in ("e2e_firm", "e2e_jx"))
    provider = OrganisationFactory(name="上海徐汇检测技术研究院", region_id="310104", kind=OrgKind.TESTING)
    provider_user = member(Role.ORG_ADMIN, organisation=provider, username="e2e_sh_testing")
    partner = OrganisationFactory(name="嘉兴秀洲新材料有限公司", region_id="330411")
    app = services.application_submit(
        actor=actor_for(firm_user), programme_id=data["programme"].pk, enterprise_id=data["firm"].pk,
        amount_fen=1_000_000, purpose="检测",
    )  # fmt: skip
    services.application_review(actor=actor_for(bureau_user), application_id=app.pk, approve=True)
    order = vf.order(provider=provider, customer=data["firm"], quoted_fen=300_000)
    grant = Grant.objects.get()
    r = services.redemption_reserve(
        actor=actor_for(firm_user),
        grant_id=grant.pk,
        order_id=order.pk,
        amount_fen=150_000,
        idempotency_key="e2e",
    )
    # the customer invites a partner on the order page
    page.context.clear_cookies()
    login(page, base, "e2e_firm", PASSWORD)
    page.goto(f"{base}/resources/orders/{order.pk}/")
    page.click("#invite-partners-link")
    page.fill("#id_credit_code", partner.credit_code)
    page.click("#partner-form button[type=submit]")
    page.wait_for_selector("text=已邀请 嘉兴秀洲新材料有限公司")
    shot(page, "vouchers-order-partners")
    vf.complete(order)
    services.redemption_claim(actor=actor_for(provider_user), redemption_id=r.pk, files=vf.evidence())
    services.redemption_review(actor=actor_for(bureau_user), redemption_id=r.pk, approve=True)
    services.objection_raise(actor=actor_for(firm_user), redemption_id=r.pk, text="实际检测项目少于合同约定")
    # the bureau resolves the objection on the 公示 list
    page.context.clear_cookies()
    login(page, base, "e2e_jx", PASSWORD)
    page.goto(f"{base}/vouchers/publicity/")
    page.wait_for_selector(".objection")
    shot(page, "vouchers-publicity-objection")
    page.fill(".objection input[name=note]", "经核实，检测项目与合同一致")
    page.click(".objection button[value=dismissed]")
    page.wait_for_selector("text=已驳回异议，兑付继续公示")
    assert Objection.objects.get().status == "dismissed"
    assert Redemption.objects.get().status == "publicised"
    page.goto(f"{base}/vouchers/programmes/{data['programme'].pk}/dashboard/")
    page.wait_for_selector("#budget-cards[data-ready='1']")
    shot(page, "vouchers-dashboard")
