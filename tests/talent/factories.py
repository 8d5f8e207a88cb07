"""Builders for talent tests: profiles, experts, the 天府英才卡 scheme and a 川渝 agreement."""

from __future__ import annotations

from datetime import date
from itertools import count

from tests.factories import OrganisationFactory
from xietong.core.actor import SYSTEM
from xietong.talent import services
from xietong.talent.models import ExpertEntry, TalentProfile

_n = count(1)


def profile(org=None, *, name: str | None = None, user=None, discipline="计算机科学与技术", expertise="", keywords=(),
            phone="13812341234", email="someone@example.cn", title_rank="senior") -> TalentProfile:  # fmt: skip
    org = org or OrganisationFactory()
    return TalentProfile.objects.create(
        name=name or f"人才{next(_n)}", organisation=org, region_id=org.region_id, user=user, discipline=discipline,
        title_rank=title_rank, expertise=expertise, keywords=list(keywords), phone=phone, email=email,
    )  # fmt: skip


def expert(org=None, *, region="510000", name=None, expertise="工业互联网 边缘计算", keywords=(), user=None,
           yearly_cap=20, **kw) -> ExpertEntry:  # fmt: skip
    p = profile(org, name=name, expertise=expertise, keywords=keywords, user=user, **kw)
    return ExpertEntry.objects.create(profile=p, region_id=region, term_start=date(2025, 1, 1),
                                      term_end=date(2028, 12, 31), yearly_cap=yearly_cap)  # fmt: skip


def tianfu_card():
    return services.scheme_create(
        actor=SYSTEM, name="天府英才卡", region_code="510000",
        tiers=[("A", "A 卡"), ("B", "B 卡"), ("C", "C 卡")],
        services=[{"name": "子女入学", "min_tier": "B", "article": "第五条"},
                  {"name": "医疗保健", "min_tier": "C", "article": "第六条"},
                  {"name": "安居保障", "min_tier": "A", "article": "第七条"}],
        is_illustrative=True,
    )  # fmt: skip


def chuanyu_agreement(scheme, *, start=date(2026, 1, 1), end=None, min_tier="B"):
    agreement = services.agreement_create(actor=SYSTEM, scheme_id=scheme.pk, host_region_code="500000",
                                          title="川渝人才服务互认协议（示例）")  # fmt: skip
    services.agreement_version_add(
        actor=SYSTEM, agreement_id=agreement.pk, effective_from=start, effective_to=end, min_tier=min_tier,
        grants=[("子女入学", "第三条第（一）项"), ("医疗保健", "第三条第（二）项")],
    )  # fmt: skip
    return agreement
