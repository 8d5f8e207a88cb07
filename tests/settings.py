"""Test settings: the production settings, changed only for speed and isolation.

Nothing in `src/` asks whether it runs under a test; what differs is set here (pyproject's
DJANGO_SETTINGS_MODULE), and every other value is the one an install runs with.
"""

import atexit
import os
import secrets
import shutil
import tempfile

# A fresh random key per test process: tests never depend on the key of an install.
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
os.environ.setdefault("XIETONG_VOUCHER_CODE_KEYS", secrets.token_urlsafe(40))

from xietong.settings import *  # noqa: F403
from xietong.settings import HUEY, STORAGES

# The test client is "testserver", pytest-django's live server "localhost" on a random port.
ALLOWED_HOSTS = ["*"]
# Tasks run inside the request that enqueues them, so a test sees their effect without a worker.
HUEY = {**HUEY, "immediate": True}
# PBKDF2 is slow on purpose; tests create hundreds of users, and hashing strength is not under test.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Plain HTTP for the test client and the live server.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
# Templates resolve static names without a collectstatic manifest.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
WHITENOISE_USE_FINDERS = True
# Matching indexes live in memory: every test builds its own listings, nothing is kept on disk.
XIETONG_MATCHING_IN_MEMORY = True
# Uploaded files never land in var/: a directory per test process (tests/conftest.py narrows it per session).
_FILES = tempfile.mkdtemp(prefix="xietong-test-files-")
atexit.register(shutil.rmtree, _FILES, ignore_errors=True)
MEDIA_ROOT = os.path.join(_FILES, "media")
XIETONG_PRIVATE_ROOT = os.path.join(_FILES, "private")
# The chains app's zone matrices on disk (shared by processes) stay with the test process too.
XIETONG_CHAINS_DIR = os.path.join(_FILES, "chains")
