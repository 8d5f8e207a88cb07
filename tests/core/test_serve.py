"""`xietong serve` as an operator runs it: a production server with DEBUG off, the worker beside it.

A fresh var/ directory is set up once (`xietong setup`: migrations, reference data, static files and a
random key); each test starts the real command on a port of 8131-8139 and stops it with SIGTERM.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import socket
import stat
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

XIETONG = str(Path(sys.executable).parent / "xietong")
PORTS = range(8131, 8140)
REDIS_URL = "redis://127.0.0.1:6379/3"  # this branch's Redis database on the shared machine


def _environment(var_dir: Path, **values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XIETONG_", "DJANGO_", "PYTEST"))}
    for name in ("DEBUG", "SECRET_KEY", "REDIS_URL", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS"):
        env.pop(name, None)
    env.update(DATABASE_URL="", XIETONG_VAR_DIR=str(var_dir), XIETONG_HTTPS="false")
    env.update(values)
    return env


def _free_port() -> int:
    for port in PORTS:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return port
    pytest.skip("no free port in 8131-8139")


def _wait_for(port: int, process: subprocess.Popen, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, "the server exited while starting"
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.25)
    raise AssertionError(f"nothing listens on {port} after {seconds} s")


def _descendants(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        for child in (task / "children").read_text().split():
            found += [int(child), *_descendants(int(child))]
    return found


def _all_gone(pids: list[int], *, seconds: float) -> list[int]:
    """The processes still running after `seconds` (a worker may finish its last request just after its parent)."""
    deadline = time.monotonic() + seconds
    while (alive := [pid for pid in pids if _alive(pid)]) and time.monotonic() < deadline:
        time.sleep(0.2)
    return alive


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@contextmanager
def _running(args: list[str], env: dict[str, str]):
    process = subprocess.Popen([XIETONG, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=30)


def _get(port: int, path: str, host: str = "127.0.0.1") -> tuple[int, dict[str, str], str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.putrequest("GET", path, skip_host=True)
    connection.putheader("Host", host)
    connection.endheaders()
    response = connection.getresponse()
    body = response.read().decode("utf-8", "replace")
    connection.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, body


@pytest.fixture(scope="module")
def var_dir(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("serve") / "var"
    result = subprocess.run(
        [XIETONG, "setup"], env=_environment(directory), capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return directory


def test_setup_keeps_a_private_random_key_and_collects_static_files(var_dir):
    key_file = var_dir / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600 and len(key_file.read_text().strip()) >= 50
    assert (var_dir / "static" / "staticfiles.json").exists()


def test_serve_is_a_production_server_that_shows_no_technical_page(var_dir):
    port = _free_port()
    with _running(
        ["serve", "--port", str(port), "--workers", "1", "--threads", "2", "--no-periodic"],
        _environment(var_dir),
    ) as serve:
        _wait_for(port, serve)
        children = _descendants(serve.pid)
        commands = " ".join(Path(f"/proc/{pid}/cmdline").read_text().replace("\0", " ") for pid in children)
        assert "granian" in commands and "xietong.cli worker" in commands and "runserver" not in commands
        assert "--no-periodic" in commands

        status, _, home = _get(port, "/")
        assert status == 200
        css = re.search(r'href="(/static/web/site\.[0-9a-f]{12}\.css)"', home)
        assert css, "static names are content-hashed (manifest storage)"
        status, headers, _ = _get(port, css.group(1))
        assert status == 200 and "max-age=315360000" in headers["cache-control"]
        assert _get(port, "/orgs/")[0] == 200
        status, headers, _ = _get(port, "/api/v1/orgs")
        assert status == 200 and headers["content-type"].startswith("application/json")

        status, _, body = _get(port, "/no-such-page/")
        assert status == 404 and "页面不存在" in body
        status, _, body = _get(port, "/static/../../settings.py")
        assert status == 404 and "SECRET_KEY" not in body
        status, _, body = _get(port, "/", host="evil.example")
        assert status == 400 and "请求无效" in body
        for answer in (body, _get(port, "/no-such-page/")[2]):
            for marker in ("URLconf", "Traceback", "DEBUG", str(var_dir), "sqlite3"):
                assert marker not in answer

        serve.send_signal(signal.SIGTERM)
        assert serve.wait(timeout=30) == 0
    assert _all_gone(children, seconds=15) == []


def test_serve_dev_keeps_the_development_server_with_debug_on(var_dir):
    port = _free_port()
    with _running(["serve", "--dev", "--no-worker", "--port", str(port)], _environment(var_dir)) as serve:
        _wait_for(port, serve)
        status, headers, body = _get(port, "/no-such-page/")
        assert status == 404 and "WSGIServer" in headers["server"]
        assert "URLconf" in body  # DEBUG's technical page: development only
        serve.send_signal(signal.SIGTERM)
        assert serve.wait(timeout=30) == 0


def _redis_or_skip():
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    return client


ENQUEUE = """
import json, django
django.setup()
from huey.contrib.djhuey import HUEY
from xietong.vouchers.tasks import settle_period
result = settle_period("2026-11")
print(json.dumps([type(HUEY).__name__, HUEY.storage.queue_key, result.id]))
"""
RESULT = """
import json, sys, django
django.setup()
from huey.contrib.djhuey import HUEY
print(json.dumps(HUEY.result(sys.argv[1], blocking=True, timeout=60)))
"""


def test_a_task_goes_through_redis_and_the_worker_runs_it(var_dir):
    client = _redis_or_skip()
    env = _environment(var_dir, REDIS_URL=REDIS_URL, DJANGO_SETTINGS_MODULE="xietong.settings")
    client.delete("huey.redis.xietong")
    enqueued = subprocess.run(
        [sys.executable, "-c", ENQUEUE], env=env, capture_output=True, text=True, timeout=120
    )
    assert enqueued.returncode == 0, enqueued.stderr
    huey_class, queue_key, task_id = json.loads(enqueued.stdout.strip().splitlines()[-1])
    assert huey_class == "RedisHuey"
    assert client.llen(queue_key) == 1  # waiting in Redis: nothing has run it yet
    with _running(["worker"], env) as worker:
        result = subprocess.run(
            [sys.executable, "-c", RESULT, task_id], env=env, capture_output=True, text=True, timeout=120
        )
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []  # no redemptions: no statements
    assert client.llen(queue_key) == 0
