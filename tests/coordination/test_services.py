"""Meetings, decisions, tasks, reports and acceptance: what each may do, and bad input writing nothing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.coordination.conftest import task_input
from xietong.coordination import services
from xietong.coordination.enums import Light, ReportStatus, TaskSource, TaskStatus
from xietong.coordination.models import Decision, Evidence, ProgressReport, Task
from xietong.core.errors import Forbidden, Invalid, NotFound
from xietong.core.models import AuditEvent

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _pdf(name="进展佐证.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _private_files(settings):
    from pathlib import Path

    root = Path(settings.XIETONG_PRIVATE_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_decision_becomes_a_task_in_one_step(cy):
    # given a decision of the meeting
    decision = services.decision_add(actor=cy.actor("office"), meeting_id=cy.meeting.pk, text="共建共享平台")
    # when the office makes it a task for 重庆市科技局
    task = services.decision_make_task(actor=cy.actor("office"), decision_id=decision.pk, data=task_input())
    # then the task is the decision's, in the meeting's body, led by the bureau, audited
    assert (task.decision_id, task.body_id, task.source, task.lead_unit.name) == (
        decision.pk, cy.body.pk, TaskSource.DECISION, "重庆市科技局",
    )  # fmt: skip
    assert AuditEvent.objects.filter(verb="coordination.task_created", target_id=str(task.pk)).count() == 1
    assert decision.number == 1


def test_only_the_zone_office_adds_decisions(cy):
    for name in ("cq", "yrd", "org"):
        with pytest.raises(Forbidden):
            services.decision_add(actor=cy.actor(name), meeting_id=cy.meeting.pk, text="x")
    assert Decision.objects.count() == 0


def test_deadline_before_start_is_refused_and_nothing_written(cy):
    with pytest.raises(Invalid, match="完成时限不能早于开始日期"):
        services.task_create(
            actor=cy.actor("office"), body_id=cy.body.pk,
            data=task_input(start_on=date(2026, 5, 1), deadline=date(2026, 4, 30)),
        )  # fmt: skip
    assert Task.objects.count() == 0


def test_unknown_unit_is_refused_by_name(cy):
    with pytest.raises(Invalid, match="牵头单位“火星市科技局”不存在"):
        services.task_create(
            actor=cy.actor("office"), body_id=cy.body.pk, data=task_input(lead_unit="火星市科技局")
        )
    assert Task.objects.count() == 0


def test_unknown_co_unit_is_refused(cy):
    with pytest.raises(Invalid, match="配合单位中有不存在的单位"):
        services.task_create(
            actor=cy.actor("office"), body_id=cy.body.pk, data=task_input(co_unit_ids=[cy.sc.pk, 999_999])
        )
    assert Task.objects.count() == 0


def test_markdown_with_script_is_refused(cy):
    with pytest.raises(Invalid, match="脚本"):
        services.decision_add(
            actor=cy.actor("office"), meeting_id=cy.meeting.pk, text="议定<script>alert(1)</script>"
        )
    with pytest.raises(Invalid, match="脚本"):
        services.task_create(
            actor=cy.actor("office"), body_id=cy.body.pk,
            data=task_input(description='[点我](javascript:alert(1))'),
        )  # fmt: skip
    assert Decision.objects.count() == 0
    assert Task.objects.count() == 0


def test_milestone_outside_the_task_is_refused(cy):
    with pytest.raises(Invalid, match="节点时限"):
        services.task_create(
            actor=cy.actor("office"), body_id=cy.body.pk,
            data=task_input(milestones=[("方案", date(2027, 1, 5))]),
        )  # fmt: skip
    assert Task.objects.count() == 0


@pytest.fixture
def task(cy):
    return services.task_create(
        actor=cy.actor("office"), body_id=cy.body.pk, data=task_input(co_unit_ids=[cy.sc.pk])
    )


def test_bureau_reports_with_evidence_and_office_accepts_it_green(cy, task, frozen_clock, settings):
    # given a task half-way through its time with nothing accepted: yellow (progress lags)
    frozen_clock.move_to(frozen_clock.moment + timedelta(days=150))
    services.task_update(actor=cy.actor("office"), task_id=task.pk, owner_name="张处长")
    task.refresh_from_db()
    assert (task.light, task.light_reason) == (Light.YELLOW, "进度滞后于时间")
    # when the 重庆 bureau reports 60 % with a PDF
    report = services.report_submit(
        actor=cy.actor("cq"), task_id=task.pk, text="平台已上线试运行", percent=60, uploads=[_pdf()]
    )
    evidence = Evidence.objects.get(report=report)
    assert evidence.original_name == "进展佐证.pdf" and evidence.file.name.endswith(".pdf")
    assert evidence.file.name != "进展佐证.pdf"
    task.refresh_from_db()
    assert (task.reported_progress, task.progress, task.light) == (60, 0, Light.YELLOW)
    # and the office accepts it
    services.report_review(actor=cy.actor("office"), report_id=report.pk, accept=True)
    # then the accepted progress is the report's and the light green
    task.refresh_from_db()
    report.refresh_from_db()
    assert (report.status, task.progress, task.status, task.light) == (
        ReportStatus.ACCEPTED, 60, TaskStatus.IN_PROGRESS, Light.GREEN,
    )  # fmt: skip


def test_accepting_a_full_report_completes_the_task(cy, task):
    report = services.report_submit(actor=cy.actor("sc"), task_id=task.pk, text="全部完成", percent=100)
    services.report_review(actor=cy.actor("office"), report_id=report.pk, accept=True, note="同意")
    task.refresh_from_db()
    assert (task.status, task.completed_on, task.light, report.unit.name) == (
        TaskStatus.COMPLETED, date(2026, 3, 2), Light.GREEN, "四川省科技厅",
    )  # fmt: skip


def test_returning_needs_a_reason(cy, task):
    report = services.report_submit(actor=cy.actor("cq"), task_id=task.pk, text="进展", percent=30)
    with pytest.raises(Invalid, match="请填写验收意见"):
        services.report_review(actor=cy.actor("office"), report_id=report.pk, accept=False)
    services.report_review(actor=cy.actor("office"), report_id=report.pk, accept=False, note="佐证不足")
    task.refresh_from_db()
    assert (ProgressReport.objects.get().status, task.progress) == (ReportStatus.RETURNED, 0)


def test_a_unit_reports_only_on_its_own_tasks(cy, task):
    # 上海's bureau cannot even see the task; the org member sees nothing either
    for name in ("sh", "org", "yrd"):
        with pytest.raises(NotFound):
            services.report_submit(actor=cy.actor(name), task_id=task.pk, text="x", percent=10)
    assert ProgressReport.objects.count() == 0


def test_only_the_office_accepts(cy, task):
    report = services.report_submit(actor=cy.actor("cq"), task_id=task.pk, text="进展", percent=30)
    with pytest.raises(Forbidden):
        services.report_review(actor=cy.actor("cq"), report_id=report.pk, accept=True)
    with pytest.raises(NotFound):
        services.report_review(actor=cy.actor("yrd"), report_id=report.pk, accept=True)
    assert ProgressReport.objects.get().status == ReportStatus.SUBMITTED


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("报告.pdf", PDF + b"0" * (10 * 1024 * 1024), "佐证材料过大"),
        ("setup.exe", b"MZ\x90\x00" + b"\x00" * 100, "佐证材料类型不正确"),
        ("报告.html", PDF, "佐证材料类型不正确"),
        ("空.pdf", b"", "佐证材料为空文件"),
    ],
)
def test_bad_evidence_is_refused_and_nothing_written(cy, task, settings, name, content, message):
    before = _private_files(settings)
    with pytest.raises(Invalid, match=message):
        services.report_submit(
            actor=cy.actor("cq"),
            task_id=task.pk,
            text="进展",
            percent=20,
            uploads=[_pdf(), _pdf(name, content)],
        )
    assert ProgressReport.objects.count() == 0
    assert Evidence.objects.count() == 0
    assert _private_files(settings) == before


def test_a_failing_write_removes_the_stored_evidence(cy, task, settings, monkeypatch):
    # given the audit write fails after the files were stored
    from xietong.coordination import services as module

    def boom(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(module.audit, "record", boom)
    before = _private_files(settings)
    with pytest.raises(RuntimeError):
        services.report_submit(
            actor=cy.actor("cq"), task_id=task.pk, text="进展", percent=20, uploads=[_pdf()]
        )
    assert _private_files(settings) == before
    assert ProgressReport.objects.count() == 0


def test_suspend_and_resume(cy, task):
    services.task_set_suspended(
        actor=cy.actor("office"), task_id=task.pk, suspended=True, note="等待国家批复"
    )
    task.refresh_from_db()
    assert (task.status, task.light) == (TaskStatus.SUSPENDED, Light.YELLOW)
    with pytest.raises(Forbidden):
        services.task_set_suspended(actor=cy.actor("cq"), task_id=task.pk, suspended=False)
    services.task_set_suspended(actor=cy.actor("office"), task_id=task.pk, suspended=False)
    task.refresh_from_db()
    assert task.status == TaskStatus.NOT_STARTED


def test_missed_milestone_turns_red_and_marking_it_done_clears_it(cy, frozen_clock):
    task = services.task_create(
        actor=cy.actor("office"), body_id=cy.body.pk,
        data=task_input(milestones=[("形成建设方案", date(2026, 3, 10))], deadline=date(2027, 12, 31)),
    )  # fmt: skip
    frozen_clock.move_to(frozen_clock.moment + timedelta(days=9))  # 2026-03-11
    services.task_update(actor=cy.actor("office"), task_id=task.pk)
    task.refresh_from_db()
    assert (task.light, task.light_reason) == (Light.RED, "节点未按期完成")
    services.milestone_mark_done(
        actor=cy.actor("office"),
        task_id=task.pk,
        milestone_id=task.milestones.get().pk,
        done_on=date(2026, 3, 11),
    )
    task.refresh_from_db()
    assert task.light == Light.GREEN


def test_internal_decisions_are_hidden_from_others(cy):
    from xietong.coordination import selectors

    office = cy.actor("office")
    public = services.decision_add(actor=office, meeting_id=cy.meeting.pk, text="公开事项")
    internal = services.decision_add(actor=office, meeting_id=cy.meeting.pk, text="内部事项", is_public=False)
    from xietong.core.actor import ANONYMOUS

    assert list(selectors.decision_list(actor=ANONYMOUS, meeting=cy.meeting)) == [public]
    assert list(selectors.decision_list(actor=cy.actor("sh"), meeting=cy.meeting)) == [public]
    assert list(selectors.decision_list(actor=cy.actor("cq"), meeting=cy.meeting)) == [public, internal]
    assert list(selectors.decision_list(actor=office, meeting=cy.meeting)) == [public, internal]


def test_major_item_history_and_agreement_commitments(cy):
    office = cy.actor("office")
    item = services.major_item_create(
        actor=office,
        zone="chengyu",
        title="共建西部科学城",
        ministry="科技部",
        co_sponsor_ids=[cy.cq.pk, cy.sc.pk],
    )
    services.major_item_set_status(actor=office, item_id=item.pk, status="submitted", note="联合行文报送")
    assert list(item.events.values_list("status", flat=True)) == ["planning", "submitted"]
    agreement = services.agreement_create(
        actor=office, zone="chengyu", title="川渝科技创新合作协议", signed_on=date(2026, 1, 10),
        party_ids=[cy.cq.pk, cy.sc.pk], signed_file=_pdf("协议.pdf"),
    )  # fmt: skip
    with pytest.raises(Invalid, match="承诺时限不能早于协议签署日期"):
        services.commitment_add(
            actor=office, agreement_id=agreement.pk, party_id=cy.cq.pk, text="x", deadline=date(2025, 1, 1)
        )
    commitment = services.commitment_add(
        actor=office,
        agreement_id=agreement.pk,
        party_id=cy.cq.pk,
        text="开放大型仪器",
        deadline=date(2026, 9, 30),
    )
    task = services.commitment_make_task(
        actor=office,
        commitment_id=commitment.pk,
        body_id=cy.body.pk,
        data=task_input(deadline=date(2026, 9, 30)),
    )
    assert (task.source, task.commitment_id) == (TaskSource.COMMITMENT, commitment.pk)
    with pytest.raises(Forbidden):
        services.major_item_create(
            actor=cy.actor("yrd"), zone="chengyu", title="x", ministry="y", co_sponsor_ids=[cy.cq.pk]
        )
