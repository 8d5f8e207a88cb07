"""Attachments: an organisation declares only its own, a bureau registers and confirms its region's,
suggestions from the business scope wait for confirmation; measures are non-negative and hidden from
everyone but the organisation, its bureau, the zone offices and the platform."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from tests.chains.conftest import seg
from tests.clients import client_for
from tests.factories import OrganisationFactory, member
from xietong.chains.enums import AttachmentSource, AttachmentStatus
from xietong.chains.models import Attachment, AttachmentMeasure
from xietong.core.models import AuditEvent
from xietong.core.roles import Role
from xietong.regions.models import Zone

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(presets):
    cd = OrganisationFactory(name="成都锂电热管理科技有限公司", region_id="510107",
                             description="专注动力电池液冷热管理系统与热泵空调的研发生产。")  # fmt: skip
    cq = OrganisationFactory(name="重庆某某汽车电子有限公司", region_id="500106")
    return {
        "cd": cd, "cq": cq,
        "cd_admin": member(Role.ORG_ADMIN, username="p_cd_admin", organisation=cd),
        "cq_admin": member(Role.ORG_ADMIN, username="p_cq_admin", organisation=cq),
        "cd_bureau": member(Role.REGION_BUREAU, username="p_cd_bureau", region_id="510100"),
        "cq_bureau": member(Role.REGION_BUREAU, username="p_cq_bureau", region_id="500000"),
        "cy_office": member(Role.ZONE_OFFICE, username="p_cy_office", zone=Zone.objects.get(code="chengyu")),
        "jjj_office": member(Role.ZONE_OFFICE, username="p_jjj_office", zone=Zone.objects.get(code="jjj")),
        "admin": member(Role.PLATFORM_ADMIN, username="p_admin"),
    }  # fmt: skip


def declare(user, org, code="M07"):
    return client_for(user).post(
        "/api/v1/chains/attachments", {"org_id": org.pk, "segment_id": seg(code).pk, "role": "primary"},
        content_type="application/json",
    )  # fmt: skip


def test_an_organisation_declares_its_own_segment(people):
    response = declare(people["cd_admin"], people["cd"])
    assert response.status_code == 201
    att = Attachment.objects.get()
    assert (att.source, att.status, att.is_bureau_confirmed, att.region_id) == (
        AttachmentSource.DECLARED,
        AttachmentStatus.ACTIVE,
        False,
        "510107",
    )
    assert AuditEvent.objects.filter(verb="chain.attachment_added").count() == 1


@pytest.mark.parametrize("who", ["cq_admin", "cq_bureau", "cy_office", "jjj_office"])
def test_nobody_else_declares_for_an_organisation(people, who):
    events = AuditEvent.objects.count()
    response = declare(people[who], people["cd"])
    assert response.status_code == 403
    assert response.json()["message"]
    assert (Attachment.objects.count(), AuditEvent.objects.count()) == (0, events)


def test_a_bureau_registers_a_confirmed_link_for_its_region(people):
    response = declare(people["cd_bureau"], people["cd"])
    assert response.status_code == 201
    att = Attachment.objects.get()
    assert (att.source, att.is_bureau_confirmed) == (AttachmentSource.BUREAU, True)


def test_suggestions_wait_for_confirmation_and_the_bureau_confirms(people):
    client = client_for(people["cd_admin"])
    response = client.post(
        "/api/v1/chains/attachments/suggestions", {"org_id": people["cd"].pk}, content_type="application/json"
    )
    assert response.status_code == 201
    suggested = response.json()
    assert suggested and all(s["status"] == "pending" and s["source"] == "suggested" for s in suggested)
    assert "热管理系统" in [s["segment"] for s in suggested]
    assert "根据机构名称与简介匹配" in suggested[0]["reason"]
    thermal = next(s for s in suggested if s["segment"] == "热管理系统")
    # another region's bureau may not confirm it
    assert (
        client_for(people["cq_bureau"])
        .post(f"/api/v1/chains/attachments/{thermal['id']}/confirm")
        .status_code
        == 404
    )
    # its own bureau does
    response = client_for(people["cd_bureau"]).post(f"/api/v1/chains/attachments/{thermal['id']}/confirm")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["is_bureau_confirmed"]) == ("active", True)
    # a second run suggests nothing already known
    again = client.post(
        "/api/v1/chains/attachments/suggestions", {"org_id": people["cd"].pk}, content_type="application/json"
    )
    assert again.json() == []


def test_pending_suggestions_are_not_public(people):
    client_for(people["cd_admin"]).post("/api/v1/chains/attachments/suggestions", {"org_id": people["cd"].pk},
                                        content_type="application/json")  # fmt: skip
    pending = Attachment.objects.filter(status=AttachmentStatus.PENDING).first()
    assert (
        client_for(people["cq_admin"]).get(f"/api/v1/chains/attachments/{pending.pk}/measures").status_code
        == 404
    )
    listed = client_for(people["cq_admin"]).get("/api/v1/chains/attachments").json()
    assert pending.pk not in [a["id"] for a in listed]


MEASURE_VIEW = {"cd_admin": 200, "cd_bureau": 200, "cy_office": 200, "admin": 200, "cq_admin": 403, "cq_bureau": 403,
                "jjj_office": 403, None: 401}  # fmt: skip


@pytest.mark.parametrize("who", list(MEASURE_VIEW))
def test_measures_are_hidden_from_everyone_else(people, who):
    att = Attachment.objects.create(organisation=people["cd"], segment=seg("M07"), region_id="510107", role="primary",
                                    source="declared", status="active")  # fmt: skip
    AttachmentMeasure.objects.create(attachment=att, year=2025, employees=120, revenue_fen=5_000_000_000)
    response = client_for(people[who] if who else None).get(f"/api/v1/chains/attachments/{att.pk}/measures")
    assert response.status_code == MEASURE_VIEW[who]
    if response.status_code == 200:
        assert response.json() == [
            {"year": 2025, "revenue_fen": 5_000_000_000, "employees": 120, "output_fen": None}
        ]
    else:
        assert "5000000000" not in response.content.decode()


@pytest.mark.parametrize(
    ("payload", "message"),
    [({"year": 2025, "revenue_wan": "-3"}, "营业收入不能为负数（-3）"),
     ({"year": 2025, "employees": "-1"}, "从业人员不能为负数（-1）"),
     ({"year": 2025, "output_wan": "abc"}, "产值“abc”不是有效数字"),
     ({"year": 2025}, "请至少填写营业收入、从业人员或产值中的一项")],
)  # fmt: skip
def test_negative_or_missing_measures_are_refused(people, payload, message):
    att = Attachment.objects.create(organisation=people["cd"], segment=seg("M07"), region_id="510107", role="primary",
                                    source="declared", status="active")  # fmt: skip
    response = client_for(people["cd_admin"]).put(f"/api/v1/chains/attachments/{att.pk}/measures", payload,
                                                  content_type="application/json")  # fmt: skip
    assert response.status_code == 400
    assert response.json()["message"] == message
    assert AttachmentMeasure.objects.count() == 0


def test_a_valid_measure_is_stored_in_fen(people):
    att = Attachment.objects.create(organisation=people["cd"], segment=seg("M07"), region_id="510107", role="primary",
                                    source="declared", status="active")  # fmt: skip
    response = client_for(people["cd_admin"]).put(f"/api/v1/chains/attachments/{att.pk}/measures",
                                                  {"year": 2025, "revenue_wan": "1234.56", "employees": "88"},
                                                  content_type="application/json")  # fmt: skip
    assert response.status_code == 200
    assert AttachmentMeasure.objects.get().revenue_fen == 12_345_600_00


def _attachments_workbook(rows) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.append(
        [
            "统一社会信用代码",
            "产业链代码",
            "环节代码",
            "角色",
            "年度",
            "营业收入（万元）",
            "从业人员（人）",
            "产值（万元）",
        ]
    )
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "links.xlsx"
    return out


def test_attachment_import_with_a_negative_measure_is_refused_by_row(people):
    rows = [[people["cd"].credit_code, "nev", "M07", "主营", "2025", "100", "20", "120"],
            [people["cd"].credit_code, "nev", "M01", "配套", "2025", "100", "-5", "120"]]  # fmt: skip
    response = client_for(people["cd_bureau"]).post(
        "/api/v1/chains/attachments/import", {"file": _attachments_workbook(rows)}
    )
    assert response.status_code == 400
    errors = response.json()["detail"]["errors"]
    assert errors == [
        {"row": 3, "column": "年度数据", "column_label": "年度数据", "message": "从业人员不能为负数（-5）"}
    ]
    assert (Attachment.objects.count(), AttachmentMeasure.objects.count()) == (0, 0)


def test_attachment_import_outside_the_bureau_region_is_refused(people):
    rows = [[people["cq"].credit_code, "nev", "M07", "主营", "", "", "", ""]]
    response = client_for(people["cd_bureau"]).post(
        "/api/v1/chains/attachments/import", {"file": _attachments_workbook(rows)}
    )
    assert response.status_code == 400
    assert response.json()["detail"]["errors"][0]["message"] == "重庆某某汽车电子有限公司不在您的辖区内"
    assert Attachment.objects.count() == 0


def test_attachment_import_writes_links_and_measures(people):
    rows = [[people["cd"].credit_code, "nev", "M07", "主营", "2025", "100", "20", "120"]]
    response = client_for(people["cd_bureau"]).post(
        "/api/v1/chains/attachments/import", {"file": _attachments_workbook(rows)}
    )
    assert response.status_code == 201
    att = Attachment.objects.get()
    assert (att.segment.code, att.is_bureau_confirmed, att.measures.get().employees) == ("M07", True, 20)


def test_a_suggestions_reason_is_shown_in_the_readers_language(people, settings):
    # given suggestions made while the page was read in Chinese
    client = client_for(people["cd_admin"])
    client.post(
        "/api/v1/chains/attachments/suggestions", {"org_id": people["cd"].pk}, content_type="application/json"
    )
    # when they are listed in English
    english = client_for(people["cd_admin"])
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    listed = english.get("/api/v1/chains/attachments", {"org_id": people["cd"].pk}).json()
    reasons = [
        a["reason"]
        for a in (listed["items"] if isinstance(listed, dict) else listed)
        if a["source"] == "suggested"
    ]
    # then the wording is English and the matched words (the organisation's own) stay as they are
    assert reasons and all(
        r.startswith("Matched on the organisation's name and description: ") for r in reasons
    )
    assert all("匹配" not in r for r in reasons)


def test_a_link_is_named_by_its_organisation_and_segment_not_ids():
    from xietong.chains.models import Attachment, Segment
    from xietong.orgs.models import Organisation

    link = Attachment(
        organisation=Organisation(pk=91827, name="成都动力电池0有限公司"),
        segment=Segment(pk=8273, name="动力电池"),
    )
    assert str(link) == "成都动力电池0有限公司 · 动力电池"
