"""Voucher codes carry a check made with their own keys: rotating SECRET_KEY or the code key keeps old codes valid."""

import subprocess
import sys
from pathlib import Path

import pytest

from xietong.vouchers.errors import BadVoucherCode
from xietong.vouchers.services.common import voucher_code, voucher_code_verify

OLD_KEY = "o" * 40
NEW_KEY = "n" * 40


def test_a_code_does_not_depend_on_secret_key(settings):
    settings.XIETONG_VOUCHER_CODE_KEYS = [OLD_KEY]
    code = voucher_code(issuer="330400", year=2026, serial=42)
    settings.SECRET_KEY = "a-rotated-secret-key-of-the-django-site-" * 2
    assert voucher_code_verify(code) == code


def test_after_a_rotation_old_codes_verify_and_new_codes_use_the_new_key(settings):
    settings.XIETONG_VOUCHER_CODE_KEYS = [OLD_KEY]
    printed = voucher_code(issuer="330400", year=2026, serial=42)
    # when the operator puts a new key in front
    settings.XIETONG_VOUCHER_CODE_KEYS = [NEW_KEY, OLD_KEY]
    fresh = voucher_code(issuer="330400", year=2026, serial=42)
    # then the printed code still verifies, and new codes are signed with the new key
    assert voucher_code_verify(printed) == printed
    assert fresh != printed and voucher_code_verify(fresh) == fresh
    settings.XIETONG_VOUCHER_CODE_KEYS = [NEW_KEY]
    assert voucher_code_verify(fresh) == fresh


def test_a_code_of_a_retired_key_or_tampered_is_refused(settings):
    settings.XIETONG_VOUCHER_CODE_KEYS = [OLD_KEY]
    printed = voucher_code(issuer="330400", year=2026, serial=42)
    settings.XIETONG_VOUCHER_CODE_KEYS = [NEW_KEY]
    with pytest.raises(BadVoucherCode, match="券码无效"):
        voucher_code_verify(printed)
    settings.XIETONG_VOUCHER_CODE_KEYS = [NEW_KEY, OLD_KEY]
    tampered = printed.replace("-000042-", "-000043-")
    with pytest.raises(BadVoucherCode, match="券码无效"):
        voucher_code_verify(tampered)


def _settings_with(env: dict[str, str], var_dir: Path) -> subprocess.CompletedProcess:
    script = "import xietong.settings as s; print(','.join(s.XIETONG_VOUCHER_CODE_KEYS))"
    return subprocess.run(
        [sys.executable, "-c", script],
        env={"PATH": "/usr/bin:/bin", "XIETONG_VAR_DIR": str(var_dir), **env},
        capture_output=True,
        text=True,
    )


def test_the_keys_come_from_the_environment_newest_first(tmp_path):
    done = _settings_with(
        {"DEBUG": "true", "XIETONG_VOUCHER_CODE_KEYS": f" {NEW_KEY} , {OLD_KEY} ,"}, tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"{NEW_KEY},{OLD_KEY}"


def test_production_requires_voucher_code_keys(tmp_path):
    production = {"DEBUG": "false", "SECRET_KEY": "s" * 50}
    missing = _settings_with(production, tmp_path)
    assert missing.returncode != 0 and "XIETONG_VOUCHER_CODE_KEYS" in missing.stderr
    short = _settings_with({**production, "XIETONG_VOUCHER_CODE_KEYS": "short"}, tmp_path)
    assert short.returncode != 0 and "32" in short.stderr
    good = _settings_with({**production, "XIETONG_VOUCHER_CODE_KEYS": NEW_KEY}, tmp_path)
    assert "XIETONG_VOUCHER_CODE_KEYS" not in good.stderr


def test_development_signs_with_a_kept_random_key_that_is_not_secret_key(tmp_path):
    # given a development checkout without the variable / when the settings load twice
    first_run = _settings_with({"DEBUG": "true"}, tmp_path)
    second_run = _settings_with({"DEBUG": "true"}, tmp_path)
    assert first_run.returncode == 0, first_run.stderr
    signing, *older = first_run.stdout.strip().split(",")
    secret = (tmp_path / "secret_key").read_text().strip()
    # then codes are signed with the key kept in var/ (the same on every start), never with SECRET_KEY, and the
    # key derived from SECRET_KEY before keys were kept still verifies codes on a developer's database
    assert signing == (tmp_path / "voucher_code_key").read_text().strip() != secret
    assert second_run.stdout == first_run.stdout and len(older) == 2 and len(older[0]) == 64
