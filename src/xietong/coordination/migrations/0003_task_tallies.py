"""Counts of tasks per (body, lead unit, light, status) and per (body, month), kept by triggers on the task
table, so the office dashboard reads a few hundred rows instead of counting every task.

The triggers hold on every write path (services, the periodic job's bulk UPDATEs, the admin, imports, raw SQL),
in the same transaction as the write: the counts always equal a direct count over the tasks
(`coordination.tally.differences` compares them; `tests/coordination/test_tally.py` checks it after each kind of
write). SQLite gets row triggers; PostgreSQL statement triggers over transition tables (one grouped upsert per
statement: the job's bulk UPDATE of thousands of tasks moves a few hundred counters once each).

A later migration that rebuilds the task table on SQLite (Django copies it into a new table when it alters a
column) drops these triggers: it must create them again (`test_tally.py` checks they exist).
"""

from collections import Counter

import django.db.models.deletion
from django.db import migrations, models

COMPLETED = "'completed'"


def _sqlite_lights(row: str, sign: str) -> list[str]:
    """Add (sign '+') or remove ('-') one task row (NEW or OLD) from the per-unit light counts."""
    if sign == "+":
        return [
            f"""INSERT INTO coordination_tasktally (body_id, lead_unit_id, light, status, n)
    VALUES ({row}.body_id, {row}.lead_unit_id, {row}.light, {row}.status, 1)
    ON CONFLICT (body_id, lead_unit_id, light, status) DO UPDATE SET n = n + 1;"""
        ]
    return [
        f"""UPDATE coordination_tasktally SET n = n - 1 WHERE body_id = {row}.body_id
    AND lead_unit_id = {row}.lead_unit_id AND light = {row}.light AND status = {row}.status;"""
    ]


def _sqlite_months(row: str, sign: str) -> list[str]:
    """Add or remove one task row from the per-month due and done counts."""
    if sign == "+":
        return [
            f"""INSERT INTO coordination_taskmonthtally (body_id, month, due, done)
    VALUES ({row}.body_id, date({row}.deadline, 'start of month'), 1, 0)
    ON CONFLICT (body_id, month) DO UPDATE SET due = due + 1;""",
            f"""INSERT INTO coordination_taskmonthtally (body_id, month, due, done)
    SELECT {row}.body_id, date({row}.completed_on, 'start of month'), 0, 1
    WHERE {row}.status = {COMPLETED} AND {row}.completed_on IS NOT NULL
    ON CONFLICT (body_id, month) DO UPDATE SET done = done + 1;""",
        ]
    return [
        f"""UPDATE coordination_taskmonthtally SET due = due - 1 WHERE body_id = {row}.body_id
    AND month = date({row}.deadline, 'start of month');""",
        f"""UPDATE coordination_taskmonthtally SET done = done - 1 WHERE body_id = {row}.body_id
    AND month = date({row}.completed_on, 'start of month')
    AND {row}.status = {COMPLETED} AND {row}.completed_on IS NOT NULL;""",
    ]


def _both(row: str, sign: str) -> list[str]:
    return _sqlite_lights(row, sign) + _sqlite_months(row, sign)


# Re-lighting (the periodic job's common write) changes only the light: it fires the light trigger alone.
_LIGHT_COLUMNS = ("body_id", "lead_unit_id", "light", "status")
_light_changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in _LIGHT_COLUMNS)
_month_changed = (
    "OLD.body_id IS NOT NEW.body_id OR OLD.deadline IS NOT NEW.deadline OR OLD.completed_on IS NOT NEW.completed_on"
    f" OR (OLD.status = {COMPLETED}) IS NOT (NEW.status = {COMPLETED})"
)
NL = "\n"
SQLITE_TRIGGERS = {
    "coord_task_tally_insert": f"""CREATE TRIGGER IF NOT EXISTS coord_task_tally_insert
AFTER INSERT ON coordination_task BEGIN
{NL.join(_both("NEW", "+"))}
END;""",
    "coord_task_tally_delete": f"""CREATE TRIGGER IF NOT EXISTS coord_task_tally_delete
AFTER DELETE ON coordination_task BEGIN
{NL.join(_both("OLD", "-"))}
END;""",
    "coord_task_tally_update": f"""CREATE TRIGGER IF NOT EXISTS coord_task_tally_update
AFTER UPDATE OF {", ".join(_LIGHT_COLUMNS)} ON coordination_task
WHEN {_light_changed} BEGIN
{NL.join(_sqlite_lights("OLD", "-") + _sqlite_lights("NEW", "+"))}
END;""",
    "coord_task_month_update": f"""CREATE TRIGGER IF NOT EXISTS coord_task_month_update
AFTER UPDATE OF body_id, status, deadline, completed_on ON coordination_task
WHEN {_month_changed} BEGIN
{NL.join(_sqlite_months("OLD", "-") + _sqlite_months("NEW", "+"))}
END;""",
}


def _pg_rows(table: str, sign: int) -> tuple[str, str]:
    tally = f"SELECT body_id, lead_unit_id, light, status, {sign} AS d FROM {table}"
    months = (
        f"SELECT body_id, date_trunc('month', deadline)::date AS month, {sign} AS due, 0 AS done FROM {table} "
        f"UNION ALL SELECT body_id, date_trunc('month', completed_on)::date, 0, {sign} FROM {table} "
        f"WHERE status = {COMPLETED} AND completed_on IS NOT NULL"
    )
    return tally, months


