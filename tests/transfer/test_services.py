"""The publish → index → recommend → intent → accept → contact flow at the service level."""

import pytest
from django.db import transaction

from tests.factories import actor
from tests.transfer.conftest import ACHIEVEMENT, DEMAND
from xietong.core.errors import Conflict, Forbidden, Invalid
from xietong.core.models import AuditEvent
from xietong.transfer import search, selectors, services
from xietong.transfer.enums import IntentStatus, ListingKind, ListingStatus
from xietong.transfer.models import Achievement, Intent

pytestmark = pytest.mark.django_db


def _publish(world):
    ach = services.listing_publish(
        actor=actor(world["bj_user"]), kind=ListingKind.ACHIEVEMENT, raw=ACHIEVEMENT
    )
    dem = services.listing_publish(actor=actor(world["hb_user"]), kind=ListingKind.DEMAND, raw=DEMAND)
    return ach, dem


def test_publish_stores_money_in_fen_and_indexes_the_listing(world):
    # when
    ach, dem = _publish(world)
    # then
    assert (ach.price_fen, dem.budget_fen) == (80_000_000, 100_000_000)
    assert ach.region_id == "110108" and ach.mode_codes == ["assignment", "license"]
    assert ach.keywords == ["热管理", "动力电池", "液冷"]
    assert [h.id for h in search.search(ListingKind.ACHIEVEMENT, "液冷热管理", k=5)] == [str(ach.pk)]
    assert AuditEvent.objects.filter(verb="achievement.published", target_id=str(ach.pk)).count() == 1


def test_bad_input_names_the_field_in_chinese_and_writes_nothing(world):
    raw = {**ACHIEVEMENT, "trl": "12", "contact_phone": "", "contact_email": ""}
    with pytest.raises(Invalid) as err:
        services.listing_publish(actor=actor(world["bj_user"]), kind=ListingKind.ACHIEVEMENT, raw=raw)
    assert err.value.detail["errors"] == {
        "trl": "技术成熟度应为 1–9 的整数（GB/T 22900）",
        "contact_phone": "联系电话与电子邮箱至少填写一项",
    }
    assert Achievement.objects.count() == 0


def test_publishing_for_someone_elses_organisation_is_refused(world):
    with pytest.raises(Forbidden):
        services.listing_publish(
            actor=actor(world["hb_user"]),
            kind=ListingKind.ACHIEVEMENT,
            raw=ACHIEVEMENT,
            owner_id=world["bj_uni"].pk,
        )
    assert Achievement.objects.count() == 0


def test_recommendations_for_a_demand_carry_reasons_and_are_recorded(world):
    ach, dem = _publish(world)
    # when
    suggestions = services.recommend(actor=actor(world["hb_user"]), kind=ListingKind.DEMAND, pk=dem.pk)
    # then
    assert [s.listing.pk for s in suggestions] == [ach.pk]
    reasons = suggestions[0].reasons
    assert "热管理" in reasons and "同属京津冀" in reasons and "成熟度 TRL 7 满足需求" in reasons
    assert "报价 80万元 在预算 100万元 内" in reasons
    assert suggestions[0].record.rank == 1
    # shown again: the same record, not a second one
    again = services.recommend(actor=actor(world["hb_user"]), kind=ListingKind.DEMAND, pk=dem.pk)
    assert again[0].record.pk == suggestions[0].record.pk


def test_contact_is_masked_until_the_owner_accepts(world):
    ach, _ = _publish(world)
    hb = actor(world["hb_user"])
    # before: masked
    assert selectors.listing_contact(actor=hb, listing=ach)["phone"] == "139****1111"
    intent = services.intent_express(
        actor=hb, kind=ListingKind.ACHIEVEMENT, listing_id=ach.pk, message="希望洽谈许可"
    )
    assert selectors.listing_contact(actor=hb, listing=ach)["masked"] is True
    # the requester cannot answer its own intent
    with pytest.raises(Forbidden):
        services.intent_answer(actor=hb, pk=intent.pk, accept=True)
    # when the owner accepts
    services.intent_answer(actor=actor(world["bj_user"]), pk=intent.pk, accept=True, reply="欢迎联系")
    # then
    contact = selectors.listing_contact(actor=hb, listing=ach)
    assert contact == {
        "name": "王老师",
        "phone": "13900001111",
        "email": "wang@bj-test.edu.cn",
        "masked": False,
    }
    # a third organisation still sees it masked
    assert selectors.listing_contact(actor=actor(world["jx_user"]), listing=ach)["masked"] is True
    verbs = list(
        AuditEvent.objects.filter(target_id=str(intent.pk), target_type="transfer.intent")
        .order_by("id")
        .values_list("verb", flat=True)
    )
    assert verbs == ["intent.expressed", "intent.accepted"]


def test_a_declined_intent_leaves_no_contact_visible(world):
    ach, _ = _publish(world)
    hb = actor(world["hb_user"])
    intent = services.intent_express(actor=hb, kind=ListingKind.ACHIEVEMENT, listing_id=ach.pk)
    services.intent_answer(actor=actor(world["bj_user"]), pk=intent.pk, accept=False, reply="暂不合作")
    assert selectors.listing_contact(actor=hb, listing=ach)["masked"] is True
    assert Intent.objects.get(pk=intent.pk).status == IntentStatus.DECLINED
    # answered once only
    with pytest.raises(Conflict):
        services.intent_answer(actor=actor(world["bj_user"]), pk=intent.pk, accept=True)
    # a new intent may follow a declined one
    again = services.intent_express(actor=hb, kind=ListingKind.ACHIEVEMENT, listing_id=ach.pk)
    assert again.status == IntentStatus.PENDING


