"""Deterministic, idempotent demo of benefit sharing: four cases, three years of monthly revenue, settled.

1. 京津冀 relocation (北京 → 河北) under the 2015 rule (财预〔2015〕92号): 增值税、企业所得税、营业税 split 50:50
   for three years from full production, 北京's share capped, extended while the cap is not reached;
2. 成渝 economic zone (四川、重庆): 存量归原辖区、增量五五分成 against each enterprise's base-year amount;
3. 京津冀 科创飞地 (北京、天津、河北): every 分 by fixed ratio 40:35:25;
4. 长三角示范区 投资开发基金 (上海青浦、江苏吴江、浙江嘉善): 两省一市共同出资, cost sharing 1:1:1.

Dates are relative to today through ``core.clock``: the base year is four years back, the rules take effect
three years back, each month's revenue is imported and settled at the start of the next month (the clock is
moved there, so the ledger's entries carry their historic times), and one correction is re-settled as an
adjustment. Accounts: the existing bureau accounts (bureau_sc, bureau_cq, bureau_hb, bureau_sh, bureau_jx)
plus bureau_bj, bureau_tj and bureau_wj below.
"""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from xietong.core import clock, demos
from xietong.core.actor import SYSTEM
from xietong.core.roles import Role
from xietong.orgs import services as org_services
from xietong.orgs.demo import DEMO_PASSWORD
from xietong.sharing import services
from xietong.sharing.models import Agreement
from xietong.sharing.periods import add_months, period_of

SEED = 2015

EXTRA_ACCOUNTS = [
    ("bureau_bj", "地区科技主管部门", "北京市科委：京津冀转移企业与科创飞地的分享收入、结算单"),
    ("bureau_tj", "地区科技主管部门", "天津市科技局：科创飞地三方分成"),
    ("bureau_wj", "地区科技主管部门", "苏州市吴江区科技局：示范区投资开发基金的出资分担"),
]
_BUREAUS = [
    ("bureau_bj", "北京市科委", "110000"),
    ("bureau_tj", "天津市科技局", "120000"),
    ("bureau_wj", "吴江区科技局", "320509"),
]

CASES = [
    {
        "code": "JJJ-ZY-2015", "name": "京津冀产业转移对接企业税收分享（北京—河北）", "kind": "relocation",
        "park": "河北沧州渤海新区生物医药产业园", "host": "130900", "parties": ["110000", "130000"],
        "rules": [{"revenue_type": t, "method": "relocation", "ratios": [["110000", 50], ["130000", 50]], "host": "130000"}
                  for t in ("vat", "cit", "business_tax")],
        "enterprises": [("北京{}医药（沧州）有限公司", "110000", 5)], "types": {"vat": 420_000_00, "cit": 180_000_00},
        "relocation": True,
    },
    {
        "code": "CY-SN-2022", "name": "遂潼川渝毗邻地区一体化发展先行区财税分享", "kind": "zone",
        "park": "遂潼一体化发展先行区", "host": "510900", "parties": ["510000", "500000"],
        "rules": [{"revenue_type": "*", "method": "stock_increment", "ratios": [["510000", 50], ["500000", 50]], "base_period": "BASE"},
                  {"revenue_type": "gdp", "method": "proportional", "ratios": [["510000", 50], ["500000", 50]]}],
        "enterprises": [("遂宁{}电子科技有限公司", "510000", 4), ("潼南{}新材料有限公司", "500000", 4)],
        "types": {"vat": 160_000_00, "cit": 70_000_00, "gdp": 2_400_000_00},
    },
    {
        "code": "JJJ-FD-2023", "name": "京津冀科创飞地（保定·中关村创新中心）税收三方分成", "kind": "enclave",
        "park": "保定·中关村创新中心", "host": "130600", "parties": ["110000", "120000", "130000"],
        "rules": [{"revenue_type": "*", "method": "proportional", "ratios": [["110000", 40], ["120000", 35], ["130000", 25]]}],
        "enterprises": [("中关村{}智能科技（保定）有限公司", "110000", 4), ("天津{}信息技术有限公司", "120000", 2)],
        "types": {"vat": 85_000_00, "cit": 30_000_00, "pit": 9_000_00},
    },
    {
        "code": "YRD-FUND-2020", "name": "长三角生态绿色一体化发展示范区投资开发基金（两省一市共同出资）", "kind": "fund",
        "park": "长三角生态绿色一体化发展示范区", "host": "310118", "parties": ["310118", "320509", "330421"],
        "rules": [{"revenue_type": "fund", "method": "proportional", "ratios": [["310118", 1], ["320509", 1], ["330421", 1]]}],
        "enterprises": [("示范区{}开发建设有限公司", "310118", 1)], "types": {"fund": 3_000_000_00},
    },
]  # fmt: skip
NAMES = ["华信", "瑞丰", "恒通", "远景", "博创", "启明", "泰和", "新元"]
TYPE_LABEL = {
    "vat": "增值税",
    "cit": "企业所得税",
    "business_tax": "营业税",
    "pit": "个人所得税",
    "gdp": "地区生产总值",
    "fund": "共同出资",
}


