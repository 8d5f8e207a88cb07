"""The demo loads once (idempotent) with its walkthrough, and the CLI commands answer and refuse in Chinese."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from tests.talent import factories
from xietong.core.actor import SYSTEM
from xietong.orgs import demo as org_demo
from xietong.talent import demo, services
from xietong.talent.enums import RoundStatus, SeatStatus
from xietong.talent.models import Agreement, ExpertEntry, ReviewRound, ReviewSeat, Scheme, TalentProfile

pytestmark = pytest.mark.django_db


def test_demo_loads_once_with_its_walkthrough(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    org_demo.load()
    message = demo.load()
    assert message.startswith("人才档案 2000 份、库内专家 300 位")
    assert (TalentProfile.objects.count(), ExpertEntry.objects.count()) == (2000, 300)
    assert set(Scheme.objects.values_list("name", flat=True)) == {
        "天府英才卡",
        "重庆英才服务卡",
        "河北省专业技术职称",
    }
    assert Agreement.objects.count() == 3
    assert set(ReviewRound.objects.values_list("status", flat=True)) == {
        RoundStatus.CLOSED,
        RoundStatus.ASSIGNED,
    }
    pending = ReviewRound.objects.get(status=RoundStatus.ASSIGNED)
    assert ReviewSeat.objects.filter(item__round=pending, expert__profile__user__username="expert",
                                     status=SeatStatus.INVITED).exists()  # fmt: skip
    assert demo.load() == "人才与专家演示数据已存在，未重复写入"
    assert TalentProfile.objects.count() == 2000


def test_recognition_command_answers_and_refuses_in_chinese(capsys, frozen_clock):
    scheme = factories.tianfu_card()
    factories.chuanyu_agreement(scheme)
    call_command("talent_recognition", scheme="天府英才卡", tier="B", region="500000")
    out = capsys.readouterr().out
    assert (
        "持天府英才卡 B 卡在重庆市可享受哪些服务" in out
        and "子女入学：川渝人才服务互认协议（示例） 第 1 版 第三条第（一）项" in out
    )
    with pytest.raises(CommandError, match="制度“无此卡”不存在"):
        call_command("talent_recognition", scheme="无此卡", tier="B", region="500000")


def test_assign_command_reports_blocked_items_and_exits_non_zero(frozen_clock):
    factories.expert(region="510000")
    rnd = services.round_open(actor=SYSTEM, spec=services.RoundSpec(
        title="命令行评审", region_code="510000", k=1, cap=1,
        proposals=[{"title": "甲", "applicant_name": "某单位", "applicant_region": "510107"},
                   {"title": "乙", "applicant_name": "某单位", "applicant_region": "510107"}]))  # fmt: skip
    with pytest.raises(CommandError, match="无法配齐"):
        call_command("talent_assign", str(rnd.pk))
    assert ReviewSeat.objects.count() == 0


def test_template_commands_write_workbooks(tmp_path):
    for kind in ("profiles", "experts", "agreements"):
        out = tmp_path / f"{kind}.xlsx"
        call_command(f"talent_{kind}_template", out=str(out))
        assert out.stat().st_size > 3000
