"""Review rounds: 回避 rules with reasons, the draw through the solver, bad input, and a decline re-drawing one seat."""

from __future__ import annotations

from datetime import date

import pytest

from tests.factories import OrganisationFactory, member
from tests.talent import factories
from tests.transfer.factories import AchievementFactory
from xietong.core.actor import actor_for
from xietong.core.errors import Forbidden, NotFound
from xietong.core.models import AuditEvent
from xietong.core.roles import Role
from xietong.evaluation import platform_indicators
from xietong.regions.models import Zone
from xietong.talent import errors, selectors, services
from xietong.talent.enums import AppointmentStatus, SeatStatus
from xietong.talent.models import Appointment, ReviewItem, ReviewRound, ReviewSeat
from xietong.transfer.enums import IntentStatus
from xietong.transfer.models import Intent

pytestmark = pytest.mark.django_db


@pytest.fixture
def bureau():
    return actor_for(member(Role.REGION_BUREAU, region_id="510000"))


@pytest.fixture
def world(frozen_clock):
    """An applicant firm in 成都, six experts at six other units in 四川, plus the traps for each rule."""
    applicant = OrganisationFactory(name="成都申报科技有限公司", region_id="510107")
    units = [OrganisationFactory(name=f"四川专家单位{i}", region_id="510104") for i in range(6)]
    experts = [
        factories.expert(u, name=f"专家{i}", expertise="氢燃料电池 质子交换膜 催化剂")
        for i, u in enumerate(units)
    ]
    same = factories.expert(applicant, name="同单位专家", expertise="氢燃料电池")
    partner = OrganisationFactory(name="合作过的单位", region_id="510104")
    collaborated = factories.expert(partner, name="合作单位专家", expertise="氢燃料电池")
    listing = AchievementFactory(owner=applicant, region_id=applicant.region_id)
    Intent.objects.create(
        from_org=partner, to_org=applicant, achievement=listing, status=IntentStatus.ACCEPTED
    )
    declared = factories.expert(OrganisationFactory(region_id="510104"), name="申报回避专家")
    declared.avoid_orgs.add(applicant)
    return {"applicant": applicant, "experts": experts, "same": same, "collaborated": collaborated,
            "declared": declared}  # fmt: skip


def _spec(**kw):
    base = dict(title="2026 年氢能专项评审", region_code="510000", k=3, cap=2, mode="optimal",
                proposals=[{"title": "氢燃料电池电堆关键材料", "text": "质子交换膜与催化剂", "applicant_name": "成都申报科技有限公司",
                            "applicant_region": "510107", "credit_code": ""}])  # fmt: skip
    base.update(kw)
    return services.RoundSpec(**base)


def _with_applicant(world, **kw):
    spec = _spec(**kw)
    spec.proposals[0]["credit_code"] = world["applicant"].credit_code
    return spec


def test_the_draw_staffs_every_item_and_names_the_rule_for_every_excluded_expert(world, bureau):
    # given a round with the applicant's own unit, a partner, a declared 回避 and one named unsuitable expert
    spec = _with_applicant(world)
    spec.proposals[0]["unsuitable"] = ["专家0"]
    rnd = services.round_open(actor=bureau, spec=spec)
    # when the bureau draws
    services.round_assign(actor=bureau, round_id=rnd.pk)
    # then exactly k experts, none of the excluded, each with a reason
    item = ReviewItem.objects.get(round=rnd)
    chosen = {s.expert.profile.name for s in ReviewSeat.objects.filter(item=item)}
    assert len(chosen) == 3
    assert chosen <= {"专家1", "专家2", "专家3", "专家4", "专家5"}
    assert all("通过全部回避规则" in s.reason for s in ReviewSeat.objects.filter(item=item))
    excluded = {int(k): v for k, v in item.exclusions.items()}
    assert excluded == {
        world["experts"][0].pk: ["named_unsuitable"],
        world["same"].pk: ["same_entity"],
        world["collaborated"].pk: ["collaborated"],
        world["declared"].pk: ["declared"],
    }
    assert ReviewRound.objects.get(pk=rnd.pk).status == "assigned"
    assert AuditEvent.objects.filter(verb="talent.round_assigned", target_id=str(rnd.pk)).count() == 1


