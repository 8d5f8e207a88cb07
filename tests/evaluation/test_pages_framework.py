"""Pages: a new framework from Excel, a preset in a chosen scope, the framework export and template."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from tests.clients import client_for
from tests.evaluation.helpers import GOOD_FRAMEWORK, xlsx
from xietong.core.models import AuditEvent
from xietong.evaluation.models import Framework

pytestmark = pytest.mark.django_db


def test_import_page_lists_the_scopes_the_actor_manages(users):
    html = client_for(users["sh_bureau"]).get("/evaluation/frameworks/import/").content.decode()
    assert 'value="region:310000"' in html and "zone:" not in html
    html = client_for(users["yrd_office"]).get("/evaluation/frameworks/import/").content.decode()
    assert 'value="zone:yrd"' in html and 'value="zone:jjj"' not in html and 'id="fi-region"' not in html
    html = client_for(users["platform_admin"]).get("/evaluation/frameworks/import/").content.decode()
    assert 'value="zone:jjj"' in html and 'id="fi-region"' in html
    assert client_for(None).get("/evaluation/frameworks/import/").status_code == 302


def test_office_imports_a_new_framework_by_page(users):
    # when the 长三角 office uploads a framework with a base year
    client = client_for(users["yrd_office"])
    response = client.post(
        "/evaluation/frameworks/import/",
        {"name": "嘉兴—上海协同指数", "scope": "zone:yrd", "base_year": "2020", "file": xlsx(GOOD_FRAMEWORK)},
    )
    # then it lands on the new framework's page
    framework = Framework.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/evaluation/frameworks/{framework.pk}/"
    assert (framework.name, framework.zone.code, framework.region_id, framework.base_year) == (
        "嘉兴—上海协同指数", "yrd", None, 2020,
    )  # fmt: skip
    assert [r["iCode"] for r in framework.versions.get().table][:4] == ["a", "b", "c", "d"]
    assert AuditEvent.objects.filter(verb="evaluation.framework_created").count() == 1


def test_bad_framework_lists_every_issue_and_writes_nothing(users):
    rows = [list(r) for r in GOOD_FRAMEWORK]
    rows[2][4] = -1  # 权重 < 0 on Excel row 3
    response = client_for(users["yrd_office"]).post(
        "/evaluation/frameworks/import/", {"name": "测试", "scope": "zone:yrd", "file": xlsx(rows)}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="import-issues"' in html and "第 3 行「权重」列：权重不能为负数（-1）" in html
    assert 'value="测试"' in html  # the form keeps what was typed
    assert not Framework.objects.exists() and not AuditEvent.objects.exists()


@pytest.mark.parametrize(
    "post, status, message",
    [
        ({"name": "测试", "scope": "zone:yrd"}, 400, "请选择要导入的 Excel 文件"),
        (
            {"name": "测试", "scope": "zone:yrd", "base_year": "二〇二〇"},
            400,
            "基期应为 1900–2200 之间的年份",
        ),
        ({"name": "", "scope": "zone:yrd"}, 400, "请填写指数名称"),
        ({"name": "测试", "scope": "zone:jjj"}, 403, "您只能在本协同区或本辖区内建立指数"),
        ({"name": "测试", "scope": "zone:nowhere"}, 404, ""),
    ],
)
def test_import_refusals(users, post, status, message):
    data = dict(post)
    if "base_year" in data or data["name"] == "" or data["scope"] != "zone:yrd":
        data["file"] = xlsx(GOOD_FRAMEWORK)
    response = client_for(users["yrd_office"]).post("/evaluation/frameworks/import/", data)
    assert response.status_code == status
    assert message in response.content.decode()
    assert not Framework.objects.exists()


def test_preset_in_a_chosen_scope(users):
    # a bureau creates the 长三角 preset for its own region; the office in its zone by default
    response = client_for(users["sh_bureau"]).post(
        "/evaluation/frameworks/preset/", {"preset": "yrd", "scope": "region:310000"}
    )
    assert response.status_code == 302
    assert Framework.objects.get().region_id == "310000"
    response = client_for(users["yrd_office"]).post(
        "/evaluation/frameworks/preset/", {"preset": "jjj", "scope": ""}
    )
    assert response.status_code == 403  # the 京津冀 preset's own zone is not the office's
    response = client_for(users["yrd_office"]).post(
        "/evaluation/frameworks/preset/", {"preset": "jjj", "scope": "zone:yrd"}
    )
    assert response.status_code == 302
    assert Framework.objects.filter(zone__code="yrd", preset="jjj").count() == 1
    # someone else's region is refused and nothing is written
    response = client_for(users["hb_bureau"]).post(
        "/evaluation/frameworks/preset/", {"preset": "yrd", "scope": "region:310000"}
    )
    assert response.status_code == 403 and Framework.objects.count() == 2


def test_index_offers_scopes_and_the_import_page(users):
    html = client_for(users["sh_bureau"]).get("/evaluation/").content.decode()
    assert 'id="preset-scope"' in html and 'value="region:310000"' in html
    assert 'id="framework-import-link"' in html


def test_export_and_template(users, yrd_framework):
    client = client_for(users["yrd_office"])
    page = client.get(f"/evaluation/frameworks/{yrd_framework.pk}/").content.decode()
    assert 'id="framework-export"' in page
    exported = load_workbook(
        io.BytesIO(client.get(f"/evaluation/frameworks/{yrd_framework.pk}/framework.xlsx").content)
    )
    header = [c.value for c in exported.worksheets[0][1]]
    assert header == ["层级", "指标代码", "指标名称", "方向", "权重", "单位", "上级", "类型", "来源"]
    sources = {r[1]: r[8] for r in exported.worksheets[0].iter_rows(min_row=2, values_only=True)}
    assert sources["as_contract_outflow"] == "platform:transfer.contract_outflow"
    template = client.get("/evaluation/frameworks/template.xlsx")
    assert template.status_code == 200
    rows = list(load_workbook(io.BytesIO(template.content)).worksheets[0].iter_rows(values_only=True))
    assert rows[0] == tuple(header) and len(rows) == 1 + len(yrd_framework.versions.get().table)
