"""Load test: `xietong serve` (granian) against gunicorn and runserver, on PostgreSQL and Redis.

Run: .venv/bin/python bench/load.py [--requests 500] [--rounds 3] [--concurrency 50] [--servers …] [--reuse-database]
Sets up a PostgreSQL database (`wt_serving` on 127.0.0.1:5432, dropped and re-created) with the demo data,
the task queue on Redis database 3, then for each server: starts it on 127.0.0.1:8135, sends a fixed number
of GET requests per endpoint from `--concurrency` connections (httpx, asyncio), stops it. The servers take
turns, round after round, so a shared machine's changing load falls on all of them alike; the table gives the
median over the rounds of requests/s and p50/p95 latency, and the error rate over all rounds. Bounded; not a test.

- granian:   `xietong serve` (production: DEBUG off, whitenoise, worker beside it)
- gunicorn:  gunicorn gthread with the same processes × threads and the same settings
- runserver: `xietong serve --dev` (Django's development server, DEBUG on): what `serve` used to be
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import os
import platform
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PORT = 8135
PG_ADMIN_URL = os.environ.get("BENCH_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
PG_DB = os.environ.get("BENCH_PG_DB", "wt_serving")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/3")


def environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XIETONG_", "DJANGO_"))}
    env.pop("DEBUG", None)
    env.update(
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{PG_DB}",
        REDIS_URL=REDIS_URL,
        XIETONG_VAR_DIR=str(ROOT / "var" / "bench" / "load"),
        SECRET_KEY=secrets.token_urlsafe(50),
        XIETONG_HTTPS="false",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SETTINGS_MODULE="xietong.settings",
    )
    return env


def prepare(env: dict[str, str]) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{PG_DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{PG_DB}"')
    subprocess.run([BIN / "xietong", "setup", "--demo"], env=env, check=True, stdout=subprocess.DEVNULL)


def server_command(name: str, workers: int, threads: int) -> list[str]:
    common = ["--host", "127.0.0.1", "--port", str(PORT)]
    if name == "granian":
        return [str(BIN / "xietong"), "serve", *common, "--workers", str(workers), "--threads", str(threads)]
    if name == "runserver":
        return [str(BIN / "xietong"), "serve", "--dev", *common]
    if name == "gunicorn":
        return [
            str(BIN / "gunicorn"), "--bind", f"127.0.0.1:{PORT}", "--workers", str(workers), "--threads",
            str(threads), "--worker-class", "gthread", "--log-level", "warning", "xietong.wsgi:application",
        ]  # fmt: skip
    raise ValueError(name)


def wait_for_port(process: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("server exited while starting")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", PORT)) == 0:
                return
        time.sleep(0.25)
    raise RuntimeError(f"nothing listens on {PORT}")


async def hammer(base: str, path: str, total: int, concurrency: int) -> dict[str, float]:
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    latencies: list[float] = []
    failures: collections.Counter[str] = collections.Counter()
    remaining = total

    async def one_connection(client: httpx.AsyncClient) -> None:
        nonlocal remaining
        while remaining > 0:
            remaining -= 1
            start = time.perf_counter()
            try:
                response = await client.get(path)
                if response.status_code != 200:
                    failures[str(response.status_code)] += 1
            except httpx.HTTPError as exc:
                failures[type(exc).__name__] += 1
            latencies.append(time.perf_counter() - start)

    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as client:
        for _ in range(concurrency):  # warm-up: every connection opened, every worker's caches filled
            await client.get(path)
        started = time.perf_counter()
        await asyncio.gather(*(one_connection(client) for _ in range(concurrency)))
        wall = time.perf_counter() - started
    latencies.sort()
    return {
        "rps": total / wall,
        "p50": statistics.median(latencies) * 1000,
        "p95": latencies[int(0.95 * (len(latencies) - 1))] * 1000,
        "errors": sum(failures.values()) / total * 100,
        "failures": dict(failures),
    }


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of a process and all its descendants: unlike requests/s on a shared machine,
    the server's CPU per request does not depend on what other sessions run meanwhile."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(child) for child in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


def endpoints(base: str) -> dict[str, str]:
    listing = httpx.get(f"{base}/api/v1/resources", timeout=60).json()
    items = listing["items"] if isinstance(listing, dict) else listing
    return {
        "名录页 /orgs/": "/orgs/",
        "资源页": f"/resources/{items[0]['id']}/",
        "API /api/v1/resources": "/api/v1/resources",
    }


def run_server(name: str, env: dict[str, str], args: argparse.Namespace) -> dict[str, dict[str, float]]:
    process = subprocess.Popen(
        server_command(name, args.workers, args.threads),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(process)
        base = f"http://127.0.0.1:{PORT}"
        results = {}
        for label, path in endpoints(base).items():
            cpu_before = cpu_seconds(process.pid)
            results[label] = asyncio.run(hammer(base, path, args.requests, args.concurrency))
            # includes the warm-up requests: the same number for every server
            results[label]["cpu_ms"] = (cpu_seconds(process.pid) - cpu_before) * 1000 / args.requests
            row = results[label]
            print(
                f"  {name:9} {label:24} {row['rps']:6.1f} req/s  p95 {row['p95']:6.0f} ms  {row['cpu_ms']:5.1f} ms CPU/req"
            )
        return results
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _kinds(failures: collections.Counter) -> str:
    return f" ({', '.join(f'{k}×{n}' for k, n in failures.items())})" if failures else ""


def _table(rounds: dict[str, list[dict[str, dict]]], requests: int) -> None:
    print("| 服务器 | 入口 | 请求/秒 | p50 (ms) | p95 (ms) | 服务器 CPU (ms/请求) | 错误率 |")
    print("|---|---|---|---|---|---|---|")
    for name, runs in rounds.items():
        for label in runs[0]:
            rows = [run[label] for run in runs]
            failures = collections.Counter()
            for row in rows:
                failures.update(row["failures"])
            median = {k: statistics.median(row[k] for row in rows) for k in ("rps", "p50", "p95", "cpu_ms")}
            errors = sum(failures.values()) / (len(rows) * requests) * 100
            print(
                f"| {name} | {label} | {median['rps']:.1f} | {median['p50']:.0f} | {median['p95']:.0f} "
                f"| {median['cpu_ms']:.1f} "
                f"| {errors:.1f} %{_kinds(failures)} |"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=500, help="requests per server, endpoint and round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--servers", default="granian,gunicorn,runserver")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--reuse-database", action="store_true", help="keep the database of the last run")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # unwind: each running server is stopped too
    env = environment()
    print(f"machine: {platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if not args.reuse_database:
        started = time.perf_counter()
        prepare(env)
        print(f"database with demo data ready in {time.perf_counter() - started:.0f} s", flush=True)
    rounds: dict[str, list[dict[str, dict]]] = collections.defaultdict(list)
    for number in range(1, args.rounds + 1):
        print(f"round {number}, load average {os.getloadavg()[0]:.2f}", flush=True)
        for name in args.servers.split(","):
            rounds[name].append(run_server(name, env, args))
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(
        f"\n{args.requests} requests per row and round, {args.rounds} rounds, {args.concurrency} connections, "
        f"{args.workers} processes × {args.threads} threads; median over rounds\n"
    )
    _table(rounds, args.requests)


if __name__ == "__main__":
    main()
