"""Tenancy matrix of talent: every role × the 嘉兴 side's profile, expert, appointments, round and seat, plus the
public schemes and agreements.

A's person (嘉兴 enterprise A) is seen by every signed-in user, their phone only by A's admin, the 嘉兴 bureau,
the platform and P (上海), the host of their appointment. The 嘉兴 expert is seen by the 嘉兴 bureau, the 长三角
office and the platform; only the bureau changes it. The round belongs to the 嘉兴 bureau; only the invited
expert answers a seat. Schemes and agreements are public; only the issuing / host region's bureau changes them.
"""

from __future__ import annotations

from datetime import date

import pytest

from tests import tenancy_matrix as m
from tests.factories import OrganisationFactory, actor
from tests.talent import factories
from xietong.talent import search, services
from xietong.talent.enums import AppointmentStatus
from xietong.talent.models import Appointment, ReviewSeat

pytestmark = pytest.mark.django_db


def build(world: m.World) -> None:
    search.reset()
    a, p = world.orgs["a"], world.orgs["p"]
    person = factories.profile(a, name="矩阵人才", phone="13911112222")
    units = [OrganisationFactory(name=f"嘉兴专家单位{i}", region_id="330402") for i in range(4)]
    experts = [
        factories.expert(u, region="330400", name=f"嘉兴专家{i}", expertise="智能制造 工业视觉")
        for i, u in enumerate(units)
    ]
    scheme = factories.tianfu_card()
    agreement = factories.chuanyu_agreement(scheme, start=date(2026, 1, 1), end=date(2026, 12, 31))
    offered = Appointment.objects.create(profile=person, host_org=p, home_org=a, role="兼职研究员", start_on=date(2026, 1, 1),
                                         end_on=date(2027, 12, 31), time_share=20)  # fmt: skip
    active = Appointment.objects.create(profile=person, host_org=p, home_org=a, role="技术顾问", start_on=date(2026, 1, 1),
                                        end_on=date(2027, 12, 31), time_share=10, status=AppointmentStatus.ACTIVE)  # fmt: skip
    bureau = actor(world.users["bureau_jx"])
    spec = dict(region_code="330400", k=2, cap=2, mode="optimal",
                proposals=[{"title": "矩阵评审项目", "text": "工业视觉", "applicant_name": a.name, "applicant_region": a.region_id,
                            "credit_code": a.credit_code}])  # fmt: skip
    assigned = services.round_open(actor=bureau, spec=services.RoundSpec(title="矩阵评审（已分配）", **spec))
    services.round_assign(actor=bureau, round_id=assigned.pk)
    # the expert role is the person holding a seat (not the expert the expert-endpoint cases use)
    seat = ReviewSeat.objects.filter(item__round=assigned).exclude(expert=experts[0]).order_by("id").first()
    holder = seat.expert.profile
    holder.user = world.users["expert"]
    holder.save()
    world.objects.update(
        person=person, expert=experts[0], scheme=scheme, agreement=agreement, offered=offered, active=active,
        assigned=assigned, open_round=services.round_open(actor=bureau, spec=services.RoundSpec(title="矩阵评审（待分配）", **spec)),
        seat=seat, seat_holder=holder.user,
    )  # fmt: skip


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


SIGNED_IN = tuple(r for r in m.ROLES if r != "anonymous")
READS_CONTACT = ("platform_admin", "a_admin", "bureau_jx", "p_admin")
EDITS_PROFILE = ("platform_admin", "a_admin", "bureau_jx")
SEES_EXPERT = ("platform_admin", "bureau_jx", "zone_yrd")
GOVERNS_EXPERT = ("platform_admin", "bureau_jx")
SEES_APPOINTMENT = ("platform_admin", "a_admin", "a_member", "p_admin", "bureau_jx", "bureau_sh")
ROUND = ("platform_admin", "bureau_jx")
person, expert = objects(pk="person"), objects(pk="expert")

