"""The periodic job: lights follow the date, notices go out once however often it runs, the feed, the metrics."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from icalendar import Calendar

from tests.clients import client_for
from tests.coordination.conftest import task_input
from tests.factories import OrganisationFactory
from xietong.coordination import indicators, refresh, services
from xietong.coordination.enums import Light, MetricScopeKind, TaskStatus
from xietong.coordination.models import Task
from xietong.core.models import Notification
from xietong.evaluation import platform_indicators
from xietong.orgs.enums import OrgStatus


def _notices(event: str) -> list[tuple[str, str]]:
    return sorted(Notification.objects.filter(event=event).values_list("user__username", "key"))


def test_running_the_job_ten_times_sends_each_notice_once(cy, frozen_clock):
    # given a task due in 5 days, one overdue since yesterday, and one far away (today 2026-03-02, a Monday)
    office = cy.actor("office")
    soon = services.task_create(
        actor=office,
        body_id=cy.body.pk,
        data=task_input(title="临期", start_on=date(2026, 2, 1), deadline=date(2026, 3, 7)),
    )
    late = services.task_create(
        actor=office, body_id=cy.body.pk,
        data=task_input(title="逾期", lead_unit="四川省科技厅", start_on=date(2026, 1, 1), deadline=date(2026, 3, 1)),
    )  # fmt: skip
    services.task_create(
        actor=office, body_id=cy.body.pk, data=task_input(title="远期", deadline=date(2026, 12, 31))
    )
    # when the job runs ten times
    results = [refresh.run() for _ in range(10)]
    # then each notice went out once: due soon to 重庆, overdue to 四川, one digest per unit this week
    assert _notices("coordination.due_soon") == [("cq_bureau", f"task:{soon.pk}:20260307")]
    assert _notices("coordination.overdue") == [("sc_bureau", f"task:{late.pk}:20260301")]
    assert _notices("coordination.digest") == [
        ("cq_bureau", f"unit:{cy.cq.pk}:2026-W10"),
        ("sc_bureau", f"unit:{cy.sc.pk}:2026-W10"),
    ]
    assert [r.notices for r in results] == [4] + [0] * 9
    late.refresh_from_db()
    assert (late.status, late.light) == (TaskStatus.OVERDUE, Light.RED)
    # and assignment notices were sent once per task, when the tasks were created
    assert len(_notices("coordination.assigned")) == 3


def test_a_moved_deadline_warns_again_and_next_week_brings_a_new_digest(cy, frozen_clock):
    office = cy.actor("office")
    task = services.task_create(
        actor=office,
        body_id=cy.body.pk,
        data=task_input(start_on=date(2026, 2, 1), deadline=date(2026, 3, 7)),
    )
    refresh.run()
    services.task_update(actor=office, task_id=task.pk, deadline=date(2026, 3, 9))
    frozen_clock.advance(timedelta(days=7))  # 2026-03-09: the new deadline day, next ISO week
    refresh.run()
    refresh.run()
    assert [k for _, k in _notices("coordination.due_soon")] == [
        f"task:{task.pk}:20260307",
        f"task:{task.pk}:20260309",
    ]
    assert len(_notices("coordination.digest")) == 2


def test_job_turns_the_light_red_the_day_after_the_deadline(cy, frozen_clock):
    task = services.task_create(
        actor=cy.actor("office"), body_id=cy.body.pk, data=task_input(deadline=date(2026, 3, 20))
    )
    frozen_clock.move_to(frozen_clock.moment.replace(day=20))
    refresh.run(send=False)
    task.refresh_from_db()
    assert (task.light, task.status) == (Light.YELLOW, TaskStatus.NOT_STARTED)
    frozen_clock.advance(timedelta(days=1))
    refresh.run(send=False)
    task.refresh_from_db()
    assert (task.light, task.status, task.light_reason) == (Light.RED, TaskStatus.OVERDUE, "已逾期")


def test_measured_progress_equals_the_indicator_computed_directly(cy, frozen_clock):
    # given approved organisations in 重庆 (the platform indicator counts them)
    for n in range(3):
        OrganisationFactory(region_id="500103", status=OrgStatus.APPROVED, name=f"重庆测试企业{n}")
    task = services.task_create(
        actor=cy.actor("office"), body_id=cy.body.pk,
        data=task_input(metric_key="orgs.approved", metric_scope_kind=MetricScopeKind.ZONE, metric_scope="chengyu",
                        metric_target=1000, metric_year=2026),
    )  # fmt: skip
    units = [m.code for m in cy.zone.members.all()]
    direct = sum(platform_indicators.compute("orgs.approved", units=units, years=[2026])[2026].values())
    task.refresh_from_db()
    assert direct >= 3
    assert task.metric_value == direct
    # when more organisations are approved, the job measures again
    for n in range(2):
        OrganisationFactory(region_id="510104", status=OrgStatus.APPROVED, name=f"成都测试企业{n}")
    refresh.run(send=False)
    task.refresh_from_db()
    assert task.metric_value == direct + 2
    assert task.measured_pct == int(100 * (direct + 2) / 1000)


def test_metric_reached_turns_the_task_green_before_its_deadline(cy, frozen_clock):
    OrganisationFactory(region_id="500103", status=OrgStatus.APPROVED)
    task = services.task_create(
        actor=cy.actor("office"), body_id=cy.body.pk,
        data=task_input(metric_key="orgs.approved", metric_scope_kind=MetricScopeKind.REGION, metric_scope="500000",
                        metric_target=1, metric_year=2026, milestones=[("中期", date(2026, 3, 1))]),
    )  # fmt: skip
    assert (task.light, task.light_reason) == (Light.GREEN, "指标已达目标")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("metric_key", "no.such", "平台指标不存在"),
        ("metric_scope", "zz", "指标范围不存在"),
        ("metric_target", -5, "目标值应为正数"),
    ],
)
def test_bad_metric_link_is_refused(cy, field, value, message):
    data = {"metric_key": "orgs.approved", "metric_scope_kind": "zone", "metric_scope": "chengyu", "metric_target": 10,
            "metric_year": 2026} | {field: value}  # fmt: skip
    from xietong.core.errors import Invalid

    with pytest.raises(Invalid, match=message):
        services.task_create(actor=cy.actor("office"), body_id=cy.body.pk, data=task_input(**data))
    assert Task.objects.count() == 0


def test_calendar_feed_holds_exactly_the_units_items(cy, frozen_clock):
    office = cy.actor("office")
    mine = services.task_create(
        actor=office,
        body_id=cy.body.pk,
        data=task_input(title="重庆牵头", milestones=[("方案", date(2026, 6, 1))]),
    )
    helped = services.task_create(
        actor=office,
        body_id=cy.body.pk,
        data=task_input(title="四川牵头", lead_unit="四川省科技厅", co_unit_ids=[cy.cq.pk]),
    )
    services.task_create(
        actor=office, body_id=cy.body.pk, data=task_input(title="与重庆无关", lead_unit="四川省科技厅")
    )
    url = reverse("coordination:unit-calendar", args=[cy.cq.pk, cy.cq.feed_token])
    response = client_for(None).get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    uids = sorted(str(e["UID"]).split("@")[0] for e in events)
    milestone = mine.milestones.get()
    assert uids == sorted(
        [f"task-{mine.pk}", f"task-{helped.pk}", f"milestone-{milestone.pk}", f"meeting-{cy.meeting.pk}"]
    )
    assert (
        client_for(None)
        .get(reverse("coordination:unit-calendar", args=[cy.cq.pk, "wrong-token"]))
        .status_code
        == 404
    )
    assert (
        client_for(None)
        .get(reverse("coordination:unit-calendar", args=[cy.sc.pk, cy.cq.feed_token]))
        .status_code
        == 404
    )


def test_on_time_share_indicator(cy, frozen_clock):
    office = cy.actor("office")
    done = services.task_create(
        actor=office,
        body_id=cy.body.pk,
        data=task_input(start_on=date(2026, 1, 1), deadline=date(2026, 3, 10)),
    )
    services.task_create(
        actor=office,
        body_id=cy.body.pk,
        data=task_input(start_on=date(2026, 1, 1), deadline=date(2026, 3, 1)),
    )
    services.task_create(
        actor=office,
        body_id=cy.body.pk,
        data=task_input(start_on=date(2026, 1, 1), deadline=date(2026, 9, 1)),
    )
    report = services.report_submit(actor=cy.actor("cq"), task_id=done.pk, text="完成", percent=100)
    services.report_review(actor=office, report_id=report.pk, accept=True)
    values = platform_indicators.compute(indicators.KEY, units=["500000", "510000"], years=[2026])
    # one completed on time, one overdue; the running one (deadline in September) does not count yet
    assert values == {2026: {"500000": 50.0}}


def test_the_job_sends_through_the_bulk_path_once_and_mails_only_who_has_an_address(
    cy, frozen_clock, monkeypatch, django_capture_on_commit_callbacks
):
    from django.core import mail

    from xietong.core import notifications

    office = cy.actor("office")
    soon = services.task_create(
        actor=office, body_id=cy.body.pk,
        data=task_input(title="临期", start_on=date(2026, 2, 1), deadline=date(2026, 3, 7)),
    )  # fmt: skip
    late = services.task_create(
        actor=office, body_id=cy.body.pk,
        data=task_input(title="逾期", lead_unit="四川省科技厅", start_on=date(2026, 1, 1), deadline=date(2026, 3, 1)),
    )  # fmt: skip
    cy.sc_user.email = ""  # 四川's bureau user has no address: in-app only
    cy.sc_user.save(update_fields=["email"])
    mail.outbox.clear()

    def one_at_a_time(*args, **kwargs):
        raise AssertionError("the periodic job must use notify_many")

    monkeypatch.setattr(notifications, "notify", one_at_a_time)
    results = []
    for _ in range(10):
        with django_capture_on_commit_callbacks(execute=True):
            results.append(refresh.run().notices)
    assert results == [4] + [0] * 9
    assert sorted(m.to[0] for m in mail.outbox) == ["cq_bureau@example.cn", "cq_bureau@example.cn"]
    assert sorted(m.subject for m in mail.outbox) == sorted(
        ["督办事项临近完成时限（2026-03-07）：临期", "督办事项每周汇总（2026 年第 10 周）"]
    )
    sc_notes = Notification.objects.filter(
        user=cy.sc_user, event__in=["coordination.overdue", "coordination.digest"]
    )
    assert sorted(sc_notes.values_list("key", "email_wanted", "emailed_at")) == [
        (f"task:{late.pk}:20260301", False, None),
        (f"unit:{cy.sc.pk}:2026-W10", False, None),
    ]
    assert Notification.objects.filter(key=f"task:{soon.pk}:20260307").count() == 1


def test_the_jobs_notices_read_in_english_for_an_english_reader(cy, frozen_clock):
    services.task_create(
        actor=cy.actor("office"),
        body_id=cy.body.pk,
        data=task_input(title="临期", start_on=date(2026, 2, 1), deadline=date(2026, 3, 7)),
    )
    refresh.run()
    client = client_for(cy.cq_user)
    client.cookies["django_language"] = "en"
    body = client.get("/me/notifications/").content.decode()
    assert "Task due soon (2026-03-07): 临期" in body and "New task assigned: 临期" in body
    assert "Weekly task summary (week 10 of 2026)" in body and "Open tasks: 0 red, 1 yellow, 0 green." in body
    assert "督办事项" not in body and "在办事项" not in body
    # the record stays Chinese
    assert Notification.objects.filter(
        user=cy.cq_user, subject="督办事项临近完成时限（2026-03-07）：临期"
    ).exists()
