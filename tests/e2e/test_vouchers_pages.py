"""Playwright: an enterprise in 嘉兴 applies for a voucher, the 嘉兴 bureau approves, the firm sees its grant."""

import pytest

from tests.e2e.conftest import login
from tests.factories import PASSWORD, OrganisationFactory, member
from tests.vouchers import factories as vf
from xietong.core.actor import actor_for
from xietong.core.roles import Role
from xietong.vouchers.models import Grant

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
