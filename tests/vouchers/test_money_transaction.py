"""An order and its vouchers' ledger postings commit together or not at all; a check finds any disagreement."""

import pytest
from django.db.models import Sum
from django.test import Client

from tests.factories import actor
from tests.vouchers import factories as vf
from tests.vouchers.conftest import grant_for
from xietong.core.models import AuditEvent
from xietong.ledger import checks
from xietong.ledger import services as ledger_services
from xietong.ledger.models import Account, Entry, Posting
from xietong.resources import payment_hooks
from xietong.resources import services as order_services
from xietong.resources.enums import OrderStatus
from xietong.resources.models import ServiceOrder
from xietong.vouchers import order_payments, services
from xietong.vouchers.enums import RedemptionStatus

# Real commits and rollbacks (not the test's savepoints); the teardown flush also empties the ledger tables.
pytestmark = pytest.mark.django_db(transaction=True)


class LedgerDown(RuntimeError):
    pass


def _refuse(**kwargs):
    raise LedgerDown("ledger database unavailable")


def _books() -> tuple[int, int, int, list[tuple[int, int]]]:
    balances = sorted(Account.objects.values_list("pk", "balance_fen"))
    return (
        Entry.objects.count(),
        Posting.objects.count(),
        Posting.objects.aggregate(s=Sum("amount_fen"))["s"],
        balances,
    )


@pytest.fixture
def delivered(world, tongdui):
    """A delivered order of 3 000 元 carrying 1 500 元 of the firm's voucher; the final charge fell to 2 000 元,
    so completing it must release 500 元 back to the grant (a ledger posting inside the completion)."""
    grant = grant_for(world, tongdui)
    order = vf.order(provider=world.sh_provider, customer=world.firm, quoted_fen=300_000)
    redemption = services.redemption_reserve(
        actor=world.a("firm_user"),
        grant_id=grant.pk,
        order_id=order.pk,
        amount_fen=150_000,
        idempotency_key="k1",
    )
    ServiceOrder.objects.filter(pk=order.pk).update(status=OrderStatus.DELIVERED, actual_fen=200_000)
    return order, redemption


def test_the_vouchers_app_registers_its_payment_hooks():
    assert order_payments.HOOKS in payment_hooks.registered()


def test_a_failed_posting_leaves_the_order_uncompleted_and_the_ledger_unchanged(
    world, delivered, monkeypatch
):
    # given the ledger refuses to post
    order, redemption = delivered
    books = _books()
    monkeypatch.setattr(ledger_services, "post_entry", _refuse)
    # when the customer confirms completion
    with pytest.raises(LedgerDown):
        order_services.order_complete(actor=world.a("firm_user"), order_id=order.pk)
    # then nothing of the completion is kept: not the order, not the voucher, not the books, not the audit
    order.refresh_from_db()
    redemption.refresh_from_db()
    assert (order.status, order.completed_at) == (OrderStatus.DELIVERED, None)
    assert (redemption.status, redemption.amount_fen) == (RedemptionStatus.RESERVED, 150_000)
    assert _books() == books
    assert not AuditEvent.objects.filter(verb__in=["order.completed", "voucher.service_done"]).exists()
    assert checks.run_all() == []


def test_once_the_ledger_is_back_the_completion_moves_order_and_voucher_together(
    world, delivered, monkeypatch
):
    order, redemption = delivered
    monkeypatch.setattr(ledger_services, "post_entry", _refuse)
    with pytest.raises(LedgerDown):
        order_services.order_complete(actor=world.a("firm_user"), order_id=order.pk)
    monkeypatch.undo()
    entries = Entry.objects.count()
    # when
    order_services.order_complete(actor=world.a("firm_user"), order_id=order.pk)
    # then the order is completed and the voucher moved on, 500 元 released in one entry
    order.refresh_from_db()
    redemption.refresh_from_db()
    assert order.status == OrderStatus.COMPLETED
    assert (redemption.status, redemption.amount_fen) == (RedemptionStatus.SERVICE_DONE, 100_000)
    assert Entry.objects.count() == entries + 1
    assert checks.run_all() == []


