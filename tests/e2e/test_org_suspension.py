"""The suspension flow in a real browser: the 嘉兴 bureau suspends an enterprise (a reason is required and the
browser asks to confirm), its admin logs in and reads the banner and cannot publish, the bureau reinstates it
from the review page and the banner is gone."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login
from tests.factories import PASSWORD, OrganisationFactory, member
from xietong.core.roles import Role
from xietong.orgs.enums import OrgStatus
from xietong.orgs.models import Organisation

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
REASON = "经市场监管部门通报列入经营异常名录，整改完成前暂停平台业务"


@pytest.fixture
def data():
    org = OrganisationFactory(name="嘉兴秀洲浏览器测试模具有限公司", region_id="330411")
    return {
        "org": org,
        "bureau": member(Role.REGION_BUREAU, region_id="330400", username="e2e_jx"),
        "admin": member(Role.ORG_ADMIN, organisation=org, username="e2e_firm"),
    }


def _logout(page) -> None:
    page.click("form[action='/accounts/logout/'] button")
    page.wait_for_load_state()


def test_suspend_banner_and_reinstate(live_server, page, shot, data):
    org = data["org"]
    answers: list[str] = []

    def confirm(dialog) -> None:
        answers.append(dialog.message)
        dialog.dismiss() if len(answers) == 1 else dialog.accept()

    page.on("dialog", confirm)
    # given the 嘉兴 bureau on the enterprise's page
    login(page, live_server.url, "e2e_jx", PASSWORD)
    page.goto(f"{live_server.url}/orgs/{org.pk}/")
    expect(page.locator("#org-status")).to_have_text("已认证")
    # when it asks to suspend without a reason, the browser holds the form back (the field is required)
    page.click("#suspend-button")
    assert page.evaluate("document.querySelector('#suspend-note').validity.valueMissing")
    # and when it gives a reason but answers "no" to the confirmation, nothing happens
    page.fill("#suspend-note", REASON)
    page.click("#suspend-button")
    expect(page.locator("#org-status")).to_have_text("已认证")
    assert Organisation.objects.get(pk=org.pk).status == OrgStatus.APPROVED
    # then answering "yes" suspends it: flash message, Chinese status label, reason and history
    page.click("#suspend-button")
    expect(page.locator("#org-status")).to_have_text("已暂停")
    expect(page.locator(".alert-success")).to_contain_text(f"已暂停：{org.name}")
    expect(page.locator("#review-note-shown")).to_contain_text(REASON)
    expect(page.locator("#org-history")).to_contain_text(f"暂停机构：{REASON}")
    assert answers[0].startswith(f"确定暂停“{org.name}”吗")
    shot(page, "org-suspended")
    _logout(page)

    # when the enterprise's admin logs in, every page carries the banner with the reason and whom to ask
    login(page, live_server.url, "e2e_firm", PASSWORD)
    banner = page.locator("[data-testid=suspension-banner]")
    expect(banner).to_contain_text(f"您所在的机构“{org.name}”已被暂停")
    expect(banner).to_contain_text(REASON)
    expect(banner).to_contain_text("嘉兴市科技主管部门")  # the bureau that suspended it, not the district
    # and publishing a resource is refused with the reason
    response = page.goto(f"{live_server.url}/resources/new/")
    assert response.status == 403
    shot(page, "org-suspended-banner")
    _logout(page)

    # when the bureau reinstates it from the review page
    login(page, live_server.url, "e2e_jx", PASSWORD)
    page.goto(f"{live_server.url}/orgs/review/")
    row = page.locator("#suspended-table tr", has_text=org.name)
    expect(row).to_contain_text(REASON)
    row.locator("button").click()
    expect(page.locator("#org-status")).to_have_text("已认证")
    expect(page.locator(".alert-success")).to_contain_text(f"已恢复：{org.name}")
    _logout(page)

    # then the enterprise's admin no longer sees the banner
    login(page, live_server.url, "e2e_firm", PASSWORD)
    expect(page.locator("[data-testid=suspension-banner]")).to_have_count(0)
    assert Organisation.objects.get(pk=org.pk).status == OrgStatus.APPROVED
