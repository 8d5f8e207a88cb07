"""Demo data for the daily work (issue 19): payee accounts on the statements, ratings and sample states on the
orders, and the to-do notifications of the walkthrough accounts. Deterministic and idempotent; loads after
every other app (the cockpit comes last in INSTALLED_APPS), whose orders and statements it builds on."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from xietong.core import todos
from xietong.resources.enums import OrderKind, OrderStatus
from xietong.resources.models import OrderRating, ServiceOrder
from xietong.vouchers.models import PayeeAccount, Statement

COMMENTS = [
    "数据清楚，报告及时，工程师讲解耐心。",
    "预约方便，机时安排合理。",
    "样品寄回包装完好，结果与预期一致。",
    "",
    "价格透明，服务到位，下次还会预约。",
]
SAMPLE_STATE_BY_STATUS = {
    OrderStatus.CONFIRMED: "received",
    OrderStatus.IN_PROGRESS: "testing",
    OrderStatus.DELIVERED: "reported",
    OrderStatus.COMPLETED: "returned",
}
WALKTHROUGH = ("bureau_jx", "zone_yrd", "bureau_sh")


def _payees() -> int:
    made = 0
    for region_id, name in Statement.objects.values_list(
        "counterpart_region_id", "counterpart_region__name"
    ).distinct():
        _, created = PayeeAccount.objects.get_or_create(
            region_id=region_id,
            defaults={
                "account_name": f"{name}科技创新券结算专户",
                "bank_name": f"中国银行{name}分行营业部",
                "account_no": f"4{region_id}{'0' * 6}1",
            },
        )
        made += created
    return made


def _ratings() -> int:
    done = (
        ServiceOrder.objects.filter(
            status=OrderStatus.COMPLETED, rating__isnull=True, completed_at__isnull=False
        )
        .order_by("id")
        .values_list("pk", "resource_id", "created_by_id", "completed_at")
    )
    rows = [
        OrderRating(
            order_id=pk,
            resource_id=resource_id,
            score=(5, 4, 5, 3, 4)[pk % 5],
            comment=COMMENTS[pk % len(COMMENTS)],
            rated_by_id=user_id,
            created_at=completed_at,
        )
        for pk, resource_id, user_id, completed_at in done
        if pk % 3 != 0  # some completed orders stay unrated: the customers' to-do shows them
    ]
    OrderRating.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def _sample_states() -> int:
    n = 0
    for status, state in SAMPLE_STATE_BY_STATUS.items():
        n += ServiceOrder.objects.filter(kind=OrderKind.SAMPLE, status=status, sample_state="").update(
            sample_state=state, sample_state_at=None
        )
    return n


def load() -> str:
    payees, ratings, samples = _payees(), _ratings(), _sample_states()
    users = get_user_model().objects.filter(username__in=WALKTHROUGH).order_by("username")
    notified = todos.notify_waiting(users)
    return f"收款账户 {payees} 个，服务评价 {ratings} 条，样品状态 {samples} 个，待办通知 {notified} 条"
