"""Two app servers on one PostgreSQL database, each with its own index directory (two gunicorn processes
of two workers): what is published through one is found through the other within 5 s; withdrawals too."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests.factories import OrganisationFactory, member
from tests.transfer.conftest import ACHIEVEMENT
from xietong.core import tokens
from xietong.core.roles import Role
from xietong.orgs.enums import OrgKind

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]
PORTS = (8107, 8117)
WITHIN = 5.0
QUERY = "电池热管理 液冷"  # word order differs from the title: only the index finds it, not a LIKE


def _database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _request(port: int, path: str, *, token: str = "", body: dict | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/transfer{path}",
        data=json.dumps(body).encode() if body is not None else (b"" if token else None),
        headers={
            "Content-Type": "application/json",
            **({"Authorization": f"Bearer {token}"} if token else {}),
        },
        method="POST" if token else "GET",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def _found(port: int) -> list[int]:
    status, body = _request(port, f"/achievements?q={urllib.request.quote(QUERY)}")
    assert status == 200, body
    return [item["id"] for item in body["items"]]


def _wait(condition, seconds: float) -> float:
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > seconds:
            raise AssertionError(f"not within {seconds} s")
        time.sleep(0.2)
    return time.monotonic() - started


@pytest.fixture
def servers(transactional_db, postgres_only, tmp_path):
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="tests.settings",
        DATABASE_URL=_database_url(),
        SECRET_KEY=settings.SECRET_KEY,
        PYTHONPATH=f"{ROOT}:{ROOT / 'src'}",
    )
    processes = []
    for port in PORTS:
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            "2",
            "--preload",
            "--bind",
            f"127.0.0.1:{port}",
        ]
        command += ["--graceful-timeout", "2", "--log-level", "warning", "xietong.wsgi:application"]
        matching_dir = tmp_path / f"server-{port}"
        processes.append(
            subprocess.Popen(command, cwd=ROOT, env={**env, "XIETONG_MATCHING_DIR": str(matching_dir)})
        )
    try:
        for port in PORTS:
            _wait(lambda port=port: _up(port), 120)  # boot only; slow on a loaded machine
        yield PORTS
    finally:
        for process in processes:
            process.send_signal(signal.SIGINT)  # gunicorn's quick shutdown
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _up(port: int) -> bool:
    try:
        return _request(port, "/achievements")[0] == 200
    except (urllib.error.URLError, ConnectionError, OSError):
        return False


def test_published_through_one_server_found_through_the_other(servers):
    a, b = servers
    owner = OrganisationFactory(name="北京测试大学", kind=OrgKind.UNIVERSITY, region_id="110108")
    _, token = tokens.token_create(user=member(Role.ORG_MEMBER, organisation=owner), name="两台服务器")
    assert _found(a) == [] and _found(b) == []  # both indexes open (empty) before the write
    # when: published through server A
    payload = {k: v for k, v in ACHIEVEMENT.items() if k != "price_wan"}
    status, body = _request(a, "/achievements", token=token, body={**payload, "keywords": ["热管理", "液冷"]})
    assert status == 201, body
    listing = body["id"]
    # then: found through B within 5 s (and through A at once)
    assert _found(a) == [listing]
    _wait(lambda: _found(b) == [listing], WITHIN)
    # when: withdrawn through B, it leaves A's results within 5 s
    status, body = _request(b, f"/achievements/{listing}/withdraw", token=token)
    assert status == 200, body
    assert _found(b) == []
    _wait(lambda: _found(a) == [], WITHIN)
