"""The validators find what a bypass of post_entry would leave behind."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from xietong.ledger import checks
from xietong.ledger.models import Account, Entry, Posting

pytestmark = pytest.mark.django_db


@pytest.fixture
def sqlite_only():
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL's trigger refuses the corrupt rows these tests write")


def test_clean_books_pass(books, fund):
    fund(1)
    assert checks.run_all() == []
    call_command("check_ledger")


def test_unbalanced_entry_and_stale_balance_are_reported(books, sqlite_only):
    # given an entry written behind the service's back
    entry = Entry.objects.create(kind="bypass")
    Posting.objects.create(entry=entry, account=books["budget"], amount_fen=7)
    # then
    found = {p.check for p in checks.run_all()}
    assert found == {"entries_balanced", "entries_have_two_postings", "balances_match_postings"}
    with pytest.raises(CommandError, match="账本校验未通过"):
        call_command("check_ledger")


def test_negative_balance_is_reported(books, sqlite_only):
    entry = Entry.objects.create(kind="bypass")
    Posting.objects.bulk_create(
        [
            Posting(entry=entry, account=books["budget"], amount_fen=-5),
            Posting(entry=entry, account=books["grant"], amount_fen=5),
        ]
    )
    Account.objects.filter(pk=books["grant"].pk).update(balance_fen=5)
    problems = checks.run_all()
    assert [p.check for p in problems if p.check == "no_negative_balances"] == ["no_negative_balances"]
