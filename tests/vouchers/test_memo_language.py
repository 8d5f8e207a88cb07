"""The grant page's ledger lines (发放创新券 …, 创新券 … 用于订单 …) in the reader's language; the ledger keeps
the Chinese memo as its record."""

from __future__ import annotations

import pytest

from tests.clients import client_for
from tests.vouchers import factories as vf
from xietong.ledger.models import Entry
from xietong.vouchers import services

pytestmark = pytest.mark.django_db


def _grant_page(world, grant, language: str) -> str:
    client = client_for(world.firm_user)
    client.cookies["django_language"] = language
    answer = client.get(f"/vouchers/grants/{grant.pk}/")
    assert answer.status_code == 200
    return answer.content.decode()


def _reserve(world, grant):
    order = vf.order(provider=world.sh_provider, customer=world.firm, quoted_fen=300_000)
    services.redemption_reserve(
        actor=world.a("firm_user"),
        grant_id=grant.pk,
        order_id=order.pk,
        amount_fen=100_000,
        idempotency_key="m1",
    )
    return order


def test_the_grant_history_reads_in_english(world, grant):
    order = _reserve(world, grant)
    body = _grant_page(world, grant, "en")
    assert f"Voucher {grant.code} issued" in body
    assert f"Voucher {grant.code} reserved for order {order.number}" in body
    assert "发放创新券" not in body and "用于订单" not in body


def test_the_grant_history_reads_in_chinese_and_the_record_is_chinese(world, grant):
    order = _reserve(world, grant)
    body = _grant_page(world, grant, "zh-hans")
    assert f"发放创新券 {grant.code}" in body and f"创新券 {grant.code} 用于订单 {order.number}" in body
    assert Entry.objects.filter(memo=f"创新券 {grant.code} 用于订单 {order.number}").exists()
