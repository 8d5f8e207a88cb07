"""The vouchers policy matrix: every role × region × action, the allowed cases asserted as well as the denials.

The world (tests/vouchers/conftest.py): a 通兑 programme issued by the 嘉兴 bureau (330400) whose vouchers are
redeemable in the 长三角 zone; the firm (嘉兴) holds a grant and used it at the 上海 provider. The 长三角 office
reads the zone; the 京津冀 office and the 四川 bureau have nothing to do with it.
"""

import pytest

from tests.clients import client_for
from tests.vouchers import factories as vf
from tests.vouchers.conftest import approved_redemption
from xietong.core.actor import ANONYMOUS
from xietong.core.errors import Forbidden, NotFound
from xietong.core.models import AuditEvent
from xietong.ledger.models import Entry
from xietong.vouchers import selectors, services
from xietong.vouchers.models import Application, Grant, Objection, Redemption
from xietong.vouchers.policies import (
    ApplicationPolicy,
    BundlePolicy,
    GrantPolicy,
    ObjectionPolicy,
    ProgrammePolicy,
    RedemptionPolicy,
    StatementPolicy,
)

pytestmark = pytest.mark.django_db

ROLES = [
    "jx_bureau",
    "sh_bureau",
    "sc_bureau",
    "yrd_office",
    "jjj_office",
    "firm_user",
    "other_firm_user",
    "sh_provider_user",
    "anonymous",
]


def _actor(world, who):
    return ANONYMOUS if who == "anonymous" else world.a(who)


def _client(world, who):
    return client_for(None if who == "anonymous" else getattr(world, who))


def _allowed(world, policy, action, obj) -> set[str]:
    return {who for who in ROLES if policy.can(_actor(world, who), action, obj)}


def _visible(world, policy, obj) -> set[str]:
    return {who for who in ROLES if policy.visible_qs(_actor(world, who)).filter(pk=obj.pk).exists()}


ISSUERS = {"jx_bureau", "sh_bureau", "sc_bureau", "yrd_office", "jjj_office"}
MEMBERS = {"firm_user", "other_firm_user", "sh_provider_user"}


# ---------------------------------------------------------------- the dashboard leak (issue 11)

DASHBOARD = {"jx_bureau": 200, "yrd_office": 200, "jjj_office": 403, "sc_bureau": 403, "sh_bureau": 403}
DASHBOARD |= {"firm_user": 403, "sh_provider_user": 403}


@pytest.mark.parametrize("who", list(DASHBOARD))
def test_programme_dashboard_page_only_for_its_managers_and_zone(world, tongdui, who):
    # when the actor opens the 嘉兴 programme's dashboard page
    response = _client(world, who).get(f"/vouchers/programmes/{tongdui.pk}/dashboard/")
    # then only the issuing bureau and the 长三角 office get it; the 京津冀 office is refused like 四川
    assert response.status_code == DASHBOARD[who]


@pytest.mark.parametrize("who", list(DASHBOARD))
def test_programme_dashboard_api_only_for_its_managers_and_zone(world, tongdui, who):
    response = _client(world, who).get(f"/api/v1/vouchers/programmes/{tongdui.pk}/dashboard")
    assert response.status_code == DASHBOARD[who], response.content
    if DASHBOARD[who] == 200:
        assert response.json()["budget_fen"] == 10_000_000
    else:
        assert response.json()["message"] == "方案看板仅对发券部门和相关协同区办公室开放"


def test_programme_dashboard_selector_refuses_without_the_policy(world, tongdui):
    with pytest.raises(Forbidden):
        selectors.programme_dashboard(actor=world.a("jjj_office"), programme_id=tongdui.pk)
    data = selectors.programme_dashboard(actor=world.a("yrd_office"), programme_id=tongdui.pk)
    assert (data["budget_fen"], data["granted_fen"], data["by_region"]) == (10_000_000, 0, [])


def test_programme_dashboard_link_follows_the_policy(world, tongdui):
    link = f"/vouchers/programmes/{tongdui.pk}/dashboard/"
    assert link in _client(world, "yrd_office").get(f"/vouchers/programmes/{tongdui.pk}/").content.decode()
    assert (
        link not in _client(world, "jjj_office").get(f"/vouchers/programmes/{tongdui.pk}/").content.decode()
    )


