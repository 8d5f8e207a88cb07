"""Hypothesis over the voucher services: any sequence of grants, uses, cancellations, claims, objections,
payments, expiry and replays keeps the books sound.

After every step the ledger's and the vouchers' `checks` pass (every entry balanced, cached balances = postings,
no negative balance, Σ issued − lapsed ≤ budget, grant = available + reserved + spent + lapsed, statements =
postings); a refused step changes nothing; replaying a redemption with its idempotency key changes nothing.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import actor, member
from tests.vouchers import factories as vf
from tests.vouchers.conftest import shift_days
from xietong.core.errors import DomainError
from xietong.core.roles import Role
from xietong.ledger import checks
from xietong.ledger.models import Account, Entry, Posting
from xietong.resources.enums import OPEN_STATUSES, OrderStatus
from xietong.vouchers import services
from xietong.vouchers.enums import Mode, RedemptionStatus
from xietong.vouchers.models import Grant, Programme, Redemption
from xietong.vouchers.services.settlement import statements_generate

pytestmark = pytest.mark.django_db

CLAIMABLE = (RedemptionStatus.SERVICE_DONE, RedemptionStatus.CLAIMED)
BUDGET = 4_000_000  # two firms asking up to 3 万 each can exhaust it

small = st.integers(0, 7)
# the steps that move a redemption deeper are listed twice, so that sequences reach 公示, payment and objections
deeper = [
    st.tuples(st.just("complete"), small, st.integers(50, 100)),
    st.tuples(st.just("approve"), small),
    st.tuples(st.just("pay"), small),
]
operation = st.one_of(
    *deeper,
    st.tuples(st.just("grant"), st.integers(0, 1), st.integers(0, 1), st.integers(1, 2_100_000)),
    st.tuples(st.just("order"), st.integers(0, 1), st.integers(0, 1), st.integers(1, 1_500_000)),
    st.tuples(st.just("invite"), small),
    st.tuples(st.just("reserve"), small, small, st.integers(1, 450_000)),
    st.tuples(st.just("replay"), small),
    st.tuples(st.just("complete"), small, st.integers(50, 100)),
    st.tuples(st.just("cancel"), small),
    st.tuples(st.just("release"), small),
    st.tuples(st.just("approve"), small),
    st.tuples(st.just("reject"), small),
    st.tuples(st.just("uphold"), small),
    st.tuples(st.just("pay"), small),
    st.tuples(st.just("settle")),
    st.tuples(st.just("expire")),
)


def _books() -> tuple:
    """Everything a refused or replayed step must leave untouched."""
    return (
        sorted(Posting.objects.values_list("account_id", "amount_fen")),
        sorted(Account.objects.values_list("pk", "balance_fen")),
        sorted(Redemption.objects.values_list("pk", "status", "amount_fen")),
        Grant.objects.count(),
    )


def _sound() -> None:
    assert checks.run_all() == []
    assert not Account.objects.filter(balance_fen__lt=0, allow_negative=False).exists()
    for programme in Programme.objects.all():
        issued = sum(g.amount_fen - g.lapsed_fen for g in programme.grants.all())
        assert issued <= programme.budget_fen


class Run:
    """One example: two programmes (通兑, 通用), two firms, two providers; steps call the real services."""

    def __init__(self, world, provider_user):
        self.world = world
        self.firms = [(world.firm, world.firm_user), (world.other_firm, world.other_firm_user)]
        self.providers = [(world.sh_provider, world.sh_provider_user), (world.jx_provider, provider_user)]
        bureau = world.a("jx_bureau")
        caps = {
            "budget_fen": BUDGET,
            "per_application_cap_fen": 2_000_000,
            "per_firm_year_cap_fen": 3_000_000,
        }
        self.programmes = [
            vf.programme(actor=bureau, **caps),
            vf.programme(actor=bureau, mode=Mode.TONGYONG, name="嘉兴市科技创新券（通用）", **caps),
        ]
        self.grants: list = []
        self.orders: list = []
        self.keys: list[tuple] = []  # (grant, order_id, amount, key, redemption id)

    def _pick(self, items: list, index: int):
        return items[index % len(items)] if items else None

    def _redemption(self, index: int, *statuses: str) -> Redemption | None:
        """The index-th redemption among those in `statuses` (any, when none is): steps reach deep states."""
        rows = list(Redemption.objects.select_related("programme").order_by("pk"))
        return self._pick([r for r in rows if r.status in statuses] or rows, index)

    def _claimant(self, redemption: Redemption):
        if redemption.programme.mode == Mode.TONGDUI:
            return next(u for org, u in self.providers if org.pk == redemption.provider_id)
        return next(u for org, u in self.firms if org.pk == redemption.enterprise_id)

    def step(self, op: tuple) -> None:
        getattr(self, f"do_{op[0]}")(*op[1:])

    def do_grant(self, who: int, which: int, fen: int) -> None:
        firm, user = self.firms[who]
        programme = self.programmes[which]
        application = services.application_submit(
            actor=actor(user),
            programme_id=programme.pk,
            enterprise_id=firm.pk,
            amount_fen=fen,
            purpose="检测",
        )
        services.application_review(
            actor=self.world.a("jx_bureau"), application_id=application.pk, approve=True
        )
        application.refresh_from_db()
        self.grants.append(application.grant)

    def do_order(self, who: int, provider: int, fen: int) -> None:
        self.orders.append(
            vf.order(provider=self.providers[provider][0], customer=self.firms[who][0], quoted_fen=fen)
        )

    def do_invite(self, index: int) -> None:
        order = self._pick(self.orders, index)
        if order is not None:
            customer_user = next(u for org, u in self.firms if org.pk == order.customer_id)
            partner = next(org for org, _ in self.firms if org.pk != order.customer_id)
            services.bundle_invite(actor=actor(customer_user), order_id=order.pk, enterprise_id=partner.pk)

    def do_reserve(self, grant_index: int, order_index: int, fen: int) -> None:
        grant, order = self._pick(self.grants, grant_index), self._pick(self.orders, order_index)
        if grant is None or order is None:
            return
        user = next(u for org, u in self.firms if org.pk == grant.enterprise_id)
        key = f"k{len(self.keys)}"
        redemption = services.redemption_reserve(
            actor=actor(user), grant_id=grant.pk, order_id=order.pk, amount_fen=fen, idempotency_key=key
        )
        self.keys.append((grant, order.pk, fen, key, redemption.pk, user))

    def do_replay(self, index: int) -> None:
        if not self.keys:
            return
        grant, order_id, fen, key, redemption_id, user = self._pick(self.keys, index)
        before, entries = _books(), Entry.objects.count()
        again = services.redemption_reserve(
            actor=actor(user), grant_id=grant.pk, order_id=order_id, amount_fen=fen, idempotency_key=key
        )
        assert again.pk == redemption_id
        assert (_books(), Entry.objects.count()) == (before, entries)

    def do_complete(self, index: int, percent: int) -> None:
        held = set(
            Redemption.objects.filter(status=RedemptionStatus.RESERVED).values_list("order_id", flat=True)
        )
        order = self._pick([o for o in self.orders if o.pk in held] or self.orders, index)
        if order is not None:
            order.refresh_from_db()
            if order.status in OPEN_STATUSES:
                vf.complete(order, actual_fen=max(1, order.quoted_fen * percent // 100))

    def do_cancel(self, index: int) -> None:
        order = self._pick(self.orders, index)
        if order is not None:
            order.refresh_from_db()
            if order.status in OPEN_STATUSES:
                order.status = OrderStatus.CANCELLED
                order.save(update_fields=["status"])
                services.on_order_cancelled(order=order)

    def do_release(self, index: int) -> None:
        if (redemption := self._redemption(index, RedemptionStatus.RESERVED)) is not None:
            user = next(u for org, u in self.firms if org.pk == redemption.enterprise_id)
            services.redemption_release(actor=actor(user), redemption_id=redemption.pk)

    def _claim(self, redemption: Redemption) -> None:
        services.redemption_claim(
            actor=actor(self._claimant(redemption)), redemption_id=redemption.pk, files=vf.evidence()
        )

    def do_approve(self, index: int) -> None:
        if (redemption := self._redemption(index, *CLAIMABLE)) is not None:
            if redemption.status == RedemptionStatus.SERVICE_DONE:
                self._claim(redemption)
            services.redemption_review(
                actor=self.world.a("jx_bureau"), redemption_id=redemption.pk, approve=True, note=""
            )

    def do_reject(self, index: int) -> None:
        if (redemption := self._redemption(index, *CLAIMABLE)) is not None:
            if redemption.status == RedemptionStatus.SERVICE_DONE:
                self._claim(redemption)
            services.redemption_review(
                actor=self.world.a("jx_bureau"), redemption_id=redemption.pk, approve=False, note="材料不全"
            )

    def do_uphold(self, index: int) -> None:
        if (redemption := self._redemption(index, RedemptionStatus.PUBLICISED)) is not None:
            objection = services.objection_raise(
                actor=self.world.a("other_firm_user"), redemption_id=redemption.pk, text="服务并未实际发生"
            )
            services.objection_resolve(
                actor=self.world.a("jx_bureau"), objection_id=objection.pk, upheld=True, note="经核实异议成立"
            )

    def do_pay(self, index: int) -> None:
        if (redemption := self._redemption(index, RedemptionStatus.PUBLICISED)) is not None:
            with shift_days(6):
                services.redemption_pay(
                    actor=self.world.a("jx_bureau"), redemption_id=redemption.pk, reference="ZJ-0001"
                )

    def do_settle(self) -> None:
        statements_generate(period=timezone.localdate().replace(day=1))

    def do_expire(self) -> None:
        services.grants_expire(today=timezone.localdate() + timedelta(days=91))


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=st.lists(operation, min_size=4, max_size=16))
def test_random_voucher_sequences_keep_the_books_sound(world, ops):
    provider_user = member(Role.ORG_ADMIN, organisation=world.jx_provider)
    with transaction.atomic():
        # given two programmes and their budgets
        run = Run(world, provider_user)
        # a few grants and orders up front, so that most sequences reach the interesting states
        for op in [("grant", 0, 0, 1_500_000), ("grant", 1, 1, 1_000_000), ("order", 0, 0, 800_000),
                   ("order", 1, 1, 600_000), ("reserve", 0, 0, 300_000), ("reserve", 1, 1, 200_000), ("complete", 0, 100), ("approve", 0)]:  # fmt: skip
            run.step(op)
        _sound()
        # when any sequence of steps runs
        for op in ops:
            before = _books()
            try:
                with transaction.atomic():
                    run.step(op)
            except DomainError as exc:
                # then a refused step is a 4xx with a Chinese message and leaves everything as it was
                assert 400 <= exc.status < 500 and exc.message
                assert _books() == before
            _sound()
        # and replaying every redemption with its key changes nothing
        for index in range(len(run.keys)):
            run.do_replay(index)
        _sound()
        transaction.set_rollback(True)