def _pg_function(name: str, sources: list[tuple[str, int]]) -> str:
    parts = [_pg_rows(table, sign) for table, sign in sources]
    tally = " UNION ALL ".join(p[0] for p in parts)
    months = " UNION ALL ".join(p[1] for p in parts)
    return f"""
CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$
BEGIN
    INSERT INTO coordination_tasktally AS t (body_id, lead_unit_id, light, status, n)
    SELECT body_id, lead_unit_id, light, status, sum(d) FROM ({tally}) AS x
    GROUP BY body_id, lead_unit_id, light, status HAVING sum(d) <> 0
    ON CONFLICT (body_id, lead_unit_id, light, status) DO UPDATE SET n = t.n + EXCLUDED.n;
    INSERT INTO coordination_taskmonthtally AS t (body_id, month, due, done)
    SELECT body_id, month, sum(due), sum(done) FROM ({months}) AS x
    GROUP BY body_id, month HAVING sum(due) <> 0 OR sum(done) <> 0
    ON CONFLICT (body_id, month) DO UPDATE SET due = t.due + EXCLUDED.due, done = t.done + EXCLUDED.done;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
"""


POSTGRES_CREATE = (
    _pg_function("coord_task_tally_ins", [("new_rows", 1)])
    + _pg_function("coord_task_tally_upd", [("old_rows", -1), ("new_rows", 1)])
    + _pg_function("coord_task_tally_del", [("old_rows", -1)])
    + """
DROP TRIGGER IF EXISTS coord_task_tally_insert ON coordination_task;
CREATE TRIGGER coord_task_tally_insert AFTER INSERT ON coordination_task
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION coord_task_tally_ins();
DROP TRIGGER IF EXISTS coord_task_tally_update ON coordination_task;
CREATE TRIGGER coord_task_tally_update AFTER UPDATE ON coordination_task
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION coord_task_tally_upd();
DROP TRIGGER IF EXISTS coord_task_tally_delete ON coordination_task;
CREATE TRIGGER coord_task_tally_delete AFTER DELETE ON coordination_task
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION coord_task_tally_del();
"""
)

POSTGRES_DROP = """
DROP TRIGGER IF EXISTS coord_task_tally_insert ON coordination_task;
DROP TRIGGER IF EXISTS coord_task_tally_update ON coordination_task;
DROP TRIGGER IF EXISTS coord_task_tally_delete ON coordination_task;
DROP FUNCTION IF EXISTS coord_task_tally_ins();
DROP FUNCTION IF EXISTS coord_task_tally_upd();
DROP FUNCTION IF EXISTS coord_task_tally_del();
"""


def _backfill(apps) -> None:
    Task = apps.get_model("coordination", "Task")
    TaskTally = apps.get_model("coordination", "TaskTally")
    TaskMonthTally = apps.get_model("coordination", "TaskMonthTally")
    tally = Counter(Task.objects.values_list("body_id", "lead_unit_id", "light", "status").order_by())
    TaskTally.objects.bulk_create(
        [TaskTally(body_id=b, lead_unit_id=u, light=li, status=s, n=n) for (b, u, li, s), n in tally.items()],
        batch_size=2000,
    )
    months: dict[tuple, list[int]] = {}
    for body, deadline, status, done_on in Task.objects.values_list(
        "body_id", "deadline", "status", "completed_on"
    ).order_by():
        months.setdefault((body, deadline.replace(day=1)), [0, 0])[0] += 1
        if status == "completed" and done_on is not None:
            months.setdefault((body, done_on.replace(day=1)), [0, 0])[1] += 1
    TaskMonthTally.objects.bulk_create(
        [TaskMonthTally(body_id=b, month=m, due=due, done=done) for (b, m), (due, done) in months.items()],
        batch_size=2000,
    )


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for sql in SQLITE_TRIGGERS.values():
            schema_editor.execute(sql, params=None)
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRES_CREATE, params=None)
    _backfill(apps)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for name in SQLITE_TRIGGERS:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name};", params=None)
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRES_DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("coordination", "0002_dashboard_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="TaskTally",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("light", models.CharField(choices=[("green", "绿灯"), ("yellow", "黄灯"), ("red", "红灯")], max_length=6)),
                ("status", models.CharField(choices=[("not_started", "未启动"), ("in_progress", "推进中"), ("completed", "已完成"), ("overdue", "逾期"), ("suspended", "暂缓")], max_length=12)),
                ("n", models.IntegerField(default=0)),
                ("body", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="coordination.body")),
                ("lead_unit", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="coordination.unit")),
            ],
            options={
                "constraints": [models.UniqueConstraint(fields=("body", "lead_unit", "light", "status"), name="coord_tally_unique")],
            },
        ),
        migrations.CreateModel(
            name="TaskMonthTally",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("month", models.DateField()),
                ("due", models.IntegerField(default=0)),
                ("done", models.IntegerField(default=0)),
                ("body", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="coordination.body")),
            ],
            options={
                "constraints": [models.UniqueConstraint(fields=("body", "month"), name="coord_month_tally_unique")],
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]
