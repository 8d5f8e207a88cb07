"""A firm invited to bundle its voucher on an order can read that order (and only that one), not act on it."""

from tests.clients import client_for
from tests.factories import OrganisationFactory, member
from tests.vouchers import factories as vf
from xietong.core.actor import actor_for
from xietong.core.roles import Role
from xietong.orgs.enums import OrgKind
from xietong.resources import selectors
from xietong.resources.policies import OrderPolicy
from xietong.vouchers import services


def test_an_invited_partner_reads_the_order_but_cannot_complete_it(db):
    provider = OrganisationFactory(kind=OrgKind.TESTING, region_id="310104")
    customer = OrganisationFactory(region_id="330402")
    partner = OrganisationFactory(region_id="330411")
    stranger = OrganisationFactory(region_id="330411")
    order = vf.order(provider=provider, customer=customer, quoted_fen=100_000)
    other_order = vf.order(provider=provider, customer=customer, quoted_fen=50_000)
    boss = member(Role.ORG_ADMIN, username="customer_admin", organisation=customer)
    services.bundle_invite(actor=actor_for(boss), order_id=order.pk, enterprise_id=partner.pk)

    partner_user = member(Role.ORG_ADMIN, username="partner_admin", organisation=partner)
    stranger_user = member(Role.ORG_ADMIN, username="stranger_admin", organisation=stranger)
    partner_actor = actor_for(partner_user)
    visible = set(OrderPolicy.visible_qs(partner_actor).values_list("pk", flat=True))
    assert visible == {order.pk}
    assert other_order.pk not in visible
    assert selectors.order_get(actor=partner_actor, order_id=order.pk).pk == order.pk
    assert not OrderPolicy.can(partner_actor, "complete", order)

    page = client_for(partner_user)
    assert page.get(f"/resources/orders/{order.pk}/").status_code == 200
    page.force_login(stranger_user)
    assert page.get(f"/resources/orders/{order.pk}/").status_code == 404
