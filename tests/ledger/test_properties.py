"""Hypothesis: any sequence of postings, overdraws and reversals keeps the books sound."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from xietong.core.actor import SYSTEM
from xietong.core.errors import DomainError
from xietong.ledger import checks, selectors, services
from xietong.ledger.enums import NormalSide
from xietong.ledger.models import Entry, Posting

operation = st.one_of(
    st.tuples(st.just("move"), st.integers(0, 3), st.integers(0, 3), st.integers(1, 50_000)),
    st.tuples(st.just("reverse"), st.integers(0, 40)),
    st.tuples(st.just("replay"), st.integers(0, 40)),
)


class LedgerInvariants(TestCase):
    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(budget=st.integers(1, 200_000), ops=st.lists(operation, max_size=25))
    def test_random_sequences_keep_every_invariant(self, budget, ops):
        funding = services.account_open(
            code="p:funding", name="来源", kind="funding", normal_side=NormalSide.CREDIT
        )
        buckets = [services.account_open(code=f"p:b{i}", name=f"桶{i}", kind="bucket") for i in range(4)]
        services.post_entry(kind="fund", postings=[(buckets[0], budget), (funding, -budget)], actor=SYSTEM)
        keys: list[tuple[str, list]] = []
        for op in ops:
            before = sorted(Posting.objects.values_list("account_id", "amount_fen"))
            try:
                if op[0] == "move" and op[1] != op[2]:
                    legs = [(buckets[op[2]], op[3]), (buckets[op[1]], -op[3])]
                    key = f"k{len(keys)}"
                    services.post_entry(kind="move", postings=legs, actor=SYSTEM, idempotency_key=key)
                    keys.append((key, legs))
                elif op[0] == "reverse":
                    entries = list(Entry.objects.filter(kind="move").order_by("id"))
                    if entries:
                        services.reverse_entry(entry=entries[op[1] % len(entries)], actor=SYSTEM)
                elif op[0] == "replay" and keys:
                    key, legs = keys[op[1] % len(keys)]
                    count = Entry.objects.count()
                    services.post_entry(kind="move", postings=legs, actor=SYSTEM, idempotency_key=key)
                    assert Entry.objects.count() == count  # a replay changes nothing
            except DomainError:
                # a refused operation leaves the books exactly as they were
                assert sorted(Posting.objects.values_list("account_id", "amount_fen")) == before
            assert checks.run_all() == []
            assert sum(selectors.balance_of(b) for b in buckets) == budget
            assert all(selectors.balance_of(b) >= 0 for b in buckets)
