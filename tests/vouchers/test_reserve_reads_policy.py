"""`vouchers/reserve_reads.grant_for_use` restates `GrantPolicy` in SQL; on generated data both give the same set.

For random organisations, grants and actors (any mix of memberships, bureau regions, zones, platform admin) the
grants the hand-written SQL returns are exactly those `GrantPolicy.visible` ∧ `GrantPolicy.usable` let through
as a queryset, and exactly those the Python rules (`can(actor, "use")` on a visible grant) allow.
"""

from __future__ import annotations

import pytest
from django.db import transaction
from django.db.models import Q
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import OrganisationFactory, actor, member
from tests.vouchers import factories as vf
from xietong.core.actor import SYSTEM, Actor
from xietong.core.roles import Role
from xietong.regions.models import Zone
from xietong.vouchers import reserve_reads, services
from xietong.vouchers.models import Grant
from xietong.vouchers.policies import GrantPolicy

pytestmark = pytest.mark.django_db

REGIONS = ["330402", "330411", "310104", "510104", "110101"]
CODE_SETS = [
    frozenset(),
    frozenset({"330400", "330402", "330411"}),
    frozenset({"310000", "310104"}),
    frozenset({"510000", "510104"}),
]


@st.composite
def _actors(draw, org_ids: list[int], zone_ids: list[int]) -> Actor:
    # member of some organisations, of which some are verified (the ones it may act for)
    acting = draw(st.frozensets(st.sampled_from(org_ids)))
    pending = draw(st.frozensets(st.sampled_from(org_ids)))
    return Actor(
        user_id=draw(st.integers(1, 10)),
        is_platform_admin=draw(st.booleans()),
        organisation_ids=acting | pending,
        acting_organisation_ids=acting,
        bureau_region_codes=draw(st.sampled_from(CODE_SETS)),
        zone_ids=draw(st.frozensets(st.sampled_from(zone_ids))),
        zone_region_codes=draw(st.sampled_from(CODE_SETS)),
    )


def _grant(programme, firm) -> Grant:
    app = services.application_submit(
        actor=actor(member(Role.ORG_ADMIN, organisation=firm)),
        programme_id=programme.pk,
        enterprise_id=firm.pk,
        amount_fen=100_000,
        purpose="检测",
    )
    services.application_review(actor=SYSTEM, application_id=app.pk, approve=True)
    return Grant.objects.get(application=app)


def _sql_usable(actor: Actor, grants: list[Grant]) -> set[int]:
    # the service calls the reader only for an actor acting for verified organisations (`redemption_reserve`)
    if not actor.acting_organisation_ids:
        return set()
    return {
        g.pk for g in grants if reserve_reads.grant_for_use(g.pk, actor.acting_organisation_ids) is not None
    }


def test_reserve_read_equals_grant_policy_on_generated_data():
    # given firms in five regions and two programmes (嘉兴, and 上海 for its zone)
    firms = [OrganisationFactory(region_id=code, is_tech_sme=True) for code in REGIONS]
    programmes = [
        vf.programme(issuer_region="330400"),
        vf.programme(issuer_region="", issuer_zone="yrd", name="长三角创新券"),
    ]
    zone_ids = list(Zone.objects.order_by("id").values_list("pk", flat=True)[:3])
    # (firm, programme) pairs the programmes' region rules admit: 嘉兴 firms for 嘉兴's, 长三角 firms for the zone's
    eligible = [(0, 0), (1, 0), (0, 1), (1, 1), (2, 1)]
    pairs = st.sets(st.sampled_from(eligible), max_size=5)

    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(pairs=pairs, actors=st.lists(_actors([f.pk for f in firms], zone_ids), min_size=1, max_size=4))
    def check(pairs, actors):
        with transaction.atomic():
            # when grants are issued to random firms and random actors ask for them
            grants = [_grant(programmes[p], firms[f]) for f, p in sorted(pairs)]
            ids = [g.pk for g in grants]
            for actor in actors:
                by_sql = _sql_usable(actor, grants)
                by_queryset = set(
                    Grant.objects.filter(GrantPolicy.visible(actor), GrantPolicy.usable(actor), pk__in=ids)
                    .values_list("pk", flat=True)
                )  # fmt: skip
                visible = set(GrantPolicy.visible_qs(actor).filter(pk__in=ids).values_list("pk", flat=True))
                by_rules = {g.pk for g in grants if g.pk in visible and GrantPolicy.can(actor, "use", g)}
                # then the SQL, the policy's filters and the policy's rules agree
                assert by_sql == by_queryset == by_rules, actor
            transaction.set_rollback(True)

    check()


def test_the_comparison_sees_a_policy_that_drifts(monkeypatch):
    # given a grant of one firm, and its issuing bureau (which sees the grant but may not use it)
    firm = OrganisationFactory(region_id="330402", is_tech_sme=True)
    grant = _grant(vf.programme(issuer_region="330400"), firm)
    bureau = Actor(user_id=9, organisation_ids=frozenset({firm.pk + 1}), bureau_region_codes=CODE_SETS[1])
    assert _sql_usable(bureau, [grant]) == set(Grant.objects.filter(
        GrantPolicy.visible(bureau), GrantPolicy.usable(bureau), pk=grant.pk
    ).values_list("pk", flat=True)) == set()  # fmt: skip
    # when the policy's filter drifts from the SQL (a bureau may now use what it sees)
    monkeypatch.setattr(GrantPolicy, "usable", classmethod(lambda cls, actor: Q()))
    drifted = set(
        Grant.objects.filter(GrantPolicy.visible(bureau), GrantPolicy.usable(bureau), pk=grant.pk)
        .values_list("pk", flat=True)
    )  # fmt: skip
    # then the two sides no longer agree
    assert (drifted, _sql_usable(bureau, [grant])) == ({grant.pk}, set())
