"""Region lookup, descendant sets and zone reads over the loaded reference data."""

from __future__ import annotations

import pytest

from xietong.core.errors import NotFound
from xietong.regions import selectors
from xietong.regions.models import Region, Zone

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- lookup


@pytest.mark.parametrize("q", ["kunshan", "KunShan", "ks", "3205", "320583", "昆山", "昆山市", "kun shan"])
def test_lookup_finds_kunshan_by_name_pinyin_initials_or_code(q):
    codes = [r.code for r in selectors.region_lookup(q=q, limit=20)]
    assert "320583" in codes


def test_an_exact_match_ranks_first():
    assert selectors.region_lookup(q="昆山")[0].code == "320583"
    assert selectors.region_lookup(q="kunshan")[0].code == "320583"
    assert selectors.region_lookup(q="320583")[0].code == "320583"


def test_a_code_prefix_lists_the_higher_level_first():
    # given the prefix of 苏州市, then 苏州市 comes before its districts
    codes = [r.code for r in selectors.region_lookup(q="3205", limit=5)]
    assert codes[0] == "320500"
    assert all(code.startswith("3205") for code in codes)


def test_provinces_rank_before_prefectures_and_counties_among_equal_matches():
    # 'hainan' is exactly 海南省 and also 海南区 (乌海市) → province first
    results = selectors.region_lookup(q="hainan")
    assert results[0].code == "460000"


def test_chinese_contains_match_and_level_filter():
    results = selectors.region_lookup(q="松江", level="county")
    assert [r.code for r in results] == ["310117"]
    assert all(r.level == "county" for r in selectors.region_lookup(q="苏州", level="county"))


def test_lookup_within_a_parent():
    results = selectors.region_lookup(q="cy", parent="110000")
    assert [r.code for r in results] == ["110105"]  # 朝阳区 of 北京, not 朝阳市 of 辽宁


def test_empty_query_lists_provinces_or_a_parents_children():
    provinces = selectors.region_lookup(q="", limit=100)
    assert len(provinces) == 34 and all(r.level == "province" for r in provinces)
    children = selectors.region_lookup(q="", parent="320500", limit=100)
    assert {r.code for r in children} >= {"320583", "320585", "320509"}
    assert all(r.parent_id == "320500" for r in children)


def test_lookup_respects_the_limit_and_an_unknown_parent_is_not_found():
    assert len(selectors.region_lookup(q="区", limit=7)) == 7
    with pytest.raises(NotFound):
        selectors.region_lookup(q="x", parent="999999")


def test_region_get():
    region = selectors.region_get("320583")
    assert (region.name, region.parent.name) == ("昆山市", "苏州市")
    with pytest.raises(NotFound) as caught:
        selectors.region_get("999999")
    assert "999999" in caught.value.message


# ---------------------------------------------------------------- descendants


def test_descendant_codes_of_a_province_include_its_cities_and_districts():
    sichuan = selectors.region_descendant_codes("510000")
    assert {"510000", "510100", "510107"} <= sichuan  # 四川省, 成都市, 武侯区
    assert "500107" not in sichuan
    assert len(sichuan) == Region.objects.filter(code__startswith="51").count()


def test_descendant_codes_of_a_county_and_of_nothing():
    assert selectors.region_descendant_codes("320583") == frozenset({"320583"})
    assert selectors.region_descendant_codes("999999") == frozenset()


def test_descendant_codes_are_cached_in_process(django_assert_num_queries):
    selectors.region_descendant_codes("330000")
    with django_assert_num_queries(0):
        selectors.region_descendant_codes("330000")
        selectors.region_descendant_codes("330400")


def test_ancestors():
    assert selectors.region_ancestor_codes("320583") == ("320500", "320000")
    assert selectors.region_ancestor_codes("310117") == ("310000",)
    assert selectors.region_ancestor_codes("310000") == ()


# ---------------------------------------------------------------- zones