CASES = [
    m.Case("GET", "api/v1/talent/profiles/<int:pk>", api(SIGNED_IN, SIGNED_IN), person,
           secret=lambda w: w.person.phone, shown_to=READS_CONTACT),
    m.Case("GET", "talent/profiles/<int:pk>/", page(SIGNED_IN, SIGNED_IN, m.OK), person,
           secret=lambda w: w.person.phone, shown_to=READS_CONTACT),
    m.Case("POST", "talent/profiles/<int:pk>/", page(SIGNED_IN, GOVERNS_EXPERT), person,
           lambda w: {"region_code": "330400", "term_start": "2026-01-01", "term_end": "2027-12-31", "yearly_cap": "10"}),
    m.Case("PATCH", "api/v1/talent/profiles/<int:pk>", api(SIGNED_IN, EDITS_PROFILE), person,
           lambda w: {"position": "首席工程师"}),
    m.Case("GET", "api/v1/talent/profiles/<int:pk>/benefits", api(SIGNED_IN, SIGNED_IN), person),
    m.Case("GET", "api/v1/talent/experts/<int:pk>", api(SEES_EXPERT, SEES_EXPERT), expert),
    m.Case("PATCH", "api/v1/talent/experts/<int:pk>", api(SEES_EXPERT, GOVERNS_EXPERT), expert,
           lambda w: {"is_available": False}),
    m.Case("PUT", "api/v1/talent/experts/<int:pk>/declarations", api(SEES_EXPERT, GOVERNS_EXPERT), expert,
           lambda w: {"avoid_org_ids": [w.orgs["b"].pk], "avoid_profile_ids": []}),
    m.Case("PUT", "api/v1/talent/zones/<code>/sharing",
           m.expect(m.FORBIDDEN, anonymous=m.UNAUTHENTICATED, platform_admin=m.OK, zone_yrd=m.OK),
           lambda w: {"code": "yrd"}, lambda w: {"shares_experts": True}),
    m.Case("GET", "api/v1/talent/schemes/<int:pk>", m.expect(m.OK), objects(pk="scheme")),
    m.Case("POST", "api/v1/talent/schemes/<int:pk>/cards",
           m.expect(m.FORBIDDEN, anonymous=m.UNAUTHENTICATED, platform_admin=m.CREATED, bureau_sc=m.CREATED),
           objects(pk="scheme"), lambda w: {"profile_id": w.person.pk, "tier": "B"}),
    # the card page: the profile is seen by every signed-in user; only who runs a scheme (天府英才卡: 四川) issues
    m.Case("GET", "talent/profiles/<int:pk>/cards/new/", page(SIGNED_IN, ("platform_admin", "bureau_sc"), m.OK),
           person),
    m.Case("POST", "talent/profiles/<int:pk>/cards/new/", page(SIGNED_IN, ("platform_admin", "bureau_sc")), person,
           lambda w: {"tier": f"{w.scheme.pk}:B", "number": "TF-1"}),
    m.Case("GET", "api/v1/talent/agreements/<int:pk>", m.expect(m.OK), objects(pk="agreement")),
    m.Case("GET", "talent/agreements/<int:pk>/", m.expect(m.OK), objects(pk="agreement")),
    m.Case("POST", "api/v1/talent/agreements/<int:pk>/versions",
           m.expect(m.FORBIDDEN, anonymous=m.UNAUTHENTICATED, platform_admin=m.CREATED), objects(pk="agreement"),
           lambda w: {"effective_from": "2030-01-01", "min_tier": "B", "grants": [{"service": "子女入学", "article": "第三条"}]}),
    m.Case("POST", "api/v1/talent/agreements/<int:pk>/versions/<int:number>/close",
           m.expect(m.FORBIDDEN, anonymous=m.UNAUTHENTICATED, platform_admin=m.OK),
           lambda w: {"pk": w.agreement, "number": 1}, lambda w: {"effective_to": "2026-06-30"}),
    m.Case("POST", "talent/agreements/<int:pk>/",
           m.expect(m.FORBIDDEN, platform_admin=m.REDIRECT), objects(pk="agreement"),
           lambda w: {"effective_from": "2030-01-01", "min_tier": "B", "grants": "子女入学|第三条"}),
    m.Case("GET", "api/v1/talent/appointments/<int:pk>", api(SEES_APPOINTMENT, SEES_APPOINTMENT), objects(pk="offered")),
    m.Case("POST", "api/v1/talent/appointments/<int:pk>/answer", api(SEES_APPOINTMENT, ("platform_admin", "a_admin")),
           objects(pk="offered"), lambda w: {"consent": True}),
    m.Case("POST", "talent/appointments/<int:pk>/answer/", page(SEES_APPOINTMENT, ("platform_admin", "a_admin")),
           objects(pk="offered"), lambda w: {"consent": "yes"}),
    m.Case("POST", "api/v1/talent/appointments/<int:pk>/end",
           api(SEES_APPOINTMENT, ("platform_admin", "a_admin", "p_admin")), objects(pk="active")),
    m.Case("GET", "api/v1/talent/rounds/<int:pk>", api(ROUND, ROUND), objects(pk="assigned")),
    m.Case("GET", "talent/rounds/<int:pk>/", page(ROUND, ROUND, m.OK), objects(pk="assigned")),
    m.Case("POST", "api/v1/talent/rounds/<int:pk>/assign", api(ROUND, ROUND), objects(pk="open_round")),
    m.Case("POST", "talent/rounds/<int:pk>/", page(ROUND, ROUND), objects(pk="open_round")),
    m.Case("POST", "api/v1/talent/seats/<int:pk>/answer", api(("platform_admin", "bureau_jx", "expert"), ("expert",)),
           objects(pk="seat"), lambda w: {"accept": True}),
    m.Case("POST", "talent/seats/<int:pk>/answer/", page(("platform_admin", "bureau_jx", "expert"), ("expert",)),
           objects(pk="seat"), lambda w: {"accept": "yes"}),
    m.Case("GET", "talent/import/<str:kind>/",
           m.expect(m.FORBIDDEN, anonymous=m.LOGIN, platform_admin=m.OK, bureau_jx=m.OK, bureau_sh=m.OK, bureau_sc=m.OK),
           lambda w: {"kind": "profiles"}),
    m.Case("POST", "talent/import/<str:kind>/",
           m.expect(m.FORBIDDEN, anonymous=m.LOGIN, platform_admin=400, bureau_jx=400, bureau_sh=400, bureau_sc=400),
           lambda w: {"kind": "experts"}, lambda w: {}),
    m.Case("GET", "talent/templates/<str:kind>.xlsx", m.expect(m.OK), lambda w: {"kind": "agreements"}),
]  # fmt: skip

world = m.world_fixture(build)


@pytest.mark.parametrize(("case", "role"), m.params(CASES))
def test_role_on_another_tenants_talent_object(world, case, role, settings):
    m.check(world, case, role, settings)


def test_every_talent_endpoint_with_an_id_is_in_the_matrix():
    m.assert_covers("talent", CASES)


def test_the_seat_in_the_matrix_belongs_to_the_expert_role(world):
    assert world.seat_holder == world.users["expert"]
