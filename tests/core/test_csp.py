"""Every page carries the Content-Security-Policy; no template runs script the policy would not allow."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

import xietong

TEMPLATES = sorted(Path(xietong.__file__).parent.glob("*/templates/**/*.html"))
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")([^>]*)>", re.I)
INLINE_HANDLER = re.compile(r"\s(on[a-z]+)\s*=\s*[\"']", re.I)


def test_templates_were_found():
    assert len(TEMPLATES) > 50


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_inline_script_without_the_nonce_and_no_inline_handlers(template):
    text = template.read_text(encoding="utf-8")
    for attributes in INLINE_SCRIPT.findall(text):
        assert 'nonce="{{ request.csp_nonce }}"' in attributes, (
            f"{template}: inline <script> without the CSP nonce"
        )
    assert INLINE_HANDLER.findall(text) == [], f"{template}: inline event handler (blocked by the CSP)"
    assert "javascript:" not in text and "hx-on" not in text


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/", "/orgs/", "/resources/", "/accounts/login/", "/api/v1/docs", "/no-such-page/"]
)
def test_every_page_has_the_policy_and_its_scripts_the_nonce(path):
    response = Client().get(path)
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["default-src"] == "'self'" and directives["object-src"] == "'none'"
    script_src = directives["script-src"].split()
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    nonces = [s[7:-1] for s in script_src if s.startswith("'nonce-")]  # only pages that used one
    for attributes in INLINE_SCRIPT.findall(response.content.decode()):
        assert nonces and f'nonce="{nonces[0]}"' in attributes
    assert response["X-Content-Type-Options"] == "nosniff"
