"""Chain structure: the presets are valid DAGs; an import with a cycle, an unknown parent or a duplicate code
is refused row by row in Chinese and writes nothing; a valid import makes a new version."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from tests.clients import client_for
from tests.factories import member
from xietong.chains import services, structure
from xietong.chains.models import Chain, ChainVersion, Segment, SegmentEdge
from xietong.chains.presets import CHAIN_PRESETS
from xietong.core.actor import SYSTEM
from xietong.core.models import AuditEvent
from xietong.core.roles import Role

pytestmark = pytest.mark.django_db
HEADER = ["环节代码", "环节名称", "链位", "上级环节代码", "上游环节代码", "说明", "关键词", "相关技术领域"]


def workbook(rows) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "chain.xlsx"
    return out


GOOD = [
    ["A", "原材料", "上游", "", "", "", "材料", ""],
    ["B", "零部件", "中游", "", "A", "", "零部件", ""],
    ["B1", "精密零部件", "中游", "B", "", "", "精密", ""],
    ["C", "整机", "下游", "", "B、B1", "", "整机", ""],
]


def test_presets_are_six_chains_of_20_to_40_segments_without_cycles():
    assert [c.name for c in CHAIN_PRESETS] == [
        "新能源汽车",
        "集成电路",
        "生物医药",
        "人工智能",
        "电子信息",
        "装备制造",
    ]
    for preset in CHAIN_PRESETS:
        rows = [(i, {"code": s.code, "name": s.name, "stage": s.stage, "parent": s.parent, "upstream": ",".join(s.upstream)})
                for i, s in enumerate(preset.segments, start=2)]  # fmt: skip
        cleaned, errors = structure.validate_rows(rows)
        assert errors == []
        assert 20 <= len(cleaned) <= 40


def test_a_cycle_is_named_with_its_path():
    rows = [(2, {"code": "A", "name": "甲", "stage": "上游", "upstream": "C"}),
            (3, {"code": "B", "name": "乙", "stage": "中游", "upstream": "A"}),
            (4, {"code": "C", "name": "丙", "stage": "下游", "upstream": "B"})]  # fmt: skip
    _, errors = structure.validate_rows(rows)
    assert len(errors) == 1
    assert errors[0].column == "上游环节代码"
    assert "环节关系形成循环" in errors[0].message and "产业链应为无环图" in errors[0].message


def test_a_cycle_through_parents_and_supply_edges_together_is_refused():
    rows = [(2, {"code": "A", "name": "甲", "stage": "上游", "parent": "B"}),
            (3, {"code": "B", "name": "乙", "stage": "中游", "upstream": "A"})]  # fmt: skip
    _, errors = structure.validate_rows(rows)
    assert [e.column for e in errors] == ["上游环节代码"]


def test_unknown_parent_duplicate_code_and_bad_stage_are_reported_per_row():
    rows = [(2, {"code": "A", "name": "甲", "stage": "上游"}),
            (3, {"code": "A", "name": "甲二", "stage": "上游"}),
            (4, {"code": "B", "name": "乙", "stage": "中游", "parent": "Z"}),
            (5, {"code": "C", "name": "丙", "stage": "旁游", "upstream": "Y"})]  # fmt: skip
    _, errors = structure.validate_rows(rows)
    assert [(e.row, e.column, e.message) for e in errors] == [
        (5, "链位", "链位应为 上游、中游 或 下游"),
        (3, "环节代码", "环节代码“A”与第 2 行重复"),
        (4, "上级环节代码", "上级环节“Z”不存在于本表"),
    ]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            [["A", "甲", "上游", "", "C"], ["B", "乙", "中游", "", "A"], ["C", "丙", "下游", "", "B"]],
            "环节关系形成循环",
        ),
        ([["A", "甲", "上游", "Q", ""]], "上级环节“Q”不存在于本表"),
        ([["A", "甲", "上游", "", ""], ["A", "乙", "中游", "", ""]], "与第 2 行重复"),
    ],
    ids=["cycle", "unknown-parent", "duplicate-code"],
)
def test_api_import_refuses_bad_structure_and_writes_nothing(rows, message):
    admin = member(Role.PLATFORM_ADMIN, username="chain_admin")
    events = AuditEvent.objects.count()
    response = client_for(admin).post(
        "/api/v1/chains/import", {"file": workbook(rows), "code": "test", "name": "测试链"}
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "import_rejected"
    assert any(message in e["message"] for e in body["detail"]["errors"])
    assert body["detail"]["errors"][0]["row"] >= 2
    assert (Chain.objects.count(), Segment.objects.count(), AuditEvent.objects.count()) == (0, 0, events)


def test_page_import_shows_the_rows_in_chinese_and_writes_nothing():
    admin = member(Role.PLATFORM_ADMIN, username="chain_admin2")
    rows = [["A", "甲", "上游", "", "B"], ["B", "乙", "中游", "", "A"]]
    response = client_for(admin).post(
        "/chains/import/", {"file": workbook(rows), "code": "t2", "name": "测试二"}
    )
    assert response.status_code == 400
    assert "环节关系形成循环" in response.content.decode()
    assert Chain.objects.count() == 0


def test_valid_import_creates_the_graph_then_a_new_version_keeps_attached_codes():
    admin = member(Role.PLATFORM_ADMIN, username="chain_admin3")
    client = client_for(admin)
    response = client.post(
        "/api/v1/chains/import", {"file": workbook(GOOD), "code": "demo", "name": "演示链"}
    )
    assert response.status_code == 201
    assert response.json()["created"] == 4
    chain = Chain.objects.get(code="demo")
    assert (
        chain.version,
        Segment.objects.filter(chain=chain).count(),
        SegmentEdge.objects.filter(chain=chain).count(),
    ) == (1, 4, 3)
    assert Segment.objects.get(chain=chain, code="B1").parent.code == "B"
    b_id = Segment.objects.get(chain=chain, code="B").pk
    # when the same chain is imported again without C
    response = client.post(
        "/api/v1/chains/import", {"file": workbook(GOOD[:3]), "code": "demo", "name": "演示链"}
    )
    assert response.status_code == 201
    chain.refresh_from_db()
    assert chain.version == 2
    assert Segment.objects.get(chain=chain, code="B").pk == b_id
    assert list(ChainVersion.objects.filter(chain=chain).values_list("number", flat=True)) == [2, 1]


def test_only_the_platform_imports_chains():
    bureau = member(Role.REGION_BUREAU, username="chain_bureau", region_id="510100")
    response = client_for(bureau).post(
        "/api/v1/chains/import", {"file": workbook(GOOD), "code": "x", "name": "某链"}
    )
    assert response.status_code == 403
    assert Chain.objects.count() == 0


def test_presets_load_is_idempotent():
    assert services.chain_presets_load(actor=SYSTEM) == 6
    assert services.chain_presets_load(actor=SYSTEM) == 0
    assert Segment.objects.count() == sum(len(p.segments) for p in CHAIN_PRESETS)


def test_export_round_trips_through_import(presets):
    admin = member(Role.PLATFORM_ADMIN, username="chain_admin4")
    client = client_for(admin)
    content = client.get("/chains/nev/export.xlsx").content
    upload = io.BytesIO(content)
    upload.name = "nev.xlsx"
    response = client.post("/api/v1/chains/import", {"file": upload, "code": "nev", "name": "新能源汽车"})
    assert response.status_code == 201
    assert Chain.objects.get(code="nev").version == 2
    assert SegmentEdge.objects.filter(chain__code="nev").count() == sum(
        len(s.upstream) for s in CHAIN_PRESETS[0].segments
    )
