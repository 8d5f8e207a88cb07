"""A demand's stated hard requirements (TRL, budget, transfer mode) filter or visibly demote matches."""

import pytest

from tests.factories import actor
from tests.transfer.conftest import ACHIEVEMENT, DEMAND
from xietong.transfer import requirements, services
from xietong.transfer.enums import ListingKind

pytestmark = pytest.mark.django_db


def _world(world):
    bj, tj = actor(world["bj_user"]), actor(world["tj_user"])
    good = services.listing_publish(actor=bj, kind=ListingKind.ACHIEVEMENT, raw=ACHIEVEMENT)
    low = services.listing_publish(
        actor=tj, kind=ListingKind.ACHIEVEMENT,
        raw={**ACHIEVEMENT, "title": "动力电池液冷热管理样机", "trl": 3, "price_wan": "50"},
    )  # fmt: skip
    twin = services.listing_publish(
        actor=tj, kind=ListingKind.ACHIEVEMENT, raw={**ACHIEVEMENT, "title": "动力电池 液冷热管理系统！"}
    )
    dear = services.listing_publish(
        actor=tj, kind=ListingKind.ACHIEVEMENT,
        raw={**ACHIEVEMENT, "title": "动力电池液冷热管理平台", "price_wan": "500", "transfer_modes": ["equity"]},
    )  # fmt: skip
    dem = services.listing_publish(
        actor=actor(world["hb_user"]), kind=ListingKind.DEMAND, raw={**DEMAND, "trl_min": 6}
    )
    return good, low, twin, dear, dem


def test_strict_drops_matches_that_break_a_requirement_and_collapses_twins(world):
    good, low, twin, dear, dem = _world(world)
    shown = services.recommend(actor=actor(world["hb_user"]), kind=ListingKind.DEMAND, pk=dem.pk)
    ids = [s.listing.pk for s in shown]
    assert low.pk not in ids and dear.pk not in ids
    assert len({good.pk, twin.pk} & set(ids)) == 1  # the same title posted twice shows once
    assert all(not s.unmet for s in shown)


def test_not_strict_shows_them_last_with_the_reason(world):
    _good, low, _twin, dear, dem = _world(world)
    shown = services.recommend(
        actor=actor(world["hb_user"]), kind=ListingKind.DEMAND, pk=dem.pk, strict=False
    )
    unmet = {s.listing.pk: s.unmet for s in shown}
    assert unmet[low.pk] == ("成熟度 TRL 3 低于要求的 TRL 6",)
    assert set(unmet[dear.pk]) == {"报价 500 万元超出预算 100 万元", "转化方式不符（需要转让、许可）"}
    flags = [bool(s.unmet) for s in shown]
    assert flags == sorted(flags)  # every match that keeps the requirements comes first


def test_title_key_folds_width_case_and_punctuation():
    assert requirements.title_key("ＡＢＣ 液冷，系统!") == requirements.title_key("abc液冷系统")
    assert requirements.title_key("液冷系统") != requirements.title_key("风冷系统")


def test_acceptance_list_matches_respect_the_lists_trl(world):
    from tests.factories import member
    from xietong.core.roles import Role
    from xietong.transfer.models import AcceptanceList

    good, low, twin, _dear, _ = _world(world)
    lst = AcceptanceList.objects.create(
        title="石家庄新能源汽车成果承接清单", region_id="130102", publisher=world["hb_ent"],
        industries=["new_energy"], keywords=["动力电池", "热管理"], trl_min=6,
    )  # fmt: skip
    _, shown = services.acceptance_matches(actor=actor(member(Role.PLATFORM_ADMIN)), pk=lst.pk)
    ids = [s.listing.pk for s in shown]
    assert good.pk in ids or twin.pk in ids
    assert low.pk not in ids
    assert all(s.listing.trl >= 6 for s in shown)
