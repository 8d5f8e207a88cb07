"""Issue 12, item 7: once an intent is accepted, its two parties see each other's contacts (page and API);
nobody else does: not their bureaus, not the zone office, not the platform's operators, not a third firm."""

from __future__ import annotations

import pytest

from tests.clients import client_for
from tests.factories import OrganisationFactory, actor, member
from tests.transfer.factories import AchievementFactory
from xietong.core.roles import Role
from xietong.regions.models import Zone
from xietong.transfer import services

pytestmark = pytest.mark.django_db

MAKER_PHONE, PUBLISHER_PHONE = "13911112222", "13700001234"
PARTIES = ("maker_admin", "maker_member", "publisher_admin")
OTHERS = ("anonymous", "platform_admin", "bureau_maker", "bureau_publisher", "zone_yrd", "third_firm")


@pytest.fixture
def deal(db):
    """A 上海 university's achievement; a 嘉兴 firm's intent on it; everyone around them."""
    publisher = OrganisationFactory(name="上海测试大学", kind="university", region_id="310104")
    maker = OrganisationFactory(
        name="嘉兴意向电子有限公司", region_id="330402", contact_name="赵经理",
        contact_phone=MAKER_PHONE, contact_email="zhao@jx-test.com",
    )  # fmt: skip
    listing = AchievementFactory(
        owner=publisher, region_id="310104", title="毫米波雷达芯片", contact_phone=PUBLISHER_PHONE
    )
    users = {
        "maker_admin": member(Role.ORG_ADMIN, organisation=maker, username="ic_maker"),
        "maker_member": member(Role.ORG_MEMBER, organisation=maker, username="ic_maker_m"),
        "publisher_admin": member(Role.ORG_ADMIN, organisation=publisher, username="ic_pub"),
        "platform_admin": member(Role.PLATFORM_ADMIN, username="ic_platform"),
        "bureau_maker": member(Role.REGION_BUREAU, region_id="330400", username="ic_bureau_jx"),
        "bureau_publisher": member(Role.REGION_BUREAU, region_id="310000", username="ic_bureau_sh"),
        "zone_yrd": member(Role.ZONE_OFFICE, zone=Zone.objects.get(code="yrd"), username="ic_zone"),
        "third_firm": member(
            Role.ORG_ADMIN, organisation=OrganisationFactory(region_id="330402"), username="ic_third"
        ),
        "anonymous": None,
    }
    intent = services.intent_express(
        actor=actor(users["maker_admin"]), kind="achievement", listing_id=listing.pk, message="希望洽谈许可"
    )
    return {"users": users, "intent": intent, "listing": listing}


def _accept(deal):
    services.intent_answer(actor=actor(deal["users"]["publisher_admin"]), pk=deal["intent"].pk, accept=True)


def _api_contacts(user, intent_id):
    response = client_for(user).get(f"/api/v1/transfer/intents/{intent_id}")
    return response.status_code, (response.json().get("contacts") if response.status_code == 200 else None)


@pytest.mark.parametrize("role", PARTIES)
def test_after_acceptance_each_party_sees_both_contacts_on_the_pages_and_the_api(deal, role):
    # given the publisher accepted the intent
    _accept(deal)
    user = deal["users"][role]
    # when the party opens the intents page, the listing page and the API
    intents_page = client_for(user).get("/transfer/intents/").content.decode()
    listing_page = client_for(user).get(f"/transfer/achievements/{deal['listing'].pk}/").content.decode()
    status, contacts = _api_contacts(user, deal["intent"].pk)
    # then the other side's phone is there, in clear, everywhere
    assert MAKER_PHONE in intents_page and PUBLISHER_PHONE in intents_page
    assert MAKER_PHONE in listing_page and PUBLISHER_PHONE in listing_page
    assert status == 200
    assert contacts == {
        "maker": {"name": "赵经理", "phone": MAKER_PHONE, "email": "zhao@jx-test.com"},
        "publisher": {"name": "王五", "phone": PUBLISHER_PHONE, "email": "wu@example.edu.cn"},
    }


@pytest.mark.parametrize("role", OTHERS)
def test_after_acceptance_nobody_else_sees_the_makers_contacts(deal, role):
    _accept(deal)
    user = deal["users"][role]
    for url in ("/transfer/intents/", f"/transfer/achievements/{deal['listing'].pk}/"):
        assert MAKER_PHONE not in client_for(user).get(url).content.decode()
    status, contacts = _api_contacts(user, deal["intent"].pk)
    # the bureaus and the platform may read the intent itself, never the contacts in it
    expected_status = (
        200
        if role in ("platform_admin", "bureau_maker", "bureau_publisher")
        else (401 if role == "anonymous" else 404)
    )
    assert (status, contacts) == (expected_status, None)


@pytest.mark.parametrize("role", PARTIES)
def test_before_acceptance_not_even_the_parties_see_the_contacts(deal, role):
    user = deal["users"][role]
    assert _api_contacts(user, deal["intent"].pk) == (200, None)
    assert MAKER_PHONE not in client_for(user).get("/transfer/intents/").content.decode()


def test_the_answer_through_the_api_returns_the_contacts_to_the_publisher(deal):
    response = client_for(deal["users"]["publisher_admin"]).post(
        f"/api/v1/transfer/intents/{deal['intent'].pk}/answer",
        {"accept": True, "reply": "欢迎来访"}, content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 200
    assert response.json()["contacts"]["maker"]["phone"] == MAKER_PHONE
