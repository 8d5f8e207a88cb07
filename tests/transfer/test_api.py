"""API and pages: publish, search, recommend with feedback, metrics; 4xx for bad input; exact query counts."""

import pytest
from django.test import Client

from tests.clients import client_for
from tests.factories import actor, member
from tests.transfer.conftest import ACHIEVEMENT, DEMAND, reindex
from tests.transfer.factories import AchievementFactory, ContractFactory, DemandFactory
from xietong.core.roles import Role
from xietong.transfer import evaluation, services
from xietong.transfer.enums import ListingKind
from xietong.transfer.models import Achievement, Demand, Recommendation

pytestmark = pytest.mark.django_db


def _api_achievement() -> dict:
    data = {k: v for k, v in ACHIEVEMENT.items() if k != "price_wan"}
    return {**data, "keywords": ["热管理", "动力电池"], "price_fen": 80_000_000}


def test_publish_by_api_and_find_it_by_full_text(world):
    response = client_for(world["bj_user"]).post(
        "/api/v1/transfer/achievements", _api_achievement(), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["price_fen"] == 80_000_000 and body["contact"]["masked"] is False
    found = Client().get("/api/v1/transfer/achievements", {"q": "液冷热管理"}).json()
    assert [i["id"] for i in found["items"]] == [body["id"]]
    assert Client().get("/api/v1/transfer/achievements", {"q": "小麦育种"}).json()["total"] == 0


@pytest.mark.parametrize(
    "change, status, field",
    [({"trl": 10}, 422, "trl"), ({"industry": "magic"}, 400, "industry"), ({"transfer_modes": []}, 400, "transfer_modes"),
     ({"price_fen": -1}, 422, "price_fen"), ({"title": ""}, 400, "title")],
)  # fmt: skip
def test_bad_listing_input_is_a_4xx_in_chinese_and_writes_nothing(world, change, status, field):
    response = client_for(world["bj_user"]).post(
        "/api/v1/transfer/achievements", {**_api_achievement(), **change}, content_type="application/json"
    )
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"code", "message", "detail"} and any(
        "\u4e00" <= ch <= "\u9fff" for ch in body["message"]
    )
    assert Achievement.objects.count() == 0


def test_demand_recommendations_feedback_and_metrics(world):
    services.listing_publish(actor=actor(world["bj_user"]), kind=ListingKind.ACHIEVEMENT, raw=ACHIEVEMENT)
    dem = services.listing_publish(actor=actor(world["hb_user"]), kind=ListingKind.DEMAND, raw=DEMAND)
    client = client_for(world["hb_user"])
    hits = client.get(f"/api/v1/transfer/demands/{dem.pk}/recommendations").json()
    assert len(hits) == 1 and "同属京津冀" in hits[0]["reasons"]
    rec_id = hits[0]["recommendation_id"]
    # feedback by htmx on the page, then by API
    page = client.post(
        f"/transfer/recommendations/{rec_id}/feedback/", {"verdict": "useful"}, HTTP_HX_REQUEST="true"
    )
    assert page.status_code == 200 and 'data-verdict="useful"' in page.content.decode()
    assert Recommendation.objects.get(pk=rec_id).feedback == "useful"
    response = client.post(
        f"/api/v1/transfer/recommendations/{rec_id}/feedback",
        {"verdict": "contacted"},
        content_type="application/json",
    )
    assert response.json() == {"id": rec_id, "rank": 1, "feedback": "contacted"}
    assert client.post(f"/api/v1/transfer/recommendations/{rec_id}/feedback", {"verdict": "x"},
                       content_type="application/json").status_code == 422  # fmt: skip
    # someone else's recommendation looks missing
    other = client_for(world["jx_user"]).post(
        f"/api/v1/transfer/recommendations/{rec_id}/feedback",
        {"verdict": "useful"},
        content_type="application/json",
    )
    assert other.status_code == 404
    # following the link (a GET, as crawlers and prefetchers send) counts nothing
    assert client.get(f"/transfer/recommendations/{rec_id}/go/").status_code == 302
    admin = member(Role.PLATFORM_ADMIN)
    assert client_for(admin).get("/api/v1/transfer/metrics").json()[0]["clicked"] == 0
    # the person's browser sends the click as a POST beacon (page) or through the API
    assert client.post(f"/transfer/recommendations/{rec_id}/click/").status_code == 204
    assert client.post(f"/api/v1/transfer/recommendations/{rec_id}/click").status_code == 204
    # operators see the rates; others do not
    rows = client_for(admin).get("/api/v1/transfer/metrics").json()
    assert rows == [{"rank": 1, "shown": 1, "clicked": 1, "useful": 0, "irrelevant": 0, "contacted": 1,
                     "click_rate": 1.0, "useful_rate": 0.0, "contact_rate": 1.0, "irrelevant_rate": 0.0}]  # fmt: skip
    assert client_for(world["hb_user"]).get("/api/v1/transfer/metrics").status_code == 403
    assert "100%" in client_for(admin).get("/transfer/metrics/").content.decode()
    # offline evaluation over the stored feedback
    result = evaluation.offline_evaluate(k=10)
    assert (result["queries"], result["judged"], result["mrr"], result["ndcg_at_k"]) == (1, 1, 1.0, 1.0)


