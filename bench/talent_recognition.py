"""Recognition query at scale: 50 schemes and 500 agreement versions, the question answered by the API.

Run: .venv/bin/python bench/talent_recognition.py [--runs 300]
Builds a fresh SQLite database under var/bench/ (regions loaded, then 50 schemes of 4 tiers and 8 services,
100 agreements of 5 dated versions each = 500 versions, 8 grants a version), then times the selector and
the API endpoint `/api/v1/talent/recognition` for random (scheme, tier, region, date) questions.
Prints p50/p95/max in ms and queries per answer; not a test. The target is <= 50 ms.
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
PROVINCES = [
    "110000",
    "120000",
    "130000",
    "310000",
    "320000",
    "330000",
    "340000",
    "500000",
    "510000",
    "440000",
]
SERVICES = [
    "子女入学",
    "医疗保健",
    "交通出行",
    "安居保障",
    "出入境与停居留",
    "配偶就业",
    "创业扶持",
    "文旅服务",
]


def _setup() -> None:
    bench_dir = ROOT / "var" / "bench"
    bench_dir.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        (bench_dir / f"talent.sqlite3{suffix}").unlink(missing_ok=True)
    os.environ.update(DATABASE_URL="", XIETONG_SQLITE_PATH=str(bench_dir / "talent.sqlite3"),
                      DJANGO_SETTINGS_MODULE="xietong.settings", DEBUG="true",
                      ALLOWED_HOSTS="testserver,127.0.0.1,localhost")  # fmt: skip
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_regions", verbosity=0)


def _data(rng: random.Random) -> list[tuple]:
    from xietong.core.actor import SYSTEM
    from xietong.talent import services

    schemes = []
    for i in range(50):
        home = PROVINCES[i % len(PROVINCES)]
        scheme = services.scheme_create(
            actor=SYSTEM, name=f"测试人才卡{i:02d}", region_code=home,
            tiers=[("A", "A 卡"), ("B", "B 卡"), ("C", "C 卡"), ("D", "D 卡")],
            services=[{"name": s, "min_tier": "ABCD"[j % 4], "article": f"第 {j + 1} 条"} for j, s in enumerate(SERVICES)],
        )  # fmt: skip
        schemes.append((scheme, home))
    hosts_done = 0
    for scheme, home in schemes:
        for host in [p for p in PROVINCES if p != home][:2]:
            agreement = services.agreement_create(actor=SYSTEM, scheme_id=scheme.pk, host_region_code=host,
                                                  title=f"{scheme.name}在{host}的互认协议")  # fmt: skip
            start = date(2024, 1, 1)
            for v in range(5):
                end = start + timedelta(days=179)
                services.agreement_version_add(
                    actor=SYSTEM, agreement_id=agreement.pk, effective_from=start, effective_to=None if v == 4 else end,
                    min_tier="BCD"[v % 3], grants=[(s, f"第三条第 {k + 1} 项") for k, s in enumerate(rng.sample(SERVICES, 6))],
                )  # fmt: skip
                start = end + timedelta(days=1)
            hosts_done += 1
    return [(s.pk, h) for s, h in schemes]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=300)
    args = parser.parse_args()
    _setup()
    from django.db import connection
    from django.test import Client

    from xietong.core.actor import SYSTEM
    from xietong.talent import selectors
    from xietong.talent.models import AgreementVersion

    rng = random.Random(2026)
    schemes = _data(rng)
    print(f"schemes {len(schemes)}, agreement versions {AgreementVersion.objects.count()}")
    client = Client()
    first = schemes[0][0]
    client.get(
        "/api/v1/talent/recognition", {"scheme_id": first, "tier": "A", "region": "500000"}
    )  # warm-up: URLconf
    counter = {"n": 0}

    def count(execute, sql, params, many, context):
        counter["n"] += 1
        return execute(sql, params, many, context)

    selector_ms, api_ms, queries = [], [], []
    for _ in range(args.runs):
        pk, _home = rng.choice(schemes)
        region = rng.choice(PROVINCES)
        on = date(2024, 1, 1) + timedelta(days=rng.randrange(1200))
        tier = rng.choice("ABCD")
        t0 = time.perf_counter()
        scheme = selectors.scheme_get(actor=SYSTEM, scheme_id=pk)
        selectors.recognition_query(actor=SYSTEM, scheme=scheme, tier=selectors.tier_get(actor=SYSTEM, scheme=scheme, code=tier),
                                    region_code=region, on=on)  # fmt: skip
        selector_ms.append((time.perf_counter() - t0) * 1000)
        counter["n"] = 0
        with connection.execute_wrapper(count):
            t0 = time.perf_counter()
            response = client.get("/api/v1/talent/recognition",
                                  {"scheme_id": pk, "tier": tier, "region": region, "on": on.isoformat()})  # fmt: skip
            api_ms.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, response.content
        queries.append(counter["n"])

    def row(name, values):
        values = sorted(values)
        p95 = values[int(len(values) * 0.95) - 1]
        print(
            f"{name:<10} p50 {statistics.median(values):6.2f} ms  p95 {p95:6.2f} ms  max {values[-1]:6.2f} ms"
        )

    print(f"runs {args.runs}; queries per API answer: {min(queries)}–{max(queries)}")
    row("selector", selector_ms)
    row("API", api_ms)


if __name__ == "__main__":
    main()