def test_an_appointment_at_the_applicant_counts_as_collaboration(world, bureau):
    expert = world["experts"][1]
    Appointment.objects.create(profile=expert.profile, host_org=world["applicant"], home_org=expert.profile.organisation,
                               role="兼职研究员", start_on=date(2025, 1, 1), end_on=date(2026, 12, 31), time_share=20,
                               status=AppointmentStatus.ACTIVE)  # fmt: skip
    rnd = services.round_open(actor=bureau, spec=_with_applicant(world))
    services.round_assign(actor=bureau, round_id=rnd.pk)
    item = ReviewItem.objects.get(round=rnd)
    assert item.exclusions[str(expert.pk)] == ["collaborated"]
    assert not ReviewSeat.objects.filter(item=item, expert=expert).exists()


def test_random_mode_records_its_seed_and_the_same_seed_gives_the_same_draw(world, bureau):
    draws = []
    for _ in range(2):
        rnd = services.round_open(
            actor=bureau, spec=_with_applicant(world, mode="random", seed=20260302, cap=20)
        )
        services.round_assign(actor=bureau, round_id=rnd.pk)
        assert ReviewRound.objects.get(pk=rnd.pk).seed == 20260302
        draws.append(sorted(ReviewSeat.objects.filter(item__round=rnd).values_list("expert_id", flat=True)))
    assert draws[0] == draws[1]


def test_an_item_that_cannot_be_staffed_is_reported_with_its_blocking_rule_and_nothing_is_written(
    world, bureau
):
    # given a second applicant whose own unit holds five of the six experts
    crowded = world["experts"][0].profile.organisation
    for expert in world["experts"][1:5]:
        expert.profile.organisation = crowded
        expert.profile.save()
    spec = _spec(k=5, proposals=[{"title": "拥挤的项目", "text": "", "applicant_name": crowded.name,
                                  "applicant_region": "510104", "credit_code": crowded.credit_code}])  # fmt: skip
    rnd = services.round_open(actor=bureau, spec=spec)
    with pytest.raises(errors.RoundInfeasible) as caught:
        services.round_assign(actor=bureau, round_id=rnd.pk)
    assert caught.value.status == 400
    assert (
        "“拥挤的项目”只有 4 位合格专家，少于每项所需的 5 位；主要受“与申报单位为同一法人单位”限制（排除 5 位"
        in (caught.value.message)
    )
    assert caught.value.detail["items"][0]["item"] == "拥挤的项目"
    assert ReviewSeat.objects.count() == 0
    assert ReviewRound.objects.get(pk=rnd.pk).status == "open"


def test_bad_input_k_larger_than_the_pool_and_cap_zero_are_refused_in_chinese(world, bureau):
    rounds = ReviewRound.objects.count()
    with pytest.raises(errors.TalentInvalid) as too_many:
        services.round_open(actor=bureau, spec=_spec(k=20))
    assert "大于可抽取的专家人数（9 位）" in too_many.value.message
    with pytest.raises(errors.TalentInvalid) as no_cap:
        services.round_open(actor=bureau, spec=_spec(cap=0))
    assert "上限为 0 无法评审任何项目" in no_cap.value.message
    with pytest.raises(errors.TalentInvalid) as unknown:
        services.round_open(actor=bureau, spec=_spec(achievement_ids=[999999]))
    assert "科技成果 999999" in unknown.value.message
    assert ReviewRound.objects.count() == rounds


def test_another_regions_bureau_cannot_open_or_draw(world, bureau):
    other = actor_for(member(Role.REGION_BUREAU, region_id="330400"))
    with pytest.raises(Forbidden):
        services.round_open(actor=other, spec=_spec())
    rnd = services.round_open(actor=bureau, spec=_with_applicant(world))
    with pytest.raises(NotFound):
        services.round_assign(actor=other, round_id=rnd.pk)
    assert ReviewSeat.objects.count() == 0


