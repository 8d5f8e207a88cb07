import pytest
from django.test import Client

from tests.clients import client_for
from tests.factories import PASSWORD, OrganisationFactory, member
from xietong.core.roles import Role
from xietong.orgs import credit_code
from xietong.orgs.enums import OrgKind, OrgStatus
from xietong.orgs.models import Organisation

pytestmark = pytest.mark.django_db


def test_home_is_chinese_with_zones_and_map(client):
    OrganisationFactory(region_id="320583")  # 昆山 → 长三角, G60? no; 嘉昆太 yes
    html = client.get("/").content.decode()
    assert '<html lang="zh-hans">' in html
    assert "跨区域协同创新平台" in html
    assert 'id="zone-map"' in html and "geo/china-provinces.json" in html
    for zone in (
        "京津冀",
        "成渝地区双城经济圈",
        "长三角",
        "G60科创走廊",
        "嘉昆太协同创新核心圈",
        "长三角生态绿色一体化发展示范区",
    ):
        assert zone in html


def test_language_switch_to_english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "Organisation directory" in html


def test_zone_page_lists_members_and_kinds(client):
    OrganisationFactory(region_id="130102", kind=OrgKind.UNIVERSITY)  # 石家庄长安区
    html = client.get("/zones/jjj/").content.decode()
    assert "北京市" in html and "天津市" in html and "河北省" in html
    assert "高等院校" in html
    assert client.get("/zones/nope/").status_code == 404


def test_directory_search_filters_and_paginates(client):
    for i in range(25):
        OrganisationFactory(name=f"嘉兴智能装备{i}有限公司", region_id="330402")
    OrganisationFactory(
        name="成都生物医药有限公司", region_id="510107", industry="biomedicine", kind=OrgKind.INSTITUTE
    )
    html = client.get("/orgs/", {"q": "智能装备", "region": "330400"}).content.decode()
    assert "共 25 家机构" in html and "1 / 2" in html
    html = client.get("/orgs/", {"q": "生物", "kind": "institute"}).content.decode()
    assert "共 1 家机构" in html and "成都生物医药有限公司" in html
    html = client.get("/orgs/", {"region": "510000"}).content.decode()
    assert "共 1 家机构" in html


def test_directory_bad_filter_is_a_400_in_chinese(client):
    response = client.get("/orgs/", {"region": "abc"})
    assert response.status_code == 400
    assert "地区代码应为 6 位数字" in response.content.decode()


def test_directory_query_count_is_constant(client, django_assert_num_queries):
    for i in range(30):
        OrganisationFactory(name=f"企业{i}", region_id="330402")
    # count + page (regions joined): no per-row queries
    with django_assert_num_queries(2):
        client.get("/orgs/", HTTP_HX_REQUEST="true")
    with django_assert_num_queries(2):
        client.get("/api/v1/orgs", {"page_size": 30})


def test_directory_export_is_a_workbook(client):
    OrganisationFactory(name="导出测试有限公司")
    response = client.get("/orgs/export.xlsx", {"q": "导出"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(response.content)).active
    assert sheet.cell(row=2, column=1).value == "导出测试有限公司"  # names first, no database ids
    assert sheet.max_row == 2


def test_org_page_masks_contact_for_the_public(client):
    org = OrganisationFactory()
    html = client.get(f"/orgs/{org.pk}/").content.decode()
    assert "138****5678" in html and "13812345678" not in html


def test_registration_page_flow_and_bureau_approval():
    client = Client()
    code = credit_code.make(region_code="330402", serial="ABCD1234")
    data = {"username": "newfirm", "password": "a-long-password", "display_name": "赵六", "name": "嘉兴新注册科技有限公司",
            "credit_code": code, "region": "330402", "industry": "ai"}  # fmt: skip
    bad = client.post("/register/", {**data, "credit_code": code[:17] + ("0" if code[17] != "0" else "1")})
    assert bad.status_code == 400 and "第 18 位校验码" in bad.content.decode()
    assert not Organisation.objects.filter(name=data["name"]).exists()
    response = client.post("/register/", data)
    org = Organisation.objects.get(name=data["name"])
    assert response.status_code == 302 and org.status == OrgStatus.PENDING
    bureau = client_for(member(Role.REGION_BUREAU, region_id="330400"))
    assert data["name"] in bureau.get("/orgs/review/").content.decode()
    bureau.post(f"/orgs/{org.pk}/review/", {"decision": "approve", "note": ""})
    assert Organisation.objects.get(pk=org.pk).status == OrgStatus.APPROVED


def test_login_and_personal_token_for_the_api():
    user = member(Role.REGION_BUREAU, region_id="330400", username="bureau_test")
    client = Client()
    assert (
        client.post("/accounts/login/", {"username": "bureau_test", "password": PASSWORD}).status_code == 302
    )
    created = client.post("/api/v1/me/tokens", {"name": "脚本"}, content_type="application/json")
    assert created.status_code == 201
    secret = created.json()["secret"]
    script = Client()
    me = script.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}").json()
    assert me["username"] == user.username and me["roles"] == ["region_bureau"]
    assert script.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer xt_wrong").status_code == 401
