"""Open-sharing statistics equal the figures worked out by hand on a fixture with a cancelled, a no-show and a
cross-midnight booking; the unit page and its Excel export show them, with where the unit stands in its city."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from tests.clients import client_for
from tests.factories import OrganisationFactory, actor, member
from tests.resources.factories import ResourceFactory
from xietong.core.roles import Role
from xietong.orgs.enums import OrgKind
from xietong.resources import selectors
from xietong.resources.enums import CustomerClass, OrderKind, OrderStatus, ResourceKind
from xietong.resources.models import ServiceOrder

pytestmark = pytest.mark.django_db
TZ = timezone.get_current_timezone()
_n = iter(range(1, 1000))


def t(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


def order(resource, customer, status, *, kind=OrderKind.BOOKING, start=None, end=None, by=None, **extra):
    return ServiceOrder.objects.create(
        number=f"S{next(_n):06d}", kind=kind, resource=resource, provider=resource.owner, customer=customer,
        customer_class=CustomerClass.OTHER, status=status, starts_at=t(start) if start else None,
        ends_at=t(end) if end else None, quoted_fen=extra.pop("quoted_fen", 100_000), created_by=by, **extra,
    )  # fmt: skip


@pytest.fixture
def world():
    p = OrganisationFactory(name="嘉兴测试分析中心", region_id="330402", kind=OrgKind.TESTING)
    q = OrganisationFactory(name="嘉兴另一检测所", region_id="330411", kind=OrgKind.TESTING)
    a = OrganisationFactory(name="上海客户甲", region_id="310104")
    b = OrganisationFactory(name="杭州客户乙", region_id="330106")
    p_admin = member(Role.ORG_ADMIN, organisation=p)
    insider = member(Role.ORG_MEMBER, organisation=p)
    outsider = member(Role.ORG_ADMIN, organisation=a)
    inst = ResourceFactory(
        owner=p, name="场发射扫描电镜", asset_code="ZC-001", original_value_fen=150_000_000
    )
    lab = ResourceFactory(owner=p, name="成分检测", kind=ResourceKind.SERVICE)
    q_inst = ResourceFactory(owner=q, name="X射线衍射仪")
    # 1. external, completed: 120 min, 800 元
    order(inst, a, OrderStatus.COMPLETED, start="2025-03-10T09:00", end="2025-03-10T11:00", by=outsider,
          actual_minutes=120, actual_fen=80_000, completed_at=t("2025-03-10T12:00"))  # fmt: skip
    # 2. internal, completed: 60 min, 200 元
    order(inst, p, OrderStatus.COMPLETED, start="2025-04-01T10:00", end="2025-04-01T11:00", by=insider,
          actual_minutes=60, actual_fen=20_000, completed_at=t("2025-04-01T11:30"))  # fmt: skip
    # 3. cancelled late: no working time, a 150 元 fee
    order(inst, b, OrderStatus.CANCELLED, start="2025-05-01T09:00", end="2025-05-01T12:00",
          cancellation_fee_fen=15_000, cancelled_at=t("2025-04-30T18:00"))  # fmt: skip
    # 4. no-show: no working time, a 400 元 fee
    order(inst, b, OrderStatus.NO_SHOW, start="2025-06-02T09:00", end="2025-06-02T10:00",
          cancellation_fee_fen=40_000, cancelled_at=t("2025-06-02T12:00"))  # fmt: skip
    # 5. across midnight into 2026: 240 worked minutes over 4 booked hours, half in each year; 1000 元 in 2026
    order(inst, a, OrderStatus.COMPLETED, start="2025-12-31T22:00", end="2026-01-01T02:00", by=outsider,
          actual_minutes=240, actual_fen=100_000, completed_at=t("2026-01-01T03:00"))  # fmt: skip
    # 6. a completed sample order at the lab: 3 samples, 300 元
    order(lab, a, OrderStatus.COMPLETED, kind=OrderKind.SAMPLE, by=outsider, sample_count=3, actual_samples=3,
          actual_fen=30_000, completed_at=t("2025-07-01T10:00"))  # fmt: skip
    # the other unit of 嘉兴: 10 external hours
    order(q_inst, a, OrderStatus.COMPLETED, start="2025-08-01T08:00", end="2025-08-01T18:00", by=outsider,
          actual_minutes=600, actual_fen=300_000, completed_at=t("2025-08-01T19:00"))  # fmt: skip
    return {"p": p, "p_admin": p_admin, "a": a, "inst": inst, "lab": lab, "outsider": outsider}


def test_figures_equal_the_hand_computed_ones(world):
    data = selectors.open_sharing(actor=actor(world["p_admin"]), organisation_id=world["p"].pk, year=2025)
    by_name = {row["resource"].name: row["f"] for row in data["rows"]}
    inst = by_name["场发射扫描电镜"]
    assert inst.effective_minutes == 120 + 60 + 120  # 1, 2 and half of 5; 3 and 4 are not working time
    assert inst.external_minutes == 120 + 120
    assert (inst.effective_hours, inst.external_hours, inst.sharing_rate) == (5.0, 4.0, 0.8)
    assert inst.income_fen == 80_000 + 20_000 + 15_000 + 40_000  # 5 ended in 2026
    assert (len(inst.internal_users), inst.external_orgs) == (1, {world["a"].pk})
    lab = by_name["成分检测"]
    assert (lab.samples, lab.income_fen, lab.effective_minutes) == (3, 30_000, 0)
    total = data["total"]
    assert (total.income_fen, total.effective_hours) == (185_000, 5.0)
    region = data["region"]
    assert (region["city"], region["units"], region["rank_hours"], region["avg_hours"]) == (
        "嘉兴市",
        2,
        2,
        7.5,
    )
    next_year = selectors.open_sharing(
        actor=actor(world["p_admin"]), organisation_id=world["p"].pk, year=2026
    )
    inst_2026 = next(row["f"] for row in next_year["rows"] if row["resource"].name == "场发射扫描电镜")
    assert (inst_2026.effective_hours, inst_2026.income_fen) == (2.0, 100_000)


def test_page_and_export_in_the_evaluation_layout(world):
    client = client_for(world["p_admin"])
    page = client.get("/resources/console/sharing/", {"year": "2025"})
    assert page.status_code == 200
    body = page.content.decode()
    assert 'data-stat="hours">5.0<' in body and "排第 2 位" in body
    export = client.get("/resources/console/sharing.xlsx", {"year": "2025", "org": str(world["p"].pk)})
    assert export.status_code == 200
    sheet = load_workbook(io.BytesIO(export.content))["大型科研仪器开放共享情况"]
    header = [c.value for c in sheet[1]]
    row = {
        header[i]: c.value
        for i, c in enumerate(next(r for r in sheet.iter_rows(min_row=2) if r[1].value == "场发射扫描电镜"))
    }
    assert (row["年有效工作机时（小时）"], row["对外服务机时（小时）"], row["共享率（%）"]) == (
        5.0,
        4.0,
        80.0,
    )
    assert row["服务收入（万元）"] == 0.155 and row["原值（万元）"] == 150.0  # 1 550 元; 150 万元


def test_others_cannot_read_a_units_statistics(world):
    other = client_for(world["outsider"])
    assert other.get("/resources/console/sharing/", {"org": str(world["p"].pk)}).status_code == 404
    assert other.get("/resources/console/sharing.xlsx", {"org": str(world["p"].pk)}).status_code == 404
    assert other.get("/resources/console/sharing/", {"year": "abc"}).status_code == 400
    assert client_for(None).get("/resources/console/sharing/").status_code == 302


@pytest.mark.parametrize("year", ["²⁰²⁵", "٢٠٢٥", "20250"])
@pytest.mark.parametrize("path", ["/resources/console/sharing/", "/resources/console/sharing.xlsx"])
def test_the_unit_pages_take_the_same_four_digit_year_as_the_region_page(world, path, year):
    # superscript digits once passed isdigit() and broke int() (a 500); all three are 400 like the region page
    response = client_for(world["p_admin"]).get(path, {"year": year})
    assert response.status_code == 400 and "年份应为四位数字" in response.content.decode()
