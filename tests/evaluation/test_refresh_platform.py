"""刷新平台指标: a new data version from the latest one, platform cells recomputed, imported values kept."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.clients import client_for
from tests.evaluation.helpers import FRAMEWORK_HEADER, GOOD_FRAMEWORK, data_rows, xlsx
from tests.factories import OrganisationFactory
from xietong.core.models import AuditEvent
from xietong.evaluation.models import Dataset

pytestmark = pytest.mark.django_db
YEAR = timezone.now().year
UNITS = ("310000", "320100", "320500", "330100", "340100")


def _framework(client, rows=GOOD_FRAMEWORK) -> int:
    response = client.post(
        "/api/v1/evaluation/frameworks/import", {"file": xlsx(rows), "name": "测试指数", "zone": "yrd"}
    )
    assert response.status_code == 201, response.json()
    return response.json()["id"]


def _import(client, framework_id: int, *, blank_current=True, keep=("340100",)) -> Dataset:
    """Data for last year and this year; this year's platform column ("c") blank except for `keep`."""
    rows = data_rows(years=(YEAR - 1, YEAR))
    for row in rows[1:]:
        if blank_current and row[2] == YEAR and row[0] not in keep:
            row[5] = None
    response = client.post(f"/api/v1/evaluation/frameworks/{framework_id}/datasets", {"file": xlsx(rows)})
    assert response.status_code == 201, response.json()
    return Dataset.objects.get(pk=response.json()["id"])


def _c(dataset: Dataset, year: int = YEAR) -> dict[str, float | None]:
    j = dataset.columns.index("c")
    return {r[0]: r[j] for r in dataset.rows if r[1] == year}


@pytest.fixture
def office(users):
    return client_for(users["yrd_office"])


def test_refresh_recomputes_platform_cells_and_keeps_imported_values(office):
    # given one high-tech enterprise in 苏州 when the data is imported: 4 blank cells of this year filled
    OrganisationFactory(region_id="320505", is_high_tech=True)
    framework_id = _framework(office)
    first = _import(office, framework_id)
    assert _c(first) == {"310000": 0.0, "320100": 0.0, "320500": 1.0, "330100": 0.0, "340100": 185.0}
    assert first.sources["c"] == {"import": 6, "platform:orgs.high_tech": 4}
    assert sorted(first.platform_cells["c"]) == [[u, YEAR] for u in UNITS[:4]]
    # when two more register (上海 徐汇, 合肥 蜀山) and the office refreshes the platform indicators
    OrganisationFactory(region_id="310104", is_high_tech=True)
    OrganisationFactory(region_id="340104", is_high_tech=True)
    response = office.post(f"/api/v1/evaluation/frameworks/{framework_id}/datasets/refresh-platform")
    # then version 2 has 上海's new count; 合肥's imported 185 stays (imported statistics win)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["number"], body["name"]) == (2, "测试指数 数据·平台指标更新")
    second = Dataset.objects.get(pk=body["id"])
    assert _c(second) == {"310000": 1.0, "320100": 0.0, "320500": 1.0, "330100": 0.0, "340100": 185.0}
    assert _c(second, YEAR - 1) == _c(first, YEAR - 1)
    assert second.sources["c"] == {"import": 6, "platform:orgs.high_tech": 4}
    assert second.sources["a"] == first.sources["a"]
    assert [r[:2] for r in second.rows] == [r[:2] for r in first.rows]
    assert (second.unit_count, second.year_min, second.year_max) == (5, YEAR - 1, YEAR)
    event = AuditEvent.objects.get(verb="evaluation.dataset_refreshed")
    assert event.data == {"dataset": 2, "from": 1, "changed": {"c": 1}}
    # and a second refresh with nothing new is refused (409) without a new version
    again = office.post(f"/api/v1/evaluation/frameworks/{framework_id}/datasets/refresh-platform")
    assert again.status_code == 409
    assert again.json()["code"] == "platform_unchanged" and "未生成新版本" in again.json()["message"]
    assert Dataset.objects.filter(framework_id=framework_id).count() == 2


