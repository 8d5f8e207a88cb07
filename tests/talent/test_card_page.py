"""Issuing a talent card through the page: the bureau that runs the scheme issues a tier of it to a person from
the person's profile; anyone else is refused; bad input is a Chinese 4xx and nothing is written."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import CommandError, call_command

from tests.clients import client_for
from tests.factories import OrganisationFactory, member
from tests.talent import factories
from xietong.core.models import AuditEvent
from xietong.core.roles import Role
from xietong.talent.models import CardHolding

pytestmark = pytest.mark.django_db


@pytest.fixture
def tianfu():
    return factories.tianfu_card()  # run by Sichuan (510000)


@pytest.fixture
def person():
    return factories.profile(OrganisationFactory(region_id="510100"), name="李青")


def _tier(scheme, code: str) -> str:
    return f"{scheme.pk}:{code}"


def test_the_schemes_bureau_issues_a_card_from_the_profile_and_it_is_audited(tianfu, person, frozen_clock):
    client = client_for(member(Role.REGION_BUREAU, region_id="510000"))
    profile_page = client.get(f"/talent/profiles/{person.pk}/").content.decode()
    assert f'href="/talent/profiles/{person.pk}/cards/new/"' in profile_page  # the way in is on the profile
    form = client.get(f"/talent/profiles/{person.pk}/cards/new/")
    assert form.status_code == 200
    assert f'value="{_tier(tianfu, "B")}"' in form.content.decode()

    answer = client.post(f"/talent/profiles/{person.pk}/cards/new/", {
        "tier": _tier(tianfu, "B"), "number": "TF-2026-001", "issued_on": "2026-03-01", "expires_on": "2029-02-28",
    })  # fmt: skip

    assert answer.status_code == 302 and answer["Location"] == f"/talent/profiles/{person.pk}/"
    card = CardHolding.objects.get()
    assert (card.profile_id, card.tier.code, card.number) == (person.pk, "B", "TF-2026-001")
    assert (card.issued_on, card.expires_on) == (date(2026, 3, 1), date(2029, 2, 28))
    event = AuditEvent.objects.get(verb="talent.card_issued")
    assert event.target_id == str(card.pk) and event.data == {"tier": "B"}
    # the profile now shows the card and what it is worth at home
    page = client.get(f"/talent/profiles/{person.pk}/").content.decode()
    assert "天府英才卡 · B 卡" in page and "子女入学" in page


@pytest.mark.parametrize(
    "post, status, message",
    [
        ({"expires_on": "2025-01-01", "issued_on": "2026-03-01"}, 400, "有效期不能早于发放日期"),
        ({"number": "号" * 41}, 400, "证号不超过 40 个字符"),
        ({"issued_on": "2026-13-40"}, 400, "日期应为 YYYY-MM-DD 格式"),
        ({"tier": "999999:B"}, 404, "人才卡（认定）制度不存在"),
        ({"tier": "not-a-scheme"}, 404, "人才卡（认定）制度不存在"),
    ],
)
def test_bad_input_is_a_chinese_4xx_and_writes_nothing(tianfu, person, post, status, message):
    client = client_for(member(Role.REGION_BUREAU, region_id="510000"))
    events = AuditEvent.objects.count()
    answer = client.post(f"/talent/profiles/{person.pk}/cards/new/", {"tier": _tier(tianfu, "B"), **post})
    assert answer.status_code == status
    assert message in answer.content.decode()
    assert (CardHolding.objects.count(), AuditEvent.objects.count()) == (0, events)


def test_an_unknown_tier_is_refused_with_the_schemes_name(tianfu, person):
    client = client_for(member(Role.REGION_BUREAU, region_id="510000"))
    answer = client.post(f"/talent/profiles/{person.pk}/cards/new/", {"tier": _tier(tianfu, "Z")})
    assert answer.status_code == 400
    assert "天府英才卡 没有 Z 这一等级" in answer.content.decode()
    assert CardHolding.objects.count() == 0


def test_a_second_card_of_the_same_scheme_is_a_conflict(tianfu, person):
    client = client_for(member(Role.REGION_BUREAU, region_id="510000"))
    assert (
        client.post(f"/talent/profiles/{person.pk}/cards/new/", {"tier": _tier(tianfu, "C")}).status_code
        == 302
    )
    again = client.post(f"/talent/profiles/{person.pk}/cards/new/", {"tier": _tier(tianfu, "A")})
    assert again.status_code == 409
    assert "李青 已持有天府英才卡" in again.content.decode()
    assert list(CardHolding.objects.values_list("tier__code", flat=True)) == ["C"]


@pytest.mark.parametrize(
    "role, scope",
    [
        (Role.REGION_BUREAU, {"region_id": "500000"}),  # another region's bureau: not its scheme
        (Role.ORG_ADMIN, {"organisation": "home"}),  # the person's own organisation
    ],
)
def test_who_does_not_run_the_scheme_sees_no_link_and_is_refused(tianfu, person, role, scope):
    if scope.get("organisation") == "home":
        scope = {"organisation": person.organisation}
    client = client_for(member(role, **scope))
    events = AuditEvent.objects.count()
    assert "/cards/new/" not in client.get(f"/talent/profiles/{person.pk}/").content.decode()
    assert client.get(f"/talent/profiles/{person.pk}/cards/new/").status_code == 403
    answer = client.post(f"/talent/profiles/{person.pk}/cards/new/", {"tier": _tier(tianfu, "B")})
    assert answer.status_code == 403
    assert (CardHolding.objects.count(), AuditEvent.objects.count()) == (0, events)


def test_a_bureau_of_another_region_is_refused_even_when_it_runs_a_scheme_of_its_own(tianfu, person):
    """Chongqing runs its own card, so it reaches the form, but may not issue Sichuan's."""
    from xietong.core.actor import SYSTEM
    from xietong.talent import services

    services.scheme_create(actor=SYSTEM, name="重庆英才服务卡", region_code="500000", tiers=[("A", "A 卡")])
    client = client_for(member(Role.REGION_BUREAU, region_id="500000"))
    form = client.get(f"/talent/profiles/{person.pk}/cards/new/").content.decode()
    assert "重庆英才服务卡" in form and _tier(tianfu, "B") not in form
    answer = client.post(f"/talent/profiles/{person.pk}/cards/new/", {"tier": _tier(tianfu, "B")})
    assert answer.status_code == 403
    assert "只有发放地区的主管部门可以维护该制度" in answer.content.decode()
    assert CardHolding.objects.count() == 0


