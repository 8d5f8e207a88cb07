"""The tenancy matrix as a whole: every endpoint that names an object belongs to an app that has a matrix; and
the kernel's own id endpoint (revoking a personal API token) is the token owner's alone.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import tenancy_matrix as m
from xietong.core import tokens

pytestmark = pytest.mark.django_db
TESTS = Path(__file__).resolve().parents[1]


def test_every_app_with_id_endpoints_has_a_tenancy_matrix():
    # given every page and API operation whose path names an object (pages and /api/v1/ alike)
    apps = {m.app_of(route) for _, route in m.id_endpoints()}
    # then each app they belong to has its matrix (the ledger has none while it has no pages or API)
    assert apps >= {"core", "evaluation", "orgs", "regions", "resources", "transfer", "vouchers"}
    assert [app for app in sorted(apps) if not (TESTS / app / "test_tenancy_matrix.py").exists()] == []


def test_page_methods_are_read_from_the_view_decorators():
    # the report download only answers GET, the order actions only POST, the partners page both
    endpoints = m.id_endpoints()
    assert ("GET", "resources/orders/<int:order_id>/report/") in endpoints
    assert ("POST", "resources/orders/<int:order_id>/report/") not in endpoints
    assert ("GET", "resources/orders/<int:order_id>/<slug:action>/") not in endpoints
    assert {
        ("GET", "vouchers/orders/<int:order_id>/partners/"),
        ("POST", "vouchers/orders/<int:order_id>/partners/"),
    } <= endpoints


def build(world: m.World) -> None:
    world.objects["token"], _ = tokens.token_create(user=world.users["a_admin"], name="矩阵测试脚本")


CASES = [
    m.Case(
        "DELETE",
        "api/v1/me/tokens/<int:token_id>",
        m.expect(m.NOT_FOUND, anonymous=m.UNAUTHENTICATED, a_admin=m.NO_CONTENT),
        lambda w: {"token_id": w.token},
    ),
    m.Case(
        "POST",
        "me/tokens/<int:token_id>/revoke/",
        m.expect(m.NOT_FOUND, anonymous=m.LOGIN, a_admin=m.REDIRECT),
        lambda w: {"token_id": w.token},
    ),
]

world = m.world_fixture(build)


@pytest.mark.parametrize(("case", "role"), m.params(CASES))
def test_role_on_another_users_token(world, case, role, settings):
    m.check(world, case, role, settings)


def test_every_core_endpoint_with_an_id_is_in_the_matrix():
    m.assert_covers("core", CASES)


# ------------------------------------------------------------------------------------------------ the judge itself

PATCH_A = "api/v1/orgs/<int:org_id>"


def test_a_refusal_that_wrote_something_fails_the_matrix(world, settings, monkeypatch):
    # given an update that leaves an audit event behind and then refuses
    from xietong.core import audit
    from xietong.core.errors import Forbidden
    from xietong.orgs import api

    def leaky_update(*, actor, org_id, changes):
        audit.record(actor=actor, verb="org.updated", target=world.orgs["a"], data={})
        raise Forbidden("您无权处理该机构的信息")

    monkeypatch.setattr(api.services, "organisation_update", leaky_update)
    case = m.Case(
        "PATCH", PATCH_A, m.expect(m.FORBIDDEN), lambda w: {"org_id": w.orgs["a"]}, lambda w: {"website": ""}
    )
    # when the matrix judges it, then the 403 alone does not pass
    with pytest.raises(AssertionError, match="was refused but wrote"):
        m.check(world, case, "b_admin", settings)


def test_an_allowed_write_that_wrote_nothing_fails_the_matrix(world, settings):
    # given a body that changes nothing (the organisation's own description)
    org = world.orgs["a"]
    case = m.Case(
        "PATCH",
        PATCH_A,
        m.expect(m.OK),
        lambda w: {"org_id": org},
        lambda w: {"description": org.description},
    )
    # when its admin sends it, then "allowed" is not proven by a 200 alone
    with pytest.raises(AssertionError, match="was allowed but wrote nothing"):
        m.check(world, case, "a_admin", settings)
