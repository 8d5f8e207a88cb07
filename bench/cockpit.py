"""Zone cockpit benchmark: the server time of zone_yrd's cockpit page on the demo data plus synthetic orders.

Run: .venv/bin/python bench/cockpit.py [--orders 100000] [--runs 7] [--source var/xietong.sqlite3]

Copies the demo database (`xietong setup --demo` first) to var/bench/cockpit.sqlite3, adds `--orders`
completed orders between the zone's organisations (random pairs, random completion times over the last
twelve months, bulk-inserted), then requests /cockpit/yrd/ as the demo account zone_yrd through Django's
test client (the whole view: middleware, selectors, template) and prints the median and worst server time
and the query count. Not a test; the budget is 300 ms.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "var" / "bench" / "cockpit.sqlite3"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--source", default=str(ROOT / "var" / "xietong.sqlite3"))
    parser.add_argument("--reuse", action="store_true", help="time the database a previous run built")
    args = parser.parse_args()
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    if not args.reuse:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{TARGET}{suffix}").unlink(missing_ok=True)
        shutil.copy(args.source, TARGET)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="xietong.settings", DATABASE_URL="", XIETONG_SQLITE_PATH=str(TARGET),
        DEBUG="false", SECRET_KEY="bench-" + "x" * 40, XIETONG_ALLOWED_HOSTS="testserver",
    )  # fmt: skip
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection, reset_queries
    from django.test import Client
    from django.utils import timezone

    from xietong.orgs.models import Organisation
    from xietong.regions import selectors as region_selectors
    from xietong.regions.models import Zone
    from xietong.resources.enums import CustomerClass, OrderKind, OrderStatus
    from xietong.resources.models import Resource, ServiceOrder

    settings.ALLOWED_HOSTS = ["*"]
    zone = Zone.objects.get(code="yrd")
    codes = region_selectors.zone_region_codes(zone)
    resources = list(Resource.objects.filter(region_id__in=codes).values_list("pk", "owner_id"))
    customers = list(Organisation.objects.filter(region_id__in=codes).values_list("pk", flat=True))
    rng = random.Random(19)
    if args.reuse:
        args.orders = 0
    now = timezone.now()
    start = time.perf_counter()
    batch = []
    for n in range(args.orders):
        resource_id, owner_id = rng.choice(resources)
        done = now - timedelta(minutes=rng.randrange(365 * 24 * 60))
        fen = rng.randrange(10_000, 500_000)
        batch.append(
            ServiceOrder(
                number=f"BENCH{n:08d}",
                kind=OrderKind.SAMPLE,
                resource_id=resource_id,
                provider_id=owner_id,
                customer_id=rng.choice(customers),
                customer_class=CustomerClass.OTHER,
                status=OrderStatus.COMPLETED,
                sample_count=1,
                quoted_fen=fen,
                actual_fen=fen,
                completed_at=done,
            )
        )
        if len(batch) == 5000:
            ServiceOrder.objects.bulk_create(batch)
            batch = []
    ServiceOrder.objects.bulk_create(batch)
    print(
        f"inserted {args.orders} orders in {time.perf_counter() - start:.1f} s; total {ServiceOrder.objects.count()}"
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    client = Client()
    client.force_login(get_user_model().objects.get(username="zone_yrd"))
    settings.DEBUG = True  # count queries
    reset_queries()
    first = client.get("/cockpit/yrd/", secure=True)
    assert first.status_code == 200, first.status_code
    queries = len(connection.queries)
    settings.DEBUG = False
    times, cpu = [], []
    for _ in range(args.runs):
        t0, c0 = time.perf_counter(), time.process_time()
        response = client.get("/cockpit/yrd/", secure=True)
        times.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
        assert response.status_code == 200
    print("| orders | runs | median wall ms | worst wall ms | median CPU ms | queries | load (1 min) |")
    print("|---|---|---|---|---|---|---|")
    print(
        f"| {ServiceOrder.objects.count():,} | {args.runs} | {statistics.median(times):.0f} | {max(times):.0f} | "
        f"{statistics.median(cpu):.0f} | {queries} | {os.getloadavg()[0]:.1f} |"
    )


if __name__ == "__main__":
    main()
