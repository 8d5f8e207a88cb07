"""/api/v1/regions and /api/v1/zones: public reads, admin-only writes, 4xx for bad input."""

from __future__ import annotations

import pytest

from tests.clients import client_for
from xietong.core.models import AuditEvent
from xietong.regions.models import Zone
from xietong.regions.schemas import Level

pytestmark = pytest.mark.django_db
JSON = "application/json"


def test_level_values_match_the_enum():
    from xietong.regions.enums import RegionLevel

    assert set(Level.__args__) == set(RegionLevel.values)


# ---------------------------------------------------------------- regions


@pytest.mark.parametrize("q", ["kunshan", "ks", "3205", "昆山"])
def test_lookup_by_pinyin_initials_code_or_name(client, q):
    response = client.get("/api/v1/regions", {"q": q, "limit": 50})
    assert response.status_code == 200
    assert "320583" in [r["code"] for r in response.json()]


def test_lookup_result_shape(client):
    response = client.get("/api/v1/regions", {"q": "昆山市"})
    first = response.json()[0]
    assert first == {
        "code": "320583", "name": "昆山市", "short_name": "昆山", "level": "county", "level_label": "县级",
        "parent_code": "320500", "lng": first["lng"], "lat": first["lat"],
    }  # fmt: skip


def test_lookup_with_level_and_parent(client):
    response = client.get("/api/v1/regions", {"parent": "320500", "level": "county", "limit": 100})
    assert response.status_code == 200
    assert {"320583", "320585", "320509"} <= {r["code"] for r in response.json()}
    assert all(r["parent_code"] == "320500" for r in response.json())


@pytest.mark.parametrize(
    "params",
    [
        {"limit": 0},
        {"limit": 101},
        {"limit": "many"},
        {"level": "village"},
        {"parent": "12"},
        {"q": "x" * 41},
    ],
)
def test_bad_lookup_parameters_are_422_in_chinese(client, params):
    response = client.get("/api/v1/regions", params)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid"
    assert body["message"] and body["message"].isascii() is False


def test_lookup_under_an_unknown_parent_is_404(client):
    response = client.get("/api/v1/regions", {"parent": "999999"})
    assert response.status_code == 404
    assert "999999" in response.json()["message"]


def test_region_detail_has_parent_children_and_zones(client):
    response = client.get("/api/v1/regions/320500")
    assert response.status_code == 200
    body = response.json()
    assert (body["name"], body["parent"]["code"], body["pinyin"]) == ("苏州市", "320000", "suzhou")
    assert {"320583", "320585"} <= {c["code"] for c in body["children"]}
    assert {z["code"] for z in body["zones"]} == {"yrd", "g60"}


@pytest.mark.parametrize("code", ["999999", "abc", "1234567"])
def test_unknown_region_is_404(client, code):
    response = client.get(f"/api/v1/regions/{code}")
    assert response.status_code == 404
    assert response.json()["code"] == "region_not_found"


# ---------------------------------------------------------------- zones


def test_zone_list_is_public(client):
    response = client.get("/api/v1/zones")
    assert response.status_code == 200
    body = {z["code"]: z for z in response.json()}
    assert set(body) == {"jjj", "chengyu", "yrd", "g60", "jiakuntai", "yrd-demo"}
    assert body["chengyu"]["member_count"] == 16
    assert body["yrd"]["name"] == "长江三角洲区域一体化发展"


def test_zone_detail_lists_members(client):
    response = client.get("/api/v1/zones/jiakuntai")
    assert response.status_code == 200
    body = response.json()
    assert [m["name"] for m in body["members"]] == ["嘉定区", "昆山市", "太仓市"]
    assert body["member_count"] == body["region_count"] == 3


def test_unknown_zone_is_404(client):
    assert client.get("/api/v1/zones/nowhere").status_code == 404


def test_admin_creates_a_zone(admin_user):
    payload = {
        "code": "ningbo-zhoushan",
        "name": "宁波舟山港一体化",
        "short_name": "甬舟",
        "member_codes": ["330200", "330900"],
    }
    response = client_for(admin_user).post("/api/v1/zones", payload, content_type=JSON)
    assert response.status_code == 201
    body = response.json()
    assert (body["code"], body["kind"], body["member_count"]) == ("ningbo-zhoushan", "custom", 2)
    assert AuditEvent.objects.filter(
        verb="zone.created", target_id=str(Zone.objects.get(code="ningbo-zhoushan").pk)
    ).exists()


