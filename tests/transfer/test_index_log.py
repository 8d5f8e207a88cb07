"""The change log the servers' indexes follow: written with the listing, applied after the checkpoint."""

from __future__ import annotations

import json

import pytest
from django.db import transaction

from tests.factories import actor
from tests.transfer.conftest import ACHIEVEMENT
from xietong.matching.index import FORMAT_VERSION
from xietong.transfer import search, services
from xietong.transfer.enums import ListingKind
from xietong.transfer.models import IndexChange

pytestmark = pytest.mark.django_db
KIND = ListingKind.ACHIEVEMENT


@pytest.fixture
def on_disk(monkeypatch, settings, tmp_path):
    """The real schedule_sync and an on-disk index directory per "server" (switch with `serve_from`)."""
    monkeypatch.undo()  # the suite's conftest replaces schedule_sync with sync: the real one here
    settings.XIETONG_MATCHING_POLL_SECONDS = 0

    def serve_from(name: str) -> None:
        search.reset_indexes()
        settings.XIETONG_MATCHING_DIR = str(tmp_path / name)

    serve_from("server-a")
    yield serve_from
    search.reset_indexes()


def _publish(world, title: str = ACHIEVEMENT["title"]):
    return services.listing_publish(
        actor=actor(world["bj_user"]), kind=KIND, raw={**ACHIEVEMENT, "title": title}
    )


def _found(query: str) -> list[str]:
    return [h.id for h in search.search(KIND, query, k=5) or []]


def test_a_change_is_logged_in_its_transaction_and_a_rollback_logs_nothing(world, on_disk):
    with transaction.atomic():
        ach = _publish(world)
        assert list(IndexChange.objects.values_list("kind", "listing_id", "op")) == [
            (KIND, ach.pk, IndexChange.UPSERT)
        ]
    services.listing_withdraw(actor=actor(world["bj_user"]), kind=KIND, pk=ach.pk)
    assert IndexChange.objects.order_by("id").last().op == IndexChange.DELETE
    before = IndexChange.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        _publish(world, "石墨烯导热膜")
        raise RuntimeError("rollback")
    assert IndexChange.objects.count() == before


def test_another_server_catches_up_from_the_log(world, on_disk, django_capture_on_commit_callbacks, tmp_path):
    # given: a listing published through server A (its index is updated after commit)
    with django_capture_on_commit_callbacks(execute=True):
        ach = _publish(world)
    assert _found("电池热管理 液冷") == [str(ach.pk)]
    # when: server B, with its own empty index directory, searches
    on_disk("server-b")
    # then: it applies the log and finds the listing; its checkpoint is the log's end
    assert _found("电池热管理 液冷") == [str(ach.pk)]
    meta = json.loads((tmp_path / "server-b" / "achievement" / "meta.json").read_text(encoding="utf-8"))
    assert meta["checkpoint"] == IndexChange.objects.latest("id").pk
    # a withdrawal through A reaches B on B's next search
    on_disk("server-a")
    with django_capture_on_commit_callbacks(execute=True):
        services.listing_withdraw(actor=actor(world["bj_user"]), kind=KIND, pk=ach.pk)
    assert _found("电池热管理 液冷") == []
    on_disk("server-b")
    assert _found("电池热管理 液冷") == []


def test_polls_are_throttled_and_a_quiet_log_costs_one_query(
    world, on_disk, settings, django_assert_num_queries
):
    settings.XIETONG_MATCHING_POLL_SECONDS = 60
    assert search.catch_up(KIND, force=True) == 0  # the empty index takes the log's position
    _publish(world)  # logged; its after-commit step never runs inside the test transaction
    with django_assert_num_queries(0):
        assert search.catch_up(KIND) == 0  # polled a moment ago
    settings.XIETONG_MATCHING_POLL_SECONDS = 0
    assert search.catch_up(KIND) == 1
    with django_assert_num_queries(1):
        assert search.catch_up(KIND) == 0


def test_a_new_server_loads_listings_published_before_the_log(world, on_disk):
    ach = _publish(world)
    IndexChange.objects.all().delete()  # as if published before the log existed
    on_disk("server-new")
    assert _found("电池热管理 液冷") == [str(ach.pk)]


@pytest.mark.parametrize("old_format", [1, FORMAT_VERSION - 1])
def test_an_index_in_the_old_format_is_replaced_from_the_database(world, on_disk, tmp_path, old_format):
    ach = _publish(world)
    old = tmp_path / "server-old" / "achievement"
    old.mkdir(parents=True)
    meta = {"format": old_format, "config": {}, "segments": []}
    (old / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    on_disk("server-old")
    assert _found("电池热管理 液冷") == [str(ach.pk)]
    assert json.loads((old / "meta.json").read_text(encoding="utf-8"))["format"] == FORMAT_VERSION


def test_a_rebuild_records_the_log_position_it_read(world, on_disk, tmp_path):
    ach = _publish(world)
    assert search.rebuild(KIND) == 1
    meta = json.loads((tmp_path / "server-a" / "achievement" / "meta.json").read_text(encoding="utf-8"))
    assert meta["checkpoint"] == IndexChange.objects.get(listing_id=ach.pk).pk
    assert search.catch_up(KIND, force=True) == 0
