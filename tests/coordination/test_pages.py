"""The pages: the office's one-step decision → task, the bureau's report with evidence, acceptance, exports."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from tests.clients import client_for
from tests.coordination.conftest import task_input
from xietong.coordination import services
from xietong.coordination.enums import Light, ReportStatus
from xietong.coordination.models import Agreement, Decision, MajorItem, ProgressReport, Task

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_office_records_a_decision_and_makes_it_a_task(cy):
    office = client_for(cy.office_user)
    url = reverse("coordination:decision-add", args=[cy.meeting.pk])
    assert office.post(url, {"text": "共建川渝科技资源共享平台", "is_public": "on"}).status_code == 302
    decision = Decision.objects.get()
    response = office.post(
        reverse("coordination:decision-task", args=[decision.pk]),
        {"title": "共建共享平台", "lead_unit": "重庆市科技局", "start_on": "2026-03-02", "deadline": "2026-10-31",
         "co_units": [cy.sc.pk], "milestones": "形成方案 | 2026-05-31"},
    )  # fmt: skip
    assert response.status_code == 302
    task = Task.objects.get()
    assert (task.decision_id, task.lead_unit_id, task.milestones.count()) == (decision.pk, cy.cq.pk, 1)
    page = office.get(reverse("coordination:meeting", args=[cy.meeting.pk]))
    assert "共建共享平台" in page.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"lead_unit": "火星市科技局", "start_on": "2026-03-02", "deadline": "2026-10-31"},
            "牵头单位“火星市科技局”不存在",
        ),
        (
            {"lead_unit": "重庆市科技局", "start_on": "2026-10-02", "deadline": "2026-03-31"},
            "完成时限不能早于开始日期",
        ),
        ({"lead_unit": "重庆市科技局", "start_on": "2026-03-02", "deadline": "明天"}, "完成时限"),
    ],
)
def test_bad_task_input_is_shown_in_chinese_with_a_400(cy, data, message):
    decision = services.decision_add(actor=cy.actor("office"), meeting_id=cy.meeting.pk, text="议定")
    response = client_for(cy.office_user).post(
        reverse("coordination:decision-task", args=[decision.pk]), {"title": "x", **data}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Task.objects.count() == 0


def test_script_in_a_decision_is_refused_on_the_page(cy):
    response = client_for(cy.office_user).post(
        reverse("coordination:decision-add", args=[cy.meeting.pk]), {"text": "<img src=x onerror=alert(1)>"}
    )
    assert response.status_code == 400
    assert "脚本" in response.content.decode()
    assert Decision.objects.count() == 0


def test_bureau_reports_with_evidence_and_office_accepts(cy):
    task = services.task_create(actor=cy.actor("office"), body_id=cy.body.pk, data=task_input())
    bureau = client_for(cy.cq_user)
    upload = SimpleUploadedFile("佐证.pdf", PDF, content_type="application/pdf")
    response = bureau.post(
        reverse("coordination:task-report", args=[task.pk]),
        {"text": "已完成", "percent": "100", "files": [upload]},
    )
    assert response.status_code == 302
    report = ProgressReport.objects.get()
    evidence = report.evidence.get()
    download = bureau.get(reverse("coordination:evidence", args=[evidence.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert client_for(cy.sh_user).get(reverse("coordination:evidence", args=[evidence.pk])).status_code == 404
    office = client_for(cy.office_user)
    assert (
        office.post(reverse("coordination:report-review", args=[report.pk]), {"accept": "1"}).status_code
        == 302
    )
    task.refresh_from_db()
    report.refresh_from_db()
    assert (report.status, task.light, task.progress) == (ReportStatus.ACCEPTED, Light.GREEN, 100)
    dashboard = office.get(reverse("coordination:dashboard"))
    assert dashboard.status_code == 200
    assert dashboard.context["totals"] == {"red": 0, "yellow": 0, "green": 1}


def test_an_executable_evidence_file_is_refused_on_the_page(cy):
    task = services.task_create(actor=cy.actor("office"), body_id=cy.body.pk, data=task_input())
    upload = SimpleUploadedFile("run.exe", b"MZ\x90\x00" * 50, content_type="application/octet-stream")
    response = client_for(cy.cq_user).post(
        reverse("coordination:task-report", args=[task.pk]),
        {"text": "进展", "percent": "10", "files": [upload]},
    )
    assert response.status_code == 400
    assert "佐证材料类型不正确" in response.content.decode()
    assert ProgressReport.objects.count() == 0


def test_every_page_renders_for_the_office_and_the_bureau(cy):
    office = cy.actor("office")
    task = services.task_create(actor=office, body_id=cy.body.pk, data=task_input())
    agreement = services.agreement_create(
        actor=office, zone="chengyu", title="川渝协议", signed_on=date(2026, 1, 1), party_ids=[cy.cq.pk, cy.sc.pk],
        text="# 第一条\n双方**共建**。",
    )  # fmt: skip
    services.commitment_add(
        actor=office,
        agreement_id=agreement.pk,
        party_id=cy.cq.pk,
        text="开放仪器",
        deadline=date(2026, 6, 30),
    )
    item = services.major_item_create(
        actor=office, zone="chengyu", title="西部科学城", ministry="科技部", co_sponsor_ids=[cy.cq.pk]
    )
    pages = [
        ("coordination:dashboard", []), ("coordination:mine", []), ("coordination:tasks", []),
        ("coordination:task", [task.pk]), ("coordination:bodies", []), ("coordination:body", [cy.body.pk]),
        ("coordination:meeting", [cy.meeting.pk]), ("coordination:agreements", []),
        ("coordination:agreement", [agreement.pk]), ("coordination:major-items", []),
        ("coordination:major-item", [item.pk]),
    ]  # fmt: skip
    for user, skip in ((cy.office_user, set()), (cy.cq_user, {"coordination:dashboard"})):
        client = client_for(user)
        for name, args in pages:
            if name in skip:
                continue
            assert client.get(reverse(name, args=args)).status_code == 200, name
    assert client_for(cy.cq_user).get(reverse("coordination:dashboard")).status_code == 403
    page = client_for(None).get(reverse("coordination:agreement", args=[agreement.pk])).content.decode()
    assert "<strong>共建</strong>" in page


def test_excel_export_and_pdf_bulletin(cy):
    services.task_create(
        actor=cy.actor("office"), body_id=cy.body.pk, data=task_input(title='=HYPERLINK("x")')
    )
    office = client_for(cy.office_user)
    response = office.get(reverse("coordination:tasks-export"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "事项名称" and len(rows) == 2
    assert rows[1][0] == '\'=HYPERLINK("x")'  # neutralised by core's writer: text, never a formula
    pdf = office.get(reverse("coordination:bulletin"))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")


def test_office_registers_an_agreement_and_a_major_item_on_the_pages(cy):
    office = client_for(cy.office_user)
    signed = SimpleUploadedFile("协议.pdf", PDF, content_type="application/pdf")
    response = office.post(
        reverse("coordination:agreement-new"),
        {
            "zone": "chengyu",
            "title": "川渝协议",
            "signed_on": "2026-01-10",
            "parties": [cy.cq.pk, cy.sc.pk],
            "signed_file": signed,
            "text": "双方**共建**",
        },
    )
    assert response.status_code == 302
    agreement = Agreement.objects.get()
    assert agreement.signed_file_name == "协议.pdf"
    assert (
        client_for(cy.cq_user).get(reverse("coordination:agreement-signed", args=[agreement.pk])).status_code
        == 200
    )
    bad = office.post(
        reverse("coordination:agreement-new"),
        {
            "zone": "chengyu",
            "title": "x",
            "signed_on": "2026-01-10",
            "parties": [cy.cq.pk, cy.sc.pk],
            "signed_file": SimpleUploadedFile("协议.svg", b"<svg onload=alert(1)>"),
        },
    )
    assert bad.status_code == 400 and "签署文本类型不正确" in bad.content.decode()
    assert Agreement.objects.count() == 1
    response = office.post(
        reverse("coordination:major-item-new"),
        {
            "zone": "chengyu",
            "title": "共建西部科学城",
            "ministry": "科技部",
            "co_sponsors": [cy.cq.pk, cy.sc.pk],
        },
    )
    assert response.status_code == 302 and MajorItem.objects.get().title == "共建西部科学城"
    refused = client_for(cy.cq_user).post(
        reverse("coordination:major-item-new"),
        {"zone": "chengyu", "title": "x", "ministry": "y", "co_sponsors": [cy.cq.pk]},
    )
    assert refused.status_code == 403 and MajorItem.objects.count() == 1


def test_unit_page_from_the_dashboard_shows_its_tasks_by_light_and_its_feed_to_its_members(cy, frozen_clock):
    from xietong.coordination import refresh

    office = cy.actor("office")
    late = services.task_create(
        actor=office, body_id=cy.body.pk,
        data=task_input(title="重庆逾期事项", start_on=date(2026, 1, 1), deadline=date(2026, 2, 27)),
    )  # fmt: skip
    services.task_create(actor=office, body_id=cy.body.pk, data=task_input(title="重庆远期事项"))
    services.task_create(
        actor=office, body_id=cy.body.pk, data=task_input(title="四川事项", lead_unit="四川省科技厅")
    )
    services.report_submit(actor=cy.actor("cq"), task_id=late.pk, text="正在推进", percent=40)
    refresh.run(send=False)
    url = reverse("coordination:unit", args=[cy.cq.pk])
    # the office reaches the unit from its dashboard's per-member row
    dashboard = client_for(cy.office_user).get("/coordination/").content.decode()
    assert f'href="{url}"' in dashboard
    page = client_for(cy.office_user).get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert ('id="unit-red">1<' in html) and ('id="unit-green">1<' in html) and ('id="unit-yellow">0<' in html)
    assert "重庆逾期事项" in html.split('id="unit-overdue"')[1]
    assert "40%" in html.split('id="unit-reports"')[1]
    assert "四川事项" not in html
    assert 'id="unit-feed"' not in html  # the office does not act for 重庆's bureau: no private feed link
    red_only = client_for(cy.office_user).get(url, {"light": "red"}).content.decode()
    assert "重庆逾期事项" in red_only.split('id="unit-overdue"')[0] and "重庆远期事项" not in red_only
    # the bureau sees its own page with its calendar link; another bureau and an outsider do not
    own = client_for(cy.cq_user).get(url).content.decode()
    assert cy.cq.feed_token in own.split('id="unit-feed"')[1]
    assert client_for(cy.sc_user).get(url).status_code == 403
    assert client_for(cy.yrd_user).get(url).status_code == 403
    assert client_for(cy.cq_user).get(reverse("coordination:unit", args=[987654])).status_code == 404
    # the API gives the same overview
    data = client_for(cy.office_user).get(f"/api/v1/coordination/units/{cy.cq.pk}/overview").json()
    assert data["lights"] == {"red": 1, "yellow": 0, "green": 1}
    assert [t["title"] for t in data["overdue"]] == ["重庆逾期事项"]
    assert [r["percent"] for r in data["reports"]] == [40]


@pytest.mark.parametrize(
    ("kind", "code", "shown"), [("zone", "chengyu", "成渝"), ("region", "500000", "重庆市")]
)
def test_a_metric_linked_task_names_its_scope_not_its_code(cy, kind, code, shown):
    task = services.task_create(
        actor=cy.actor("office"), body_id=cy.body.pk,
        data=task_input(metric_key="orgs.approved", metric_scope_kind=kind, metric_scope=code, metric_target=10,
                        metric_year=2026),
    )  # fmt: skip
    page = client_for(cy.office_user).get(reverse("coordination:task", args=[task.pk])).content.decode()
    metric = page.split('id="metric">')[1].split("</dd>")[0]
    assert f"{shown}，2026" in metric and code not in metric
