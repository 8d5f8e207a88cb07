"""Tenancy matrix for achievements, demands, intents and contracts: role × region × action, by API and page.

Every denial is checked for its status and for leaving nothing behind (no row change, no audit event).
"""

import pytest

from tests.clients import REFUSAL_CODES, client_for
from tests.factories import OrganisationFactory, member
from tests.transfer.factories import AchievementFactory, ContractFactory, DemandFactory
from xietong.core.models import AuditEvent
from xietong.core.roles import Role
from xietong.regions.models import Zone
from xietong.transfer.enums import IntentStatus, ListingStatus
from xietong.transfer.models import Achievement, Intent

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "owner", "other_org", "hb_bureau", "sh_bureau", "jjj_office", "platform_admin")


@pytest.fixture
def people():
    """A 河北 enterprise owns the listings; the other roles look at them."""
    owner_org = OrganisationFactory(region_id="130102", name="河北所有者有限公司")
    other_org = OrganisationFactory(region_id="310104", name="上海其他机构有限公司")
    return {
        "owner_org": owner_org,
        "other_org": other_org,
        "anonymous": None,
        "owner": member(Role.ORG_ADMIN, organisation=owner_org),
        "other_org_user": member(Role.ORG_ADMIN, organisation=other_org),
        "hb_bureau": member(Role.REGION_BUREAU, region_id="130000"),
        "sh_bureau": member(Role.REGION_BUREAU, region_id="310000"),
        "jjj_office": member(Role.ZONE_OFFICE, zone=Zone.objects.get(code="jjj")),
        "platform_admin": member(Role.PLATFORM_ADMIN),
    }


def _user(people, who):
    return people["other_org_user"] if who == "other_org" else people[who]


# a withdrawn listing: who still reads it (API status = page status)
READ_WITHDRAWN = {"anonymous": 404, "owner": 200, "other_org": 404, "hb_bureau": 200, "sh_bureau": 404,
                  "jjj_office": 200, "platform_admin": 200}  # fmt: skip
# who may withdraw a published listing by API
WITHDRAW = {"anonymous": 401, "owner": 200, "other_org": 403, "hb_bureau": 403, "sh_bureau": 403,
            "jjj_office": 403, "platform_admin": 200}  # fmt: skip
# who sees the contact in clear on a published listing
CONTACT_CLEAR = {"anonymous": False, "owner": True, "other_org": False, "hb_bureau": True, "sh_bureau": False,
                 "jjj_office": False, "platform_admin": True}  # fmt: skip


@pytest.mark.parametrize("kind", ["achievements", "demands"])
@pytest.mark.parametrize("who", ROLES)
def test_read_withdrawn_listing(who, kind, people):
    factory = AchievementFactory if kind == "achievements" else DemandFactory
    listing = factory(owner=people["owner_org"], status=ListingStatus.WITHDRAWN)
    client = client_for(_user(people, who))
    assert client.get(f"/api/v1/transfer/{kind}/{listing.pk}").status_code == READ_WITHDRAWN[who]
    assert client.get(f"/transfer/{kind}/{listing.pk}/").status_code == READ_WITHDRAWN[who]


@pytest.mark.parametrize("kind", ["achievements", "demands"])
@pytest.mark.parametrize("who", ROLES)
def test_withdraw_listing(who, kind, people):
    factory = AchievementFactory if kind == "achievements" else DemandFactory
    listing = factory(owner=people["owner_org"])
    response = client_for(_user(people, who)).post(f"/api/v1/transfer/{kind}/{listing.pk}/withdraw")
    assert response.status_code == WITHDRAW[who]
    listing.refresh_from_db()
    expected = ListingStatus.WITHDRAWN if WITHDRAW[who] == 200 else ListingStatus.PUBLISHED
    assert listing.status == expected
    assert AuditEvent.objects.filter(verb__endswith=".withdrawn").count() == (
        1 if WITHDRAW[who] == 200 else 0
    )
    if response.status_code != 200:
        assert response.json()["code"] == REFUSAL_CODES[response.status_code]


@pytest.mark.parametrize("who", ROLES)
def test_contact_masking_on_a_published_achievement(who, people):
    listing = AchievementFactory(owner=people["owner_org"], contact_phone="13712345678")
    body = client_for(_user(people, who)).get(f"/api/v1/transfer/achievements/{listing.pk}").json()
    assert body["contact"]["masked"] is (not CONTACT_CLEAR[who])
    assert body["contact"]["phone"] == ("13712345678" if CONTACT_CLEAR[who] else "137****5678")