# ---------------------------------------------------------------- programmes


def test_programme_matrix(world, tongdui):
    assert _allowed(world, ProgrammePolicy, "manage", tongdui) == {"jx_bureau"}
    assert _allowed(world, ProgrammePolicy, "dashboard", tongdui) == {"jx_bureau", "yrd_office"}
    assert _allowed(world, ProgrammePolicy, "apply", tongdui) == MEMBERS
    assert _allowed(world, ProgrammePolicy, "create", None) == ISSUERS
    assert _allowed(world, ProgrammePolicy, "review_queue", None) == ISSUERS
    assert _allowed(world, ProgrammePolicy, "undeclared", tongdui) == set()
    assert _visible(world, ProgrammePolicy, tongdui) == set(ROLES)  # programmes are public notices


def test_zone_programme_is_managed_by_its_office_and_seen_on_its_dashboard(world):
    # given a programme issued by the 长三角 office itself
    programme = vf.programme(actor=world.a("yrd_office"), issuer_region="", issuer_zone="yrd")
    assert _allowed(world, ProgrammePolicy, "manage", programme) == {"yrd_office"}
    assert _allowed(world, ProgrammePolicy, "dashboard", programme) == {"yrd_office"}


# ---------------------------------------------------------------- applications and grants


def test_application_matrix(world, tongdui):
    app = services.application_submit(
        actor=world.a("firm_user"), programme_id=tongdui.pk, enterprise_id=world.firm.pk, amount_fen=100_000,
        purpose="检测",
    )  # fmt: skip
    assert _allowed(world, ApplicationPolicy, "review", app) == {"jx_bureau"}
    assert _allowed(world, ApplicationPolicy, "submit_for", world.firm) == {"firm_user"}
    assert _visible(world, ApplicationPolicy, app) == {"jx_bureau", "yrd_office", "firm_user"}


def test_application_for_another_firm_is_refused_and_writes_nothing(world, tongdui):
    with pytest.raises(Forbidden):
        services.application_submit(
            actor=world.a("other_firm_user"), programme_id=tongdui.pk, enterprise_id=world.firm.pk,
            amount_fen=100_000, purpose="检测",
        )  # fmt: skip
    assert (Application.objects.count(), AuditEvent.objects.filter(verb__startswith="voucher").count()) == (
        0,
        1,
    )


def test_grant_matrix(world, grant):
    assert _allowed(world, GrantPolicy, "use", grant) == {"firm_user"}
    assert _allowed(world, GrantPolicy, "manage", grant) == {"jx_bureau"}
    assert _allowed(world, GrantPolicy, "hold", None) == MEMBERS
    assert _visible(world, GrantPolicy, grant) == {"jx_bureau", "yrd_office", "firm_user"}
    usable = {
        who for who in ROLES if Grant.objects.filter(GrantPolicy.usable(_actor(world, who)), pk=grant.pk)
    }
    assert usable == {"firm_user"}


# ---------------------------------------------------------------- redemptions, objections, bundling


@pytest.fixture
def publicised(world, grant):
    return approved_redemption(world, grant, key="matrix-1")


def test_redemption_matrix(world, publicised):
    r = publicised
    assert _allowed(world, RedemptionPolicy, "claim", r) == {"sh_provider_user"}  # 通兑: the provider claims
    assert _allowed(world, RedemptionPolicy, "release", r) == {"firm_user", "jx_bureau"}
    assert _allowed(world, RedemptionPolicy, "review", r) == {"jx_bureau"}
    assert _allowed(world, RedemptionPolicy, "pay", r) == {"jx_bureau"}
    assert _allowed(world, RedemptionPolicy, "resolve_objection", r) == {"jx_bureau"}
    assert _allowed(world, RedemptionPolicy, "object", r) == set(ROLES) - {"anonymous"}
    assert _visible(world, RedemptionPolicy, r) == {
        "jx_bureau", "sh_bureau", "yrd_office", "firm_user", "sh_provider_user",
    }  # fmt: skip


