"""Tenancy matrix: role × scope × action, by API and by page; denials change nothing."""

import pytest

from tests.clients import client_for
from xietong.core.models import AuditEvent
from xietong.evaluation.models import Run

pytestmark = pytest.mark.django_db

# reading a 长三角 framework (API GET, page GET)
READ_FRAMEWORK = {
    "anonymous": (404, 302), "yrd_office": (200, 200), "jjj_office": (404, 404), "sh_bureau": (404, 404),
    "hb_bureau": (404, 404), "org_admin": (404, 404), "platform_admin": (200, 200),
}  # fmt: skip
# reading an unpublished 长三角 run, and the same run once published
READ_RUN = {
    "anonymous": 404, "yrd_office": 200, "jjj_office": 404, "sh_bureau": 404, "hb_bureau": 404, "org_admin": 404,
    "platform_admin": 200,
}  # fmt: skip
# re-running it (API POST)
RERUN = {
    "anonymous": 401, "yrd_office": 201, "jjj_office": 404, "sh_bureau": 404, "hb_bureau": 404, "org_admin": 404,
    "platform_admin": 201,
}  # fmt: skip


@pytest.mark.parametrize("who", list(READ_FRAMEWORK))
def test_read_framework(who, users, yrd_framework):
    client = client_for(users[who])
    api, page = READ_FRAMEWORK[who]
    assert client.get(f"/api/v1/evaluation/frameworks/{yrd_framework.pk}").status_code == api
    assert client.get(f"/evaluation/frameworks/{yrd_framework.pk}/").status_code == page


@pytest.mark.parametrize("who", list(READ_RUN))
def test_read_run_unpublished_then_published(who, users, yrd_run):
    client = client_for(users[who])
    assert client.get(f"/api/v1/evaluation/runs/{yrd_run.pk}").status_code == READ_RUN[who]
    assert client.get(f"/evaluation/runs/{yrd_run.pk}/").status_code == READ_RUN[who]
    assert client.get(f"/evaluation/runs/{yrd_run.pk}/report.pdf").status_code == READ_RUN[who]
    Run.objects.filter(pk=yrd_run.pk).update(is_published=True)
    assert client.get(f"/api/v1/evaluation/runs/{yrd_run.pk}").status_code == 200
    assert client.get(f"/evaluation/runs/{yrd_run.pk}/").status_code == 200
    assert client.get(f"/evaluation/runs/{yrd_run.pk}/report.xlsx").status_code == 200


@pytest.mark.parametrize("who", list(RERUN))
def test_rerun(who, users, yrd_run):
    Run.objects.filter(pk=yrd_run.pk).update(is_published=True)  # everyone can see it; only managers re-run
    before = AuditEvent.objects.count()
    response = client_for(users[who]).post(f"/api/v1/evaluation/runs/{yrd_run.pk}/rerun")
    expected = RERUN[who] if RERUN[who] != 404 else 403  # published: visible, so a refusal is 403
    assert response.status_code == expected
    if expected == 201:
        assert Run.objects.count() == 2 and response.json()["id"] != yrd_run.pk
    else:
        assert Run.objects.count() == 1 and AuditEvent.objects.count() == before
        assert response.json()["message"]


@pytest.mark.parametrize(
    "who, status", [("jjj_office", 404), ("sh_bureau", 404), ("anonymous", 401), ("yrd_office", 201)]
)
def test_import_data_only_in_scope(who, status, users, yrd_framework):
    import io

    from xietong.evaluation import demo

    # given the preset's own data workbook, which fits the framework
    upload = io.BytesIO(demo.workbook("yrd"))
    upload.name = "data.xlsx"
    before = AuditEvent.objects.count()
    # when each actor uploads it
    response = client_for(users[who]).post(
        f"/api/v1/evaluation/frameworks/{yrd_framework.pk}/datasets", {"file": upload}
    )
    # then only the zone's office gets a data version; a refusal writes nothing
    assert response.status_code == status
    if status == 201:
        assert yrd_framework.datasets.get().pk == response.json()["id"]
    else:
        assert not yrd_framework.datasets.exists() and AuditEvent.objects.count() == before


def test_bureau_manages_a_region_framework(users):
    client = client_for(users["sh_bureau"])
    response = client.post(
        "/api/v1/evaluation/frameworks/preset",
        {"preset": "yrd", "region": "310000"},
        content_type="application/json",
    )
    assert response.status_code == 201
    framework_id = response.json()["id"]
    assert client.get(f"/api/v1/evaluation/frameworks/{framework_id}").status_code == 200
    assert (
        client_for(users["yrd_office"]).get(f"/api/v1/evaluation/frameworks/{framework_id}").status_code
        == 404
    )
    response = client_for(users["hb_bureau"]).post(
        "/api/v1/evaluation/frameworks/preset",
        {"preset": "yrd", "region": "310000"},
        content_type="application/json",
    )
    assert response.status_code == 403


def test_publish_by_page_refused_for_other_zone(users, yrd_run):
    response = client_for(users["jjj_office"]).post(
        f"/evaluation/runs/{yrd_run.pk}/publish/", {"publish": "1"}
    )
    assert response.status_code == 404
    assert not Run.objects.get(pk=yrd_run.pk).is_published
