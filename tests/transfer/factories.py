"""factory_boy factories for transfer rows (written directly; services are used where behaviour matters)."""

from __future__ import annotations

import datetime as dt

import factory

from tests.factories import OrganisationFactory
from xietong.transfer.models import AcceptanceList, Achievement, Contract, Demand


class AchievementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Achievement

    title = factory.Sequence(lambda n: f"测试成果{n}：智能传感器")
    keywords = factory.LazyFunction(lambda: ["传感器"])
    industry = "electronics"
    transfer_modes = ",license,"
    owner = factory.SubFactory(OrganisationFactory, kind="university", region_id="110108")
    region_id = factory.SelfAttribute("owner.region_id")
    contact_name = "王五"
    contact_phone = "13700001234"
    contact_email = "wu@example.edu.cn"
    summary = "一种低功耗智能传感器。"
    trl = 6
    ip_type = "invention"
    price_fen = 500_000_00


class DemandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Demand

    title = factory.Sequence(lambda n: f"测试需求{n}：传感器降功耗")
    keywords = factory.LazyFunction(lambda: ["传感器"])
    industry = "electronics"
    transfer_modes = ",license,"
    owner = factory.SubFactory(OrganisationFactory, region_id="130102")
    region_id = factory.SelfAttribute("owner.region_id")
    contact_name = "赵六"
    contact_phone = "13600005678"
    contact_email = "zhao@example.com"
    problem = "需要降低传感器功耗。"
    budget_fen = 1_000_000_00


class AcceptanceListFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AcceptanceList

    title = factory.Sequence(lambda n: f"测试承接清单{n}")
    region_id = "130102"
    industries = factory.LazyFunction(lambda: ["new_energy"])
    keywords = factory.LazyFunction(lambda: ["动力电池"])
    conditions = "优先承接新能源汽车动力电池相关成果"


class ContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contract

    registration_no = factory.Sequence(lambda n: f"T{n:010d}")
    title = factory.Sequence(lambda n: f"测试技术合同{n}")
    kind = "license"
    seller_name = "北京测试大学"
    seller_region_id = "110108"
    buyer_name = "河北测试企业"
    buyer_region_id = "130102"
    amount_fen = 100_000_00
    tech_amount_fen = 90_000_00
    signed_on = dt.date(2025, 3, 1)