def test_a_second_open_intent_is_a_conflict(world):
    ach, _ = _publish(world)
    hb = actor(world["hb_user"])
    services.intent_express(actor=hb, kind=ListingKind.ACHIEVEMENT, listing_id=ach.pk)
    with pytest.raises(Conflict):
        services.intent_express(actor=hb, kind=ListingKind.ACHIEVEMENT, listing_id=ach.pk)
    assert Intent.objects.count() == 1


def test_owner_cannot_express_interest_in_its_own_listing(world):
    ach, _ = _publish(world)
    with pytest.raises(Forbidden):
        services.intent_express(
            actor=actor(world["bj_user"]), kind=ListingKind.ACHIEVEMENT, listing_id=ach.pk
        )


def test_withdrawn_listing_leaves_the_index_and_public_view(world):
    ach, _ = _publish(world)
    services.listing_withdraw(actor=actor(world["bj_user"]), kind=ListingKind.ACHIEVEMENT, pk=ach.pk)
    assert search.search(ListingKind.ACHIEVEMENT, "液冷热管理", k=5) == []
    assert Achievement.objects.get(pk=ach.pk).status == ListingStatus.WITHDRAWN
    with pytest.raises(Exception) as err:
        selectors.listing_get(actor=actor(world["hb_user"]), kind=ListingKind.ACHIEVEMENT, pk=ach.pk)
    assert err.value.status == 404


def test_update_reindexes(world):
    ach, _ = _publish(world)
    services.listing_update(
        actor=actor(world["bj_user"]),
        kind=ListingKind.ACHIEVEMENT,
        pk=ach.pk,
        changes={"title": "固态电解质薄膜制备工艺"},
    )
    assert [h.id for h in search.search(ListingKind.ACHIEVEMENT, "固态电解质", k=5)] == [str(ach.pk)]


def test_index_follows_commit_not_rollback(world, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.undo()  # the real schedule_sync: after commit only
    search.reset_indexes()
    bj = actor(world["bj_user"])
    with django_capture_on_commit_callbacks(execute=True):
        ach = services.listing_publish(actor=bj, kind=ListingKind.ACHIEVEMENT, raw=ACHIEVEMENT)
    assert [h.id for h in search.search(ListingKind.ACHIEVEMENT, "液冷", k=5)] == [str(ach.pk)]
    # a write rolled back never reaches the index
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        try:
            with transaction.atomic():
                services.listing_publish(
                    actor=bj, kind=ListingKind.ACHIEVEMENT, raw={**ACHIEVEMENT, "title": "石墨烯导热膜"}
                )
                raise RuntimeError("rollback")
        except RuntimeError:
            pass
    assert callbacks == []
    assert search.search(ListingKind.ACHIEVEMENT, "石墨烯导热膜", k=5) == []


def test_rebuild_on_disk_and_reopen(world, tmp_path, settings):
    ach, _ = _publish(world)
    search.reset_indexes()
    settings.XIETONG_MATCHING_DIR = str(tmp_path)
    try:
        assert search.rebuild(ListingKind.ACHIEVEMENT) == 1
        assert (tmp_path / "achievement" / "meta.json").exists()
        assert [h.id for h in search.search(ListingKind.ACHIEVEMENT, "液冷", k=5)] == [str(ach.pk)]
        search.sync(ListingKind.ACHIEVEMENT, [ach.pk])  # idempotent replace
        assert search.stats()["achievement"]["documents"] == 1
    finally:
        search.reset_indexes()


def test_a_process_sees_an_index_another_process_rewrote(world, tmp_path, settings):
    from xietong.matching import Document, MatchIndex

    search.reset_indexes()
    settings.XIETONG_MATCHING_DIR = str(tmp_path)
    try:
        assert search.search(ListingKind.DEMAND, "石墨烯", k=5) == []  # opened (empty) by this process
        other = MatchIndex(tmp_path / "demand")  # another process writes
        other.add([Document(id="77", title="石墨烯导热膜需求")])
        other.close()
        assert [h.id for h in search.search(ListingKind.DEMAND, "石墨烯", k=5)] == ["77"]
    finally:
        search.reset_indexes()


def test_rebuild_learns_the_demands_phrasing_for_the_achievement_index(world):
    # given: demands of four industries, all phrased "揭榜攻关：…" (not in the shipped boilerplate list)
    topics = [
        ("固态电解质", "new_energy"),
        ("芯片封装", "ic"),
        ("中药提取", "biomedicine"),
        ("焊接机器人", "equipment"),
    ]
    for title, industry in topics:
        services.listing_publish(
            actor=actor(world["hb_user"]),
            kind=ListingKind.DEMAND,
            raw={**DEMAND, "title": f"揭榜攻关：{title}", "keywords": title, "industry": industry},
        )
    for title in (
        "动力电池液冷热管理系统",
        "石墨烯导热膜",
        "小麦抗旱品种",
        "光纤光栅传感器",
        "工业视觉检测软件",
    ):
        services.listing_publish(
            actor=actor(world["bj_user"]), kind=ListingKind.ACHIEVEMENT, raw={**ACHIEVEMENT, "title": title}
        )
    # when
    search.rebuild(ListingKind.ACHIEVEMENT)
    # then: the phrasing is learned, the topics (the demands' keywords) are not
    learned = search._HOLDERS[ListingKind.ACHIEVEMENT].get().analyzer.learned_boilerplate
    assert "揭榜" in learned
    assert not {"固态电解质", "芯片封装", "中药提取"} & set(learned)
