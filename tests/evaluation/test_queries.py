"""List pages and endpoints run a fixed number of queries, however many rows they show."""

import pytest

from tests.clients import client_for
from xietong.core.actor import SYSTEM
from xietong.evaluation import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def many(yrd_run):
    for _ in range(3):  # queued re-runs: lists show them all the same
        run = services.run_rerun(actor=SYSTEM, run_id=yrd_run.pk, background=False)
    services.framework_create_from_preset(actor=SYSTEM, preset="yrd")
    services.framework_create_from_preset(actor=SYSTEM, preset="jjj")
    return run


def test_framework_list_api(users, many, django_assert_num_queries):
    client = client_for(users["platform_admin"])
    client.get("/api/v1/evaluation/frameworks")  # warm the session
    with django_assert_num_queries(5):  # session, user, memberships, count, page
        body = client.get("/api/v1/evaluation/frameworks").json()
    assert body["total"] == 3


def test_run_list_api(users, many, django_assert_num_queries):
    client = client_for(users["platform_admin"])
    client.get("/api/v1/evaluation/runs")
    with django_assert_num_queries(5):
        body = client.get("/api/v1/evaluation/runs").json()
    assert body["total"] == 4


def test_index_page(users, many, django_assert_num_queries):
    client = client_for(users["platform_admin"])
    client.get("/evaluation/")
    with django_assert_num_queries(7):  # session, user, memberships, frameworks, run count, run page, zones
        response = client.get("/evaluation/")
    assert response.status_code == 200
    assert response.content.decode().count("/evaluation/runs/") == 4


def test_framework_page(users, yrd_framework, django_assert_num_queries):
    # given several data versions (platform refreshes) and runs, the page reads a fixed number of queries
    from tests.evaluation.conftest import demo_frame
    from tests.factories import OrganisationFactory
    from xietong.evaluation.demo import LAST_YEAR

    frame = demo_frame("yrd", years=(LAST_YEAR - 1, LAST_YEAR))
    frame.loc[frame["Time"] == LAST_YEAR, "il_high_tech"] = None
    services.dataset_import(actor=SYSTEM, framework_id=yrd_framework.pk, frame=frame, fill_platform=False)
    for region in ("310104", "320505"):
        OrganisationFactory(region_id=region, is_high_tech=True)
        services.dataset_refresh_platform(actor=SYSTEM, framework_id=yrd_framework.pk)
    services.run_create(actor=SYSTEM, framework_id=yrd_framework.pk, background=False)
    client = client_for(users["yrd_office"])
    url = f"/evaluation/frameworks/{yrd_framework.pk}/"
    client.get(url)
    # session, user, memberships, the office's zone members, framework, latest version, data versions, runs
    with django_assert_num_queries(8):
        response = client.get(url)
    assert response.content.decode().count("平台指标更新") == 2
