"""This install's own files: the var/ directory and the SECRET_KEY kept there when none is set.

Production sets SECRET_KEY in the environment (every app server the same). A demo or a single server may
instead let `xietong setup`/`xietong serve` generate one random key and keep it in `var/secret_key`
(mode 0600), so sessions survive a restart. There is never a fixed default key in the code.
This module imports nothing from Django: settings and the CLI use it before Django is set up.
"""

from __future__ import annotations

import os
import secrets
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent.parent
KEY_FILE_NAME = "secret_key"
# Voucher codes are signed with their own key (rotating SECRET_KEY must not void printed vouchers).
VOUCHER_KEY_FILE = "voucher_code_key"


def var_dir() -> Path:
    return Path(os.environ.get("XIETONG_VAR_DIR", PROJECT_DIR / "var"))


def read_secret_key(directory: Path, name: str = KEY_FILE_NAME) -> str:
    """The kept key, or "" when there is none yet."""
    try:
        return (Path(directory) / name).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return ""


def ensure_secret_key(directory: Path, name: str = KEY_FILE_NAME) -> str:
    """Return the kept key, creating it first if needed (O_EXCL, so two processes cannot write two keys)."""
    if existing := read_secret_key(directory, name):
        return existing
    path = Path(directory) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process won the race: use its key once it is written
        for _ in range(100):
            if existing := read_secret_key(directory, name):
                return existing
            time.sleep(0.01)
        raise RuntimeError(f"{path} exists but stays empty") from None
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(secrets.token_urlsafe(50) + "\n")
    return read_secret_key(directory, name)


def prepare() -> None:
    """Before a server starts on this machine: keep a random key in var/ unless the environment sets one."""
    if not os.environ.get("SECRET_KEY", "").strip():
        ensure_secret_key(var_dir())
    if not os.environ.get("XIETONG_VOUCHER_CODE_KEYS", "").strip():
        ensure_secret_key(var_dir(), VOUCHER_KEY_FILE)