@pytest.mark.parametrize(("who", "status"), [("anonymous", 401), ("bureau", 403)])
def test_only_admins_create_zones(bureau_user, who, status):
    client = client_for(bureau_user if who == "bureau" else None)
    payload = {"code": "nope", "name": "不允许", "short_name": "不", "member_codes": ["310000"]}
    response = client.post("/api/v1/zones", payload, content_type=JSON)
    assert response.status_code == status
    assert not Zone.objects.filter(code="nope").exists()
    assert not AuditEvent.objects.exists()


def test_unknown_member_code_is_400_naming_it(admin_user):
    payload = {"code": "bad", "name": "坏区", "short_name": "坏", "member_codes": ["310000", "999999"]}
    response = client_for(admin_user).post("/api/v1/zones", payload, content_type=JSON)
    assert response.status_code == 400
    assert "999999" in response.json()["message"]
    assert response.json()["detail"]["region_codes"] == ["999999"]


@pytest.mark.parametrize(
    "payload",
    [
        {"code": "Bad Code", "name": "x", "short_name": "x", "member_codes": ["310000"]},
        {"code": "ok", "name": "x", "short_name": "x", "member_codes": []},
        {"code": "ok", "name": "x", "short_name": "x"},
        {"code": "ok", "name": "", "short_name": "x", "member_codes": ["310000"]},
    ],
)
def test_malformed_zone_payload_is_422(admin_user, payload):
    response = client_for(admin_user).post("/api/v1/zones", payload, content_type=JSON)
    assert response.status_code == 422
    assert response.json()["code"] == "invalid"


def test_duplicate_zone_code_is_409(admin_user):
    payload = {"code": "jjj", "name": "另一个", "short_name": "另", "member_codes": ["110000"]}
    assert client_for(admin_user).post("/api/v1/zones", payload, content_type=JSON).status_code == 409


def test_admin_replaces_members(admin_user):
    response = client_for(admin_user).put(
        "/api/v1/zones/jiakuntai/members", {"member_codes": ["310114", "320583"]}, content_type=JSON
    )
    assert response.status_code == 200
    assert [m["code"] for m in response.json()["members"]] == ["310114", "320583"]
    assert AuditEvent.objects.get(verb="zone.members_updated").data == {"added": [], "removed": ["320585"]}


@pytest.mark.parametrize(("who", "status"), [("anonymous", 401), ("bureau", 403)])
def test_only_admins_replace_members(bureau_user, who, status):
    client = client_for(bureau_user if who == "bureau" else None)
    response = client.put("/api/v1/zones/jiakuntai/members", {"member_codes": ["310114"]}, content_type=JSON)
    assert response.status_code == status
    assert Zone.objects.get(code="jiakuntai").memberships.count() == 3
    assert not AuditEvent.objects.exists()


def test_replacing_members_of_an_unknown_zone_is_404(admin_user):
    response = client_for(admin_user).put(
        "/api/v1/zones/nowhere/members", {"member_codes": ["310000"]}, content_type=JSON
    )
    assert response.status_code == 404


def test_control_characters_in_the_query_are_4xx(client):
    # NUL is refused for the whole platform (core.middleware.RejectNulMiddleware); other controls by the schema
    response = client.get("/api/v1/regions", {"q": "昆\x00山"})
    assert response.status_code == 400 and "不可见字符" in response.json()["message"]
    assert client.get("/api/v1/regions", {"q": "昆\x01山"}).status_code == 422


@pytest.mark.parametrize("code", ["%00", "99999999999999999999999", "-", "UPPER"])
def test_odd_zone_codes_are_404(client, code):
    assert client.get(f"/api/v1/zones/{code}").status_code == 404


def test_control_characters_in_a_zone_name_are_4xx(admin_user):
    payload = {"code": "ctl", "name": "坏\x00名", "short_name": "坏", "member_codes": ["310000"]}
    assert client_for(admin_user).post("/api/v1/zones", payload, content_type=JSON).status_code == 400
    payload["name"] = "坏\x07名"
    assert client_for(admin_user).post("/api/v1/zones", payload, content_type=JSON).status_code == 422


def test_the_openapi_schema_lists_both_routers(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/regions", "/api/v1/regions/{code}", "/api/v1/zones", "/api/v1/zones/{code}"} <= set(
        paths
    )
    assert "/api/v1/zones/{code}/members" in paths
