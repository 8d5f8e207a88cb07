"""The zone a chains page opens on follows who is looking: an organisation's member sees its own cluster."""

import pytest

from tests.clients import client_for
from tests.factories import OrganisationFactory, member
from xietong.core.roles import Role

pytestmark = pytest.mark.django_db


def test_a_firm_in_jiaxing_opens_the_chains_on_the_yangtze_delta_and_its_province(presets):
    firm = OrganisationFactory(name="嘉兴默认视角科技有限公司", region_id="330402")
    page = (
        client_for(member(Role.ORG_ADMIN, organisation=firm, username="jx_firm"))
        .get("/chains/")
        .content.decode()
    )
    assert "产业链图谱 · 长三角" in page
    assert '<option value="330000" selected>' in page


def test_without_an_organisation_zone_or_bureau_the_page_opens_on_chengyu(presets):
    page = client_for(None).get("/chains/").content.decode()
    assert "产业链图谱 · 成渝" in page