# an intent from the 上海 org on the 河北 owner's achievement: who reads it, who may answer it
READ_INTENT = {"anonymous": 401, "owner": 200, "other_org": 200, "hb_bureau": 200, "sh_bureau": 200,
               "jjj_office": 404, "platform_admin": 200}  # fmt: skip
ANSWER_INTENT = {"anonymous": 401, "owner": 200, "other_org": 403, "hb_bureau": 403, "sh_bureau": 403,
                 "jjj_office": 404, "platform_admin": 200}  # fmt: skip


@pytest.fixture
def intent(people):
    listing = AchievementFactory(owner=people["owner_org"])
    return Intent.objects.create(
        from_org=people["other_org"], to_org=people["owner_org"], achievement=listing
    )


@pytest.mark.parametrize("who", ROLES)
def test_read_intent(who, people, intent):
    assert (
        client_for(_user(people, who)).get(f"/api/v1/transfer/intents/{intent.pk}").status_code
        == READ_INTENT[who]
    )


@pytest.mark.parametrize("who", ROLES)
def test_answer_intent(who, people, intent):
    response = client_for(_user(people, who)).post(
        f"/api/v1/transfer/intents/{intent.pk}/answer", {"accept": True}, content_type="application/json"
    )
    assert response.status_code == ANSWER_INTENT[who]
    intent.refresh_from_db()
    accepted = ANSWER_INTENT[who] == 200
    assert intent.status == (IntentStatus.ACCEPTED if accepted else IntentStatus.PENDING)
    assert AuditEvent.objects.filter(verb="intent.accepted").count() == int(accepted)


# a contract sold from 北京 to 河北: who sees it in the list
SEES_CONTRACT = {"anonymous": 401, "owner": 0, "other_org": 0, "hb_bureau": 1, "sh_bureau": 0,
                 "jjj_office": 1, "platform_admin": 1}  # fmt: skip


@pytest.mark.parametrize("who", ROLES)
def test_contract_visibility(who, people):
    ContractFactory(seller_region_id="110108", buyer_region_id="130102")
    response = client_for(_user(people, who)).get("/api/v1/transfer/contracts")
    if SEES_CONTRACT[who] == 401:
        assert response.status_code == 401
    else:
        assert response.json()["total"] == SEES_CONTRACT[who]


def test_a_party_sees_its_own_contract(people):
    ContractFactory(seller_region_id="110108", buyer_region_id="130102", buyer_org=people["owner_org"])
    assert client_for(people["owner"]).get("/api/v1/transfer/contracts").json()["total"] == 1


REGISTRAR_ONLY = "只有技术合同登记机构（地区科技主管部门）或平台管理员可以登记技术合同"
OUTSIDE_REGION = "技术合同由卖方所在地登记；该地区不在您的辖区内"


@pytest.mark.parametrize(
    ("who", "message"),
    [("other_org", REGISTRAR_ONLY), ("jjj_office", REGISTRAR_ONLY), ("sh_bureau", OUTSIDE_REGION)],
)
def test_registering_a_contract_outside_ones_region_is_refused(who, message, people):
    payload = {
        "registration_no": "X1", "title": "合同", "kind": "技术许可", "seller_name": "卖方", "seller_region": "130102",
        "buyer_name": "买方", "buyer_region": "110108", "amount_fen": 100, "tech_amount_fen": 100, "signed_on": "2025-01-02",
    }  # fmt: skip
    response = client_for(_user(people, who)).post(
        "/api/v1/transfer/contracts", payload, content_type="application/json"
    )
    assert (response.status_code, response.json()["message"]) == (403, message)
    assert not Achievement.objects.exists()
    from xietong.transfer.models import Contract

    assert Contract.objects.count() == 0


def test_the_sellers_bureau_registers_the_contract(people):
    from xietong.transfer.models import Contract

    payload = {
        "registration_no": "X1", "title": "合同", "kind": "技术许可", "seller_name": "卖方", "seller_region": "130102",
        "buyer_name": "买方", "buyer_region": "110108", "amount_fen": 100, "tech_amount_fen": 100, "signed_on": "2025-01-02",
    }  # fmt: skip
    response = client_for(people["hb_bureau"]).post(
        "/api/v1/transfer/contracts", payload, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert Contract.objects.get().seller_region_id == "130102"
