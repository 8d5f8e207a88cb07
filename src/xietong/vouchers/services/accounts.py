"""The ledger accounts of the voucher flows (all debit-normal buckets except each programme's funding source).

funding ─fund→ budget ─grant→ grant.available ─reserve→ grant.reserved ─approve→ provider receivable (通兑)
                                    ↑ release / lapse ↩                       └→ firm reimbursable (通用)
provider receivable / firm reimbursable ─pay→ disbursed (same region)
provider receivable ─pay→ inter-region receivable ─statement→ inter-region payable ─paid→ settled
"""

from __future__ import annotations

from xietong.ledger import services as ledger
from xietong.ledger.enums import NormalSide
from xietong.ledger.models import Account


def programme_accounts(*, code: str, name: str) -> dict[str, Account]:
    return {
        "funding_account": ledger.account_open(
            code=f"prog:{code}:funding",
            name=f"{name}·资金来源",
            kind="funding",
            normal_side=NormalSide.CREDIT,
        ),
        "budget_account": ledger.account_open(
            code=f"prog:{code}:budget", name=f"{name}·可用预算", kind="budget"
        ),
        "disbursed_account": ledger.account_open(
            code=f"prog:{code}:disbursed", name=f"{name}·已支付", kind="disbursed"
        ),
    }


def grant_accounts(*, application_id: int, label: str) -> dict[str, Account]:
    return {
        "available_account": ledger.account_open(
            code=f"grant:{application_id}:available", name=f"创新券{label}·可用", kind="grant"
        ),
        "reserved_account": ledger.account_open(
            code=f"grant:{application_id}:reserved", name=f"创新券{label}·已预留", kind="grant_reserved"
        ),
    }


def provider_receivable(*, programme, provider) -> Account:
    return ledger.account_open(
        code=f"prog:{programme.code}:provider:{provider.pk}",
        name=f"{programme.name}·应付服务机构 {provider.name}",
        kind="provider_receivable",
    )


def firm_reimbursable(*, programme, firm) -> Account:
    return ledger.account_open(
        code=f"prog:{programme.code}:firm:{firm.pk}",
        name=f"{programme.name}·应补企业 {firm.name}",
        kind="firm_reimbursable",
    )


def interregion_receivable(*, issuer_key: str, region_code: str, label: str) -> Account:
    return ledger.account_open(
        code=f"xr:{issuer_key}:{region_code}:receivable",
        name=f"跨区应收·{label}（待出结算单）",
        kind="xr_receivable",
    )


def interregion_payable(*, issuer_key: str, region_code: str, label: str) -> Account:
    return ledger.account_open(
        code=f"xr:{issuer_key}:{region_code}:payable",
        name=f"跨区应付·{label}（结算单待支付）",
        kind="xr_payable",
    )


def interregion_settled(*, issuer_key: str, region_code: str, label: str) -> Account:
    return ledger.account_open(
        code=f"xr:{issuer_key}:{region_code}:settled", name=f"跨区已结算·{label}", kind="xr_settled"
    )
