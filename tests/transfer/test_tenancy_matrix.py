"""Tenancy matrix of technology transfer: every role × enterprise A's (嘉兴) listings, intents, recommendations
and acceptance list.

Published listings are public; A's withdrawn ones are seen only by A, the 嘉兴 bureau, the 长三角 office and
the platform. Only A changes its listings and answers intents to A; P (上海), which expressed an intent, alone
withdraws it; a recommendation belongs to the one user it was shown to. Everyone else is refused and nothing
is written.
"""

from __future__ import annotations

import pytest

from tests import tenancy_matrix as m
from tests.factories import actor
from tests.transfer.factories import AcceptanceListFactory, AchievementFactory, DemandFactory
from xietong.transfer import search, services
from xietong.transfer.enums import ListingStatus
from xietong.transfer.models import Recommendation

pytestmark = pytest.mark.django_db


def build(world: m.World) -> None:
    search.reset_indexes()
    a = world.orgs["a"]

    def owned(factory, **kw):
        return factory(owner=a, region_id=a.region_id, **kw)

    achievement = owned(AchievementFactory, title="矩阵测试：液冷热管理系统")
    demand = owned(DemandFactory, title="矩阵测试：电池包散热需求")
    wanted = owned(AchievementFactory, title="矩阵测试：智能传感器（已有意向）")
    intent = services.intent_express(
        actor=actor(world.users["p_admin"]), kind="achievement", listing_id=wanted.pk, message="希望洽谈许可"
    )
    world.objects.update(
        achievement=achievement,
        demand=demand,
        achievement_withdrawn=owned(AchievementFactory, status=ListingStatus.WITHDRAWN),
        demand_withdrawn=owned(DemandFactory, status=ListingStatus.WITHDRAWN),
        intent=intent,
        recommendation=Recommendation.objects.create(
            user=world.users["a_admin"],
            query_kind="achievement",
            query_id=achievement.pk,
            hit_kind="demand",
            hit_id=demand.pk,
            rank=1,
            score=1.5,
            reasons="关键词：热管理",
        ),
        acceptance=AcceptanceListFactory(region_id="330402", publisher=a, status=ListingStatus.WITHDRAWN),
    )


# ------------------------------------------------------------------------------------------------ who sees what

SEES_WITHDRAWN = ("platform_admin", "bureau_jx", "zone_yrd", "a_admin", "a_member")
OWNERS = ("platform_admin", "a_admin", "a_member")
# A published listing's contact: its owner, the bureau governing its region, the platform (no intent accepted yet).
READS_CONTACT = (*OWNERS, "bureau_jx")
# Recommendations for a listing: its owner and the bureau governing its region.
RECOMMEND = (*OWNERS, "bureau_jx")
# An intent of P to A: both parties, the bureaus of both regions, the platform (zone offices do not read intents).
SEES_INTENT = ("platform_admin", "bureau_jx", "bureau_sh", "a_admin", "a_member", "p_admin")
# Interest may be expressed by anyone with an organisation other than the owner.
INTERESTED = ("p_admin", "b_admin", "b_member")
# A withdrawn acceptance list of A: its publisher, the 嘉兴 bureau, the platform.
SEES_ACCEPTANCE = ("platform_admin", "bureau_jx", "a_admin", "a_member")


def outcome(sees, allowed, status, anonymous):
    out = {role: m.FORBIDDEN for role in sees}
    out.update({role: status for role in allowed})
    out["anonymous"] = anonymous
    return m.expect(m.NOT_FOUND, **out)


def api(sees, allowed, status=m.OK):
    return outcome(sees, allowed, status, m.UNAUTHENTICATED)


def page(sees, allowed, status=m.REDIRECT, anonymous=m.LOGIN):
    return outcome(sees, allowed, status, anonymous)


def objects(**names):
    return lambda w: {key: getattr(w, name) for key, name in names.items()}


