"""Issue 12, item 3: the directory's region box filters what people type (short names, pinyin, full names
with their parents in front, a picked suggestion), an unknown region says so in the form, and the lookup
answers the box's own parameter."""

from __future__ import annotations

import pytest

from tests.clients import client_for
from tests.factories import OrganisationFactory
from xietong.regions.selectors import region_resolve

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "code"),
    [("嘉兴", "330400"), ("嘉兴市", "330400"), ("昆山", "320583"), ("kunshan", "320583"),
     ("昆山市 320583", "320583"), ("成都市锦江区", "510104"), ("四川省成都市锦江区", "510104"),
     ("江苏省昆山市", "320583"), ("江苏苏州昆山市", "320583"), (" 成都 锦江区 ", "510104"), ("310104", "310104")],
)  # fmt: skip
def test_what_people_type_resolves_to_the_region_they_mean(typed, code):
    assert region_resolve(typed).code == code


@pytest.mark.parametrize("typed", ["", "   ", "火星市", "北京市锦江区", "999999 999999"])
def test_what_names_no_region_resolves_to_nothing(typed):
    assert region_resolve(typed) is None


@pytest.fixture
def orgs(db):
    return {
        "jx": OrganisationFactory(name="嘉兴区域过滤测试有限公司", region_id="330402"),
        "ks": OrganisationFactory(name="昆山区域过滤测试有限公司", region_id="320583"),
        "cd": OrganisationFactory(name="锦江区域过滤测试有限公司", region_id="510104"),
    }


@pytest.mark.parametrize(
    ("typed", "shown"),
    [("嘉兴", "jx"), ("昆山", "ks"), ("kunshan", "ks"), ("成都市锦江区", "cd"), ("昆山市 320583", "ks")],
)
def test_the_directory_lists_only_the_typed_regions_organisations(orgs, typed, shown):
    response = client_for().get("/orgs/", {"region_q": typed, "q": "区域过滤测试"})
    html = response.content.decode()
    assert response.status_code == 200
    assert [key for key, org in orgs.items() if org.name in html] == [shown]
    assert "含下辖地区" in html  # the page says which region it filtered by


def test_the_typed_name_wins_over_a_stale_hidden_code(orgs):
    html = client_for().get("/orgs/", {"region_q": "嘉兴", "region": "320583"}).content.decode()
    assert orgs["jx"].name in html and orgs["ks"].name not in html


def test_an_unknown_region_is_a_message_in_the_form_not_an_error_page(orgs):
    response = client_for().get("/orgs/", {"region_q": "火星市"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "找不到地区“火星市”" in html and 'id="directory-form"' in html
    assert not any(org.name in html for org in orgs.values())
    # the htmx partial carries the same message with a 200, so htmx swaps it in
    partial = client_for().get("/orgs/", {"region_q": "火星市"}, HTTP_HX_REQUEST="true")
    assert partial.status_code == 200 and "找不到地区“火星市”" in partial.content.decode()


def test_the_lookup_answers_the_boxs_parameter():
    names = [
        r["name"] for r in client_for().get("/regions/lookup/", {"region_q": "kunshan"}).json()["results"]
    ]
    assert names[0] == "昆山市"
