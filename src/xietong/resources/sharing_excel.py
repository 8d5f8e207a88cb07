"""The open-sharing statistics in the layout of the national evaluation's instrument table."""

from __future__ import annotations

from xietong.core.excel import Sheet, write_sheets
from xietong.core.money import fen_to_yuan

INSTRUMENT_HEADER = [
    "序号", "仪器名称", "资产编号", "规格型号", "原值（万元）", "年有效工作机时（小时）", "对外服务机时（小时）",
    "共享率（%）", "服务收入（万元）", "服务用户数（内）", "服务用户数（外）", "检测样品数", "培训人数",
    "用户评价（平均分）", "用户评价（条数）",
]  # fmt: skip


def _wan(fen: int | None):
    return None if fen is None else round(float(fen_to_yuan(fen)) / 10_000, 4)


def _pct(rate: float | None):
    return None if rate is None else round(rate * 100, 2)


def _instrument_row(n: int, row: dict) -> list:
    r, f, rating = row["resource"], row["f"], row["rating"]
    return [
        n, r.name, r.asset_code, r.model_number, _wan(r.original_value_fen), f.effective_hours, f.external_hours,
        _pct(f.sharing_rate), _wan(f.income_fen), len(f.internal_users), len(f.external_orgs), f.samples,
        f.trained, rating[0] if rating else None, rating[1] if rating else 0,
    ]  # fmt: skip


UNIT_HEADER = [
    "序号", "单位名称", "所在地", "仪器台套数", "原值（万元）", "年有效工作机时（小时）", "对外服务机时（小时）", "共享率（%）",
    "服务收入（万元）", "服务用户数（内）", "服务用户数（外）", "检测样品数", "培训人数", "用户评价（平均分）", "用户评价（条数）",
]  # fmt: skip


def region_workbook(data: dict) -> bytes:
    """A region's units: the summary per unit (ranked by 有效工作机时) and every unit's instrument table."""
    units = []
    for u in data["units"]:
        f, rating = u["total"], u["rating"]
        units.append([
            u["rank"], u["organisation"].name, u["organisation"].region.name, u["instruments"], _wan(u["value_fen"]),
            f.effective_hours, f.external_hours, _pct(f.sharing_rate), _wan(f.income_fen), len(f.internal_users),
            len(f.external_orgs), f.samples, f.trained, rating[0] if rating else None, rating[1] if rating else 0,
        ])  # fmt: skip
    t = data["total"]
    units.append([
        None, "合计", data["region"].name, sum(u["instruments"] for u in data["units"]),
        _wan(sum(u["value_fen"] for u in data["units"])), t.effective_hours, t.external_hours, _pct(t.sharing_rate),
        _wan(t.income_fen), len(t.internal_users), len(t.external_orgs), t.samples, t.trained, None, None,
    ])  # fmt: skip
    instruments = [
        [row["resource"].owner.name, *_instrument_row(n, row)]
        for n, row in enumerate(data["instruments"], start=1)
    ]
    return write_sheets([
        Sheet(title="单位汇总", header=UNIT_HEADER, rows=units, widths=[6, 30, 12] + [12] * 12),
        Sheet(title="大型科研仪器开放共享情况", header=["单位名称", *INSTRUMENT_HEADER], rows=instruments,
              widths=[30, 6, 24, 14, 14] + [12] * 11),
    ])  # fmt: skip


def workbook(data: dict) -> bytes:
    rows = [_instrument_row(n, row) for n, row in enumerate(data["rows"], start=1)]
    t, region = data["total"], data["region"]
    summary = [
        ["单位", data["organisation"].name, ""],
        ["年度", data["year"], ""],
        ["年有效工作机时（小时）", t.effective_hours, region["avg_hours"]],
        ["对外服务机时（小时）", t.external_hours, region["avg_external_hours"]],
        ["共享率（%）", _pct(t.sharing_rate), _pct(region["avg_rate"])],
        ["服务收入（万元）", _wan(t.income_fen), _wan(region["avg_income_fen"])],
        ["服务用户数（内/外）", f"{len(t.internal_users)}/{len(t.external_orgs)}", ""],
        ["培训人数", t.trained, ""],
        [f"有效工作机时在{region['city']}的排名", f"{region['rank_hours']}/{region['units']}", ""],
    ]
    return write_sheets([
        Sheet(title="大型科研仪器开放共享情况", header=INSTRUMENT_HEADER, rows=rows, widths=[6, 24, 14, 14] + [12] * 11),
        Sheet(title="单位汇总", header=["指标", "本单位", "本地区单位平均"], rows=summary, widths=[26, 20, 18]),
    ])  # fmt: skip
