"""Set-based settlement: a fixed number of queries whatever the number of lines, every line traceable to
its posting and redemption, idempotent, earlier lines never repeated, and an untraceable payout refused."""

from datetime import date

import pytest
from django.utils import timezone

from tests.vouchers.conftest import approved_redemption, shift_days
from xietong.core.actor import SYSTEM
from xietong.core.errors import Conflict
from xietong.ledger import checks
from xietong.ledger import services as ledger
from xietong.ledger.models import Account, Entry, Posting
from xietong.vouchers import services
from xietong.vouchers.models import Redemption, Statement, StatementLine
from xietong.vouchers.services.settlement import statements_generate

pytestmark = pytest.mark.django_db


def _this_month() -> date:
    return timezone.localdate().replace(day=1)


def _next_month(period: date) -> date:
    return date(period.year + period.month // 12, period.month % 12 + 1, 1)


def _paid_cross_region(world, grant, n: int, *, fen: int = 10_000, key: str = "p") -> list[Redemption]:
    """`n` redemptions at the 上海 provider (cross-region for 嘉兴), each through claim, review and payment."""
    out = []
    for i in range(n):
        r = approved_redemption(world, grant, key=f"{key}{i}", fen=fen + i, quoted_fen=2 * fen)
        with shift_days(6):
            services.redemption_pay(actor=world.a("jx_bureau"), redemption_id=r.pk)
        out.append(r)
    return out


@pytest.mark.parametrize("payouts", [1, 6])
def test_the_number_of_queries_does_not_depend_on_the_number_of_lines(
    world, grant, payouts, django_assert_num_queries
):
    # given `payouts` cross-region payouts (and the statement's payable account already open)
    _paid_cross_region(world, grant, payouts)
    ledger.account_open(code="xr:R330400:310000:payable", name="跨区应付", kind="xr_payable")
    # when / then: savepoint, lock, Σ per account, settled already?, regions; per statement: payable account,
    # entry (key, 2 balances, entry, postings), statement, lines, recount, audit; release
    with django_assert_num_queries(16):
        (statement,) = statements_generate(period=_this_month())
    assert statement.line_count == payouts
    assert statement.total_fen == sum(10_000 + i for i in range(payouts))


def test_every_line_is_its_payout_posting_and_redemption(world, grant):
    paid = _paid_cross_region(world, grant, 3)
    (statement,) = statements_generate(period=_this_month())
    lines = list(StatementLine.objects.filter(statement=statement).select_related("posting__account"))
    assert sorted((line.redemption_id, line.amount_fen) for line in lines) == sorted(
        (r.pk, r.amount_fen) for r in paid
    )
    for line in lines:
        redemption = Redemption.objects.get(pk=line.redemption_id)
        assert line.posting.entry_id == redemption.pay_entry_id
        assert line.posting.amount_fen == line.amount_fen
        assert line.posting.account.code == "xr:R330400:310000:receivable"
    assert [line.posting_id for line in lines] == sorted(line.posting_id for line in lines)
    entry_debit = Posting.objects.get(entry=statement.entry, amount_fen__gt=0)
    assert entry_debit.amount_fen == statement.total_fen == sum(line.amount_fen for line in lines)
    assert checks.run_all() == []


def test_twice_changes_nothing_and_later_payouts_go_to_the_next_period(world, grant):
    # given one statement for this month
    _paid_cross_region(world, grant, 2, key="a")
    period = _this_month()
    (first,) = statements_generate(period=period)
    entries = Entry.objects.count()
    # when it runs again, then nothing is new
    assert statements_generate(period=period) == []
    assert Entry.objects.count() == entries
    # when a payout comes after the statement
    (late,) = _paid_cross_region(world, grant, 1, key="b")
    assert statements_generate(period=period) == []
    (second,) = statements_generate(period=_next_month(period))
    # then it alone is on the next period's statement
    assert list(StatementLine.objects.filter(statement=second).values_list("redemption_id", flat=True)) == [
        late.pk
    ]
    assert (first.line_count, second.line_count) == (2, 1)
    assert StatementLine.objects.count() == 3
    assert checks.run_all() == []


def test_a_payout_without_its_redemption_is_refused_and_nothing_is_written(world, grant):
    # given one real payout and one posting into the same receivable that no redemption paid
    _paid_cross_region(world, grant, 1)
    receivable = Account.objects.get(code="xr:R330400:310000:receivable")
    source = ledger.account_open(code="t:source", name="来源", kind="t", allow_negative=True)
    ledger.post_entry(kind="voucher.cross_region", postings=[(receivable, 500), (source, -500)], actor=SYSTEM)
    entries = Entry.objects.count()
    # when / then
    with pytest.raises(Conflict) as caught:
        statements_generate(period=_this_month())
    assert caught.value.code == "statement_mismatch"
    assert Statement.objects.count() == 0
    assert StatementLine.objects.count() == 0
    assert Entry.objects.count() == entries


def test_a_line_that_no_longer_traces_to_its_posting_and_redemption_is_reported(world, grant):
    from xietong.vouchers.checks import statement_lines_traceable

    paid = _paid_cross_region(world, grant, 2)
    (statement,) = statements_generate(period=_this_month())
    assert statement_lines_traceable() == [] and checks.run_all() == []
    first, second = StatementLine.objects.filter(statement=statement).order_by("id")
    # the lines carry no database foreign key, so the checks are what catches a line pointing elsewhere
    StatementLine.objects.filter(pk=first.pk).update(
        redemption_id=paid[1].pk
    )  # the other payout's redemption
    StatementLine.objects.filter(pk=second.pk).update(redemption_id=10**9)  # no such redemption
    problems = statement_lines_traceable()
    assert len(problems) == 2 and all("找不到对应的过账或用券记录" in p.message for p in problems)
    assert {p.message for p in problems} <= {p.message for p in checks.run_all()}
