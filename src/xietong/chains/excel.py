"""Excel in and out: a chain's structure (import template, export) and a region's gap list."""

from __future__ import annotations

from collections.abc import Iterable

from xietong.chains.enums import Stage
from xietong.core.excel import Column, Sheet, read_rows, template_workbook, write_sheets, write_workbook

CHAIN_COLUMNS = [
    Column("code", "环节代码", required=True, help="本链内唯一，字母数字，如 U01、M02", width=12),
    Column("name", "环节名称", required=True, width=24),
    Column("stage", "链位", required=True, help="上游、中游 或 下游", width=8),
    Column("parent", "上级环节代码", help="选填：填写后本行为该环节的子环节", width=14),
    Column("upstream", "上游环节代码", help="选填：为本环节供货的环节代码，多个用顿号或逗号分隔", width=20),
    Column("description", "说明", width=30),
    Column("keywords", "关键词", help="多个用顿号分隔；用于从机构经营范围推荐挂链", width=36),
    Column("tech_fields", "相关技术领域", help="多个用顿号分隔", width=24),
]
EXAMPLES = [
    ["U01", "关键矿产资源", "上游", "", "", "锂钴镍等", "锂矿、钴、镍", "矿产资源"],
    ["U02", "正极材料", "上游", "", "U01", "", "磷酸铁锂、三元材料", "电化学"],
    ["M01", "动力电池", "中游", "", "U02", "", "动力电池、电池包", "电化学"],
    ["M02", "电芯制造", "中游", "M01", "", "", "电芯", "电化学"],
]
STAGE_LABELS = dict(Stage.choices)


def read_chain(source) -> list[tuple[int, dict[str, str]]]:
    return read_rows(source, columns=CHAIN_COLUMNS)


def chain_template() -> bytes:
    return template_workbook(title="产业链环节", columns=CHAIN_COLUMNS, examples=EXAMPLES)


def export_chain(chain, segments: Iterable, upstream_of: dict[int, list[str]]) -> bytes:
    rows = (
        (
            s.code, s.name, STAGE_LABELS.get(s.stage, s.stage), s.parent.code if s.parent_id else "",
            "、".join(upstream_of.get(s.pk, [])), s.description, "、".join(s.keywords), "、".join(s.tech_fields),
        )
        for s in segments
    )  # fmt: skip
    return write_workbook(title=chain.name[:31], columns=CHAIN_COLUMNS, rows=rows)


GAP_COLUMNS = [
    Column("kind", "类型", width=8),
    Column("chain", "产业链", width=14),
    Column("segment", "环节", width=22),
    Column("stage", "链位", width=8),
    Column("rca", "区位熵", width=10),
    Column("count", "本地机构数（加权）", width=12),
    Column("reason", "判定理由", width=60),
]
RECOMMENDATION_COLUMNS = [
    Column("kind", "类型", width=8),
    Column("segment", "环节", width=22),
    Column("rank", "序号", width=6),
    Column("what", "推荐类别", width=10),
    Column("name", "名称", width=36),
    Column("region", "所在地区", width=14),
    Column("score", "得分", width=8),
    Column("reason", "推荐理由", width=80),
]


def export_gaps(report) -> bytes:
    """Two sheets: the gap list, then every recommendation with its reason."""
    gaps = [
        (g.kind_label, g.chain_name, g.segment_name, STAGE_LABELS.get(g.stage, g.stage), round(g.rca, 3),
         round(g.count, 1), g.reason)
        for g in report.gaps
    ]  # fmt: skip
    recs = [
        (g.kind_label, g.segment_name, i, r.what_label, r.name, r.region_name, round(r.score, 3), r.reason)
        for g in report.gaps
        for i, r in enumerate(g.recommendations, start=1)
    ]
    return write_sheets(
        [
            Sheet.of_columns(title="补链强链延链清单", columns=GAP_COLUMNS, rows=gaps),
            Sheet.of_columns(title="推荐", columns=RECOMMENDATION_COLUMNS, rows=recs),
        ]
    )


ZONE_LIST_COLUMNS = [
    Column("chain", "产业链", width=14),
    Column("segment", "环节", width=22),
    Column("stage", "链位", width=8),
    Column("zone", "协同区整体", width=10),
    Column("lacking", "缺链成员（补链）", width=40),
    Column("strong", "优势成员（可补链）", width=40),
    Column("extending", "宜延链成员", width=40),
    Column("zone_reason", "协同区整体判定理由", width=50),
]
ZONE_PARTNER_COLUMNS = [
    Column("segment", "环节", width=22),
    Column("rank", "序号", width=6),
    Column("name", "推荐合作机构", width=36),
    Column("region", "所在地区", width=14),
    Column("score", "得分", width=8),
    Column("reason", "推荐理由", width=60),
]


def _marks(marks) -> str:
    return "、".join(f"{m.name}（{m.rca:.2f}）" for m in marks)


def export_zone_list(result) -> bytes:
    """Two sheets: per segment the members lacking it, strong in it and to extend into it; then the partners."""
    rows = [
        (r.chain_name, r.segment_name, r.stage_label, r.zone_kind_label, _marks(r.lacking), _marks(r.strong),
         _marks(r.extending), r.zone_reason)
        for r in result.rows
    ]  # fmt: skip
    partners = [
        (r.segment_name, i, p.name, p.region_name, round(p.score, 3), p.reason)
        for r in result.rows
        for i, p in enumerate(r.recommendations, start=1)
    ]
    return write_sheets(
        [
            Sheet.of_columns(title="协同区补链强链延链", columns=ZONE_LIST_COLUMNS, rows=rows),
            Sheet.of_columns(title="推荐合作机构", columns=ZONE_PARTNER_COLUMNS, rows=partners),
        ]
    )


ATTACHMENT_COLUMNS = [
    Column("credit_code", "统一社会信用代码", required=True, width=22),
    Column("chain", "产业链代码", required=True, help="如 nev（新能源汽车）、ic（集成电路）", width=12),
    Column("segment", "环节代码", required=True, help="如 M01", width=10),
    Column("role", "角色", help="主营 或 配套；默认主营", width=8),
    Column("year", "年度", help="填写年度数据时必填", width=8),
    Column("revenue_wan", "营业收入（万元）", help="不能为负", width=14),
    Column("employees", "从业人员（人）", help="不能为负的整数", width=12),
    Column("output_wan", "产值（万元）", help="不能为负", width=14),
]


def read_attachments(source) -> list[tuple[int, dict[str, str]]]:
    return read_rows(source, columns=ATTACHMENT_COLUMNS)


def attachments_template() -> bytes:
    example = ["91510100MA00000000", "nev", "M07", "主营", "2025", "12000", "350", "15000"]
    return template_workbook(title="机构挂链", columns=ATTACHMENT_COLUMNS, examples=[example])
