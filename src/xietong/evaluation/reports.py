"""A finished run as tables (for the page, Excel and PDF): one place that turns results into rows."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from xietong.core import clock
from xietong.core.pdf import PdfDocument
from xietong.evaluation import excel
from xietong.evaluation.models import Run
from xietong.evaluation.presets import FRAMEWORK_PRESETS, run_preset_name


def _fmt(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


STRENGTH_RULE = (
    "优势与短板按最新年份各指标标准化值的排名确定：各地区取值相同（如全为 0）的指标不参与；"
    "与其他地区并列的名次不计为优势或短板；优势须排在前一半，短板须排在后一半（第 1 名不会是短板）；"
    "各取排名最靠前（后）的至多 3 项。"
)


def partial_year(run: Run) -> dict[str, Any] | None:
    """The latest year, if the run was computed before that year ended (its data cover only part of it).

    Judged by the day the run finished (``core.clock``, 北京时间): a report computed on 2026-12-05 shows
    2026 as 截至 12 月 5 日 even when read in 2027, because its data stop there.
    """
    results = run.results or {}
    latest = results.get("latest")
    if latest is None:
        return None
    finished = run.finished_at or clock.now()
    as_of: date = timezone.localtime(finished).date()
    if int(latest) < as_of.year:
        return None
    return {
        "year": int(latest),
        "as_of": as_of,
        "label": _("%(year)s 年数据截至 %(month)s 月 %(day)s 日，为不完整年度")
        % {"year": latest, "month": as_of.month, "day": as_of.day},
    }


def year_label(year: int, partial: dict[str, Any] | None) -> str:
    """A year as a table shows it: the partial year carries its cut-off date."""
    if partial and int(year) == partial["year"]:
        return _("%(year)s（截至 %(month)s 月 %(day)s 日）") % {
            "year": year,
            "month": partial["as_of"].month,
            "day": partial["as_of"].day,
        }
    return str(year)


def _why_excluded(label: str, change: dict[str, Any] | None) -> str:
    if change is None:
        return _("%(name)s（部分年份无数据）") % {"name": label}
    if change.get("to", "platform") == "platform":
        return _("%(name)s（%(year)s 年起改为平台数据）") % {"name": label, "year": change["year"]}
    if change.get("to") == "blank":
        return _("%(name)s（%(year)s 年起无数据）") % {"name": label, "year": change["year"]}
    if change.get("from") == "blank":
        return _("%(name)s（%(year)s 年前无数据）") % {"name": label, "year": change["year"]}
    return _("%(name)s（%(year)s 年起口径改变）") % {"name": label, "year": change["year"]}


def fixed_base_note(results: dict[str, Any]) -> str:
    """How the 定基指数 keeps like with like: which indicators it uses, and which it leaves out and why."""
    info = (results.get("fixed_base") or {}).get("indicators")
    if not info:
        return ""
    base = results.get("base_year")
    if not info["excluded"]:
        return _("定基指数以 %(base)s 年为 100，各年使用同一组 %(total)s 项指标计算。") % {
            "base": base,
            "total": info["total"],
        }
    labels = results["labels"]
    changed = {c["code"]: c for c in info.get("changed") or []}
    parts = [_why_excluded(labels.get(code, code), changed.get(code)) for code in info["excluded"]]
    missing = [labels.get(c, c) for c in [results["root"], *results["level1"]] if not any(
        v is not None for v in (results["fixed_base"]["zone"].get(c) or []))]  # fmt: skip
    text = _(
        "为使各年可比，定基指数（%(base)s 年 = 100）只用各年口径一致的 %(comparable)s 项指标（共 %(total)s 项）"
        "重新计算；未计入：%(excluded)s。指数得分与排名仍使用全部指标。"
    ) % {"base": base, "comparable": info["comparable"], "total": info["total"], "excluded": "、".join(parts)}
    if missing:
        text += _("%(names)s没有各年口径一致的指标，不计算定基指数。") % {"names": "、".join(missing)}
    return text


def rank_rows(results: dict[str, Any], year_index: int = -1) -> list[dict[str, Any]]:
    """The latest (or given) year: rank, unit, index score and each 一级 score, best first."""
    root, level1 = results["root"], results["level1"]
    rows = []
    for u, unit in enumerate(results["units"]):
        rank = results["ranks"][year_index][u]
        if rank is None:
            continue
        rows.append(
            {
                "rank": int(rank),
                "uCode": unit,
                "name": results["names"].get(unit, unit),
                "score": results["scores"][root][year_index][u],
                "level1": [results["scores"][c][year_index][u] for c in level1],
                "fixed_base": results["fixed_base"]["units"][root][year_index][u],
            }
        )
    return sorted(rows, key=lambda r: (r["rank"], r["uCode"]))


def growth_rows(results: dict[str, Any]) -> list[dict[str, Any]]:
    """The zone's index and each 一级 sub-index in the latest year: growth over the year before and since
    the base year, in %, fastest first after the index — the way the 成渝 report is quoted
    ("总指数增长 9.5%，创新合作指数增长最快，达到 17.0%")."""
    root, zone = results["root"], results["fixed_base"]["zone"]
    growth = results["fixed_base"]["growth"]
    rows = []
    for code in [root, *results["level1"]]:
        latest = zone[code][-1] if zone.get(code) else None
        rows.append(
            {
                "code": code,
                "name": results["labels"].get(code, code),
                "is_index": code == root,
                "yoy": (growth.get(code) or {}).get("yoy"),
                "since_base": None if latest is None else latest - 100.0,
                "cagr": (growth.get(code) or {}).get("cagr"),
            }
        )
    subs = sorted(rows[1:], key=lambda r: (r["yoy"] is None, -(r["yoy"] or 0.0)))
    if subs and subs[0]["yoy"] is not None:
        subs[0]["fastest"] = True
    return rows[:1] + subs


def growth_sentence(rows: list[dict[str, Any]]) -> str:
    """One line as the reports word it: the index's growth, then the fastest sub-index."""
    index, fastest = rows[0], next((r for r in rows if r.get("fastest")), None)
    if index["yoy"] is None:
        return ""
    if fastest is None:
        return _("%(index)s增长 %(yoy).1f%%。") % {"index": index["name"], "yoy": index["yoy"]}
    return _("%(index)s增长 %(yoy).1f%%，其中%(fastest)s增长最快，达到 %(fastest_yoy).1f%%。") % {
        "index": index["name"],
        "yoy": index["yoy"],
        "fastest": fastest["name"],
        "fastest_yoy": fastest["yoy"],
    }


