"""The scheme and agreement forms: a bureau creates them through the page; bad input is a Chinese 400, nothing written."""

from __future__ import annotations

import pytest

from tests.clients import client_for
from tests.factories import OrganisationFactory, member
from tests.talent import factories
from xietong.core.roles import Role
from xietong.talent.models import Agreement, Scheme

pytestmark = pytest.mark.django_db


def test_a_bureau_creates_a_scheme_through_the_page():
    client = client_for(member(Role.REGION_BUREAU, region_id="500000"))
    answer = client.post("/talent/schemes/new/", {
        "name": "重庆英才服务卡", "region_code": "500000", "kind": "talent_card", "tiers": "A|A 卡\nB|B 卡",
        "services": "子女入学|B|第五条\n安居保障|A|第六条", "is_illustrative": "1",
    })  # fmt: skip
    assert answer.status_code == 302
    scheme = Scheme.objects.get()
    assert (scheme.region_id, scheme.is_illustrative) == ("500000", True)
    assert list(scheme.services.values_list("name", "max_rank")) == [("子女入学", 2), ("安居保障", 1)]


def test_a_service_naming_an_unknown_tier_is_refused_and_nothing_is_written():
    client = client_for(member(Role.REGION_BUREAU, region_id="500000"))
    answer = client.post("/talent/schemes/new/", {"name": "某卡", "region_code": "500000", "tiers": "A|A 卡",
                                                   "services": "子女入学|Z|第五条"})  # fmt: skip
    assert answer.status_code == 400
    assert "适用最低等级不是本制度的等级" in answer.content.decode()
    assert Scheme.objects.count() == 0


def test_the_host_bureau_creates_an_agreement_and_a_member_is_refused(frozen_clock):
    scheme = factories.tianfu_card()
    client = client_for(member(Role.REGION_BUREAU, region_id="500000"))
    answer = client.post(
        "/talent/agreements/new/", {"title": "川渝协议", "scheme_id": scheme.pk, "host_region_code": "500000"}
    )
    assert answer.status_code == 302
    assert Agreement.objects.get().host_region_id == "500000"
    member_client = client_for(member(Role.ORG_MEMBER, organisation=OrganisationFactory()))
    assert member_client.get("/talent/agreements/new/").status_code == 403
