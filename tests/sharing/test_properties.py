"""Settlement invariants for any records: settling twice posts once; correcting then re-settling leaves the
balances of settling the corrected data from scratch; the ledger checks pass after every step."""

import datetime as dt
import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.sharing.conftest import CHONGQING, SICHUAN
from xietong import ledger
from xietong.core.actor import SYSTEM
from xietong.ledger.checks import run_all
from xietong.ledger.models import Account, Entry
from xietong.sharing import services

_codes = itertools.count()

records = st.lists(
    st.tuples(
        st.sampled_from(["甲", "乙"]),
        st.sampled_from(["增值税", "企业所得税"]),
        st.sampled_from(["2024-06", "2025-01", "2025-02", "2025-03"]),
        st.integers(-500, 5_000),
    ),
    min_size=1,
    max_size=8,
    unique_by=lambda r: r[:3],
)
ratios = st.tuples(st.integers(0, 5), st.integers(0, 5)).filter(any)


def _agreement(method, weights):
    code = f"P-{next(_codes)}"
    a = services.agreement_create(
        actor=SYSTEM,
        code=code,
        name=code,
        kind="zone",
        park_name=code,
        host_region="510900",
        party_regions=[SICHUAN, CHONGQING],
    )
    rule = {
        "revenue_type": "*",
        "method": method,
        "ratios": {SICHUAN: weights[0], CHONGQING: weights[1]},
        "base_period": "2024",
    }
    draft = services.version_save_draft(actor=SYSTEM, agreement=a, rules=[rule])
    services.version_adopt(actor=SYSTEM, agreement=a, version=draft, effective_from="2025-01")
    services.enterprise_add(
        actor=SYSTEM, agreement=a, name="甲", origin=SICHUAN, entry_date=dt.date(2024, 1, 1)
    )
    services.enterprise_add(
        actor=SYSTEM, agreement=a, name="乙", origin=CHONGQING, entry_date=dt.date(2024, 1, 1)
    )
    return a


def _import(a, items):
    rows = [
        (i + 2, {"enterprise": e, "revenue_type": t, "period": p, "amount": f"{fen / 100:.2f}"})
        for i, (e, t, p, fen) in enumerate(items)
    ]
    assert services.records_import(actor=SYSTEM, agreement=a, rows=rows).ok


def _balances(a):
    """Each party's income balance (an account opened earlier and back at zero equals one never opened)."""
    return {
        c.split(":")[2]: b
        for c, b in Account.objects.filter(
            code__startswith=f"sharing:{a.code}:", kind="sharing.income"
        ).values_list("code", "balance_fen")
        if b != 0
    }


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    records,
    st.lists(st.integers(-300, 300), min_size=1, max_size=3),
    st.sampled_from(["proportional", "stock_increment"]),
    ratios,
)
def test_settle_twice_posts_once_and_correction_equals_scratch(db, items, changes, method, weights):
    # given: settled data
    corrected = _agreement(method, weights)
    _import(corrected, items)
    services.settle(actor=SYSTEM, agreement=corrected)
    assert run_all() == []
    # when: settled again with nothing changed
    entries = Entry.objects.count()
    services.settle(actor=SYSTEM, agreement=corrected)
    # then: nothing posted
    assert Entry.objects.count() == entries
    # when: some records are corrected and the agreement re-settled
    fixed = [(e, t, p, fen + changes[i % len(changes)]) for i, (e, t, p, fen) in enumerate(items)]
    _import(corrected, fixed)
    services.settle(actor=SYSTEM, agreement=corrected)
    assert run_all() == []
    # then: the balances equal settling the corrected data from scratch
    scratch = _agreement(method, weights)
    _import(scratch, fixed)
    services.settle(actor=SYSTEM, agreement=scratch)
    assert _balances(corrected) == _balances(scratch)
    # and what was posted equals the money revenue of the settled months
    settled_total = sum(fen for _e, _t, p, fen in fixed if p >= "2025-01")
    pool = Account.objects.filter(code=f"sharing:{corrected.code}:pool").first()
    assert (ledger.balance_of(pool) if pool else 0) == settled_total
    assert run_all() == []
