"""Tenancy matrix of coordination: the 长三角 office's joint meeting, a task led by 嘉兴's bureau with 上海's as
co-unit, its report and evidence, an agreement between the two, a major item they co-sponsor.

The office (and the platform) manages; the two units read their task and report on it; bodies, meetings, public
decisions and agreements are public; everyone else gets 404 for the task, its reports and evidence, and 403 when
they may see an object but not change it; nothing is written on any refusal.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests import tenancy_matrix as m
from tests.factories import actor
from xietong.coordination import services
from xietong.coordination.enums import BodyKind, UnitKind
from xietong.coordination.models import Unit

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def build(world: m.World) -> None:
    office = actor(world.users["zone_yrd"])
    jx = Unit.objects.create(name="矩阵嘉兴市科技局", kind=UnitKind.BUREAU, region_id="330400")
    sh = Unit.objects.create(name="矩阵上海市科委", kind=UnitKind.BUREAU, region_id="310000")
    body = services.body_create(
        actor=office,
        zone="yrd",
        name="矩阵长三角联席会议",
        kind=BodyKind.JOINT_MEETING,
        member_ids=[jx.pk, sh.pk],
    )
    meeting = services.meeting_create(
        actor=office, body_id=body.pk, title="矩阵会议", held_on=date(2026, 1, 5)
    )
    public = services.decision_add(actor=office, meeting_id=meeting.pk, text="公开议定：共建平台")
    services.decision_add(actor=office, meeting_id=meeting.pk, text="矩阵内部议定事项", is_public=False)
    data = services.TaskInput(
        title="矩阵督办事项",
        lead_unit=jx.pk,
        start_on=date(2026, 1, 1),
        deadline=date(2026, 12, 31),
        co_unit_ids=[sh.pk],
        milestones=[("矩阵节点", date(2026, 6, 30))],
    )
    task = services.decision_make_task(actor=office, decision_id=public.pk, data=data)
    report = services.report_submit(
        actor=actor(world.users["bureau_jx"]),
        task_id=task.pk,
        text="进展",
        percent=30,
        uploads=[SimpleUploadedFile("佐证.pdf", PDF)],
    )
    agreement = services.agreement_create(
        actor=office,
        zone="yrd",
        title="矩阵协议",
        signed_on=date(2026, 1, 1),
        party_ids=[jx.pk, sh.pk],
        signed_file=SimpleUploadedFile("协议.pdf", PDF),
    )
    commitment = services.commitment_add(
        actor=office, agreement_id=agreement.pk, party_id=jx.pk, text="开放仪器", deadline=date(2026, 6, 30)
    )
    item = services.major_item_create(
        actor=office, zone="yrd", title="矩阵重大事项", ministry="科技部", co_sponsor_ids=[jx.pk, sh.pk]
    )
    world.objects.update(
        unit=jx,
        body=body,
        meeting=meeting,
        decision=public,
        task=task,
        milestone=task.milestones.get(),
        report=report,
        evidence=report.evidence.get(),
        agreement=agreement,
        commitment=commitment,
        item=item,
    )


world = m.world_fixture(build)

MANAGERS = ("platform_admin", "zone_yrd")
UNITS = ("bureau_jx", "bureau_sh")
SEES_TASK = (*MANAGERS, *UNITS)
PUBLIC = m.ROLES


def outcome(sees, allowed, status, anonymous):
    out = {role: m.FORBIDDEN for role in sees}
    out.update({role: status for role in allowed})
    out["anonymous"] = anonymous
    return m.expect(m.NOT_FOUND, **out)


def api(sees, allowed, status=m.OK):
    return outcome(sees, allowed, status, m.UNAUTHENTICATED)


def page(sees, allowed, status=m.REDIRECT):
    return outcome(sees, allowed, status, m.LOGIN)


def objects(**names):
    return lambda w: {key: getattr(w, name) for key, name in names.items()}


def _file(name="佐证.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


TASK_IN = {
    "title": "矩阵新事项",
    "lead_unit": "矩阵嘉兴市科技局",
    "start_on": "2026-03-02",
    "deadline": "2026-09-30",
}
A = "api/v1/coordination"
P = "coordination"
CASES = [
    # public reads
    m.Case("GET", f"{A}/bodies/<int:pk>", m.expect(m.OK), objects(pk="body")),
    m.Case("GET", f"{A}/bodies/<int:pk>/meetings", m.expect(m.OK), objects(pk="body")),
    m.Case("GET", f"{P}/bodies/<int:pk>/", m.expect(m.OK), objects(pk="body")),
    # (the API's JSON escapes Chinese; test_api checks that outsiders get public decisions only)
    m.Case("GET", f"{A}/meetings/<int:pk>", m.expect(m.OK), objects(pk="meeting")),
    m.Case(
        "GET",
        f"{P}/meetings/<int:pk>/",
        m.expect(m.OK),
        objects(pk="meeting"),
        secret=lambda w: "矩阵内部议定事项",
        shown_to=SEES_TASK,
    ),
    m.Case("GET", f"{A}/agreements/<int:pk>", m.expect(m.OK), objects(pk="agreement")),
    m.Case("GET", f"{P}/agreements/<int:pk>/", m.expect(m.OK), objects(pk="agreement")),
    m.Case(
        "GET",
        f"{P}/units/<int:pk>/calendar/<str:token>.ics",
        m.expect(m.OK),
        lambda w: {"pk": w.unit, "token": w.unit.feed_token},
    ),
    # the office manages its body
    m.Case(
        "POST",
        f"{A}/bodies/<int:pk>/meetings",
        api(PUBLIC, MANAGERS, m.CREATED),
        objects(pk="body"),
        lambda w: {"title": "矩阵新会议", "held_on": "2026-03-10"},
    ),
    m.Case(
        "POST",
        f"{P}/bodies/<int:pk>/meetings/",
        page(PUBLIC, MANAGERS),
        objects(pk="body"),
        lambda w: {"title": "矩阵新会议", "held_on": "2026-03-10"},
    ),
    m.Case(
        "POST",
        f"{A}/meetings/<int:pk>/decisions",
        api(PUBLIC, MANAGERS, m.CREATED),
        objects(pk="meeting"),
        lambda w: {"text": "新的议定事项"},
    ),
    m.Case(
        "POST",
        f"{P}/meetings/<int:pk>/decisions/",
        page(PUBLIC, MANAGERS),
        objects(pk="meeting"),
        lambda w: {"text": "新的议定事项"},
    ),
    m.Case(
        "POST",
        f"{A}/decisions/<int:pk>/task",
        api(PUBLIC, MANAGERS, m.CREATED),
        objects(pk="decision"),
        lambda w: TASK_IN,
    ),
    m.Case(
        "POST",
        f"{P}/decisions/<int:pk>/task/",
        page(PUBLIC, MANAGERS),
        objects(pk="decision"),
        lambda w: TASK_IN,
    ),
    m.Case(
        "POST",
        f"{P}/agreements/<int:pk>/commitments/",
        page(PUBLIC, MANAGERS),
        objects(pk="agreement"),
        lambda w: {"party": w.unit.pk, "text": "新承诺", "deadline": "2026-08-31"},
    ),
    m.Case(
        "POST",
        f"{P}/commitments/<int:pk>/task/",
        page(PUBLIC, MANAGERS),
        objects(pk="commitment"),
        lambda w: {**TASK_IN, "body": w.body.pk},
    ),
    m.Case(
        "POST",
        f"{A}/agreements/<int:pk>/commitments",
        api(PUBLIC, MANAGERS, m.CREATED),
        objects(pk="agreement"),
        lambda w: {"party_id": w.unit.pk, "text": "新承诺", "deadline": "2026-08-31"},
    ),
    m.Case(
        "POST",
        f"{A}/commitments/<int:pk>/task",
        api(PUBLIC, MANAGERS, m.CREATED),
        objects(pk="commitment"),
        lambda w: {**TASK_IN, "body_id": w.body.pk},
    ),
    m.Case(
        "GET", f"{P}/agreements/<int:pk>/signed.pdf", page(PUBLIC, SEES_TASK, m.OK), objects(pk="agreement")
    ),
    # the task: its units and the office see it; the units report, the office accepts
    m.Case("GET", f"{A}/tasks/<int:pk>", api(SEES_TASK, SEES_TASK), objects(pk="task")),
    m.Case("GET", f"{P}/tasks/<int:pk>/", page(SEES_TASK, SEES_TASK, m.OK), objects(pk="task")),
    m.Case(
        "POST",
        f"{A}/tasks/<int:pk>/reports",
        api(SEES_TASK, UNITS, m.CREATED),
        objects(pk="task"),
        lambda w: {"text": "新进展", "percent": "50", "files": _file()},
    ),
    m.Case(
        "POST",
        f"{P}/tasks/<int:pk>/report/",
        page(SEES_TASK, UNITS),
        objects(pk="task"),
        lambda w: {"text": "新进展", "percent": "50", "files": _file()},
    ),
    m.Case(
        "POST",
        f"{A}/tasks/<int:pk>/suspend",
        api(SEES_TASK, MANAGERS),
        objects(pk="task"),
        lambda w: {"suspended": True, "note": "等待批复"},
    ),
    m.Case(
        "POST",
        f"{P}/tasks/<int:pk>/suspend/",
        page(SEES_TASK, MANAGERS),
        objects(pk="task"),
        lambda w: {"suspend": "1"},
    ),
    m.Case(
        "POST",
        f"{P}/tasks/<int:pk>/milestones/<int:milestone_id>/done/",
        page(SEES_TASK, MANAGERS),
        objects(pk="task", milestone_id="milestone"),
    ),
    m.Case(
        "POST",
        f"{A}/reports/<int:pk>/review",
        api(SEES_TASK, MANAGERS),
        objects(pk="report"),
        lambda w: {"accept": True},
    ),
    m.Case(
        "POST",
        f"{P}/reports/<int:pk>/review/",
        page(SEES_TASK, MANAGERS),
        objects(pk="report"),
        lambda w: {"accept": "1"},
    ),
    m.Case("GET", f"{A}/evidence/<int:pk>", api(SEES_TASK, SEES_TASK), objects(pk="evidence")),
    m.Case("GET", f"{P}/evidence/<int:pk>/", page(SEES_TASK, SEES_TASK, m.OK), objects(pk="evidence")),
    # the major items: the office and the co-sponsors read; the office changes
    m.Case("GET", f"{A}/major-items/<int:pk>", api(SEES_TASK, SEES_TASK), objects(pk="item")),
    m.Case("GET", f"{P}/major-items/<int:pk>/", page(SEES_TASK, SEES_TASK, m.OK), objects(pk="item")),
    m.Case(
        "POST",
        f"{A}/major-items/<int:pk>/status",
        api(SEES_TASK, MANAGERS),
        objects(pk="item"),
        lambda w: {"status": "submitted", "note": "联合报送"},
    ),
    m.Case(
        "POST",
        f"{P}/major-items/<int:pk>/status/",
        page(SEES_TASK, MANAGERS),
        objects(pk="item"),
        lambda w: {"status": "submitted"},
    ),
    # 嘉兴's unit page: the unit itself, the office that oversees it and the platform; the co-unit (上海) and
    # everyone else may know the unit exists (403), not read its tasks and reports
    m.Case(
        "GET",
        f"{P}/units/<int:pk>/",
        page(PUBLIC, ("platform_admin", "zone_yrd", "bureau_jx"), m.OK),
        objects(pk="unit"),
        secret=lambda w: "矩阵督办事项",
        shown_to=("platform_admin", "zone_yrd", "bureau_jx"),
    ),
    m.Case(
        "GET",
        f"{A}/units/<int:pk>/overview",
        api(PUBLIC, ("platform_admin", "zone_yrd", "bureau_jx")),
        objects(pk="unit"),
    ),
    # the calendar link of 嘉兴's unit: only who acts for it (and the platform) replaces it
    m.Case(
        "POST",
        f"{P}/units/<int:pk>/calendar/rotate/",
        page(PUBLIC, ("platform_admin", "bureau_jx")),
        objects(pk="unit"),
    ),
]


def test_every_id_endpoint_has_a_case():
    m.assert_covers("coordination", CASES)


@pytest.mark.parametrize(("case", "role"), m.params(CASES))
def test_matrix(world, case, role, settings):
    m.check(world, case, role, settings)
