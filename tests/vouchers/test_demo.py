"""The demo: six programmes (one 通用 and one 通兑 per big zone) plus 嘉兴's programme reviewed in levels, a few hundred orders with redemptions in every
state, statements for the two past months (the older one paid), sound books, and a second run writes nothing."""

from datetime import date

import pytest
from django.utils import timezone

from xietong.ledger import checks
from xietong.ledger.models import Entry
from xietong.vouchers import demo
from xietong.vouchers.enums import RedemptionStatus
from xietong.vouchers.models import Application, BundlePartner, Objection, Programme, Redemption, Statement

pytestmark = pytest.mark.django_db


def _month(back: int) -> date:
    return demo._month_start(timezone.localdate(), back)


def test_demo_loads_every_state_once_and_the_books_are_sound(settings, tmp_path):
    from xietong.orgs import demo as orgs_demo
    from xietong.resources import demo as resources_demo

    settings.MEDIA_ROOT = tmp_path / "media"
    orgs_demo.load()
    resources_demo.load()
    # when
    summary = demo.load()
    # then two programmes per big zone, one of each mode, and one reviewed in levels
    assert summary.startswith("创新券：7 个方案")
    levelled = Programme.objects.get(review_levels="county")
    waiting = Application.objects.filter(programme=levelled, status="submitted")
    assert waiting.filter(review_region__isnull=False).exists()  # at the district's 初审
    assert waiting.filter(review_region__isnull=True).exists()  # passed on to the city's 复审
    assert Application.objects.get(programme=levelled, status="rejected").reviews.get().approved is False
    assert all(a.attachments.count() == 1 for a in Application.objects.filter(programme=levelled))
    modes = {(p.provider_zone.code, p.mode) for p in Programme.objects.select_related("provider_zone")}
    assert modes == {(z, m) for z in ("yrd", "jjj", "chengyu") for m in ("tongdui", "tongyong")}
    assert set(Application.objects.values_list("status", flat=True)) == {"submitted", "approved", "rejected"}
    # a few hundred redemptions in every state, one bundled order per programme
    assert Redemption.objects.count() >= 300
    assert set(Redemption.objects.values_list("status", flat=True)) == set(RedemptionStatus.values)
    assert BundlePartner.objects.exists()
    assert set(Objection.objects.values_list("status", flat=True)) == {"open", "upheld"}
    # statements for the two past months: the older one paid, the last one issued
    assert set(Statement.objects.filter(period=_month(2)).values_list("status", flat=True)) == {"paid"}
    assert set(Statement.objects.filter(period=_month(1)).values_list("status", flat=True)) == {"issued"}
    assert {s.issuer_key for s in Statement.objects.all()} >= {"R330400", "R130000", "R510000"}
    assert checks.run_all() == []
    # and a second run changes nothing
    entries = Entry.objects.count()
    assert demo.load() == "创新券演示数据已存在（跳过）"
    assert Entry.objects.count() == entries