def test_a_decline_redraws_only_that_seat_under_the_same_rules(world, bureau):
    # given an assigned round whose experts have accounts
    for e in [*world["experts"], world["same"], world["collaborated"], world["declared"]]:
        e.profile.user = member(Role.EXPERT)
        e.profile.save()
    rnd = services.round_open(actor=bureau, spec=_with_applicant(world))
    services.round_assign(actor=bureau, round_id=rnd.pk)
    before = {s.pk: s.expert_id for s in ReviewSeat.objects.filter(item__round=rnd)}
    seat = ReviewSeat.objects.filter(item__round=rnd).order_by("id").first()
    # when that expert declines
    services.seat_answer(actor=actor_for(seat.expert.profile.user), seat_id=seat.pk, accept=False)
    # then the other two seats are untouched, one new seat replaces the declined one, no excluded expert drawn
    after = {s.pk: (s.expert_id, s.status) for s in ReviewSeat.objects.filter(item__round=rnd)}
    kept = {pk: e for pk, e in before.items() if pk != seat.pk}
    assert all(after[pk] == (e, SeatStatus.INVITED) for pk, e in kept.items())
    assert after[seat.pk] == (seat.expert_id, SeatStatus.DECLINED)
    new = [(e, s) for pk, (e, s) in after.items() if pk not in before]
    assert len(new) == 1
    new_expert = new[0][0]
    assert new_expert not in {*before.values()}
    assert new_expert not in {world["same"].pk, world["collaborated"].pk, world["declared"].pk}
    assert ReviewItem.objects.get(round=rnd).exclusions[str(seat.expert_id)] == ["declined"]


def test_only_the_invited_expert_answers(world, bureau):
    rnd = services.round_open(actor=bureau, spec=_with_applicant(world))
    services.round_assign(actor=bureau, round_id=rnd.pk)
    seat = ReviewSeat.objects.filter(item__round=rnd).first()
    stranger = actor_for(member(Role.EXPERT))
    with pytest.raises(NotFound):
        services.seat_answer(actor=stranger, seat_id=seat.pk, accept=False)
    assert ReviewSeat.objects.get(pk=seat.pk).status == SeatStatus.INVITED


def test_round_detail_lists_reasons_for_the_bureau(world, bureau):
    rnd = services.round_open(actor=bureau, spec=_with_applicant(world))
    services.round_assign(actor=bureau, round_id=rnd.pk)
    items = selectors.round_items(actor=bureau, rnd=rnd)
    names = selectors.excluded_names(actor=bureau, items=items)
    assert names[world["same"].pk] == "同单位专家"


def test_accepted_cross_region_seats_count_in_the_cross_region_reviews_indicator(world, bureau):
    # given a 重庆 expert drawn for the 成都 applicant through the 成渝 shared pool, and 四川 experts
    chongqing = factories.expert(OrganisationFactory(region_id="500103"), region="500000", name="重庆专家",
                                 expertise="氢燃料电池 质子交换膜 催化剂")  # fmt: skip
    office = actor_for(member(Role.ZONE_OFFICE, zone=Zone.objects.get(code="chengyu")))
    services.zone_sharing_set(actor=office, zone_code="chengyu", shares_experts=True)
    rnd = services.round_open(actor=bureau, spec=_with_applicant(world, k=5, cap=1, mode="optimal"))
    services.round_assign(actor=bureau, round_id=rnd.pk)
    seats = ReviewSeat.objects.filter(item__round=rnd)
    assert seats.filter(expert=chongqing).exists()
    # when every invited expert accepts
    seats.update(status=SeatStatus.ACCEPTED)
    # then only the 重庆 expert's seat is a cross-region review, credited to the applicant's unit (成都)
    values = platform_indicators.compute(
        "talent.cross_region_reviews", units=["510100", "500000"], years=[2026]
    )
    assert values == {2026: {"510100": 1.0, "500000": 0.0}}


def test_fair_mode_staffs_every_item_and_a_solver_timeout_is_a_chinese_400(world, bureau, monkeypatch):
    rnd = services.round_open(actor=bureau, spec=_with_applicant(world, mode="fair", cap=20))
    services.round_assign(actor=bureau, round_id=rnd.pk)
    assert ReviewSeat.objects.filter(item__round=rnd).count() == 3
    from xietong.talent import assignment

    def too_slow(*args, **kwargs):
        raise TimeoutError("stage 1")

    monkeypatch.setattr(assignment, "solve", too_slow)
    again = services.round_open(actor=bureau, spec=_with_applicant(world, mode="fair", cap=20))
    with pytest.raises(errors.TalentInvalid, match="公平优先优化在 30 秒内未求得最优解"):
        services.round_assign(actor=bureau, round_id=again.pk)
    assert not ReviewSeat.objects.filter(item__round=again).exists()


