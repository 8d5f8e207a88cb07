"""Coordination benchmark: 100,000 tasks across 300 units — the office dashboard and the periodic job.

Run: .venv/bin/python bench/coordination.py [--tasks 100000] [--units 300] [--engine sqlite|postgres] [--runs 5]
     [--pg-db NAME] [--reuse]

A fresh database (SQLite under var/bench/, or PostgreSQL `xietong_bench_coordination` on 127.0.0.1:5432) is
migrated and loaded with the regions and zones, 300 bureau units (one per city, each with one bureau user who
receives its notices), one zone office managing 10 bodies, and the tasks in bulk: every state, 20 % with
milestones, 30 % with a co-unit, 2 % metric-linked (platform indicator `orgs.approved`, five scopes). Then:

- dashboard: the office's page `/coordination/` through Django's test client (view, selectors, template; the
  browser's ECharts work is not server time), and the API `/api/v1/coordination/dashboard`; median of `--runs`;
- job: `refresh.run()` three times — the first with notices off re-lights every task (all bulk-loaded tasks
  change), the second sends every due-soon and overdue notice and the weekly digests for the first time (the
  worst case: nothing was ever sent), the third is the steady state (nothing new to send).

Prints a Markdown table; not a test.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SQLITE_PATH = ROOT / "var" / "bench" / "coordination.sqlite3"
PG_DB = "xietong_bench_coordination"


def _configure(engine: str, *, reuse: bool = False, pg_db: str = PG_DB) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "xietong.settings"
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("SECRET_KEY", "bench-" + "x" * 40)
    os.environ.setdefault("XIETONG_VOUCHER_CODE_KEYS", "bench-voucher-key-" + "y" * 32)
    os.environ["ALLOWED_HOSTS"] = "testserver,localhost"
    if engine == "sqlite":
        SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
        for suffix in () if reuse else ("", "-wal", "-shm"):
            Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = ""
        os.environ["XIETONG_SQLITE_PATH"] = str(SQLITE_PATH)
    else:
        import psycopg

        if not reuse:
            with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {pg_db}")
                conn.execute(f"CREATE DATABASE {pg_db}")
        os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{pg_db}"
    import django

    django.setup()


def _load(n_tasks: int, n_units: int) -> dict:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from xietong.coordination.enums import BodyKind, MetricScopeKind, TaskStatus, UnitKind
    from xietong.coordination.models import Body, Milestone, Task, Unit
    from xietong.core.roles import Role
    from xietong.orgs.models import Membership
    from xietong.regions import services as region_services
    from xietong.regions.models import Region, Zone

    call_command("migrate", verbosity=0)
    region_services.regions_load()
    region_services.zone_presets_load()
    User = get_user_model()
    zone = Zone.objects.get(code="yrd")
    office = User.objects.create(username="bench_office")
    Membership.objects.create(user=office, role=Role.ZONE_OFFICE, zone=zone)
    cities = list(
        Region.objects.filter(level="prefecture").order_by("code").values_list("code", "name")[:n_units]
    )
    units = Unit.objects.bulk_create(
        [Unit(name=f"{name}科技局（{code}）", kind=UnitKind.BUREAU, region_id=code) for code, name in cities]
    )
    users = User.objects.bulk_create([User(username=f"bench_bureau_{code}") for code, _ in cities])
    Membership.objects.bulk_create(
        [
            Membership(user=u, role=Role.REGION_BUREAU, region_id=code)
            for u, (code, _) in zip(users, cities, strict=True)
        ]
    )
    bodies = [
        Body.objects.create(zone=zone, name=f"基准联席会议 {i}", kind=BodyKind.JOINT_MEETING)
        for i in range(10)
    ]
    for body in bodies:
        body.members.set(units[:30])
    rng = random.Random(2026)
    today = date.today()
    scopes = ["yrd", "jjj", "chengyu", "g60", "jiakuntai"]
    tasks = []
    for i in range(n_tasks):
        start = today - timedelta(days=rng.randint(0, 600))
        deadline = start + timedelta(days=rng.randint(0, 720))
        status = rng.choice(
            [
                TaskStatus.NOT_STARTED,
                TaskStatus.IN_PROGRESS,
                TaskStatus.IN_PROGRESS,
                TaskStatus.COMPLETED,
                TaskStatus.SUSPENDED,
            ]
        )
        metric = {}
        if i % 50 == 0:
            metric = {"metric_key": "orgs.approved", "metric_scope_kind": MetricScopeKind.ZONE,
                      "metric_scope": scopes[i % 5], "metric_target": 100.0, "metric_year": today.year}  # fmt: skip
        tasks.append(Task(
            body=bodies[i % 10], title=f"基准督办事项 {i}", lead_unit=units[rng.randrange(len(units))],
            start_on=start, deadline=deadline, status=status, progress=rng.randint(0, 100),
            completed_on=deadline + timedelta(days=rng.randint(-30, 30)) if status == TaskStatus.COMPLETED else None,
            **metric,
        ))  # fmt: skip
    tasks = Task.objects.bulk_create(tasks, batch_size=5000)
    Milestone.objects.bulk_create(
        [
            Milestone(task=t, title="节点", due_on=t.start_on + (t.deadline - t.start_on) / 2)
            for t in tasks[::5]
        ],
        batch_size=5000,
    )
    through = Task.co_units.through
    through.objects.bulk_create(
        [through(task_id=t.pk, unit_id=units[(t.lead_unit_id + 7) % len(units)].pk) for t in tasks[::3]],
        batch_size=5000,
    )
    return {"office": office}


def _timed(fn, runs: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--units", type=int, default=300)
    parser.add_argument("--engine", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--reuse", action="store_true", help="time the dashboard on the database a previous run left"
    )
    parser.add_argument(
        "--pg-db", default=PG_DB, help="the PostgreSQL database to (re)create (letters, digits, _)"
    )
    args = parser.parse_args()
    if not args.pg_db.replace("_", "").isalnum():
        parser.error("--pg-db: letters, digits and _ only")
    _configure(args.engine, reuse=args.reuse, pg_db=args.pg_db)
    from django.contrib.auth import get_user_model
    from django.test import Client, override_settings

    from xietong.coordination import refresh
    from xietong.coordination.models import Task
    from xietong.core.models import Notification

    # The bench has no collected static files: plain static storage instead of the manifest (URLs only).
    override_settings(STORAGES={"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
                                "private": {"BACKEND": "xietong.core.files.PrivateStorage"},
                                "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}).enable()  # fmt: skip
    started = time.perf_counter()
    if args.reuse:
        world = {"office": get_user_model().objects.get(username="bench_office")}
    else:
        world = _load(args.tasks, args.units)
    load_s = time.perf_counter() - started
    print(f"loaded in {load_s:.1f} s", flush=True)
    # A running worker has its URL configuration loaded (the API's schemas take seconds to build once per
    # process); load it here so that the job's timings hold the job's own work.
    from django.urls import reverse

    reverse("coordination:dashboard")
    rows = []
    job = []
    for send in () if args.reuse else (False, True, True):
        t0 = time.perf_counter()
        result = refresh.run(send=send)
        job.append((time.perf_counter() - t0, result))
        print(f"job run: {job[-1][0]:.1f} s, {result}", flush=True)
    if args.engine == "postgres":
        # What autovacuum does in production: the counters took many row versions during the runs above.
        from django.db import connection

        with connection.cursor() as cursor:
            for table in ("coordination_task", "coordination_tasktally", "coordination_taskmonthtally"):
                cursor.execute(f"VACUUM ANALYZE {table}")
    client = Client()
    client.force_login(world["office"])

    def page():
        response = client.get("/coordination/", secure=True)
        assert response.status_code == 200, response.status_code

    def api():
        response = client.get("/api/v1/coordination/dashboard", secure=True)
        assert response.status_code == 200, response.status_code

    page()  # warm the template and URL caches
    page_ms, page_all = _timed(page, args.runs)
    api_ms, _ = _timed(api, args.runs)
    tasks = Task.objects.count()
    print(
        f"engine {args.engine}; {tasks:,} tasks, {args.units} units; load {load_s:.1f} s; notices {Notification.objects.count():,}"
    )
    print()
    print("| step | time | budget |")
    print("|---|---|---|")
    print(f"| office dashboard page, server (median of {args.runs}) | {page_ms:.0f} ms | ≤ 300 ms |")
    print(f"| dashboard API (median of {args.runs}) | {api_ms:.0f} ms | — |")
    for n, (seconds, result) in enumerate(job, start=1):
        label = {
            1: "first run, lights only (re-light every task)",
            2: "second run, sends every notice for the first time",
        }.get(n, f"run {n} (nothing new to send)")
        print(
            f"| periodic job, {label}: {result.changed:,} changed, {result.notices:,} notices | {seconds:.1f} s | ≤ 30 s |"
        )
    rows.append(page_all)


if __name__ == "__main__":
    main()
