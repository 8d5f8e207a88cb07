"""Excel in and out for profiles, experts, schemes and agreements. Exports mask contacts as pages do."""

from __future__ import annotations

from collections.abc import Iterable

from xietong.core.excel import Column, Sheet, read_rows, template_workbook, write_sheets, write_workbook
from xietong.talent.enums import ExpertStatus, SchemeKind, TalentTier, TitleRank

TITLE_LABELS = dict(TitleRank.choices)
TIER_LABELS = dict(TalentTier.choices)
STATUS_LABELS = dict(ExpertStatus.choices)
KIND_LABELS = dict(SchemeKind.choices)

PROFILE_COLUMNS = [
    Column("name", "姓名", required=True, width=12),
    Column("credit_code", "所在单位统一社会信用代码", required=True, help="所在单位须已在平台登记", width=22),
    Column(
        "discipline",
        "学科",
        required=True,
        help="67 个学科之一，如 计算机科学与技术、材料科学与工程",
        width=20,
    ),
    Column("title_rank", "职称", help="正高级、副高级、中级、初级 或 无"),
    Column("tier", "人才层次", help="A、B、C、D、E 或留空"),
    Column("position", "职务"),
    Column("expertise", "研究专长", width=40),
    Column("keywords", "关键词", help="用顿号或逗号分隔，至多 12 个", width=30),
    Column("phone", "手机号码", help="选填；仅本人、单位管理员、属地主管部门等可见"),
    Column("email", "电子邮箱", help="选填"),
]
PROFILE_EXAMPLE = ["张伟", "91510100MA6C000001", "计算机科学与技术", "正高级", "B", "教授",
                   "工业互联网安全、边缘计算", "工业互联网、边缘计算", "13812341234", "zhangwei@example.cn"]  # fmt: skip

EXPERT_COLUMNS = [
    Column("name", "姓名", required=True, help="须已有人才档案", width=12),
    Column("credit_code", "所在单位统一社会信用代码", required=True, width=22),
    Column("region", "入库地区", required=True, help="6 位区划代码，须在您的辖区内"),
    Column("term_start", "聘期开始", required=True, help="YYYY-MM-DD"),
    Column("term_end", "聘期结束", required=True, help="YYYY-MM-DD"),
    Column("fields", "评审领域", help="用顿号分隔，至多 8 个", width=30),
    Column("yearly_cap", "年度评审上限", help="1–200，默认 20"),
]
EXPERT_EXAMPLE = [
    "张伟",
    "91510100MA6C000001",
    "510000",
    "2026-01-01",
    "2028-12-31",
    "电子信息、智能制造",
    "20",
]

AGREEMENT_COLUMNS = [
    Column("title", "协议名称", required=True, width=30),
    Column("scheme", "被认可制度", required=True, help="平台上已有的制度名称，如 天府英才卡", width=16),
    Column("host_region", "服务地区", required=True, help="6 位区划代码，如 500000"),
    Column("min_tier", "适用最低等级", required=True, help="等级代码，如 B：A 卡与 B 卡持有人均适用"),
    Column("effective_from", "生效日期", required=True, help="YYYY-MM-DD；同一协议的版本有效期不得重叠"),
    Column("effective_to", "失效日期", help="选填，YYYY-MM-DD"),
    Column("service", "服务", required=True, help="一行一项服务；同一版本的多项服务写多行"),
    Column("article", "条款", required=True, help="授予该服务的协议条款，如 第三条第（一）项", width=24),
]
AGREEMENT_EXAMPLE = ["川渝人才卡互认协议（示例）", "天府英才卡", "500000", "B", "2026-01-01", "",
                     "子女入学", "第三条第（一）项"]  # fmt: skip


PROPOSAL_COLUMNS = [
    Column("title", "项目名称", required=True, width=36),
    Column("text", "内容摘要", help="用于与专家的研究专长匹配", width=50),
    Column("applicant_name", "申报单位", required=True, width=30),
    Column("applicant_region", "申报单位地区", required=True, help="6 位区划代码"),
    Column("credit_code", "统一社会信用代码", help="选填；填写后按同一法人单位和合作记录回避", width=22),
    Column("unsuitable", "不适宜评审专家", help="选填；专家姓名，用顿号分隔，至多 3 名", width=24),
]
PROPOSAL_EXAMPLE = ["面向成渝的氢燃料电池电堆关键材料研发", "质子交换膜、催化剂……", "成都某某新能源有限公司", "510107",
                    "", ""]  # fmt: skip


def read_proposals(source):
    return read_rows(source, columns=PROPOSAL_COLUMNS)