def test_objection_matrix(world, publicised):
    objection = services.objection_raise(
        actor=world.a("other_firm_user"), redemption_id=publicised.pk, text="该笔服务价格明显高于市场价"
    )
    assert _allowed(world, ObjectionPolicy, "resolve", objection) == {"jx_bureau"}
    assert _visible(world, ObjectionPolicy, objection) == set(ROLES)  # on the public 公示 list


@pytest.mark.parametrize("who", ["sh_bureau", "yrd_office", "firm_user", "sh_provider_user", "jjj_office"])
def test_objection_resolve_refused_writes_nothing(world, publicised, who):
    objection = services.objection_raise(
        actor=world.a("other_firm_user"), redemption_id=publicised.pk, text="该笔服务价格明显高于市场价"
    )
    before = (Entry.objects.count(), AuditEvent.objects.count())
    with pytest.raises((Forbidden, NotFound)):
        services.objection_resolve(actor=world.a(who), objection_id=objection.pk, upheld=True, note="成立")
    assert Objection.objects.get(pk=objection.pk).status == "open"
    assert Redemption.objects.get(pk=publicised.pk).status == "publicised"
    assert (Entry.objects.count(), AuditEvent.objects.count()) == before


@pytest.mark.parametrize("who", ["sh_bureau", "yrd_office", "firm_user", "sh_provider_user", "sc_bureau"])
def test_pay_refused_writes_nothing(world, publicised, who):
    before = (Entry.objects.count(), AuditEvent.objects.count())
    with pytest.raises((Forbidden, NotFound)):
        services.redemption_pay(actor=world.a(who), redemption_id=publicised.pk, reference="PAY-1")
    assert Redemption.objects.get(pk=publicised.pk).status == "publicised"
    assert (Entry.objects.count(), AuditEvent.objects.count()) == before


def test_bundle_matrix(world):
    order = vf.order(provider=world.sh_provider, customer=world.firm, quoted_fen=300_000)
    assert _allowed(world, BundlePolicy, "invite", order) == {"firm_user"}
    partner = services.bundle_invite(
        actor=world.a("firm_user"), order_id=order.pk, enterprise_id=world.other_firm.pk
    )
    # the partner row is seen by whoever sees the order: both parties, the invited firm, the regions' offices
    assert _visible(world, BundlePolicy, partner) == {
        "jx_bureau", "sh_bureau", "yrd_office", "firm_user", "other_firm_user", "sh_provider_user",
    }  # fmt: skip


def test_bundle_invite_by_the_provider_is_refused_and_writes_nothing(world):
    order = vf.order(provider=world.sh_provider, customer=world.firm, quoted_fen=300_000)
    with pytest.raises(Forbidden):
        services.bundle_invite(
            actor=world.a("sh_provider_user"), order_id=order.pk, enterprise_id=world.other_firm.pk
        )
    assert not BundlePolicy.visible_qs(world.a("jx_bureau")).exists()


# ---------------------------------------------------------------- statements and page-level rules


def test_statement_page_rule(world):
    assert _allowed(world, StatementPolicy, "list", None) == ISSUERS


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("jx_bureau", 200),
        ("yrd_office", 200),
        ("jjj_office", 200),
        ("firm_user", 403),
        ("sh_provider_user", 403),
    ],
)
def test_issuer_pages_ask_the_page_rule(world, who, status):
    client = _client(world, who)
    assert client.get("/vouchers/review/").status_code == status
    assert client.get("/vouchers/programmes/new/").status_code == status


@pytest.mark.parametrize(
    ("who", "labels"),
    [
        ("jx_bureau", {"创新券", "创新券审核", "跨区结算"}),
        ("yrd_office", {"创新券", "创新券审核", "跨区结算"}),
        ("firm_user", {"创新券", "我的创新券"}),
        ("anonymous", {"创新券"}),
    ],
)
def test_nav_entries_ask_the_policies(world, who, labels):
    from xietong.core.nav import items_for

    shown = {str(i["label"]) for i in items_for(_actor(world, who)) if i["url_name"].startswith("vouchers:")}
    assert shown == labels
