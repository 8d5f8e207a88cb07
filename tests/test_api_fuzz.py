"""A short schemathesis run over the OpenAPI schema: whatever the input, the API never answers 5xx."""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from tests.factories import OrganisationFactory, member
from xietong.core import tokens
from xietong.core.roles import Role
from xietong.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture(autouse=True)
def _keep_test_connection():
    """The WSGI handler closes connections at request end; the test's transaction must outlive each call."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def bearer(db):
    OrganisationFactory(region_id="330402")
    user = member(Role.REGION_BUREAU, region_id="330400")
    _, secret = tokens.token_create(user=user, name="fuzz")
    return {"Authorization": f"Bearer {secret}"}


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors(case, bearer):
    case.call_and_validate(headers=bearer, checks=[not_a_server_error])
