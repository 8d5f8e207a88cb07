"""The talent API: the recognition question, bad input with Chinese messages and nothing written, imports."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from tests.clients import client_for
from tests.factories import OrganisationFactory, member
from tests.talent import factories
from xietong.core.roles import Role
from xietong.talent.models import AgreementVersion, ExpertEntry, ReviewRound, TalentProfile

pytestmark = pytest.mark.django_db


def _xlsx(header, rows) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "upload.xlsx"
    return out


def test_the_recognition_question_is_answered_with_agreement_and_article(frozen_clock):
    scheme = factories.tianfu_card()
    factories.chuanyu_agreement(scheme)
    answer = client_for(None).get(
        "/api/v1/talent/recognition", {"scheme_id": scheme.pk, "tier": "B", "region": "500000"}
    )
    assert answer.status_code == 200
    body = answer.json()
    assert body["question"] == "持天府英才卡 B 卡在重庆市可享受哪些服务"
    assert [(b["service"], b["article"]) for b in body["benefits"]] == [
        ("子女入学", "第三条第（一）项"), ("医疗保健", "第三条第（二）项"),
    ]  # fmt: skip
    assert {b["basis"] for b in body["benefits"]} == {"川渝人才服务互认协议（示例）"}


def test_an_unknown_tier_is_a_chinese_400(frozen_clock):
    scheme = factories.tianfu_card()
    answer = client_for(None).get(
        "/api/v1/talent/recognition", {"scheme_id": scheme.pk, "tier": "Z", "region": "500000"}
    )
    assert (answer.status_code, answer.json()["message"]) == (400, "天府英才卡 没有 Z 这一等级")


def test_an_overlapping_version_through_the_api_is_409_and_nothing_is_written(frozen_clock):
    scheme = factories.tianfu_card()
    agreement = factories.chuanyu_agreement(scheme)
    client = client_for(member(Role.REGION_BUREAU, region_id="500000"))
    before = AgreementVersion.objects.count()
    answer = client.post(f"/api/v1/talent/agreements/{agreement.pk}/versions", {
        "effective_from": "2026-05-01", "min_tier": "B", "grants": [{"service": "交通出行", "article": "第三条"}],
    }, content_type="application/json")  # fmt: skip
    assert answer.status_code == 409
    assert "重叠" in answer.json()["message"]
    assert AgreementVersion.objects.count() == before


def test_a_round_with_cap_zero_is_refused_in_chinese(frozen_clock):
    factories.expert(region="510000")
    client = client_for(member(Role.REGION_BUREAU, region_id="510000"))
    answer = client.post("/api/v1/talent/rounds", {
        "title": "上限为零", "region_code": "510000", "k": 1, "cap": 0,
        "proposals": [{"title": "项目", "applicant_name": "某单位", "applicant_region": "510107"}],
    }, content_type="application/json")  # fmt: skip
    assert answer.status_code == 400
    assert "上限为 0 无法评审任何项目" in answer.json()["message"]
    assert ReviewRound.objects.count() == 0


def test_profile_import_is_all_or_nothing_with_a_row_report(frozen_clock):
    org = OrganisationFactory(region_id="510107")
    client = client_for(member(Role.REGION_BUREAU, region_id="510000"))
    header = [
        "姓名",
        "所在单位统一社会信用代码",
        "学科",
        "职称",
        "人才层次",
        "职务",
        "研究专长",
        "关键词",
        "手机号码",
        "电子邮箱",
    ]
    good = [
        "张伟",
        org.credit_code,
        "计算机科学与技术",
        "正高级",
        "B",
        "教授",
        "工业互联网",
        "边缘计算",
        "13812341234",
        "",
    ]
    bad = ["李雷", org.credit_code, "炼金术", "正高级", "", "", "", "", "12345", ""]
    answer = client.post("/api/v1/talent/profiles/import", {"file": _xlsx(header, [good, bad])})
    assert answer.status_code == 400
    errors = answer.json()["detail"]["errors"]
    assert {(e["row"], e["column"]) for e in errors} == {(3, "学科"), (3, "手机号码")}
    assert TalentProfile.objects.count() == 0
    answer = client.post("/api/v1/talent/profiles/import", {"file": _xlsx(header, [good])})
    assert (answer.status_code, answer.json()["created"]) == (201, 1)
    assert TalentProfile.objects.get().title_rank == "senior"


def test_expert_search_ranks_by_profile_text_with_a_chinese_explanation(frozen_clock):
    factories.expert(name="氢能专家", expertise="氢燃料电池 质子交换膜 催化剂", keywords=["氢燃料电池"])
    factories.expert(name="纺织专家", expertise="纺织印染 废水处理", keywords=["印染"])
    client = client_for(member(Role.REGION_BUREAU, region_id="510000"))
    hits = client.get("/api/v1/talent/experts/search", {"q": "氢燃料电池催化剂"}).json()
    assert hits[0]["name"] == "氢能专家"
    # the expert's own keyword 氢燃料电池 feeds the segmenter, so the whole word is the match
    assert hits[0]["explanation"] == "关键词匹配：氢燃料电池；内容匹配：氢燃料电池、催化剂"
    assert ExpertEntry.objects.count() == 2


def test_expert_search_filters_by_title_and_discipline(frozen_clock):
    factories.expert(name="正高专家", expertise="氢燃料电池", title_rank="senior")
    factories.expert(
        name="副高专家", expertise="氢燃料电池", title_rank="vice_senior", discipline="材料科学与工程"
    )
    client = client_for(member(Role.REGION_BUREAU, region_id="510000"))
    by_title = client.get(
        "/api/v1/talent/experts/search", {"q": "氢燃料电池", "title_rank": "vice_senior"}
    ).json()
    by_discipline = client.get(
        "/api/v1/talent/experts/search", {"q": "氢燃料电池", "discipline": "计算机科学与技术"}
    ).json()
    assert [h["name"] for h in by_title] == ["副高专家"]
    assert [h["name"] for h in by_discipline] == ["正高专家"]