def test_anonymous_visitors_are_sent_to_log_in(tianfu, person):
    answer = client_for().get(f"/talent/profiles/{person.pk}/cards/new/")
    assert answer.status_code == 302 and "/login" in answer["Location"]


def test_the_cli_issues_a_card_as_the_schemes_bureau(tianfu, person, capsys, frozen_clock):
    bureau = member(Role.REGION_BUREAU, region_id="510000", username="bureau_test_sc")
    call_command(
        "talent_issue_card",
        scheme="天府英才卡",
        tier="A",
        name="李青",
        number="TF-9",
        username=bureau.username,
    )
    assert "已向 李青 发放天府英才卡（A 卡），发放日期 2026-03-02" in capsys.readouterr().out
    card = CardHolding.objects.get()
    assert (card.profile_id, card.tier.code, card.number) == (person.pk, "A", "TF-9")
    assert AuditEvent.objects.filter(verb="talent.card_issued", actor_user=bureau).count() == 1


def test_the_cli_refuses_in_chinese_and_writes_nothing(tianfu, person):
    other = member(Role.REGION_BUREAU, region_id="500000", username="bureau_test_cq")
    factories.profile(OrganisationFactory(region_id="510100"), name="李青")  # a namesake elsewhere
    cases = [
        (
            {"name": "李青", "org": person.organisation.name, "username": other.username},
            "只有发放地区的主管部门可以维护该制度",
        ),
        ({"name": "李青"}, "有 2 份名为“李青”的人才档案，请用 --org 指明所在单位"),
        ({"name": "无此人"}, "没有找到“无此人”的人才档案"),
        (
            {"name": "李青", "org": person.organisation.credit_code, "expires_on": "2020-01-01"},
            "有效期不能早于发放日期",
        ),
        ({"name": "李青", "org": person.organisation.name, "issued_on": "明天"}, "发放日期应为 YYYY-MM-DD"),
    ]
    for options, message in cases:
        with pytest.raises(CommandError, match=message):
            call_command("talent_issue_card", scheme="天府英才卡", tier="B", **options)
    with pytest.raises(CommandError, match="制度“无此卡”不存在"):
        call_command("talent_issue_card", scheme="无此卡", tier="B", name="李青")
    assert CardHolding.objects.count() == 0