def test_zone_region_codes_cover_members_and_everything_below():
    yrd = selectors.zone_region_codes(Zone.objects.get(code="yrd"))
    assert {"320583", "310117", "340100", "330000"} <= yrd  # 昆山市, 松江区, 合肥市, 浙江省
    assert "110105" not in yrd
    chengyu = selectors.zone_region_codes(Zone.objects.get(code="chengyu"))
    assert {"500000", "500103", "510107", "511800"} <= chengyu
    assert "513200" not in chengyu  # 阿坝州 is outside 成渝
    jiakuntai = selectors.zone_region_codes(Zone.objects.get(code="jiakuntai"))
    assert jiakuntai == frozenset({"310114", "320583", "320585"})


def test_zone_get_by_code_or_id():
    zone = Zone.objects.get(code="g60")
    assert selectors.zone_get(zone_id_or_code="g60") == zone
    assert selectors.zone_get(zone_id_or_code=zone.pk) == zone
    assert selectors.zone_get(zone_id_or_code=str(zone.pk)) == zone
    with pytest.raises(NotFound):
        selectors.zone_get(zone_id_or_code="nowhere")
    for odd in ("³", "٣", "1" * 40):  # Unicode digits and ids beyond 64 bits name no zone
        with pytest.raises(NotFound):
            selectors.zone_get(zone_id_or_code=odd)


def test_zones_for_a_region_follow_its_ancestors():
    assert {z.code for z in selectors.zones_for_region("320583")} == {"yrd", "g60", "jiakuntai"}
    assert {z.code for z in selectors.zones_for_region("310118")} == {"yrd", "yrd-demo"}
    assert {z.code for z in selectors.zones_for_region("510107")} == {"chengyu"}
    assert selectors.zones_for_region("650000") == []


def test_zone_list_counts_members():
    counts = {z.code: z.member_count for z in selectors.zone_list()}
    assert counts == {"jjj": 3, "chengyu": 16, "yrd": 4, "g60": 9, "jiakuntai": 3, "yrd-demo": 3}


def test_zone_map_data_in_two_queries(django_assert_num_queries):
    with django_assert_num_queries(2):
        data = selectors.zone_map_data()
    by_code = {z["code"]: z for z in data}
    assert set(by_code) == {"jjj", "chengyu", "yrd", "g60", "jiakuntai", "yrd-demo"}
    jjj = by_code["jjj"]
    assert (jjj["name"], jjj["short_name"]) == ("京津冀协同发展区", "京津冀")
    assert [m["name"] for m in jjj["members"]] == ["北京市", "天津市", "河北省"]
    assert set(jjj["members"][0]) == {"code", "name", "level", "lng", "lat"}
    assert len({z["color"] for z in data}) == len(data)  # one colour each


def test_the_provinces_partition_every_region():
    # given every province's descendant set, then they are disjoint and together hold every region
    provinces = Region.objects.filter(parent__isnull=True).values_list("code", flat=True)
    sets = [selectors.region_descendant_codes(code) for code in provinces]
    assert sum(len(s) for s in sets) == Region.objects.count()
    assert frozenset().union(*sets) == frozenset(Region.objects.values_list("code", flat=True))


def test_every_region_lies_below_each_of_its_ancestors():
    for code in Region.objects.values_list("code", flat=True):
        for ancestor in selectors.region_ancestor_codes(code):
            assert code in selectors.region_descendant_codes(ancestor)


@pytest.mark.parametrize(
    ("a", "b", "crosses"),
    [
        ("320583", "320505", False),  # 昆山 and 苏州虎丘: both in 苏州
        ("320583", "320500", False),  # a county and its own prefecture
        ("320583", "330402", True),  # 昆山 and 嘉兴南湖
        ("500101", "500230", False),  # 万州区 and 丰都县: both 重庆 (the old 4-digit prefix split them)
        ("110108", "110000", False),  # 海淀 and 北京
        ("110108", "120101", True),  # 北京 and 天津
        ("419001", "410102", True),  # 济源 (a county-level city under the province) is not 郑州
        ("419001", "419001", False),
    ],
)
def test_cross_region_is_one_definition_by_city(a, b, crosses):
    # given two region codes / when compared / then they cross when their cities differ
    assert selectors.is_cross_region(a, b) is crosses
    assert selectors.is_cross_region(b, a) is crosses
