import pytest

from xietong.core.actor import SYSTEM
from xietong.core.errors import Conflict, Invalid
from xietong.ledger import checks, selectors, services
from xietong.ledger.errors import AlreadyReversed, Overdraw, Unbalanced
from xietong.ledger.models import Entry, Posting

pytestmark = pytest.mark.django_db


def test_a_balanced_entry_moves_both_balances(books, fund):
    # when
    entry = fund(100_000)
    # then
    assert selectors.balance_of(books["budget"]) == 100_000
    assert selectors.balance_of(books["funding"]) == 100_000  # credit-normal: read on its own side
    assert sorted(entry.postings.values_list("amount_fen", flat=True)) == [-100_000, 100_000]
    assert checks.run_all() == []


@pytest.mark.parametrize(
    "amounts",
    [[100, -99], [100], [0, 0], [100, -100.0], [True, -1]],
    ids=["unbalanced", "single", "zero", "float", "bool"],
)
def test_bad_postings_are_refused_and_nothing_is_written(books, amounts):
    accounts = [books["budget"], books["funding"]]
    with pytest.raises(Unbalanced) as caught:
        services.post_entry(kind="x", postings=list(zip(accounts, amounts, strict=False)), actor=SYSTEM)
    assert isinstance(caught.value, Invalid)
    assert caught.value.message
    assert Entry.objects.count() == 0
    assert Posting.objects.count() == 0


def test_an_overdraw_raises_409_and_writes_nothing(books, fund):
    # given 100.00 元 in the budget
    fund(10_000)
    # when granting 100.01 元
    with pytest.raises(Overdraw) as caught:
        services.post_entry(
            kind="grant", postings=[(books["grant"], 10_001), (books["budget"], -10_001)], actor=SYSTEM
        )
    # then
    assert isinstance(caught.value, Conflict) and caught.value.status == 409
    assert caught.value.detail["remaining_fen"] == 10_000
    assert "余额不足" in caught.value.message
    assert Entry.objects.count() == 1
    assert selectors.balance_of(books["budget"]) == 10_000
    assert selectors.balance_of(books["grant"]) == 0


def test_idempotency_key_replays_return_the_first_entry(books, fund):
    fund(10_000)
    legs = [(books["grant"], 300), (books["budget"], -300)]
    first = services.post_entry(kind="grant", postings=legs, actor=SYSTEM, idempotency_key="k-1")
    again = services.post_entry(kind="grant", postings=legs, actor=SYSTEM, idempotency_key="k-1")
    assert again.pk == first.pk
    assert selectors.balance_of(books["grant"]) == 300
    assert Entry.objects.count() == 2


def test_reversal_negates_and_keeps_the_original(books, fund):
    entry = fund(5_000)
    reversal = services.reverse_entry(entry=entry, actor=SYSTEM)
    assert reversal.reverses_id == entry.pk
    assert selectors.balance_of(books["budget"]) == 0
    assert sorted(Posting.objects.filter(entry=entry).values_list("amount_fen", flat=True)) == [-5_000, 5_000]
    with pytest.raises(AlreadyReversed):
        services.reverse_entry(entry=entry, actor=SYSTEM)
    assert checks.run_all() == []


def test_a_reversal_that_would_overdraw_is_refused(books, fund):
    entry = fund(5_000)
    services.post_entry(
        kind="grant", postings=[(books["grant"], 4_000), (books["budget"], -4_000)], actor=SYSTEM
    )
    with pytest.raises(Overdraw):
        services.reverse_entry(entry=entry, actor=SYSTEM)
    assert not Entry.objects.filter(reverses=entry).exists()


def test_account_history_runs_the_balance(books, fund):
    fund(1_000)
    services.post_entry(kind="grant", postings=[(books["grant"], 400), (books["budget"], -400)], actor=SYSTEM)
    lines = selectors.account_history(books["budget"])
    assert [(line.change_fen, line.balance_fen) for line in lines] == [(1_000, 1_000), (-400, 600)]


def test_package_exposes_the_services_lazily(books):
    from xietong import ledger

    assert ledger.post_entry is services.post_entry
    assert ledger.balance_of(books["budget"]) == 0


def test_a_posting_costs_a_fixed_number_of_queries(books, fund, django_assert_num_queries):
    fund(10_000)
    legs = [(books["grant"], 300), (books["budget"], -300)]
    # one conditional update per account, the entry, the postings (one insert); no savepoint of its own
    with django_assert_num_queries(4):
        services.post_entry(kind="grant", postings=legs, actor=SYSTEM)
    # with a key: one lookup more
    with django_assert_num_queries(5):
        services.post_entry(kind="grant", postings=legs, actor=SYSTEM, idempotency_key="k-q")


def test_an_overdraw_on_a_later_account_undoes_the_earlier_moves(books, fund):
    # given 100 元 in the budget and 30 元 in the grant bucket
    fund(10_000)
    services.post_entry(
        kind="grant", postings=[(books["grant"], 3_000), (books["budget"], -3_000)], actor=SYSTEM
    )
    # when one entry credits both (budget first in pk order, then the grant bucket, which cannot pay 40 元)
    with pytest.raises(Overdraw) as caught:
        services.post_entry(
            kind="sweep",
            postings=[(books["funding"], 5_000), (books["budget"], -1_000), (books["grant"], -4_000)],
            actor=SYSTEM,
        )
    # then the error names the account, and nothing moved
    assert caught.value.detail == {
        "account": "t:grant",
        "remaining_fen": 3_000,
        "required_fen": 4_000,
    }
    assert (selectors.balance_of(books["budget"]), selectors.balance_of(books["grant"])) == (7_000, 3_000)
    assert selectors.balance_of(books["funding"]) == 10_000
    assert not Entry.objects.filter(kind="sweep").exists()
    assert checks.run_all() == []


def test_a_caller_may_catch_an_overdraw_and_go_on_in_the_same_transaction(books, fund):
    from django.db import transaction

    fund(10_000)
    with transaction.atomic():
        with pytest.raises(Overdraw):
            services.post_entry(
                kind="too-much",
                postings=[(books["grant"], 20_000), (books["budget"], -20_000)],
                actor=SYSTEM,
            )
        services.post_entry(
            kind="grant", postings=[(books["grant"], 4_000), (books["budget"], -4_000)], actor=SYSTEM
        )
    assert (selectors.balance_of(books["budget"]), selectors.balance_of(books["grant"])) == (6_000, 4_000)
    assert not Entry.objects.filter(kind="too-much").exists()
    assert checks.run_all() == []
