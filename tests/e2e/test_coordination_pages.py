"""Playwright: the 川渝 office records a meeting decision and makes it a task for 重庆市科技局 in one step; the
bureau reports progress with an evidence file; the office accepts it; the dashboard turns the task green."""

from datetime import timedelta

import pytest

from tests.factories import PASSWORD, member
from xietong.coordination import services
from xietong.coordination.enums import BodyKind, Light, UnitKind
from xietong.coordination.models import Task, Unit
from xietong.core import clock
from xietong.core.actor import actor_for
from xietong.core.roles import Role
from xietong.regions.models import Zone

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def login(page, base: str, username: str, password: str) -> None:
    """Log in and wait to leave the login form (where one lands depends on the role's to-dos)."""
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("form button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def data(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    zone = Zone.objects.get(code="chengyu")
    office = member(Role.ZONE_OFFICE, username="e2e_cy_office", zone=zone)
    member(Role.REGION_BUREAU, username="e2e_cq_bureau", region_id="500000")
    cq = Unit.objects.create(name="重庆市科技局", kind=UnitKind.BUREAU, region_id="500000")
    sc = Unit.objects.create(name="四川省科技厅", kind=UnitKind.BUREAU, region_id="510000")
    body = services.body_create(
        actor=actor_for(office), zone="chengyu", name="川渝科技创新合作联席会议", kind=BodyKind.JOINT_MEETING,
        member_ids=[cq.pk, sc.pk],
    )  # fmt: skip
    meeting = services.meeting_create(
        actor=actor_for(office), body_id=body.pk, title="川渝科技创新合作联席会议第八次会议",
        held_on=clock.today(), location="重庆", minutes="会议**议定**：共建共享平台。", attendee_ids=[cq.pk, sc.pk],
    )  # fmt: skip
    return {"meeting": meeting}


def test_decision_task_report_acceptance_dashboard_green(live_server, page, shot, data, tmp_path):
    base = live_server.url
    today = clock.today()
    # the office records a decision and makes it a task for 重庆市科技局, half-way through its time
    login(page, base, "e2e_cy_office", PASSWORD)
    page.goto(f"{base}/coordination/meetings/{data['meeting'].pk}/")
    page.fill(
        "#decision-form textarea[name=text]", "共建川渝科技资源共享服务平台，年内开放大型仪器 500 台（套）"
    )
    page.click("#decision-form button")
    page.wait_for_selector(".decision")
    page.click(".decision summary")
    form = page.locator("form.make-task").first
    form.locator("input[name=lead_unit]").fill("重庆市科技局")
    form.locator("input[name=owner_name]").fill("张处长")
    form.locator("input[name=start_on]").fill((today - timedelta(days=90)).isoformat())
    form.locator("input[name=deadline]").fill((today + timedelta(days=90)).isoformat())
    shot(page, "coordination-meeting-decision-to-task")
    form.locator("button").click()
    page.wait_for_selector("text=已转为督办事项，牵头单位：重庆市科技局")
    task = Task.objects.get()
    assert (task.lead_unit.name, task.light) == ("重庆市科技局", Light.YELLOW)
    page.goto(f"{base}/coordination/")
    page.wait_for_selector("#by-unit[data-ready='1']")
    assert page.inner_text("#total-yellow") == "1" and page.inner_text("#total-green") == "0"
    shot(page, "coordination-dashboard-before")
    page.context.clear_cookies()
    # the bureau reports 60 % with an evidence file
    login(page, base, "e2e_cq_bureau", PASSWORD)
    page.goto(f"{base}/coordination/mine/")
    page.click(f"a[href='/coordination/tasks/{task.pk}/']")
    evidence = tmp_path / "平台建设进展佐证.pdf"
    evidence.write_bytes(PDF)
    page.fill("#report-text", "平台一期上线，已开放大型仪器 320 台（套）。")
    page.fill("#report-percent", "60")
    page.set_input_files("#report-files", str(evidence))
    shot(page, "coordination-bureau-report")
    page.click("#report-form button")
    page.wait_for_selector("text=进展已报送，等待协同区办公室验收")
    assert page.locator("a", has_text="平台建设进展佐证.pdf").count() == 1
    page.context.clear_cookies()
    # the office accepts it; the dashboard turns green
    login(page, base, "e2e_cy_office", PASSWORD)
    page.goto(f"{base}/coordination/tasks/{task.pk}/")
    page.click("button[name=accept][value='1']")
    page.wait_for_selector("text=已验收")
    assert page.locator("#task-light .badge").get_attribute("data-light") == "green"
    shot(page, "coordination-task-accepted")
    page.goto(f"{base}/coordination/")
    page.wait_for_selector("#by-unit[data-ready='1']")
    assert page.inner_text("#total-green") == "1" and page.inner_text("#total-yellow") == "0"
    shot(page, "coordination-dashboard-green")
    # from the dashboard's per-member row, the office opens 重庆市科技局's page: its task, green, and the report
    page.click("#unit-lights a:has-text('重庆市科技局')")
    page.wait_for_selector("#unit-green")
    assert page.inner_text("#unit-green") == "1" and page.inner_text("#unit-red") == "0"
    assert page.locator("#unit-reports .report").count() == 1
    shot(page, "coordination-unit-page")