def test_recommendations_are_for_the_owner_only(world):
    dem = services.listing_publish(actor=actor(world["hb_user"]), kind=ListingKind.DEMAND, raw=DEMAND)
    assert (
        client_for(world["jx_user"]).get(f"/api/v1/transfer/demands/{dem.pk}/recommendations").status_code
        == 403
    )
    assert Client().get(f"/api/v1/transfer/demands/{dem.pk}/recommendations").status_code == 401


def test_acceptance_list_matches_achievements_from_other_provinces(world):
    ach = services.listing_publish(
        actor=actor(world["bj_user"]), kind=ListingKind.ACHIEVEMENT, raw=ACHIEVEMENT
    )
    services.listing_publish(  # same province as the park: not a match for 承接
        actor=actor(world["hb_user"]),
        kind=ListingKind.ACHIEVEMENT,
        raw={**ACHIEVEMENT, "title": "河北本地电池热管理"},
    )
    from tests.factories import OrganisationFactory

    park = OrganisationFactory(kind="park", region_id="130102", name="石家庄测试产业园")
    park_user = member(Role.ORG_ADMIN, organisation=park)
    payload = {"title": "新能源承接清单", "publisher_id": park.pk, "industries": ["new_energy"], "keywords": ["动力电池", "热管理"],
               "trl_min": 6, "conditions": "可提供中试场地"}  # fmt: skip
    created = client_for(park_user).post(
        "/api/v1/transfer/acceptance-lists", payload, content_type="application/json"
    )
    assert created.status_code == 201, created.content
    lst_id = created.json()["id"]
    matches = Client().get(f"/api/v1/transfer/acceptance-lists/{lst_id}/matches").json()
    assert [m["id"] for m in matches] == [ach.pk]
    assert "领域相同：新能源" in matches[0]["reasons"]
    page = Client().get(f"/transfer/acceptance/{lst_id}/").content.decode()
    assert ACHIEVEMENT["title"] in page and "河北本地电池热管理" not in page
    # another region's bureau cannot publish for 河北
    sh = member(Role.REGION_BUREAU, region_id="310000")
    denied = client_for(sh).post(
        "/api/v1/transfer/acceptance-lists", {**payload, "publisher_id": None, "region": "130102"},
        content_type="application/json",
    )  # fmt: skip
    assert denied.status_code == 403


def test_publish_and_intent_through_the_pages(world):
    client = client_for(world["hb_user"])
    form = {**DEMAND, "transfer_modes": ["license"]}
    response = client.post("/transfer/demands/new/", form)
    assert response.status_code == 302
    demand = Demand.objects.get()
    assert demand.budget_fen == 100_000_000
    bad = client.post("/transfer/demands/new/", {**form, "budget_wan": "abc"})
    assert bad.status_code == 400 and "不是有效数字" in bad.content.decode()
    assert Demand.objects.count() == 1
    # the 北京 university expresses interest in the demand; the enterprise accepts on its page
    uni = client_for(world["bj_user"])
    assert (
        uni.post(f"/transfer/demands/{demand.pk}/intent/", {"message": "我们有液冷方案"}).status_code == 302
    )
    assert "138****2222" in uni.get(f"/transfer/demands/{demand.pk}/").content.decode()
    intent = demand.intents.get()
    assert client.post(f"/transfer/intents/{intent.pk}/answer/", {"decision": "accept"}).status_code == 302
    assert "13800002222" in uni.get(f"/transfer/demands/{demand.pk}/").content.decode()


