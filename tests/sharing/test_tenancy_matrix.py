"""Tenancy matrix of benefit sharing: an agreement between 上海 (310000) and 嘉兴 (330400), its enterprises,
revenue, settlement and statements.

The agreement and its settlements are seen by the parties' bureaus (上海, 嘉兴), the 长三角 office (aggregates
only) and the platform; enterprise-level data (enterprises, revenue, explanations) only by the parties'
bureaus and the platform; only they change the agreement, import, settle and compare drafts. Everyone else
gets 404 (the agreement does not exist for them) and nothing is written.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tests import tenancy_matrix as m
from xietong.core.actor import SYSTEM
from xietong.sharing import services

pytestmark = pytest.mark.django_db

SH, JX = "310000", "330400"
RULES = [{"revenue_type": "*", "method": "stock_increment", "ratios": {SH: 1, JX: 1}, "base_period": "2024"}]


def build(world: m.World) -> None:
    agreement = services.agreement_create(
        actor=SYSTEM, code="MX-1", name="矩阵测试：沪嘉合作园区", kind="park", park_name="沪嘉园", host_region=JX,
        party_regions=[SH, JX],
    )  # fmt: skip
    draft = services.version_save_draft(actor=SYSTEM, agreement=agreement, rules=RULES)
    services.version_adopt(actor=SYSTEM, agreement=agreement, version=draft, effective_from="2025-01")
    services.version_save_draft(actor=SYSTEM, agreement=agreement, rules=RULES, note="修订草案")
    enterprise = services.enterprise_add(
        actor=SYSTEM, agreement=agreement, name="矩阵企业甲", origin=SH, entry_date=dt.date(2024, 1, 1)
    )
    services.records_import(
        actor=SYSTEM,
        agreement=agreement,
        rows=[
            (
                2,
                {
                    "enterprise": "矩阵企业甲",
                    "revenue_type": "增值税",
                    "period": "2025-01",
                    "amount": "100.00",
                },
            )
        ],
    )
    [settlement] = services.settle(actor=SYSTEM, agreement=agreement)
    # a month imported but not yet settled: settling it writes
    services.records_import(
        actor=SYSTEM,
        agreement=agreement,
        rows=[
            (2, {"enterprise": "矩阵企业甲", "revenue_type": "增值税", "period": "2025-03", "amount": "7.00"})
        ],
    )
    world.objects.update(agreement=agreement, enterprise=enterprise, settlement=settlement)


SEES = ("platform_admin", "bureau_jx", "bureau_sh", "zone_yrd")
PARTIES = ("platform_admin", "bureau_jx", "bureau_sh")


def outcome(sees, allowed, status, anonymous):
    out = {role: m.FORBIDDEN for role in sees}
    out.update({role: status for role in allowed})
    out["anonymous"] = anonymous
    return m.expect(m.NOT_FOUND, **out)


def api(allowed=PARTIES, status=m.OK):
    return outcome(SEES, allowed, status, m.UNAUTHENTICATED)


def page(allowed=PARTIES, status=m.OK):
    return outcome(SEES, allowed, status, m.LOGIN)


def agreement(w):
    return {"pk": w.agreement}


def agreement_api(w):
    return {"agreement_id": w.agreement}


ROW = {"enterprise": "矩阵企业甲", "revenue_type": "增值税", "period": "2025-02", "amount": "10.00"}

CASES = [
    m.Case("GET", "sharing/<int:pk>/", page(SEES), agreement),
    m.Case("GET", "sharing/<int:pk>/rules/", page(), agreement),
    m.Case("POST", "sharing/<int:pk>/rules/", page(status=m.REDIRECT), agreement, lambda w: {"rules": json.dumps(RULES), "action": "save"}),
    m.Case("GET", "sharing/<int:pk>/enterprises/", page(), agreement),
    m.Case("POST", "sharing/<int:pk>/enterprises/", page(status=m.REDIRECT), agreement, lambda w: {"name": "矩阵企业乙", "origin": JX, "entry_date": "2025-01-01"}),
    m.Case("GET", "sharing/<int:pk>/enterprises/<int:enterprise_id>/", page(), lambda w: {"pk": w.agreement, "enterprise_id": w.enterprise}),
    m.Case("GET", "sharing/<int:pk>/records/", page(), agreement),
    m.Case("POST", "sharing/<int:pk>/records/", page(status=m.REDIRECT), agreement, lambda w: {"mode": "manual", **ROW}),
    m.Case("GET", "sharing/<int:pk>/records/template.xlsx", page(SEES), agreement),
    m.Case("POST", "sharing/<int:pk>/settle/", page(status=m.REDIRECT), agreement, lambda w: {"period": ""}),
    m.Case("GET", "sharing/<int:pk>/statement/", page(SEES), agreement),
    m.Case("GET", "sharing/<int:pk>/statement.xlsx", page(SEES), agreement),
    m.Case("GET", "sharing/<int:pk>/statement.pdf", page(SEES), agreement),
    m.Case("GET", "sharing/settlements/<int:pk>/", page(SEES), lambda w: {"pk": w.settlement}),
    m.Case("GET", "api/v1/sharing/agreements/<agreement_id>", api(SEES), agreement_api),
    m.Case("PUT", "api/v1/sharing/agreements/<agreement_id>/draft", api(), agreement_api, lambda w: {"rules": RULES}),
    m.Case("POST", "api/v1/sharing/agreements/<agreement_id>/adopt", api(), agreement_api, lambda w: {"effective_from": "2030-01"}),
    m.Case("POST", "api/v1/sharing/agreements/<agreement_id>/whatif", api(), agreement_api, lambda w: {"rules": RULES, "periods": ["2025-01"]}),
    m.Case("GET", "api/v1/sharing/agreements/<agreement_id>/enterprises", api(), agreement_api),
    m.Case("POST", "api/v1/sharing/agreements/<agreement_id>/enterprises", api(status=m.CREATED), agreement_api, lambda w: {"name": "矩阵企业丙", "origin": JX, "entry_date": "2025-01-01"}),
    m.Case("GET", "api/v1/sharing/agreements/<agreement_id>/records", api(), agreement_api),
    m.Case("POST", "api/v1/sharing/agreements/<agreement_id>/records", api(status=m.CREATED), agreement_api, lambda w: {"rows": [ROW]}),
    m.Case("POST", "api/v1/sharing/agreements/<agreement_id>/settle", api(), agreement_api, lambda w: {"period": ""}),
    m.Case("GET", "api/v1/sharing/agreements/<agreement_id>/settlements", api(SEES), agreement_api),
    m.Case("GET", "api/v1/sharing/agreements/<agreement_id>/statement", api(SEES), agreement_api),
    m.Case("GET", "api/v1/sharing/settlements/<settlement_id>", api(SEES), lambda w: {"settlement_id": w.settlement}),
]  # fmt: skip

world = m.world_fixture(build)


@pytest.mark.parametrize(("case", "role"), m.params(CASES))
def test_role_on_another_tenants_sharing_object(world, case, role, settings):
    m.check(world, case, role, settings)


def test_every_sharing_endpoint_with_an_id_is_in_the_matrix():
    m.assert_covers("sharing", CASES)