def test_refresh_fills_cells_imported_blank_when_platform_had_nothing(office):
    # given data imported before any organisation registered: the platform had no data, the cells stay blank
    framework_id = _framework(office)
    first = _import(office, framework_id)
    assert first.sources["c"] == {"import": 6} and first.platform_cells == {}
    # when an enterprise registers and the office refreshes
    OrganisationFactory(region_id="330106", is_high_tech=True)
    response = office.post(f"/api/v1/evaluation/frameworks/{framework_id}/datasets/refresh-platform")
    # then the four blank cells hold the platform's counts
    assert response.status_code == 201, response.json()
    second = Dataset.objects.get(pk=response.json()["id"])
    assert _c(second) == {"310000": 0.0, "320100": 0.0, "320500": 0.0, "330100": 1.0, "340100": 185.0}
    assert second.sources["c"] == {"import": 6, "platform:orgs.high_tech": 4}


def test_refresh_without_platform_indicators_is_400(office):
    rows = [[*r[:8], ""] for r in GOOD_FRAMEWORK]
    rows[0] = FRAMEWORK_HEADER
    framework_id = _framework(office, rows)
    _import(office, framework_id, blank_current=False)
    response = office.post(f"/api/v1/evaluation/frameworks/{framework_id}/datasets/refresh-platform")
    assert response.status_code == 400 and response.json()["code"] == "no_platform_indicators"
    assert Dataset.objects.count() == 1


def test_refresh_without_data_is_404(office):
    framework_id = _framework(office)
    response = office.post(f"/api/v1/evaluation/frameworks/{framework_id}/datasets/refresh-platform")
    assert response.status_code == 404 and response.json()["message"] == "该指数还没有导入数据"


REFRESH = {
    "anonymous": (401, 302), "jjj_office": (404, 404), "sh_bureau": (404, 404), "org_admin": (404, 404),
    "platform_admin": (201, 409),  # the page comes second: nothing new by then
}  # fmt: skip


@pytest.mark.parametrize("who", list(REFRESH))
def test_refresh_tenancy(who, users, office):
    # given the 长三角 office's framework and data, and a new platform record
    framework_id = _framework(office)
    _import(office, framework_id)
    OrganisationFactory(region_id="310104", is_high_tech=True)
    before = AuditEvent.objects.count()
    client = client_for(users[who])
    api, page = REFRESH[who]
    # when someone else asks for a refresh, by API and by page
    response = client.post(f"/api/v1/evaluation/frameworks/{framework_id}/datasets/refresh-platform")
    assert response.status_code == api
    if api != 201:
        # then a refusal writes nothing (no data version, no audit event)
        assert response.json()["message"]
        assert Dataset.objects.count() == 1 and AuditEvent.objects.count() == before
    page_response = client.post(f"/evaluation/frameworks/{framework_id}/datasets/refresh-platform/")
    assert page_response.status_code == page
    if api != 201:
        assert Dataset.objects.count() == 1 and AuditEvent.objects.count() == before


def test_refresh_page(office):
    # given imported data and a new platform record
    framework_id = _framework(office)
    _import(office, framework_id)
    page = office.get(f"/evaluation/frameworks/{framework_id}/").content.decode()
    assert 'id="refresh-platform"' in page and 'id="platform-sources"' in page
    OrganisationFactory(region_id="310104", is_high_tech=True)
    # when the office presses 刷新平台指标
    response = office.post(f"/evaluation/frameworks/{framework_id}/datasets/refresh-platform/", follow=True)
    # then it sees the new version and how many cells the platform computed
    html = response.content.decode()
    assert "已刷新平台指标：生成数据版本 2，其中 4 个单元格由平台业务数据计算" in html
    assert "测试指数 数据·平台指标更新" in html
    # and pressing it again says nothing changed (409), on the same page
    again = office.post(f"/evaluation/frameworks/{framework_id}/datasets/refresh-platform/")
    assert again.status_code == 409
    assert "平台指标未刷新" in again.content.decode() and "未生成新版本" in again.content.decode()
