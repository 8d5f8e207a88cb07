"""Issue 12 item 13: the demo organisations and instruments read like real ones (and stay deterministic)."""

from __future__ import annotations

import random
import re

import pytest

from xietong.orgs import demo as orgs_demo
from xietong.orgs.enums import OrgKind
from xietong.orgs.models import Organisation
from xietong.regions import selectors as region_selectors
from xietong.resources import demo as resources_demo
from xietong.resources.models import Resource

pytestmark = pytest.mark.django_db

MAKERS = {"岛津", "安捷伦", "赛默飞", "沃特世", "布鲁克", "珀金埃尔默", "堀场", "马尔文", "蔡司", "日立", "牛津仪器",
          "理学", "耐驰", "梅特勒-托利多", "英斯特朗", "MTS", "基恩士", "是德科技", "罗德与施瓦茨", "东京精密", "爱德万",
          "BD", "徕卡", "Raith", "北方华创", "铂力特", "EOS", "爱斯佩克", "伟思富奇", "中科曙光"}  # fmt: skip


def _zone_counts() -> dict[str, int]:
    counts = {}
    for zone in orgs_demo.ZONES:
        codes = region_selectors.zone_region_codes(region_selectors.zone_get(zone_id_or_code=zone))
        counts[zone] = Organisation.objects.filter(region_id__in=codes).count()
    return counts


def test_zones_have_different_plausible_organisation_counts():
    orgs_demo.load()
    counts = _zone_counts()
    # the 360 generated ones and the one suspended enterprise (orgs.demo.SUSPENDED)
    assert sum(counts.values()) == Organisation.objects.count() == 361
    assert counts["yrd"] > counts["jjj"] > counts["chengyu"] >= 50  # not 116 / 116 / 116
    assert len(set(counts.values())) == 3


def test_organisation_names_have_no_doubled_words_and_are_deterministic():
    first = [o.name for o in orgs_demo.build_organisations(random.Random(orgs_demo.SEED))]
    again = [o.name for o in orgs_demo.build_organisations(random.Random(orgs_demo.SEED))]
    assert first == again and len(set(first)) == len(first)
    assert not [n for n in first if "科技科技" in n or re.search(r"(..)\1", n)]
    assert not [o for o in orgs_demo.build_organisations(random.Random(1)) if "演示" in o.description]


def test_demo_accounts_sit_in_organisations_of_the_kind_their_label_says():
    orgs_demo.load()
    member = orgs_demo._scope_org("first:university:310000")
    assert (
        member.kind == OrgKind.UNIVERSITY and member.name.startswith("上海") and member.name.endswith("大学")
    )


def test_instruments_carry_real_makers_models_and_specifications():
    orgs_demo.load()
    resources_demo.load()
    instruments = Resource.objects.exclude(kind="service")
    assert instruments.count() > 300
    for name, maker, model, specs, value in instruments.values_list(
        "name", "manufacturer", "model_number", "specs", "original_value_fen"
    ):
        assert maker in MAKERS and model and "演示" not in name + specs, (name, maker, model)
        assert "；" in specs and value % 1_000_000 == 0
    assert instruments.filter(manufacturer="蔡司", model_number__in=["Sigma 300", "GeminiSEM 500"]).exists()
    assert not Resource.objects.filter(specs__contains="演示").exists()
    assert not Resource.objects.filter(description__contains="演示").exists()