def published_growth(run: Run) -> list[tuple[str, list[tuple[str, float]]]]:
    """The growth rates the preset index's own reports published, labelled, to set beside the run's."""
    preset = FRAMEWORK_PRESETS.get(run.framework.preset or "")
    if preset is None:
        return []
    names = {code: name for code, name in preset.level1} | {preset.index_code: "总指数"}
    return [(label, [(names.get(c, c), v) for c, v in figures]) for label, figures in preset.published_growth]


def zone_trend_rows(results: dict[str, Any]) -> list[list[Any]]:
    codes = [results["root"], *results["level1"]]
    zone = results["fixed_base"]["zone"]
    return [[year, *[zone[c][t] for c in codes]] for t, year in enumerate(results["years"])]


def coupling_rows(results: dict[str, Any], year_index: int = -1) -> list[list[Any]]:
    coupling = results.get("coupling") or {}
    if not coupling:
        return []
    return [
        [results["names"].get(unit, unit), coupling["C"][year_index][u], coupling["D"][year_index][u],
         coupling["band"][year_index][u]]
        for u, unit in enumerate(results["units"])
        if coupling["D"][year_index][u] is not None
    ]  # fmt: skip


def _ranked(label: str, rank: int) -> str:
    return _("%(label)s（第 %(rank)s 名）") % {"label": label, "rank": rank}


def strength_rows(results: dict[str, Any]) -> list[list[str]]:
    labels = results["labels"]
    out = []
    if not results.get("strengths"):
        return out
    for unit, item in results["strengths"].items():
        strengths = _("、").join(_ranked(labels.get(c, c), r) for c, r in item["strengths"]) or "—"
        weaknesses = _("、").join(_ranked(labels.get(c, c), r) for c, r in item["weaknesses"]) or "—"
        out.append([results["names"].get(unit, unit), strengths, weaknesses])
    return out


def sensitivity_rows(results: dict[str, Any]) -> list[list[Any]]:
    sensitivity = results.get("sensitivity") or {}
    names = results["names"]
    rows = sorted(sensitivity.get("rows", []), key=lambda r: r["nominal"])
    return [[names.get(r["uCode"], r["uCode"]), r["nominal"], r["median"], r["q05"], r["q95"],
             round(r["mean_abs_change"], 2)] for r in rows]  # fmt: skip


