"""The API: the same services as the pages, Chinese errors, no 5xx on odd input."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.clients import client_for
from tests.coordination.conftest import task_input
from xietong.coordination import services
from xietong.coordination.models import ProgressReport, Task

API = "/api/v1/coordination"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_decision_to_task_report_and_acceptance_through_the_api(cy):
    office = client_for(cy.office_user)
    decision = office.post(
        f"{API}/meetings/{cy.meeting.pk}/decisions", {"text": "共建平台"}, content_type="application/json"
    )
    assert decision.status_code == 201
    created = office.post(
        f"{API}/decisions/{decision.json()['id']}/task",
        {"title": "共建平台", "lead_unit": "重庆市科技局", "start_on": "2026-03-02", "deadline": "2026-12-31",
         "milestones": [{"title": "方案", "due_on": "2026-05-01"}]},
        content_type="application/json",
    )  # fmt: skip
    assert created.status_code == 201, created.content
    task_id = created.json()["id"]
    assert created.json()["lead_unit"] == "重庆市科技局"
    bureau = client_for(cy.cq_user)
    upload = SimpleUploadedFile("佐证.pdf", PDF, content_type="application/pdf")
    report = bureau.post(
        f"{API}/tasks/{task_id}/reports", {"text": "完成", "percent": "100", "files": [upload]}
    )
    assert report.status_code == 201, report.content
    assert [e["original_name"] for e in report.json()["evidence"]] == ["佐证.pdf"]
    reviewed = office.post(
        f"{API}/reports/{report.json()['id']}/review", {"accept": True}, content_type="application/json"
    )
    assert reviewed.json()["status"] == "accepted"
    detail = bureau.get(f"{API}/tasks/{task_id}").json()
    assert (detail["status"], detail["light"], detail["progress"]) == ("completed", "green", 100)
    dashboard = office.get(f"{API}/dashboard").json()
    assert dashboard["by_unit"] == [{"unit": "重庆市科技局", "red": 0, "yellow": 0, "green": 1, "total": 1}]


def test_bad_input_gets_chinese_messages_and_writes_nothing(cy):
    office = client_for(cy.office_user)
    body = {
        "body_id": cy.body.pk,
        "title": "x",
        "lead_unit": "不存在的局",
        "start_on": "2026-03-02",
        "deadline": "2026-12-31",
    }
    response = office.post(f"{API}/tasks", body, content_type="application/json")
    assert (response.status_code, response.json()["message"]) == (400, "牵头单位“不存在的局”不存在")
    body |= {"lead_unit": "重庆市科技局", "deadline": "2026-01-01"}
    response = office.post(f"{API}/tasks", body, content_type="application/json")
    assert (response.status_code, response.json()["message"]) == (400, "完成时限不能早于开始日期")
    assert Task.objects.count() == 0


def test_a_unit_reports_only_on_its_own_tasks_through_the_api(cy):
    task = services.task_create(actor=cy.actor("office"), body_id=cy.body.pk, data=task_input())
    other = client_for(cy.sh_user).post(f"{API}/tasks/{task.pk}/reports", {"text": "x", "percent": "5"})
    assert other.status_code == 404
    exe = SimpleUploadedFile("a.exe", b"MZ" + b"\x00" * 64)
    refused = client_for(cy.cq_user).post(
        f"{API}/tasks/{task.pk}/reports", {"text": "x", "percent": "5", "files": [exe]}
    )
    assert (refused.status_code, refused.json()["message"]) == (
        400,
        "佐证材料类型不正确，仅支持 PDF、JPG、PNG",
    )
    assert ProgressReport.objects.count() == 0


def test_public_decisions_only_for_outsiders(cy):
    office = cy.actor("office")
    services.decision_add(actor=office, meeting_id=cy.meeting.pk, text="公开")
    services.decision_add(actor=office, meeting_id=cy.meeting.pk, text="内部", is_public=False)
    outsider = client_for(None).get(f"{API}/meetings/{cy.meeting.pk}").json()
    member = client_for(cy.sc_user).get(f"{API}/meetings/{cy.meeting.pk}").json()
    assert [d["text"] for d in outsider["decisions"]] == ["公开"]
    assert [d["text"] for d in member["decisions"]] == ["公开", "内部"]
