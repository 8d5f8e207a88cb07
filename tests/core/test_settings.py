"""The shipped settings: production by default, hardened, and blind to whether tests are running.

Each case imports `xietong.settings` in a fresh interpreter with only the environment it names, the way
an operator's shell would (the test process itself runs on tests/settings.py).
"""

import json
import os
import secrets
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from xietong import instance

# The production settings docs/operations.md documents for a deployment behind nginx.
DOCUMENTED_PRODUCTION = {
    "ALLOWED_HOSTS": "xt.example.gov.cn",
    "CSRF_TRUSTED_ORIGINS": "https://xt.example.gov.cn",
    "XIETONG_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO",
    "XIETONG_VOUCHER_CODE_KEYS": "voucher-code-key-of-this-deployment-0001",
}
# Production needs a voucher-code key beside SECRET_KEY; the cases below name it only where it is under test.
VOUCHER_KEYS = {"XIETONG_VOUCHER_CODE_KEYS": "v" * 40}


def _environment(tmp_path: Path, **values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XIETONG_", "DJANGO_", "PYTEST"))}
    for name in ("DEBUG", "SECRET_KEY", "REDIS_URL", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS"):
        env.pop(name, None)
    env.update(
        DATABASE_URL="", XIETONG_VAR_DIR=str(tmp_path / "var"), DJANGO_SETTINGS_MODULE="xietong.settings"
    )
    env.update({**VOUCHER_KEYS, **values})
    return env


def _python(tmp_path: Path, code: str, **values: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code],
        env=_environment(tmp_path, **values),
        capture_output=True,
        text=True,
        timeout=120,
    )


def _settings(tmp_path: Path, *names: str, prelude: str = "", **values: str) -> dict:
    code = f"{prelude}\nimport json\nfrom xietong import settings as s\nprint(json.dumps({{n: getattr(s, n, None) for n in {names!r}}}, default=str))"
    result = _python(tmp_path, code, **values)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_check_deploy_with_the_documented_production_settings_prints_no_warning(tmp_path):
    env = _environment(tmp_path, SECRET_KEY=secrets.token_urlsafe(50), **DOCUMENTED_PRODUCTION)
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output
    assert "WARNING" not in output


def test_debug_is_off_unless_asked_for(tmp_path):
    values = _settings(tmp_path, "DEBUG", "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", SECRET_KEY="k" * 50)
    assert values == {"DEBUG": False, "SECURE_SSL_REDIRECT": True, "SESSION_COOKIE_SECURE": True}


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = _python(tmp_path, "import xietong.settings")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "SECRET_KEY" in result.stderr


def test_production_refuses_a_short_secret_key(tmp_path):
    result = _python(tmp_path, "import xietong.settings", SECRET_KEY="short")
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_production_uses_the_key_kept_in_var_by_setup(tmp_path):
    kept = instance.ensure_secret_key(tmp_path / "var")
    assert _settings(tmp_path, "SECRET_KEY") == {"SECRET_KEY": kept}


def test_a_kept_key_is_random_private_and_stable(tmp_path):
    first = instance.ensure_secret_key(tmp_path / "a")
    assert instance.ensure_secret_key(tmp_path / "a") == first
    assert instance.ensure_secret_key(tmp_path / "b") != first
    assert len(first) >= 50
    assert stat.S_IMODE((tmp_path / "a" / instance.KEY_FILE_NAME).stat().st_mode) == 0o600


def test_settings_behave_the_same_when_pytest_is_imported(tmp_path):
    names = ("ALLOWED_HOSTS", "HUEY", "TESTING")
    plain = _settings(tmp_path, *names, SECRET_KEY="k" * 50)
    under_pytest = _settings(tmp_path, *names, prelude="import pytest", SECRET_KEY="k" * 50)
    assert plain == under_pytest
    assert plain["TESTING"] is None and plain["HUEY"]["immediate"] is False
    assert plain["ALLOWED_HOSTS"] == ["127.0.0.1", "localhost"]


def test_huey_uses_sqlite_by_default_and_redis_when_redis_url_is_set(tmp_path):
    sqlite = _settings(tmp_path, "HUEY", SECRET_KEY="k" * 50)["HUEY"]
    assert sqlite["huey_class"] == "huey.SqliteHuey"
    redis = _settings(tmp_path, "HUEY", SECRET_KEY="k" * 50, REDIS_URL="redis://127.0.0.1:6379/3")["HUEY"]
    assert redis["huey_class"] == "huey.RedisHuey"
    assert redis["connection"] == {"url": "redis://127.0.0.1:6379/3"}


def test_proxy_header_is_trusted_only_when_named(tmp_path):
    assert _settings(tmp_path, "SECURE_PROXY_SSL_HEADER", SECRET_KEY="k" * 50) == {
        "SECURE_PROXY_SSL_HEADER": None
    }
    named = _settings(
        tmp_path,
        "SECURE_PROXY_SSL_HEADER",
        SECRET_KEY="k" * 50,
        XIETONG_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO",
    )
    assert named == {"SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"]}


@pytest.mark.parametrize("debug", ["true", "false"])
def test_plain_http_demo_switch_turns_off_redirect_and_secure_cookies(tmp_path, debug):
    values = _settings(
        tmp_path,
        "SECURE_SSL_REDIRECT",
        "CSRF_COOKIE_SECURE",
        SECRET_KEY="k" * 50,
        DEBUG=debug,
        XIETONG_HTTPS="false",
    )
    assert values == {"SECURE_SSL_REDIRECT": False, "CSRF_COOKIE_SECURE": False}


def test_processes_racing_to_create_the_key_all_get_the_same_one(tmp_path):
    code = "import sys; from xietong import instance; print(instance.ensure_secret_key(sys.argv[1]))"
    racers = [
        subprocess.Popen(
            [sys.executable, "-c", code, str(tmp_path / "var")], stdout=subprocess.PIPE, text=True
        )
        for _ in range(6)
    ]
    keys = {racer.communicate(timeout=60)[0].strip() for racer in racers}
    assert len(keys) == 1 and len(keys.pop()) >= 50


def test_production_refuses_to_start_without_a_voucher_code_key(tmp_path):
    # given a real SECRET_KEY but no voucher-code key, neither in the environment nor kept in var/
    result = _python(tmp_path, "import xietong.settings", SECRET_KEY="k" * 50, XIETONG_VOUCHER_CODE_KEYS="")
    # then the settings refuse to load, naming the setting
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "XIETONG_VOUCHER_CODE_KEYS" in result.stderr


def test_setup_keeps_a_random_voucher_code_key_that_production_then_uses(tmp_path):
    # given an install whose `xietong setup` kept its keys in var/ (instance.prepare)
    code = "from xietong import instance; instance.prepare()"
    assert _python(tmp_path, code, XIETONG_VOUCHER_CODE_KEYS="").returncode == 0
    kept = instance.read_secret_key(tmp_path / "var", instance.VOUCHER_KEY_FILE)
    # when production settings load without the variable / then they sign with the kept key alone
    values = _settings(
        tmp_path, "XIETONG_VOUCHER_CODE_KEYS", SECRET_KEY="k" * 50, XIETONG_VOUCHER_CODE_KEYS=""
    )
    assert len(kept) >= 40 and values == {"XIETONG_VOUCHER_CODE_KEYS": [kept]}
