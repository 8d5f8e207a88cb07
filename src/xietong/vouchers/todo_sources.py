"""What waits in the vouchers app: applications to review, 兑付 to approve and to pay, statements to pay
(registered with core.todos in VouchersConfig.ready())."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from xietong.core import todos
from xietong.core.actor import Actor
from xietong.core.wording import Wording
from xietong.vouchers import selectors
from xietong.vouchers.enums import StatementStatus
from xietong.vouchers.policies import ProgrammePolicy, StatementPolicy


def _reviewer(actor: Actor) -> bool:
    return ProgrammePolicy.can(actor, "review_queue")


def _applications(actor: Actor):
    return selectors.application_review_queue(actor=actor)


def _application_items(actor: Actor, limit: int) -> list[todos.TodoItem]:
    return [
        todos.TodoItem(
            title=f"{a.enterprise.name} · {a.programme.name}",
            url=reverse("vouchers:application", args=[a.pk]) + "?from=todos",
            detail=Wording(gettext_noop("申领 %(amount)s"), {"amount_fen": a.amount_fen}),
        )
        for a in _applications(actor)[:limit]
    ]


def _redemption_items(qs, limit: int) -> list[todos.TodoItem]:
    return [
        todos.TodoItem(
            title=f"{r.enterprise.name} · {r.programme.name}",
            url=reverse("vouchers:redemption", args=[r.pk]),
            due=getattr(r, "publicity_ends_on", None),
            detail=Wording("%(amount)s", {"amount_fen": r.amount_fen}),
        )
        for r in qs.select_related("enterprise", "programme")[:limit]
    ]


def _statements(actor: Actor) -> list:
    if not StatementPolicy.can(actor, "list"):
        return []
    issued = selectors.statement_list(actor=actor).filter(status=StatementStatus.ISSUED)
    return [s for s in issued[:500] if StatementPolicy.can(actor, "mark_paid", s)]


def _statement_items(actor: Actor, limit: int) -> list[todos.TodoItem]:
    return [
        todos.TodoItem(
            title=f"{s.number}",
            url=reverse("vouchers:statement", args=[s.pk]),
            detail=Wording(
                "%(region)s · %(amount)s", {"region": str(s.counterpart_region), "amount_fen": s.total_fen}
            ),
        )
        for s in _statements(actor)[:limit]
    ]


def install() -> None:
    todos.register(
        todos.TodoSource(
            key="vouchers.applications",
            label=_("待审核的创新券申领"),
            count=lambda a: _applications(a).count() if _reviewer(a) else 0,
            items=_application_items,
            order=30,
        )
    )
    todos.register(
        todos.TodoSource(
            key="vouchers.claims",
            label=_("待审核的兑付申请"),
            count=lambda a: selectors.claim_review_queue(actor=a).count() if _reviewer(a) else 0,
            items=lambda a, limit: _redemption_items(selectors.claim_review_queue(actor=a), limit),
            order=31,
        )
    )
    todos.register(
        todos.TodoSource(
            key="vouchers.payable",
            label=_("公示期满待支付的兑付"),
            count=lambda a: selectors.payable_list(actor=a).count() if _reviewer(a) else 0,
            items=lambda a, limit: _redemption_items(selectors.payable_list(actor=a), limit),
            order=32,
        )
    )
    todos.register(
        todos.TodoSource(
            key="vouchers.statements",
            label=_("待支付的跨区结算单"),
            count=lambda a: len(_statements(a)),
            items=_statement_items,
            order=33,
        )
    )
