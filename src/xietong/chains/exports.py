"""PDF of a region's 补链/强链/延链 list with its recommendations (core.pdf), and export file names."""

from __future__ import annotations

from xietong.chains.analysis import GapReport
from xietong.chains.enums import GapKind
from xietong.core import clock
from xietong.core.pdf import PdfDocument


def filename(report: GapReport, chain_code: str, extension: str) -> str:
    scope = f"_{chain_code}" if chain_code else ""
    return f"{report.region_name}补链强链延链清单{scope}_{clock.today().isoformat()}.{extension}"


def _document(title: str, zone) -> PdfDocument:
    """Both lists are dated and placed in their zone the same way, so a printed pair reads as one set."""
    return PdfDocument(
        title=title, subtitle=f"{zone.name} · {clock.today().isoformat()}", footer="协同 · 跨区域协同创新平台"
    )


def gaps_pdf(report: GapReport, chain_code: str) -> bytes:
    t = report.thresholds
    doc = _document(f"{report.region_name}产业链补链、强链、延链清单", report.zone)
    doc.key_values([
        ("强链判定", f"区位熵 ≥ {t.strong_rca:g}，且机构数（加权）≥ {t.strong_min_orgs:g}"),
        ("补链判定", f"本地缺失或区位熵 < {t.weak_rca:g}，而其他成员为强链"),
        ("延链判定", f"与本地强链直接相连，或关联密度位于未布局环节前 {round((1 - t.extend_density_quantile) * 100)}%"),
    ])  # fmt: skip
    for kind in (GapKind.FILL, GapKind.STRENGTHEN, GapKind.EXTEND):
        gaps = report.of_kind(kind)
        doc.heading(f"{dict(GapKind.choices)[kind]}（{len(gaps)} 个环节）")
        if not gaps:
            doc.paragraph("无")
            continue
        rows = [[g.chain_name, g.segment_name, f"{g.rca:.2f}", f"{g.count:g}", g.reason] for g in gaps]
        doc.table(
            ["产业链", "环节", "区位熵", "机构数", "判定理由"], rows, widths=(0.12, 0.16, 0.08, 0.08, 0.56)
        )
        for g in gaps:
            if g.recommendations:
                doc.paragraph(f"{g.chain_name} · {g.segment_name}：推荐")
                rec_rows = [[r.what_label, r.name, r.region_name, r.reason] for r in g.recommendations]
                doc.table(["类别", "名称", "地区", "推荐理由"], rec_rows, widths=(0.1, 0.26, 0.12, 0.52))
    return doc.render()


def zone_filename(result, extension: str) -> str:
    return (
        f"{result.zone.short_name}{result.chain.name}补链强链延链清单_{clock.today().isoformat()}.{extension}"
    )


def _names(marks) -> str:
    return "、".join(f"{m.name}（{m.rca:.2f}）" for m in marks) or "—"


def zone_list_pdf(result) -> bytes:
    """The zone-wide list of one chain: per segment who lacks it, who could fill it, who should extend into it."""
    t = result.thresholds
    doc = _document(
        f"{result.zone.name}{result.chain.name}产业链补链、强链、延链清单（全体成员）", result.zone
    )
    doc.key_values([
        ("缺链成员（补链）", f"该成员缺失或区位熵 < {t.weak_rca:g}，而其他成员为强链"),
        ("优势成员（强链）", f"区位熵 ≥ {t.strong_rca:g}，且机构数（加权）≥ {t.strong_min_orgs:g}；可为其他成员补链"),
        ("宜延链成员", "尚未形成优势，与本地强链直接相连，或关联密度位于本地未布局环节前列"),
        ("括号内数字", "该成员在该环节的区位熵"),
    ])  # fmt: skip
    rows = [[r.segment_name, r.zone_kind_label or "—", _names(r.lacking), _names(r.strong), _names(r.extending)]
            for r in result.rows]  # fmt: skip
    doc.table(["环节", "协同区整体", "缺链成员", "优势成员（可补链）", "宜延链成员"], rows,
              widths=(0.16, 0.1, 0.26, 0.26, 0.22))  # fmt: skip
    for r in result.rows:
        if r.recommendations:
            doc.paragraph(f"{r.segment_name}：可补链的机构")
            doc.table(["名称", "地区", "推荐理由"], [[p.name, p.region_name, p.reason] for p in r.recommendations],
                      widths=(0.34, 0.14, 0.52))  # fmt: skip
    return doc.render()
