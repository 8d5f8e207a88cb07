"""schemathesis over the sharing API as a bureau that is party to an agreement (the shared fuzz run's bureau
is party to none, so it mostly meets 404s): whatever the input, never a 5xx."""

import datetime as dt

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from tests.factories import member
from xietong.core import tokens
from xietong.core.actor import SYSTEM
from xietong.core.roles import Role
from xietong.sharing import services
from xietong.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application).include(
    path_regex="^/api/v1/sharing"
)


@pytest.fixture(autouse=True)
def _keep_test_connection():
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def party_bearer(db):
    agreement = services.agreement_create(
        actor=SYSTEM,
        code="FZ-1",
        name="模糊测试协议",
        kind="park",
        park_name="园",
        host_region="330400",
        party_regions=["330400", "310000"],
    )
    draft = services.version_save_draft(
        actor=SYSTEM,
        agreement=agreement,
        rules=[
            {
                "revenue_type": "*",
                "method": "stock_increment",
                "ratios": {"330400": 1, "310000": 1},
                "base_period": "2024",
            }
        ],
    )
    services.version_adopt(actor=SYSTEM, agreement=agreement, version=draft, effective_from="2025-01")
    services.enterprise_add(
        actor=SYSTEM, agreement=agreement, name="甲", origin="330400", entry_date=dt.date(2024, 1, 1)
    )
    services.records_import(
        actor=SYSTEM,
        agreement=agreement,
        rows=[(2, {"enterprise": "甲", "revenue_type": "增值税", "period": "2025-01", "amount": "1.00"})],
    )
    services.settle(actor=SYSTEM, agreement=agreement)
    user = member(Role.REGION_BUREAU, region_id="330400")
    _, secret = tokens.token_create(user=user, name="fuzz")
    return {"Authorization": f"Bearer {secret}"}, agreement.pk


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors_as_a_party(case, party_bearer):
    headers, agreement_id = party_bearer
    value = (case.path_parameters or {}).get("agreement_id")
    if isinstance(value, int) and value % 2:
        case.path_parameters["agreement_id"] = agreement_id  # half the calls reach the real agreement
    case.call_and_validate(headers=headers, checks=[not_a_server_error])
