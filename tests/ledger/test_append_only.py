"""Entries and postings are never edited or deleted, on SQLite as on PostgreSQL; `flush` still empties the books."""

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from xietong.ledger.models import Account, Entry, Posting

pytestmark = pytest.mark.django_db(transaction=True)


def _refused(action) -> None:
    with pytest.raises(DatabaseError, match="never edited or deleted"), transaction.atomic():
        action()


def test_a_posting_cannot_be_updated(books, fund):
    entry = fund(10)
    _refused(lambda: Posting.objects.filter(entry=entry).update(amount_fen=11))
    assert sorted(Posting.objects.filter(entry=entry).values_list("amount_fen", flat=True)) == [-10, 10]


def test_a_posting_cannot_be_deleted(books, fund):
    entry = fund(10)
    _refused(lambda: Posting.objects.filter(entry=entry).delete())
    assert Posting.objects.filter(entry=entry).count() == 2


def test_an_entry_cannot_be_updated(books, fund):
    entry = fund(10)
    _refused(lambda: Entry.objects.filter(pk=entry.pk).update(memo="改过的摘要"))
    assert Entry.objects.get(pk=entry.pk).memo == ""


def test_an_entry_cannot_be_deleted_even_without_its_postings(books):
    entry = Entry.objects.create(kind="lonely")
    _refused(lambda: Entry.objects.filter(pk=entry.pk).delete())
    assert Entry.objects.filter(pk=entry.pk).exists()


def test_raw_sql_is_refused_too(books, fund):
    entry = fund(10)

    def raw():
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE ledger_posting SET amount_fen = amount_fen * 2 WHERE entry_id = %s", [entry.pk]
            )

    _refused(raw)


def test_accounts_still_move_and_flush_still_empties_the_books(books, fund):
    fund(10)
    assert Account.objects.get(pk=books["budget"].pk).balance_fen == 10  # cached balances are not append-only
    call_command("flush", interactive=False, verbosity=0)
    assert (Entry.objects.count(), Posting.objects.count(), Account.objects.count()) == (0, 0, 0)


def test_the_sqlite_triggers_exist_after_every_migration():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite triggers")
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'ledger_%'")
        names = sorted(row[0] for row in cursor.fetchall())
    assert names == [
        "ledger_entry_no_delete",
        "ledger_entry_no_update",
        "ledger_posting_no_delete",
        "ledger_posting_no_update",
    ]