# ------------------------------------------------------------------------------------------------ in English


def test_a_seats_reason_is_stored_in_chinese_and_shown_in_the_readers_language(world, bureau):
    from django.utils import translation

    from xietong.talent import present

    # given a round drawn (the stored reason is the Chinese record)
    rnd = services.round_open(actor=bureau, spec=_with_applicant(world))
    services.round_assign(actor=bureau, round_id=rnd.pk)
    seat = ReviewSeat.objects.select_related("item__round").filter(item__round=rnd).first()
    assert seat.reason.startswith("通过全部回避规则；按匹配度优化选定；匹配度 ")
    # when it is shown in Chinese it reads as stored, and in English it is English around the matched words
    with translation.override("zh-hans"):
        assert seat.reason_shown == seat.reason
    with translation.override("en"):
        shown = seat.reason_shown
        detail = present.round_detail(rnd, selectors.round_items(actor=bureau, rnd=rnd), {})
    assert shown.startswith("Passes every conflict-of-interest rule; chosen by optimising the match; match ")
    assert "通过" not in shown and "匹配度" not in shown and "：" not in shown
    assert detail["items"][0]["seats"][0]["reason"].startswith("Passes every conflict-of-interest rule")


def test_an_unstaffable_items_reason_is_in_the_readers_language(world, bureau):
    from django.utils import translation

    # given a round needing more experts than are eligible
    rnd = services.round_open(actor=bureau, spec=_with_applicant(world, k=7, cap=20))
    # when the bureau reads the refusal in English
    with translation.override("en"), pytest.raises(errors.RoundInfeasible) as refused:
        services.round_assign(actor=bureau, round_id=rnd.pk)
    # then the rule that blocks it is named in English (the cited regulation stays as it is written)
    [row] = refused.value.detail["items"]
    assert row["reason"].startswith(
        "“氢燃料电池电堆关键材料” has only 6 eligible experts, fewer than the 7 each item"
    )
    assert "; mostly because of " in row["reason"] and "basis: " in row["reason"]


def test_a_seat_that_cannot_be_refilled_keeps_its_facts_and_is_worded_for_the_reader(world, bureau):
    from django.utils import translation

    # given a round of five experts out of the five eligible, whose experts have accounts
    for e in world["experts"]:
        e.profile.user = member(Role.EXPERT)
        e.profile.save()
    spec = _with_applicant(world, k=5, cap=20)
    spec.proposals[0]["unsuitable"] = ["专家0"]
    rnd = services.round_open(actor=bureau, spec=spec)
    services.round_assign(actor=bureau, round_id=rnd.pk)
    seat = ReviewSeat.objects.filter(item__round=rnd).order_by("id").first()
    # when one declines and nobody is left to draw
    services.seat_answer(actor=actor_for(seat.expert.profile.user), seat_id=seat.pk, accept=False)
    item = ReviewItem.objects.get(round=rnd)
    # then the stored text is Chinese, and the page words the same facts in the reader's language
    assert item.blocking.startswith("谢绝后无法补齐：")
    assert item.blocking_data["declined"] is True
    with translation.override("zh-hans"):
        assert item.blocking_shown == item.blocking
    with translation.override("en"):
        assert item.blocking_shown.startswith("Could not be refilled after a decline: ")
        assert "谢绝" not in item.blocking_shown


def test_a_seat_drawn_without_any_matching_words_is_shown_in_the_readers_language_too():
    from django.utils import translation

    from xietong.core import explanations

    seat = ReviewSeat(
        affinity=0.0,
        reason="通过全部回避规则；在合格专家中等概率随机抽取；匹配度 0.00",
        why=explanations.nothing(),
    )
    legacy = ReviewSeat(affinity=0.0, reason="通过全部回避规则；在合格专家中等概率随机抽取；匹配度 0.00")
    with translation.override("en"):
        assert seat.reason_in("random") == (
            "Passes every conflict-of-interest rule; drawn at random, with equal chances, among the eligible experts;"
            " match 0.00"
        )
        assert legacy.reason_in("random") == legacy.reason  # drawn before the evidence was kept: as stored
