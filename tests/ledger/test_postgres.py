"""On PostgreSQL the deferred trigger refuses an unbalanced entry at commit; postings are never edited or deleted."""

import pytest
from django.db import IntegrityError, InternalError, connection, transaction

from xietong.ledger.models import Entry, Posting

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_deferred_trigger_refuses_an_unbalanced_commit(transactional_db, postgres_only, books):
    with pytest.raises((IntegrityError, InternalError)), transaction.atomic():
        entry = Entry.objects.create(kind="bypass")
        Posting.objects.create(entry=entry, account=books["budget"], amount_fen=5)
        # nothing is checked yet: the trigger is deferred to COMMIT
        assert Posting.objects.filter(entry=entry).count() == 1
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    assert not Entry.objects.filter(kind="bypass").exists()


def test_a_balanced_pair_written_in_two_statements_commits(transactional_db, postgres_only, books):
    with transaction.atomic():
        entry = Entry.objects.create(kind="two-steps")
        Posting.objects.create(entry=entry, account=books["budget"], amount_fen=5)
        Posting.objects.create(entry=entry, account=books["grant"], amount_fen=-5)
    assert Posting.objects.filter(entry=entry).count() == 2


def test_postings_are_never_updated(transactional_db, postgres_only, books, fund):
    entry = fund(10)
    with pytest.raises((IntegrityError, InternalError)), transaction.atomic():
        Posting.objects.filter(entry=entry).update(amount_fen=11)


def test_postings_are_never_deleted(transactional_db, postgres_only, books, fund):
    entry = fund(10)
    with pytest.raises((IntegrityError, InternalError)), transaction.atomic():
        Posting.objects.filter(entry=entry).delete()
    assert Posting.objects.filter(entry=entry).count() == 2
