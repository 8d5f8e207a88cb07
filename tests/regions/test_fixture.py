"""The committed fixture itself (no database): counts, tree shape, quirks of the source, names, pinyin."""

from __future__ import annotations

import gzip
import json
from collections import Counter
from functools import cache

from xietong.regions import services
from xietong.regions.enums import RegionLevel
from xietong.regions.presets import ZONE_PRESETS


@cache
def _rows() -> dict[str, dict]:
    with gzip.open(services.FIXTURE, "rt", encoding="utf-8") as handle:
        payload = json.load(handle)
    return {row[0]: dict(zip(payload["columns"], row, strict=True)) for row in payload["rows"]}


def test_the_fixture_holds_all_of_gb_t_2260_down_to_county_level():
    rows = _rows()
    assert len(rows) == 3214
    assert Counter(r["level"] for r in rows.values()) == {"province": 34, "prefecture": 333, "county": 2847}


def test_the_fixture_is_small():
    assert services.FIXTURE.stat().st_size < 150_000


def test_every_parent_exists_and_sits_one_level_up_or_is_a_province():
    rows = _rows()
    for row in rows.values():
        if row["level"] == RegionLevel.PROVINCE:
            assert row["parent"] is None
            continue
        parent = rows[row["parent"]]
        if row["level"] == RegionLevel.PREFECTURE:
            assert parent["level"] == RegionLevel.PROVINCE, row
        else:
            assert parent["level"] in (RegionLevel.PROVINCE, RegionLevel.PREFECTURE), row


def test_municipal_districts_hang_directly_under_the_municipality():
    rows = _rows()
    # given the four municipalities, then their districts have the province as parent and no 市辖区 placeholder
    for code in ("110000", "120000", "310000", "500000"):
        assert not any(r["parent"] == code and r["level"] == RegionLevel.PREFECTURE for r in rows.values())
    assert rows["110108"]["parent"] == "110000"  # 海淀区
    assert rows["310117"]["parent"] == "310000"  # 松江区
    assert rows["500107"]["parent"] == "500000"  # 九龙坡区
    assert "110100" not in rows
    assert "500100" not in rows


def test_counties_directly_under_a_province_and_prefectures_without_counties():
    rows = _rows()
    assert rows["419001"]["parent"] == "410000"  # 济源市 (河南省直辖)
    assert rows["429004"]["parent"] == "420000"  # 仙桃市 (湖北省直辖)
    assert rows["469001"]["parent"] == "460000"  # 五指山市 (海南省直辖)
    assert rows["659001"]["parent"] == "650000"  # 石河子市 (新疆自治区直辖)
    for code in ("441900", "442000", "460400", "620200"):  # 东莞, 中山, 儋州, 嘉峪关
        assert rows[code]["level"] == RegionLevel.PREFECTURE
        assert not any(r["parent"] == code for r in rows.values())


def test_short_names_strip_suffixes_sensibly():
    rows = _rows()
    expected = {
        "110000": "北京", "150000": "内蒙古", "450000": "广西", "540000": "西藏", "640000": "宁夏",
        "650000": "新疆", "810000": "香港", "320500": "苏州", "320583": "昆山", "310117": "松江",
        "222400": "延边", "513200": "阿坝", "654000": "伊犁", "130107": "井陉矿区", "150221": "土默特右旗",
        "632500": "海南州", "120105": "河北区", "220200": "吉林市", "422800": "恩施", "429021": "神农架",
        "410104": "管城", "622926": "东乡",
    }  # fmt: skip
    assert {code: rows[code]["short_name"] for code in expected} == expected
    assert all(len(r["short_name"]) >= 2 for r in rows.values())


def test_pinyin_is_lower_case_and_reads_place_names_right():
    rows = _rows()
    expected = {
        "320583": ("kunshan", "ks"), "500000": ("chongqing", "cq"), "430100": ("changsha", "cs"),
        "140400": ("changzhi", "cz"), "510100": ("chengdu", "cd"), "411100": ("luohe", "lh"),
        "350200": ("xiamen", "xm"), "340300": ("bengbu", "bb"),
    }  # fmt: skip
    assert {code: (rows[code]["pinyin"], rows[code]["initials"]) for code in expected} == expected
    assert all(r["pinyin"].isascii() and r["pinyin"] == r["pinyin"].lower() for r in rows.values())


def test_nearly_every_region_has_coordinates_inside_china():
    rows = _rows()
    missing = [code for code, r in rows.items() if r["lng"] is None]
    assert len(missing) <= 10  # newly created counties the outline source does not have yet
    for r in rows.values():
        if r["lng"] is not None:
            assert 73 < r["lng"] < 136 and 3 < r["lat"] < 54, r
    # 昆山市 lies between 上海 and 苏州
    assert 120.8 < rows["320583"]["lng"] < 121.2 and 31.2 < rows["320583"]["lat"] < 31.6


def test_every_preset_member_is_in_the_fixture():
    rows = _rows()
    assert all(code in rows for preset in ZONE_PRESETS for code in preset.members)
