"""Tenancy matrix of organisations: every role × 嘉兴's organisations through pages and API (tests/tenancy_matrix.py).

Approved organisations are a public directory; a pending registration is seen only by those who govern or read
its region, its members and its registrant. Reviewing needs the governing bureau; editing the bureau or the
organisation's own admin.
"""

from __future__ import annotations

import pytest

from tests import tenancy_matrix as m
from tests.factories import OrganisationFactory
from xietong.orgs.enums import OrgStatus

pytestmark = pytest.mark.django_db


def build(world: m.World) -> None:
    world.objects["pending"] = OrganisationFactory(
        name="嘉兴秀洲待审企业有限公司", region_id="330411", status=OrgStatus.PENDING
    )
    world.objects["renaming"] = OrganisationFactory(
        name="嘉兴南湖精密仪器有限公司", region_id="330402", pending_name="嘉兴南湖智能装备有限公司"
    )
    world.objects["suspended"] = OrganisationFactory(
        name="嘉兴南湖暂停示例有限公司",
        region_id="330402",
        status=OrgStatus.SUSPENDED,
        review_note="检测报告造假",
    )


def approved(w):
    return {"org_id": w.orgs["a"]}


def pending(w):
    return {"org_id": w.pending}


def suspended(w):
    return {"org_id": w.suspended}


# Who reads a pending registration: the platform, the 嘉兴 bureau, the 长三角 office.
SEES_PENDING = {"platform_admin": m.OK, "bureau_jx": m.OK, "zone_yrd": m.OK}
# The contact phone of an approved organisation is personal data: shown in full to its own people and to those
# who govern or read its region, masked for everyone else.
READS_CONTACT = ("platform_admin", "bureau_jx", "zone_yrd", "a_admin", "a_member")
PATCH = {"description": "矩阵测试修改的简介", "website": "https://example.com"}
# The 嘉兴 bureau and the platform review; the 长三角 office reads but may not review (403).
REVIEWERS_API = {"platform_admin": m.OK, "bureau_jx": m.OK, "zone_yrd": m.FORBIDDEN}
REVIEWERS_PAGE = {"platform_admin": m.REDIRECT, "bureau_jx": m.REDIRECT, "zone_yrd": m.FORBIDDEN}
# Suspending an approved (public) organisation: only the 嘉兴 bureau and the platform; every other role sees it
# and is refused (403). Reinstating a suspended one: it is hidden like a pending one (404) except from those
# who govern or read its region, and of those the 长三角 office may not act (403).
SUSPEND = {"note": "年检材料逾期未报"}

CASES = [
    # a verified organisation's rename waits for its bureau: everyone may see the organisation, only the 嘉兴
    # bureau and the platform decide
    m.Case(
        "POST",
        "api/v1/orgs/<int:org_id>/rename-review",
        m.expect(m.FORBIDDEN, anonymous=m.UNAUTHENTICATED, platform_admin=m.OK, bureau_jx=m.OK),
        lambda w: {"org_id": w.renaming},
        lambda w: {"approve": True, "note": ""},
    ),
    m.Case(
        "GET",
        "api/v1/orgs/<int:org_id>",
        m.expect(m.OK),
        approved,
        name="approved",
        secret=lambda w: w.orgs["a"].contact_phone,
        shown_to=READS_CONTACT,
    ),
    m.Case("GET", "api/v1/orgs/<int:org_id>", m.expect(m.NOT_FOUND, **SEES_PENDING), pending, name="pending"),
    m.Case(
        "PATCH",
        "api/v1/orgs/<int:org_id>",
        m.expect(m.FORBIDDEN, anonymous=m.UNAUTHENTICATED, platform_admin=m.OK, bureau_jx=m.OK, a_admin=m.OK),
        approved,
        lambda w: PATCH,
        name="approved",
    ),
    m.Case(
        "PATCH",
        "api/v1/orgs/<int:org_id>",
        m.expect(
            m.NOT_FOUND,
            anonymous=m.UNAUTHENTICATED,
            platform_admin=m.OK,
            bureau_jx=m.OK,
            zone_yrd=m.FORBIDDEN,
        ),
        pending,
        lambda w: PATCH,
        name="pending",
    ),
    m.Case(
        "POST",
        "api/v1/orgs/<int:org_id>/review",
        m.expect(m.NOT_FOUND, anonymous=m.UNAUTHENTICATED, **REVIEWERS_API),
        pending,
        lambda w: {"approve": True, "note": "材料齐全"},
    ),
    m.Case(
        "POST",
        "api/v1/orgs/<int:org_id>/suspend",
        m.expect(m.FORBIDDEN, anonymous=m.UNAUTHENTICATED, platform_admin=m.OK, bureau_jx=m.OK),
        approved,
        lambda w: SUSPEND,
    ),
    m.Case(
        "POST",
        "api/v1/orgs/<int:org_id>/reinstate",
        m.expect(m.NOT_FOUND, anonymous=m.UNAUTHENTICATED, **REVIEWERS_API),
        suspended,
        lambda w: {"note": "已整改"},
    ),
    m.Case(
        "POST",
        "orgs/<int:org_id>/suspend/",
        m.expect(m.FORBIDDEN, anonymous=m.LOGIN, platform_admin=m.REDIRECT, bureau_jx=m.REDIRECT),
        approved,
        lambda w: SUSPEND,
    ),
    m.Case(
        "POST",
        "orgs/<int:org_id>/reinstate/",
        m.expect(m.NOT_FOUND, anonymous=m.LOGIN, **REVIEWERS_PAGE),
        suspended,
        lambda w: {"note": "已整改"},
    ),
    m.Case(
        "GET",
        "orgs/<int:org_id>/",
        m.expect(m.OK),
        approved,
        name="approved",
        secret=lambda w: w.orgs["a"].contact_phone,
        shown_to=READS_CONTACT,
    ),
    m.Case("GET", "orgs/<int:org_id>/", m.expect(m.NOT_FOUND, **SEES_PENDING), pending, name="pending"),
    m.Case(
        "POST",
        "orgs/<int:org_id>/review/",
        m.expect(m.NOT_FOUND, anonymous=m.LOGIN, **REVIEWERS_PAGE),
        pending,
        lambda w: {"decision": "approve", "note": "材料齐全"},
    ),
]

world = m.world_fixture(build)


@pytest.mark.parametrize(("case", "role"), m.params(CASES))
def test_role_on_another_tenants_organisation(world, case, role, settings):
    m.check(world, case, role, settings)


def test_every_organisation_endpoint_with_an_id_is_in_the_matrix():
    m.assert_covers("orgs", CASES)