def remove_one_rows(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Each 一级 then 二级 component removed in turn: the index's mean and largest rank change, largest first."""
    labels = results["labels"]
    out = []
    for key, level in (("level1", "一级"), ("level2", "二级")):
        rows = (results.get("remove_one") or {}).get(key) or []
        for r in sorted(rows, key=lambda r: (-r["mean_abs_rank_change"], r["iCode"])):
            out.append(
                {"level": level, "iCode": r["iCode"], "name": labels.get(r["iCode"], r["iCode"]),
                 "parent": labels.get(results["parents"].get(r["iCode"]) or "", ""),
                 "mean": r["mean_abs_rank_change"], "max": r["max_abs_rank_change"]}
            )  # fmt: skip
    return out


def sobol_rows(results: dict[str, Any]) -> list[dict[str, Any]]:
    """First-order and total Sobol' indices of each uncertain input, when the run computed them."""
    return list((results.get("sensitivity") or {}).get("sobol") or [])


SENSITIVITY_METHOD_LABELS = {"ua": "排名区间", "sobol": "排名区间 + Sobol' 指数"}


def describe(run: Run) -> list[tuple[str, str]]:
    options = run.options
    return [
        ("指数", run.framework.name),
        ("范围", run.framework.scope_name),
        ("框架版本", f"第 {run.framework_version.number} 版"),
        (
            "数据版本",
            f"第 {run.dataset.number} 版：{run.dataset.name}"
            + ("（演示数据）" if run.dataset.is_demo else ""),
        ),
        ("计算流程", run_preset_name(options.get("preset", ""))),
        ("赋权 / 加总", f"{options.get('weighting') or '按流程'} / {options.get('aggregation') or '按流程'}"),
        ("基期", str(run.results.get("base_year", ""))),
        (
            "敏感性分析",
            f"{(run.results.get('sensitivity') or {}).get('runs', options.get('sensitivity_runs', 0))} 次"
            f"（{SENSITIVITY_METHOD_LABELS.get(options.get('sensitivity_method') or 'ua', '')}）",
        ),
        # 北京时间, as the pages print it (the database keeps UTC)
        (
            "完成时间",
            timezone.localtime(run.finished_at).strftime("%Y-%m-%d %H:%M") if run.finished_at else "",
        ),
        *([("不完整年度", partial["label"])] if (partial := partial_year(run)) else []),
        *([("定基指数口径", note)] if (note := fixed_base_note(run.results)) else []),
        ("优势与短板规则", STRENGTH_RULE),
    ]


def workbook(run: Run) -> bytes:
    results = run.results
    labels = results["labels"]
    level1 = results["level1"]
    codes = [results["root"], *level1, *results["level2"]]
    latest = results["latest"]
    sheets = [
        ("说明", ["项目", "内容"], describe(run)),
        (
            f"{latest}年排名",
            [
                "排名",
                "地区代码",
                "地区",
                "指数得分",
                *[labels[c] for c in level1],
                f"定基指数（{results['base_year']}=100）",
            ],
            [
                [r["rank"], r["uCode"], r["name"], r["score"], *r["level1"], r["fixed_base"]]
                for r in rank_rows(results)
            ],
        ),
        (
            "各年得分",
            ["地区代码", "地区", "年份", "排名", *[f"{labels[c]}（{c}）" for c in codes]],
            [
                [
                    unit,
                    results["names"].get(unit, unit),
                    year,
                    results["ranks"][t][u],
                    *[results["scores"][c][t][u] for c in codes],
                ]
                for t, year in enumerate(results["years"])
                for u, unit in enumerate(results["units"])
                if results["ranks"][t][u] is not None
            ],
        ),
        (
            "分指数增长",
            ["指数", "较上年增长（%）", "较基期增长（%）", "年均增长（%）", "增长最快"],
            [
                [g["name"], g["yoy"], g["since_base"], g["cagr"], "是" if g.get("fastest") else ""]
                for g in growth_rows(results)
            ],
        ),
        (
            "定基指数（全区）",
            ["年份", *[labels[c] for c in [results["root"], *level1]]],
            zone_trend_rows(results),
        ),
        ("耦合协调度", ["地区", "耦合度 C", "协调度 D", "等级"], coupling_rows(results)),
        (
            "敏感性分析",
            ["地区", "名义排名", "中位排名", "5% 排名", "95% 排名", "平均排名变动"],
            sensitivity_rows(results),
        ),
        (
            "逐项剔除分析",
            ["层级", "代码", "名称", "上级", "平均排名变动", "最大排名变动"],
            [
                [r["level"], r["iCode"], r["name"], r["parent"], r["mean"], r["max"]]
                for r in remove_one_rows(results)
            ],
        ),
        (
            "Sobol 指数",
            ["不确定输入", "一阶指数 S1", "总效应指数 ST", "S1 置信区间半宽", "ST 置信区间半宽"],
            [[r["input"], r["S1"], r["ST"], r["S1_conf"], r["ST_conf"]] for r in sobol_rows(results)],
        ),
        ("优势与短板", ["地区", "优势指标", "短板指标"], strength_rows(results)),
        ("计算提示", ["代码", "提示"], [[w["code"], w["message"]] for w in results.get("warnings") or []]),
        (
            "权重",
            ["代码", "名称", "层级", "上级", "权重", "来源", "有效权重"],
            [
                [
                    w["iCode"],
                    labels.get(w["iCode"], ""),
                    w["Level"],
                    w["Parent"],
                    w["Weight"],
                    w["Source"],
                    w["Effective"],
                ]
                for w in results["weights"]
            ],
        ),
    ]
    return excel.report_workbook(sheets=[(name, header, _rounded(rows)) for name, header, rows in sheets])


def _rounded(rows) -> list[list]:
    """Scores as people read them: 4 significant decimals at most (weights and Sobol indices are small)."""
    return [[round(v, 4) if isinstance(v, float) else v for v in row] for row in rows]


def pdf(run: Run) -> bytes:
    results = run.results
    labels = results["labels"]
    level1 = results["level1"]
    latest = results["latest"]
    demo = "（演示数据）" if run.dataset.is_demo else ""
    partial = partial_year(run)
    upto = f"（{latest} 年截至 {partial['as_of'].month} 月 {partial['as_of'].day} 日）" if partial else ""
    doc = PdfDocument(
        title=f"{run.framework.name}评价报告",
        subtitle=f"{run.framework.scope_name} · {results['years'][0]}–{latest} 年{upto} · 第 {run.number} 次运行{demo}",
        is_landscape=True,
    )
    doc.heading("一、计算说明")
    doc.key_values(describe(run))
    ranks = rank_rows(results)
    root = results["root"]
    zone = results["fixed_base"]["zone"][root]
    growth = results["fixed_base"]["growth"][root]
    doc.paragraph(
        f"{latest} 年全区{labels[root]}为 {_fmt(zone[-1])}（{results['base_year']} 年 = 100），"
        f"同比增长 {_fmt(growth['yoy'])}%，年均增长 {_fmt(growth['cagr'])}%。"
        f"综合得分最高的是{ranks[0]['name'] if ranks else '—'}。"
        + (f"注意：{partial['label']}，{latest} 年的得分与增长不代表全年。" if partial else "")
    )
    doc.heading(f"二、{latest} 年{upto}排名")
    doc.table(
        ["排名", "地区", "指数得分", *[labels[c] for c in level1]],
        [[r["rank"], r["name"], _fmt(r["score"], 4), *[_fmt(v, 4) for v in r["level1"]]] for r in ranks],
    )
    top = ranks[:15]
    doc.bar_chart(
        [r["name"] for r in top],
        [r["score"] or 0 for r in top],
        caption=f"{latest} 年{upto}指数得分（前 {len(top)} 名）",
    )
    doc.heading(f"三、定基指数（{results['base_year']} 年 = 100，全区平均）")
    if note := fixed_base_note(results):
        doc.paragraph(note, small=True)
    doc.table(
        ["年份", *[labels[c] for c in [root, *level1]]],
        [[year_label(row[0], partial), *[_fmt(v) for v in row[1:]]] for row in zone_trend_rows(results)],
    )
    coupling = coupling_rows(results)
    if coupling:
        doc.heading(f"四、{latest} 年一级指标耦合协调度")
        doc.table(
            ["地区", "耦合度 C", "协调度 D", "等级"],
            [[n, _fmt(c, 3), _fmt(d, 3), b] for n, c, d, b in coupling],
        )
    sensitivity = sensitivity_rows(results)
    if sensitivity:
        doc.heading("五、排名的不确定性（敏感性分析）")
        doc.paragraph(
            f"不确定输入：{'、'.join(results['sensitivity']['inputs'])}；共 {results['sensitivity']['runs']} 次重复计算。"
        )
        doc.table(["地区", "名义排名", "中位排名", "5% 排名", "95% 排名", "平均排名变动"], sensitivity)
        sobol = sobol_rows(results)
        if sobol:
            doc.paragraph("Sobol' 敏感性指数（输出为各次计算的平均绝对排名变动）：")
            doc.table(
                ["不确定输入", "一阶指数 S1", "总效应指数 ST"],
                [[r["input"], _fmt(r["S1"], 3), _fmt(r["ST"], 3)] for r in sobol],
            )
    removed = remove_one_rows(results)
    if removed:
        doc.heading("六、逐项剔除分析")
        doc.paragraph(
            "依次将一个一级（二级）指标的权重设为 0、其余不变，重新计算后指数排名的平均变动和最大变动。"
        )
        doc.table(
            ["层级", "指标", "上级", "平均排名变动", "最大排名变动"],
            [[r["level"], r["name"], r["parent"], _fmt(r["mean"]), r["max"]] for r in removed],
        )
    doc.heading("七、各地区优势与短板指标" if removed else "六、各地区优势与短板指标")
    doc.paragraph(STRENGTH_RULE, small=True)
    doc.table(["地区", "优势指标", "短板指标"], strength_rows(results), widths=(0.16, 0.42, 0.42))
    if run.dataset.is_demo:
        doc.paragraph("注：本报告基于平台生成的演示数据，仅用于展示，不代表任何地区的真实情况。", small=True)
    return doc.render()