def listing_cases(kind: str) -> list[m.Case]:
    plural, published, withdrawn = f"{kind}s", objects(pk=kind), objects(pk=f"{kind}_withdrawn")

    def phone(w) -> str:
        return getattr(w, kind).contact_phone

    return [
        *(
            m.Case(
                "GET",
                route,
                m.expect(m.OK),
                published,
                name="published",
                secret=phone,
                shown_to=READS_CONTACT,
            )
            for route in (f"api/v1/transfer/{plural}/<int:pk>", f"transfer/{plural}/<int:pk>/")
        ),
        m.Case(
            "GET",
            f"api/v1/transfer/{plural}/<int:pk>",
            outcome(SEES_WITHDRAWN, SEES_WITHDRAWN, m.OK, m.NOT_FOUND),
            withdrawn,
        ),
        m.Case(
            "GET",
            f"transfer/{plural}/<int:pk>/",
            outcome(SEES_WITHDRAWN, SEES_WITHDRAWN, m.OK, m.NOT_FOUND),
            withdrawn,
        ),
        m.Case(
            "PATCH",
            f"api/v1/transfer/{plural}/<int:pk>",
            api(m.ROLES, OWNERS),
            published,
            lambda w: {"title": "矩阵测试：修改后的标题"},
        ),
        m.Case(
            "PATCH",
            f"api/v1/transfer/{plural}/<int:pk>",
            api(SEES_WITHDRAWN, OWNERS),
            withdrawn,
            lambda w: {"title": "矩阵测试：修改后的标题"},
            name="withdrawn",
        ),
        m.Case("POST", f"api/v1/transfer/{plural}/<int:pk>/withdraw", api(m.ROLES, OWNERS), published),
        m.Case("POST", f"transfer/{plural}/<int:pk>/withdraw/", page(m.ROLES, OWNERS), published),
        m.Case(
            "GET", f"api/v1/transfer/{plural}/<int:pk>/recommendations", api(m.ROLES, RECOMMEND), published
        ),
        m.Case("GET", f"transfer/{plural}/<int:pk>/recommend/", page(m.ROLES, RECOMMEND, m.OK), published),
        m.Case(
            "POST",
            f"api/v1/transfer/{plural}/<int:pk>/intents",
            api(m.ROLES, INTERESTED, m.CREATED),
            published,
            lambda w: {"message": "希望进一步洽谈"},
        ),
        m.Case(
            "POST",
            f"transfer/{plural}/<int:pk>/intent/",
            page(m.ROLES, INTERESTED),
            published,
            lambda w: {"message": "希望进一步洽谈"},
        ),
        m.Case(
            "POST",
            f"api/v1/transfer/{plural}/<int:pk>/intents",
            api(SEES_WITHDRAWN, ()),
            withdrawn,
            lambda w: {"message": "希望进一步洽谈"},
            name="withdrawn",
        ),
    ]


CASES = [
    *listing_cases("achievement"),
    *listing_cases("demand"),
    m.Case("GET", "api/v1/transfer/intents/<int:pk>", api(SEES_INTENT, SEES_INTENT), objects(pk="intent")),
    m.Case(
        "POST",
        "api/v1/transfer/intents/<int:pk>/answer",
        api(SEES_INTENT, OWNERS),
        objects(pk="intent"),
        lambda w: {"accept": True, "reply": "欢迎洽谈"},
    ),
    m.Case(
        "POST",
        "transfer/intents/<int:pk>/answer/",
        page(SEES_INTENT, OWNERS),
        objects(pk="intent"),
        lambda w: {"decision": "accept", "reply": "欢迎洽谈"},
    ),
    m.Case(
        "POST",
        "api/v1/transfer/intents/<int:pk>/withdraw",
        api(SEES_INTENT, ("platform_admin", "p_admin")),
        objects(pk="intent"),
    ),
    m.Case(
        "POST",
        "transfer/intents/<int:pk>/withdraw/",
        page(SEES_INTENT, ("platform_admin", "p_admin")),
        objects(pk="intent"),
    ),
    # a recommendation record is its user's alone — not even the platform reads another user's
    m.Case(
        "POST",
        "api/v1/transfer/recommendations/<int:pk>/click",
        api((), ("a_admin",), status=m.NO_CONTENT),
        objects(pk="recommendation"),
    ),
    m.Case(
        "POST",
        "api/v1/transfer/recommendations/<int:pk>/feedback",
        api((), ("a_admin",)),
        objects(pk="recommendation"),
        lambda w: {"verdict": "useful"},
    ),
    m.Case(
        "POST",
        "transfer/recommendations/<int:pk>/feedback/",
        page((), ("a_admin",)),
        objects(pk="recommendation"),
        lambda w: {"verdict": "useful"},
    ),
    m.Case(
        "GET", "transfer/recommendations/<int:pk>/go/", page((), ("a_admin",)), objects(pk="recommendation")
    ),
    m.Case(
        "POST",
        "transfer/recommendations/<int:pk>/click/",
        page((), ("a_admin",), status=m.NO_CONTENT),
        objects(pk="recommendation"),
    ),
    m.Case(
        "GET",
        "api/v1/transfer/acceptance-lists/<int:pk>/matches",
        outcome(SEES_ACCEPTANCE, SEES_ACCEPTANCE, m.OK, m.NOT_FOUND),
        objects(pk="acceptance"),
    ),
    m.Case(
        "GET",
        "transfer/acceptance/<int:pk>/",
        outcome(SEES_ACCEPTANCE, SEES_ACCEPTANCE, m.OK, m.NOT_FOUND),
        objects(pk="acceptance"),
    ),
]

world = m.world_fixture(build)


@pytest.mark.parametrize(("case", "role"), m.params(CASES))
def test_role_on_another_tenants_transfer_object(world, case, role, settings):
    m.check(world, case, role, settings)


def test_every_transfer_endpoint_with_an_id_is_in_the_matrix():
    m.assert_covers("transfer", CASES)