def test_a_failed_release_leaves_the_cancelled_order_open_and_the_voucher_reserved(
    world, tongdui, monkeypatch
):
    grant = grant_for(world, tongdui)
    order = vf.order(provider=world.sh_provider, customer=world.firm, quoted_fen=300_000)
    redemption = services.redemption_reserve(
        actor=world.a("firm_user"),
        grant_id=grant.pk,
        order_id=order.pk,
        amount_fen=150_000,
        idempotency_key="k2",
    )
    books = _books()
    monkeypatch.setattr(ledger_services, "post_entry", _refuse)
    with pytest.raises(LedgerDown):
        order_services.order_cancel(actor=world.a("firm_user"), order_id=order.pk, reason="计划调整")
    order.refresh_from_db()
    redemption.refresh_from_db()
    assert (order.status, order.cancelled_at) == (OrderStatus.CONFIRMED, None)
    assert redemption.status == RedemptionStatus.RESERVED
    assert _books() == books


def test_the_page_answers_a_server_error_without_details_and_writes_nothing(world, delivered, monkeypatch):
    order, redemption = delivered
    books = _books()
    monkeypatch.setattr(ledger_services, "post_entry", _refuse)
    client = Client(raise_request_exception=False)
    client.force_login(world.firm_user)
    response = client.post(f"/resources/orders/{order.pk}/complete/")
    assert response.status_code == 500
    assert "ledger database unavailable" not in response.content.decode()
    order.refresh_from_db()
    redemption.refresh_from_db()
    assert order.status == OrderStatus.DELIVERED
    assert redemption.status == RedemptionStatus.RESERVED
    assert _books() == books


def test_the_ledger_check_reports_redemptions_whose_order_disagrees(world, tongdui):
    # given a voucher still reserved on a completed order (what the old on-commit signal could leave behind)
    grant = grant_for(world, tongdui)
    completed = vf.order(provider=world.sh_provider, customer=world.firm, quoted_fen=300_000)
    stuck = services.redemption_reserve(
        actor=world.a("firm_user"),
        grant_id=grant.pk,
        order_id=completed.pk,
        amount_fen=150_000,
        idempotency_key="a",
    )
    ServiceOrder.objects.filter(pk=completed.pk).update(status=OrderStatus.COMPLETED)
    # and a voucher past 服务完成 on an order that was cancelled
    cancelled = vf.order(provider=world.sh_provider, customer=world.firm, quoted_fen=100_000)
    done = services.redemption_reserve(
        actor=world.a("firm_user"),
        grant_id=grant.pk,
        order_id=cancelled.pk,
        amount_fen=50_000,
        idempotency_key="b",
    )
    vf.complete(cancelled)
    ServiceOrder.objects.filter(pk=cancelled.pk).update(status=OrderStatus.CANCELLED)
    # and one that agrees: reserved on an open order
    vf_open = vf.order(provider=world.sh_provider, customer=world.firm, quoted_fen=100_000)
    services.redemption_reserve(
        actor=world.a("firm_user"),
        grant_id=grant.pk,
        order_id=vf_open.pk,
        amount_fen=30_000,
        idempotency_key="c",
    )
    # when
    problems = [p for p in checks.run_all() if p.check == "redemptions_match_orders"]
    # then exactly the two disagreeing redemptions are reported, in Chinese, with their order
    assert [p.detail for p in problems] == [
        {
            "redemption": stuck.pk,
            "status": "reserved",
            "order": completed.number,
            "order_status": "completed",
        },
        {
            "redemption": done.pk,
            "status": "service_done",
            "order": cancelled.number,
            "order_status": "cancelled",
        },
    ]
    assert problems[0].message == (
        f"用券记录 #{stuck.pk} 状态为“已预留”，而订单 {completed.number} 状态为“已完成”"
    )


def test_check_ledger_command_fails_on_a_planted_mismatch(world, tongdui):
    from django.core.management import CommandError, call_command

    grant = grant_for(world, tongdui)
    order = vf.order(provider=world.sh_provider, customer=world.firm, quoted_fen=300_000)
    services.redemption_reserve(
        actor=actor(world.firm_user),
        grant_id=grant.pk,
        order_id=order.pk,
        amount_fen=150_000,
        idempotency_key="d",
    )
    call_command("check_ledger")  # sound books pass
    ServiceOrder.objects.filter(pk=order.pk).update(status=OrderStatus.NO_SHOW)
    with pytest.raises(CommandError, match="发现 1 个问题"):
        call_command("check_ledger")
