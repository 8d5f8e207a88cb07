"""The reserve hot path: a fixed number of statements, and the one-statement locking read keeps the old answers."""

import pytest

from tests.factories import OrganisationFactory
from tests.vouchers import factories as vf
from xietong.core.errors import Conflict, Forbidden, Invalid, NotFound
from xietong.regions import selectors as region_selectors
from xietong.regions.models import Zone, ZoneMember
from xietong.vouchers import reserve_reads, services
from xietong.vouchers.models import Redemption

pytestmark = pytest.mark.django_db


def _reserve(world, grant, order, fen, key="k1", who="firm_user"):
    return services.redemption_reserve(
        actor=world.a(who), grant_id=grant.pk, order_id=order.pk, amount_fen=fen, idempotency_key=key
    )


def test_a_reservation_costs_a_fixed_number_of_queries(world, tongdui, grant, django_assert_num_queries):
    order = vf.order(provider=world.sh_provider, customer=world.firm, quoted_fen=300_000)
    _reserve(world, grant, order, 1_000, key="warm")  # zone expansion and region tree cached
    # savepoint; the grant locked with its programme and both accounts (tenancy and the "use" rule in its
    # WHERE); the idempotency key; the order locked with its provider's zone membership and bundle partners;
    # both cap sums in one aggregate; post_entry's 4 (two balance moves, entry, postings: no savepoint of its own); the
    # redemption; the audit event; release
    firm = world.a("firm_user")  # (building the actor reads its memberships)

    def reserve():
        return services.redemption_reserve(
            actor=firm, grant_id=grant.pk, order_id=order.pk, amount_fen=1_000, idempotency_key="measured"
        )

    with django_assert_num_queries(12):
        reserve()
    # a replay: savepoint, the locked grant, the key, the first request's posting, release
    with django_assert_num_queries(5):
        reserve()
    assert Redemption.objects.filter(grant=grant).count() == 2


def test_visible_but_not_usable_is_forbidden_and_malformed_key_is_invalid(world, tongdui, grant):
    order = vf.order(provider=world.sh_provider, customer=world.firm, quoted_fen=300_000)
    # the issuing bureau sees the grant but may not use it
    with pytest.raises(Forbidden):
        _reserve(world, grant, order, 1_000, who="jx_bureau")
    # a grant id that does not exist, or is not an id, is NotFound
    for bad in (10**9, 0, -1, "1", 2**63):
        with pytest.raises(NotFound):
            services.redemption_reserve(
                actor=world.a("firm_user"),
                grant_id=bad,
                order_id=order.pk,
                amount_fen=1_000,
                idempotency_key="k",
            )
    # someone else's grant with a malformed key: NotFound first, as before
    with pytest.raises(NotFound):
        _reserve(world, grant, order, 1_000, key="", who="other_firm_user")
    with pytest.raises(Invalid, match="幂等键"):
        _reserve(world, grant, order, 1_000, key=" ")
    with pytest.raises(Invalid, match="幂等键"):
        _reserve(world, grant, order, 1_000, key="x" * 81)
    assert not Redemption.objects.exists()


def test_a_reused_key_with_other_figures_is_still_a_409(world, tongdui, grant):
    order = vf.order(provider=world.sh_provider, customer=world.firm, quoted_fen=300_000)
    other = vf.order(provider=world.sh_provider, customer=world.firm, quoted_fen=300_000)
    first = _reserve(world, grant, order, 1_000, key="k")
    assert _reserve(world, grant, order, 1_000, key="k").pk == first.pk
    with pytest.raises(Conflict, match="幂等键"):
        _reserve(world, grant, other, 1_000, key="k")


def test_zone_membership_read_with_the_order_matches_the_zone_expansion(world):
    zone = Zone.objects.get(code="yrd")
    codes = region_selectors.zone_region_codes(zone)
    orders = {}
    for code in ("330402", "330400", "330000", "310104", "310000", "320505", "110108", "510104"):
        provider = OrganisationFactory(region_id=code, kind="testing")
        orders[code] = vf.order(provider=provider, customer=world.firm, quoted_fen=1_000)
    found = {
        code: reserve_reads.order_for_use(
            order.pk, enterprise_id=world.firm.pk, zone_id=zone.pk
        ).provider_in_zone
        for code, order in orders.items()
    }
    assert found == {code: code in codes for code in orders}
    assert found["330402"] and found["310104"] and not found["110108"]


def test_a_provider_leaving_the_zone_is_refused_at_once(world, tongdui, grant):
    order = vf.order(provider=world.sh_provider, customer=world.firm, quoted_fen=300_000)
    _reserve(world, grant, order, 1_000, key="before")
    ZoneMember.objects.filter(zone__code="yrd", region_id__in=["310000", "310100", "310104"]).delete()
    with pytest.raises(Invalid, match="不在本方案认可的范围"):
        _reserve(world, grant, order, 1_000, key="after")
    assert Redemption.objects.filter(grant=grant).count() == 1


def test_the_locking_read_finds_exactly_the_grants_the_policy_lets_the_actor_use(world, tongdui):
    from tests.vouchers.conftest import grant_for
    from xietong.vouchers.models import Grant
    from xietong.vouchers.policies import GrantPolicy

    grants = [grant_for(world, tongdui), grant_for(world, tongdui, who="other_firm")]
    for who in ("firm_user", "other_firm_user", "jx_bureau", "sh_bureau", "yrd_office", "sh_provider_user"):
        actor = world.a(who)
        allowed = set(
            Grant.objects.filter(GrantPolicy.visible(actor), GrantPolicy.usable(actor)).values_list(
                "pk", flat=True
            )
        )
        found = {
            g.pk for g in grants if reserve_reads.grant_for_use(g.pk, actor.organisation_ids) is not None
        }
        assert found == allowed, who
        assert {g.pk for g in grants if GrantPolicy.can(actor, "use", g)} == allowed, who
    assert (
        reserve_reads.grant_for_use(grants[0].pk, world.a("firm_user").organisation_ids).programme == tongdui
    )
