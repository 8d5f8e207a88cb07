"""Resource search finds what people type: abbreviations and synonyms, a region by name."""

import pytest

from tests.clients import client_for
from tests.factories import OrganisationFactory
from tests.resources.factories import ResourceFactory

pytestmark = pytest.mark.django_db


def _names(client, **params):
    response = client.get("/api/v1/resources", params)
    assert response.status_code == 200, response.content
    return {r["name"] for r in response.json()["items"]}


def test_abbreviations_and_synonyms_find_the_formal_name(customer, instrument):
    ResourceFactory(name="工业级增材制造设备", owner=OrganisationFactory(region_id="320505"))
    ResourceFactory(name="高分辨透射电子显微镜", owner=OrganisationFactory(region_id="320505"))
    client = client_for(customer["admin"])
    assert _names(client, q="扫描电镜") == {"场发射扫描电子显微镜"}
    assert _names(client, q="SEM") == {"场发射扫描电子显微镜"}
    assert _names(client, q="3D打印") == {"工业级增材制造设备"}
    assert _names(client, q="TEM") == {"高分辨透射电子显微镜"}


def test_region_by_name_or_code_and_an_unknown_name_is_a_chinese_400(customer, instrument):
    ResourceFactory(name="苏州扫描电镜", owner=OrganisationFactory(region_id="320505"))
    client = client_for(customer["admin"])
    code = instrument.region_id
    by_code = _names(client, region=code)
    assert "场发射扫描电子显微镜" in by_code and "苏州扫描电镜" not in by_code
    assert _names(client, region="苏州") == {"苏州扫描电镜"}
    assert _names(client, region="320500") == {"苏州扫描电镜"}
    bad = client.get("/api/v1/resources", {"region": "不存在的地方"})
    assert bad.status_code == 400 and "找不到地区" in bad.json()["message"]
    page = client.get("/resources/", {"region": "苏州"})
    assert page.status_code == 200 and "苏州扫描电镜" in page.content.decode()


def test_sort_by_distance_from_a_named_region(customer, instrument):
    ResourceFactory(name="北京扫描电镜", owner=OrganisationFactory(region_id="110108"))
    ResourceFactory(name="苏州扫描电镜", owner=OrganisationFactory(region_id="320505"))
    ResourceFactory(name="成都扫描电镜", owner=OrganisationFactory(region_id="510107"))
    client = client_for(customer["admin"])
    response = client.get("/api/v1/resources", {"q": "SEM", "near": "上海"})
    names = [r["name"] for r in response.json()["items"]]
    assert names == ["场发射扫描电子显微镜", "苏州扫描电镜", "北京扫描电镜", "成都扫描电镜"]
    names = [r["name"] for r in client.get("/api/v1/resources", {"q": "SEM", "near": "成都"}).json()["items"]]
    assert names[0] == "成都扫描电镜"
    assert client.get("/api/v1/resources", {"near": "火星"}).status_code == 400
