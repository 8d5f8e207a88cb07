"""Recognition: the question "持天府英才卡 B 卡在重庆可享受哪些服务" and its versions over time (frozen clock)."""

from __future__ import annotations

from datetime import date

import pytest

from tests.factories import member
from tests.talent import factories
from xietong.core import clock
from xietong.core.actor import SYSTEM, actor_for
from xietong.core.errors import Forbidden
from xietong.core.roles import Role
from xietong.talent import errors, selectors, services
from xietong.talent.models import AgreementVersion, VersionGrant

pytestmark = pytest.mark.django_db


def _ask(scheme, tier_code, region, on=None):
    scheme = selectors.scheme_get(actor=SYSTEM, scheme_id=scheme.pk)
    tier = selectors.tier_get(actor=SYSTEM, scheme=scheme, code=tier_code)
    return selectors.recognition_query(actor=SYSTEM, scheme=scheme, tier=tier, region_code=region, on=on)


def test_b_card_in_chongqing_gets_the_agreement_services_with_articles(frozen_clock):
    # given the 天府英才卡 and a 川渝 agreement in force since 2026-01-01 for tier B and above
    scheme = factories.tianfu_card()
    factories.chuanyu_agreement(scheme)
    # when a B holder asks about 重庆 (a district of it counts too)
    answer = _ask(scheme, "B", "500103")
    # then the two granted services, each with the agreement and its article
    assert answer.question == "持天府英才卡 B 卡在渝中区可享受哪些服务"
    assert [(b.service, b.basis, b.article, b.version) for b in answer.benefits] == [
        ("子女入学", "川渝人才服务互认协议（示例）", "第三条第（一）项", 1),
        ("医疗保健", "川渝人才服务互认协议（示例）", "第三条第（二）项", 1),
    ]


def test_c_card_is_below_the_agreements_tier_and_gets_nothing_in_chongqing(frozen_clock):
    scheme = factories.tianfu_card()
    factories.chuanyu_agreement(scheme, min_tier="B")
    assert _ask(scheme, "C", "500000").benefits == []


def test_at_home_the_scheme_gives_its_own_services_by_tier(frozen_clock):
    scheme = factories.tianfu_card()
    answer = _ask(scheme, "B", "510107")
    assert answer.at_home is True
    assert [b.service for b in answer.benefits] == ["子女入学", "医疗保健"]


def test_a_version_effective_next_month_never_alters_todays_answer(frozen_clock):
    # given version 1 until the end of March and version 2 from 1 April adding 交通出行
    scheme = factories.tianfu_card()
    agreement = factories.chuanyu_agreement(scheme, end=date(2026, 3, 31))
    services.agreement_version_add(
        actor=SYSTEM, agreement_id=agreement.pk, effective_from=date(2026, 4, 1), effective_to=None, min_tier="B",
        grants=[("子女入学", "第三条第（一）项"), ("医疗保健", "第三条第（二）项"), ("交通出行", "第三条第（三）项")],
    )  # fmt: skip
    # today (2 March) the answer is version 1
    assert [b.service for b in _ask(scheme, "B", "500000").benefits] == ["子女入学", "医疗保健"]
    # when the clock moves to 1 April, version 2 answers
    frozen_clock.move_to(frozen_clock.moment.replace(month=4, day=1))
    assert clock.today() == date(2026, 4, 1)
    answer = _ask(scheme, "B", "500000")
    assert [b.service for b in answer.benefits] == ["子女入学", "医疗保健", "交通出行"]
    assert {b.version for b in answer.benefits} == {2}


def test_an_overlapping_version_is_refused_in_chinese_and_nothing_is_written(frozen_clock):
    scheme = factories.tianfu_card()
    agreement = factories.chuanyu_agreement(scheme)  # open-ended from 2026-01-01
    versions, grants = AgreementVersion.objects.count(), VersionGrant.objects.count()
    with pytest.raises(errors.OverlappingVersion) as caught:
        services.agreement_version_add(
            actor=SYSTEM, agreement_id=agreement.pk, effective_from=date(2026, 6, 1), effective_to=None,
            min_tier="A", grants=[("安居保障", "第四条")],
        )  # fmt: skip
    assert caught.value.status == 409
    assert "与第 1 版（2026-01-01 至 长期）重叠" in caught.value.message
    assert (AgreementVersion.objects.count(), VersionGrant.objects.count()) == (versions, grants)


def test_only_the_host_regions_bureau_adds_versions(frozen_clock):
    scheme = factories.tianfu_card()
    agreement = factories.chuanyu_agreement(scheme, end=date(2026, 12, 31))
    sichuan = actor_for(member(Role.REGION_BUREAU, region_id="510000"))
    chongqing = actor_for(member(Role.REGION_BUREAU, region_id="500000"))
    with pytest.raises(Forbidden):
        services.agreement_version_add(actor=sichuan, agreement_id=agreement.pk, effective_from=date(2027, 1, 1),
                                       effective_to=None, min_tier="B", grants=[("子女入学", "第三条")])  # fmt: skip
    assert AgreementVersion.objects.count() == 1
    version = services.agreement_version_add(actor=chongqing, agreement_id=agreement.pk,
                                             effective_from=date(2027, 1, 1), effective_to=None, min_tier="B",
                                             grants=[("子女入学", "第三条")])  # fmt: skip
    assert version.number == 2


def test_holder_benefits_list_home_and_every_agreement_region_today(frozen_clock):
    scheme = factories.tianfu_card()
    factories.chuanyu_agreement(scheme)
    person = factories.profile()
    services.card_issue(actor=SYSTEM, profile_id=person.pk, scheme_id=scheme.pk, tier_code="B")
    answers = selectors.holder_benefits(actor=SYSTEM, profile=person)
    assert [(a.region_code, [b.service for b in a.benefits]) for a in answers] == [
        ("510000", ["子女入学", "医疗保健"]),
        ("500000", ["子女入学", "医疗保健"]),
    ]