def read_profiles(source):
    return read_rows(source, columns=PROFILE_COLUMNS)


def read_experts(source):
    return read_rows(source, columns=EXPERT_COLUMNS)


def read_agreements(source):
    return read_rows(source, columns=AGREEMENT_COLUMNS)


TEMPLATES = {
    "profiles": ("人才档案", PROFILE_COLUMNS, PROFILE_EXAMPLE, "人才档案导入模板.xlsx"),
    "experts": ("专家入库", EXPERT_COLUMNS, EXPERT_EXAMPLE, "专家入库导入模板.xlsx"),
    "agreements": ("互认协议", AGREEMENT_COLUMNS, AGREEMENT_EXAMPLE, "互认协议导入模板.xlsx"),
    "proposals": ("评审项目", PROPOSAL_COLUMNS, PROPOSAL_EXAMPLE, "评审项目导入模板.xlsx"),
}


def template(kind: str) -> bytes:
    title, columns, example, _ = TEMPLATES[kind]
    return template_workbook(title=title, columns=columns, examples=[example])


def export_profiles(rows: Iterable[tuple]) -> bytes:
    """rows: (profile, contacts) pairs from `selectors.with_contacts` (contacts already masked per viewer)."""
    columns = [Column("name", "姓名"), Column("org", "所在单位", width=30), Column("region", "所在地区"),
               Column("discipline", "学科", width=20), Column("title", "职称"), Column("tier", "人才层次"),
               Column("keywords", "关键词", width=30), Column("phone", "手机号码"), Column("email", "电子邮箱", width=24)]  # fmt: skip
    data = (
        (p.name, p.organisation.name, p.region.name, p.discipline, TITLE_LABELS.get(p.title_rank, ""),
         TIER_LABELS.get(p.tier, ""), "、".join(p.keywords), c["phone"], c["email"])
        for p, c in rows
    )  # fmt: skip
    return write_workbook(title="人才档案", columns=columns, rows=data)


def export_experts(rows: Iterable[tuple]) -> bytes:
    """rows: (expert, contacts) pairs; contacts masked per viewer like the profile export."""
    columns = [Column("name", "姓名"), Column("org", "所在单位", width=30), Column("region", "入库地区"),
               Column("discipline", "学科", width=20), Column("title", "职称"), Column("fields", "评审领域", width=24),
               Column("term", "聘期", width=24), Column("status", "状态"), Column("cap", "年度评审上限"),
               Column("phone", "手机号码"), Column("email", "电子邮箱", width=24)]  # fmt: skip
    data = (
        (e.profile.name, e.profile.organisation.name, e.region.name, e.profile.discipline,
         TITLE_LABELS.get(e.profile.title_rank, ""), "、".join(e.fields),
         f"{e.term_start.isoformat()} 至 {e.term_end.isoformat()}", STATUS_LABELS.get(e.status, ""), e.yearly_cap,
         c["phone"], c["email"])
        for e, c in rows
    )  # fmt: skip
    return write_workbook(title="专家库", columns=columns, rows=data)


def export_schemes_and_agreements(schemes, agreements) -> bytes:
    scheme_rows = [
        (s.name, KIND_LABELS.get(s.kind, ""), s.region.name, "、".join(f"{t.code}={t.name}" for t in s.tier_list),
         svc.name, svc.detail, next((t.code for t in s.tier_list if t.rank == svc.max_rank), ""), svc.article,
         "是" if s.is_illustrative else "否")
        for s in schemes for svc in s.service_list
    ]  # fmt: skip
    agreement_rows = [
        (a.title, a.scheme.name, a.host_region_id, next((t.code for t in a.scheme.tier_list if t.rank == v.max_rank), ""),
         v.effective_from.isoformat(), v.effective_to.isoformat() if v.effective_to else "", g.service, g.article, v.number)
        for a in agreements for v in a.version_list for g in v.grant_list
    ]  # fmt: skip
    scheme_cols = [Column("scheme", "制度"), Column("kind", "类型"), Column("region", "发放地区"),
                   Column("tiers", "等级", width=24), Column("service", "服务"), Column("detail", "内容", width=30),
                   Column("min", "适用最低等级"), Column("article", "依据条款"), Column("demo", "示例数据")]  # fmt: skip
    agreement_cols = [*AGREEMENT_COLUMNS, Column("version", "版本")]
    return write_sheets(
        [
            Sheet.of_columns(title="人才卡制度", columns=scheme_cols, rows=scheme_rows),
            Sheet.of_columns(title="互认协议", columns=agreement_cols, rows=agreement_rows),
        ]
    )
