"""`core.hotsql` writes and reads exactly what the ORM would, on SQLite and on PostgreSQL (on the voucher
models: between them they carry dates, booleans, JSON, files and nullable keys)."""

from datetime import timedelta

import pytest
from django.db.models.signals import post_save
from django.utils import timezone

from tests.factories import OrganisationFactory
from tests.vouchers import factories as vf
from tests.vouchers.conftest import grant_for
from xietong.core import hotsql
from xietong.core.models import AuditEvent
from xietong.ledger.models import Entry
from xietong.resources.models import ServiceOrder
from xietong.vouchers.models import Grant, Programme

pytestmark = pytest.mark.django_db


def _stored(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields}


def _read(model, pk):
    names = hotsql.concrete(model)
    pk_column = hotsql.qn(model._meta.pk.column)
    sql = f"SELECT {hotsql.select_list('t', model, names)} FROM {hotsql.table(model)} t WHERE t.{pk_column} = %s"
    return hotsql.instance(model, names, hotsql.fetch_one(sql, [pk]))


def test_instances_read_back_equal_the_orm_ones_dates_booleans_json_and_files(world, tongdui):
    grant = grant_for(world, tongdui)
    order = vf.order(provider=world.sh_provider, customer=world.firm, quoted_fen=300_000)
    ServiceOrder.objects.filter(pk=order.pk).update(
        price_snapshot={"单价": 12.5, "tiers": [1, 2]}, report="r/x.pdf"
    )
    Programme.objects.filter(pk=tongdui.pk).update(service_kinds=["testing"], require_tech_sme=True)
    for model, pk in ((Grant, grant.pk), (Programme, tongdui.pk), (ServiceOrder, order.pk)):
        ours, orm = _read(model, pk), model.objects.get(pk=pk)
        assert _stored(ours) == _stored(orm)
        assert not ours.get_deferred_fields() and not ours._state.adding
    assert _read(ServiceOrder, order.pk).report.name == "r/x.pdf"


def test_unselected_fields_are_deferred_and_load_on_access(world, tongdui):
    names = ("id", "name")
    sql = (
        f"SELECT {hotsql.select_list('p', Programme, names)} FROM {hotsql.table(Programme)} p WHERE p.id = %s"
    )
    programme = hotsql.instance(Programme, names, hotsql.fetch_one(sql, [tongdui.pk]))
    assert "budget_fen" in programme.get_deferred_fields()
    assert programme.budget_fen == tongdui.budget_fen


def test_create_writes_what_save_writes(world):
    before = timezone.now()
    ours = hotsql.create(AuditEvent, actor_label="某人", verb="x.done", target_type="t", target_id="1")
    orm = AuditEvent.objects.create(actor_label="某人", verb="x.done", target_type="t", target_id="1")
    stored = AuditEvent.objects.get(pk=ours.pk)
    assert ours.pk and ours.pk != orm.pk and not ours._state.adding
    assert before <= stored.created_at <= timezone.now() + timedelta(seconds=1)
    assert stored.data == {} == orm.data  # the field's default
    mask = {"id", "created_at"}
    assert {k: v for k, v in _stored(stored).items() if k not in mask} == {
        k: v for k, v in _stored(orm).items() if k not in mask
    }


def test_insert_of_several_rows_sets_each_pk_in_order():
    entries = [Entry(kind="t", memo=f"第 {i} 笔", data={"i": i}) for i in range(5)]
    hotsql.insert(entries)
    assert [e.pk for e in entries] == sorted(e.pk for e in entries)
    for e in entries:
        assert Entry.objects.get(pk=e.pk).data == e.data == {"i": int(e.memo[2])}
    assert hotsql.insert([]) == []


def test_a_model_with_save_receivers_is_saved_the_ordinary_way():
    seen = []

    def receiver(sender, instance, created, **kwargs):
        seen.append((instance.pk, created))

    post_save.connect(receiver, sender=AuditEvent)
    try:
        event = hotsql.create(AuditEvent, verb="x.done", target_type="t", target_id="1")
    finally:
        post_save.disconnect(receiver, sender=AuditEvent)
    assert seen == [(event.pk, True)]


def test_an_empty_in_list_matches_nothing():
    org = OrganisationFactory()
    sql = f"SELECT id FROM {hotsql.table(type(org))} WHERE id IN ({hotsql.placeholders(0)})"
    assert hotsql.fetch_one(sql, hotsql.in_params([])) is None
    sql = f"SELECT id FROM {hotsql.table(type(org))} WHERE id IN ({hotsql.placeholders(1)})"
    assert hotsql.fetch_one(sql, hotsql.in_params([org.pk])) == (org.pk,)


def test_big_amounts_are_never_wrapped_to_32_bits(world):
    """The reason server-side binding is confined to core.hotsql: see `hotsql.cursor`."""
    from django.db import DatabaseError, transaction
    from django.db.models import F

    from tests.resources.factories import ResourceFactory
    from xietong.ledger.models import Account
    from xietong.resources.models import PriceList

    account = Account.objects.create(code="t:big", name="大额", kind="t", balance_fen=10_000_000_000)
    Account.objects.filter(pk=account.pk).update(balance_fen=F("balance_fen") - 6_668_000_000)
    account.refresh_from_db()
    assert account.balance_fen == 3_332_000_000
    entry = hotsql.create(Entry, kind="t", memo="大额", data={"fen": 2**40})
    assert Entry.objects.get(pk=entry.pk).data == {"fen": 2**40}
    # a value too big for a 32-bit column is refused, not stored wrapped
    resource = ResourceFactory()
    with pytest.raises(DatabaseError), transaction.atomic():
        hotsql.create(
            PriceList,
            resource=resource,
            unit="hour",
            valid_from=timezone.localdate(),
            increment_minutes=2**32 + 30,
        )
    assert not PriceList.objects.filter(resource=resource).exists()
