"""Talent tests: fast passwords and a fresh in-memory expert index per test."""

from __future__ import annotations

import pytest

from xietong.talent import search


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fresh_index():
    search.reset()
    yield
    search.reset()
