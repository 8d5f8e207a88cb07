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
        {
            "title": "共建平台",
            "lead_unit": "重庆市科技局",
            "start_on": "2026-03-02",
            "deadline": "2026-12-31",
            "milestones": [{"title": "方案", "due_on": "2026-05-01"}],
        },
        content_type="application/json",
    )
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


def test_office_sets_up_bodies_agreements_and_major_items_through_the_api(cy):
    office = client_for(cy.office_user)
    unit = office.post(
        f"{API}/units",
        {"name": "成都市科技局", "kind": "bureau", "region": "510100"},
        content_type="application/json",
    )
    assert unit.status_code == 201, unit.content
    body = office.post(
        f"{API}/bodies",
        {
            "zone": "chengyu",
            "name": "川渝成果转化专责小组",
            "kind": "task_group",
            "member_ids": [cy.cq.pk, unit.json()["id"]],
        },
        content_type="application/json",
    )
    assert body.status_code == 201 and sorted(m["name"] for m in body.json()["members"]) == sorted(
        ["重庆市科技局", "成都市科技局"]
    )
    signed = SimpleUploadedFile("协议.pdf", PDF, content_type="application/pdf")
    agreement = office.post(
        f"{API}/agreements",
        {
            "zone": "chengyu",
            "title": "川渝合作协议",
            "signed_on": "2026-01-10",
            "party_ids": [cy.cq.pk, cy.sc.pk],
            "signed_file": signed,
        },
    )
    assert agreement.status_code == 201, agreement.content
    commitment = office.post(
        f"{API}/agreements/{agreement.json()['id']}/commitments",
        {"party_id": cy.sc.pk, "text": "共享专家库", "deadline": "2026-09-30"},
        content_type="application/json",
    )
    assert commitment.json()["party"] == "四川省科技厅"
    task = office.post(
        f"{API}/commitments/{commitment.json()['id']}/task",
        {
            "body_id": cy.body.pk,
            "title": "共享专家库",
            "lead_unit": "四川省科技厅",
            "start_on": "2026-03-02",
            "deadline": "2026-09-30",
        },
        content_type="application/json",
    )
    assert (task.status_code, task.json()["source"]) == (201, "commitment")
    item = office.post(
        f"{API}/major-items",
        {
            "zone": "chengyu",
            "title": "共建西部科学城",
            "ministry": "科技部",
            "co_sponsor_ids": [cy.cq.pk, cy.sc.pk],
        },
        content_type="application/json",
    )
    assert item.status_code == 201 and item.json()["events"][0]["status"] == "planning"
    refused = client_for(cy.yrd_user).post(
        f"{API}/major-items",
        {"zone": "chengyu", "title": "x", "ministry": "y", "co_sponsor_ids": [cy.cq.pk]},
        content_type="application/json",
    )
    assert (refused.status_code, refused.json()["message"]) == (403, "只有本协同区办公室可以管理重大事项清单")
