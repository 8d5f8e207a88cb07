"""List pages and list endpoints run a fixed number of queries, however many rows they show (no N+1)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.clients import client_for
from tests.factories import OrganisationFactory, member
from tests.talent import factories
from xietong.core.roles import Role

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "url", ["/talent/", "/api/v1/talent/profiles", "/talent/experts/", "/api/v1/talent/experts"]
)
def test_list_queries_do_not_grow_with_rows(url, frozen_clock):
    org = OrganisationFactory(region_id="510107")
    client = client_for(member(Role.REGION_BUREAU, region_id="510000"))
    for _ in range(3):
        factories.expert(org, region="510000")
    _queries(client, url)  # warm: the region tree is cached once per process
    few = _queries(client, url)
    for _ in range(12):
        factories.expert(org, region="510000")
    assert _queries(client, url) == few