def _at(period: str, day: int = 3) -> dt.datetime:
    return timezone.make_aware(dt.datetime(int(period[:4]), int(period[5:7]), day, 10, 0))


def _bureaus() -> None:
    User = get_user_model()
    for username, name, region in _BUREAUS:
        user, created = User.objects.get_or_create(username=username, defaults={"first_name": name})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            org_services.membership_grant(
                actor=SYSTEM, user=user, role=Role.REGION_BUREAU, region_code=region, title=name
            )


def _case(case: dict, rng: random.Random, first: str, last: str, base_year: str) -> int:
    start = first
    with demos.dated(_at(add_months(first, -2))):
        agreement = services.agreement_create(
            actor=SYSTEM, code=case["code"], name=case["name"], kind=case["kind"], park_name=case["park"],
            host_region=case["host"], party_regions=case["parties"], description="（演示数据）",
        )  # fmt: skip
        rules = [
            {**r, "base_period": base_year} if r.get("base_period") == "BASE" else r for r in case["rules"]
        ]
        draft = services.version_save_draft(
            actor=SYSTEM, agreement=agreement, rules=rules, note="协议文本第一版"
        )
        services.version_adopt(actor=SYSTEM, agreement=agreement, version=draft, effective_from=start)
        names = []
        for pattern, origin, count in case["enterprises"]:
            for i in range(count):
                name = pattern.format(NAMES[len(names) % len(NAMES)])
                relocation = {}
                if case.get("relocation"):
                    production = add_months(first, 6 * i - 18)
                    relocation = {
                        "relocation_start": dt.date(int(production[:4]), int(production[5:]), 1),
                        "relocation_cap_fen": (600 + 150 * i) * 1_000_000,
                    }
                services.enterprise_add(
                    actor=SYSTEM,
                    agreement=agreement,
                    name=name,
                    origin=origin,
                    entry_date=dt.date(int(base_year), 1, 1),
                    **relocation,
                )
                names.append(name)
        if any(r["method"] == "stock_increment" for r in rules):
            services.records_import(
                actor=SYSTEM,
                agreement=agreement,
                rows=_rows(rng, names, case["types"], [f"{base_year}-{m:02d}" for m in range(1, 13)], 1.0),
            )
    records = 0
    period, growth = first, 1.0
    while period <= last:
        growth *= 1.006
        rows = _rows(rng, names, case["types"], [period], growth)
        with demos.dated(_at(add_months(period, 1))):
            services.records_import(actor=SYSTEM, agreement=agreement, rows=rows)
            services.settle(actor=SYSTEM, agreement=agreement, period=period)
        records += len(rows)
        period = add_months(period, 1)
    # a correction of last month's first record, re-settled as an adjustment
    with demos.dated(_at(add_months(last, 1), 20)):
        row = dict(_rows(rng, names[:1], dict(list(case["types"].items())[:1]), [last], growth * 1.05)[0][1])
        services.records_import(actor=SYSTEM, agreement=agreement, rows=[(2, row)])
        services.settle(actor=SYSTEM, agreement=agreement, period=last)
    return records


def _rows(
    rng: random.Random, names: list[str], types: dict[str, int], periods: list[str], growth: float
) -> list:
    rows = []
    for period in periods:
        for name in names:
            for revenue_type, typical in types.items():
                fen = int(typical * growth * rng.uniform(0.6, 1.4))
                if revenue_type == "vat" and rng.random() < 0.03:
                    fen = -fen // 10  # 留抵退税：a refund month
                rows.append(
                    (
                        len(rows) + 2,
                        {
                            "enterprise": name,
                            "revenue_type": TYPE_LABEL[revenue_type],
                            "period": period,
                            "amount": f"{fen / 100:.2f}",
                        },
                    )
                )
    return rows


def load(*, seed: int = SEED) -> str:
    """Create the four cases once (a second run changes nothing)."""
    if Agreement.objects.filter(code=CASES[0]["code"]).exists():
        return "利益共享演示数据已存在，未重复写入"
    _bureaus()
    rng = random.Random(seed)
    today = clock.today()
    last = period_of(today.replace(day=1) - dt.timedelta(days=1))
    first = add_months(last, -35)
    base_year = str(int(first[:4]) - 1)
    records = sum(_case(case, rng, first, last, base_year) for case in CASES)
    return (
        f"利益共享协议 {len(CASES)} 项、收入记录 {records} 条（{first} 至 {last}，逐月结算并记账；演示数据）"
    )