def test_list_endpoints_and_pages_have_a_fixed_query_count(world, django_assert_num_queries):
    for i in range(5):
        AchievementFactory(owner=world["bj_uni"], title=f"成果{i}")
        DemandFactory(owner=world["hb_ent"], title=f"需求{i}")
        ContractFactory()
    reindex()
    anon, hb = Client(), client_for(member(Role.REGION_BUREAU, region_id="130000"))
    with django_assert_num_queries(2):  # count + page
        assert anon.get("/api/v1/transfer/achievements").json()["total"] == 5
    with django_assert_num_queries(2):
        assert anon.get("/api/v1/transfer/demands", {"q": "传感器"}).json()["total"] == 5
    with django_assert_num_queries(2):
        anon.get("/transfer/")
    with django_assert_num_queries(5):  # session, user, memberships, count, page
        hb.get("/api/v1/transfer/contracts")
    with django_assert_num_queries(5):
        hb.get("/transfer/contracts/")


def test_answer_page_never_redirects_off_site(world):
    ach = services.listing_publish(
        actor=actor(world["bj_user"]), kind=ListingKind.ACHIEVEMENT, raw=ACHIEVEMENT
    )
    intent = services.intent_express(
        actor=actor(world["hb_user"]), kind=ListingKind.ACHIEVEMENT, listing_id=ach.pk
    )
    response = client_for(world["bj_user"]).post(
        f"/transfer/intents/{intent.pk}/answer/", {"decision": "decline", "next": "https://evil.example/"}
    )
    assert response.status_code == 302 and response["Location"] == "/transfer/intents/"


def test_patch_listing_by_owner_only_and_reindexed(world):
    ach = services.listing_publish(
        actor=actor(world["bj_user"]), kind=ListingKind.ACHIEVEMENT, raw=ACHIEVEMENT
    )
    url = f"/api/v1/transfer/achievements/{ach.pk}"
    denied = client_for(world["hb_user"]).patch(url, {"title": "改名"}, content_type="application/json")
    assert denied.status_code == 403 and Achievement.objects.get(pk=ach.pk).title == ACHIEVEMENT["title"]
    wrong = client_for(world["bj_user"]).patch(url, {"budget_fen": 5}, content_type="application/json")
    assert wrong.status_code == 400 and "budget_fen" in wrong.json()["message"]
    ok = client_for(world["bj_user"]).patch(
        url, {"title": "固态电解质薄膜", "price_fen": 0}, content_type="application/json"
    )
    assert ok.status_code == 200 and ok.json()["price_fen"] == 0
    assert [
        i["id"] for i in Client().get("/api/v1/transfer/achievements", {"q": "固态电解质"}).json()["items"]
    ] == [ach.pk]


def test_intent_and_acceptance_lists_have_a_fixed_query_count(world, django_assert_num_queries):
    from tests.transfer.factories import AcceptanceListFactory

    for i in range(4):
        ach = AchievementFactory(owner=world["bj_uni"], title=f"成果{i}")
        services.intent_express(
            actor=actor(world["hb_user"]), kind=ListingKind.ACHIEVEMENT, listing_id=ach.pk
        )
        AcceptanceListFactory()
    hb = client_for(world["hb_user"])
    with django_assert_num_queries(4):  # session, user, memberships, intents with both orgs and targets
        assert len(hb.get("/api/v1/transfer/intents").json()) == 4
    with django_assert_num_queries(1):
        assert len(Client().get("/api/v1/transfer/acceptance-lists").json()) == 4
    with django_assert_num_queries(2):  # count + page
        Client().get("/transfer/acceptance/")


def test_requester_withdraws_a_pending_intent_on_the_page(world):
    ach = services.listing_publish(
        actor=actor(world["bj_user"]), kind=ListingKind.ACHIEVEMENT, raw=ACHIEVEMENT
    )
    intent = services.intent_express(
        actor=actor(world["hb_user"]), kind=ListingKind.ACHIEVEMENT, listing_id=ach.pk
    )
    assert client_for(world["bj_user"]).post(f"/transfer/intents/{intent.pk}/withdraw/").status_code == 403
    page = client_for(world["hb_user"]).get("/transfer/intents/?box=sent").content.decode()
    assert f"/transfer/intents/{intent.pk}/withdraw/" in page
    assert client_for(world["hb_user"]).post(f"/transfer/intents/{intent.pk}/withdraw/").status_code == 302
    intent.refresh_from_db()
    assert intent.status == "withdrawn"
