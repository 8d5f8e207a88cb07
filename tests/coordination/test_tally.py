"""The dashboard's counters: kept by triggers on the task table, equal to a direct count after every kind of
write (services, the periodic job, bulk updates and inserts, deletes), and what the dashboard shows."""

from __future__ import annotations

from collections import Counter
from datetime import date

from django.db import connection

from tests.clients import client_for
from tests.coordination.conftest import task_input
from xietong.coordination import refresh, selectors, services, tally
from xietong.coordination.enums import Light, TaskStatus
from xietong.coordination.models import Task, TaskMonthTally, TaskTally


def _counted(body_ids):
    """What the dashboard must show, counted straight from the tasks (independent of `tally`)."""
    tasks = list(
        Task.objects.filter(body_id__in=body_ids).values_list(
            "lead_unit_id", "light", "status", "deadline", "completed_on"
        )
    )
    lights = Counter((u, li) for u, li, _s, _d, _c in tasks)
    statuses = Counter(s for _u, _l, s, _d, _c in tasks)
    due = Counter((d.year, d.month) for *_x, d, _c in tasks)
    done = Counter((c.year, c.month) for _u, _l, s, _d, c in tasks if s == TaskStatus.COMPLETED and c)
    return lights, statuses, due, done


def _shown(actor, body_ids):
    stats = selectors.dashboard(actor=actor, body_ids=body_ids)
    lights = Counter({(r["lead_unit_id"], r["light"]): r["n"] for r in stats["by_unit"]})
    return (
        lights,
        Counter(stats["by_status"]),
        Counter({(y, m): n for y, m, n in stats["due"]}),
        Counter({(y, m): n for y, m, n in stats["done"]}),
    )


def test_the_triggers_exist(db):
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'coordination_task'"
            )
            names = {row[0] for row in cursor.fetchall()}
    else:
        with connection.cursor() as cursor:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE tgrelid = 'coordination_task'::regclass")
            names = {row[0] for row in cursor.fetchall()}
    expected = {"coord_task_tally_insert", "coord_task_tally_update", "coord_task_tally_delete"}
    if connection.vendor == "sqlite":
        expected.add("coord_task_month_update")  # PostgreSQL's one statement trigger covers both
    assert expected <= names


def test_counters_equal_a_direct_count_after_every_kind_of_write(cy, frozen_clock):
    office, body_ids = cy.actor("office"), [cy.body.pk]
    made = [
        services.task_create(actor=office, body_id=cy.body.pk, data=task_input(title=f"事项{i}", **kw))
        for i, kw in enumerate([
            {"start_on": date(2026, 1, 1), "deadline": date(2026, 3, 1)},
            {"start_on": date(2026, 2, 1), "deadline": date(2026, 3, 10), "lead_unit": "四川省科技厅"},
            {"deadline": date(2026, 12, 31)},
            {"deadline": date(2027, 6, 30), "lead_unit": "四川省科技厅"},
        ])
    ]  # fmt: skip

    def agree(step):
        assert tally.differences() == [], step
        assert _shown(office, body_ids) == _counted(body_ids), step

    agree("created")
    refresh.run()  # the job re-lights: one overdue, one due soon
    agree("job")
    report = services.report_submit(actor=cy.actor("cq"), task_id=made[2].pk, text="完成", percent=100)
    services.report_review(actor=office, report_id=report.pk, accept=True)  # completed, completed_on today
    agree("accepted")
    services.task_set_suspended(actor=office, task_id=made[3].pk, suspended=True)
    services.task_update(actor=office, task_id=made[1].pk, deadline=date(2026, 9, 30))
    agree("suspended and moved")
    Task.objects.filter(pk=made[0].pk).update(
        light=Light.GREEN, status=TaskStatus.COMPLETED, completed_on=date(2026, 2, 27)
    )
    Task.objects.filter(pk__in=[made[1].pk, made[3].pk]).update(lead_unit=cy.office_unit)  # tenancy-ok: test
    agree("bulk update")
    Task.objects.bulk_create([
        Task(body=cy.body, title=f"批量{i}", lead_unit=cy.sc, start_on=date(2026, 1, 1), deadline=date(2026, 4 + i, 1))
        for i in range(3)
    ])  # fmt: skip
    agree("bulk insert")
    Task.objects.filter(title__startswith="批量").exclude(deadline=date(2026, 5, 1)).delete()
    agree("delete")
    # the office sees exactly the task table's numbers on the page too
    page = client_for(cy.office_user).get("/coordination/").content.decode()
    for colour in Light.values:
        n = Task.objects.filter(body=cy.body, light=colour).count()
        assert f'id="total-{colour}">{n}<' in page


def test_rebuild_recovers_counters_lost_without_the_triggers(cy, frozen_clock):
    services.task_create(actor=cy.actor("office"), body_id=cy.body.pk, data=task_input())
    TaskTally.objects.all().update(n=7)
    TaskMonthTally.objects.all().delete()
    assert len(tally.differences()) == 2
    assert tally.rebuild() == 2
    assert tally.differences() == []


def test_another_zones_office_counts_nothing_of_this_body(cy, frozen_clock):
    services.task_create(actor=cy.actor("office"), body_id=cy.body.pk, data=task_input())
    stats = selectors.dashboard(actor=cy.actor("yrd"), body_ids=[cy.body.pk])
    assert (stats["by_unit"], stats["by_status"], stats["due"], stats["overdue"]) == ([], {}, [], [])
