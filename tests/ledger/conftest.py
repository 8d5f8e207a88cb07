import pytest

from xietong.core.actor import SYSTEM
from xietong.ledger import services
from xietong.ledger.enums import NormalSide


@pytest.fixture
def books(db):
    """A funding source (credit-normal) and two debit-normal buckets."""
    return {
        "funding": services.account_open(
            code="t:funding", name="资金来源", kind="funding", normal_side=NormalSide.CREDIT
        ),
        "budget": services.account_open(code="t:budget", name="预算", kind="budget"),
        "grant": services.account_open(code="t:grant", name="额度", kind="grant"),
    }


@pytest.fixture
def fund(books):
    def _fund(fen: int):
        return services.post_entry(
            kind="fund", postings=[(books["budget"], fen), (books["funding"], -fen)], actor=SYSTEM
        )

    return _fund
