"""培训人数 from the trainings a provider records, and the statistics per unit of a region for its bureau and zone
office (page, Excel in the evaluation's layout, API), equal to the figures worked out by hand on the fixture of
test_sharing_stats (a cancelled, a no-show and a cross-midnight booking)."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from tests.clients import client_for
from tests.factories import actor, member
from tests.resources.test_sharing_stats import world  # noqa: F401  (the hand-computed fixture)
from xietong.core.errors import Invalid, NotFound
from xietong.core.roles import Role
from xietong.regions.models import Zone
from xietong.resources import selectors, sharing_region
from xietong.resources.models import TrainingSession
from xietong.resources.services.trainings import training_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def trained(world):  # noqa: F811
    who = actor(world["p_admin"])
    for resource, day, people in (
        (world["inst"], date(2025, 3, 1), 5),
        (world["inst"], date(2025, 9, 20), 7),
        (world["inst"], date(2024, 12, 31), 3),  # another year
        (world["lab"], date(2025, 5, 5), 4),
    ):
        training_record(
            actor=who, resource_id=resource.pk, held_on=day, topic="上机操作培训", attendees=people
        )
    return world


def test_trained_people_are_the_attendees_of_the_years_sessions(trained):
    data = selectors.open_sharing(actor=actor(trained["p_admin"]), organisation_id=trained["p"].pk, year=2025)
    by_name = {row["resource"].name: row["f"].trained for row in data["rows"]}
    assert by_name == {"场发射扫描电镜": 12, "成分检测": 4} and data["total"].trained == 16
    export = client_for(trained["p_admin"]).get("/resources/console/sharing.xlsx", {"year": "2025"})
    book = load_workbook(io.BytesIO(export.content))
    sheet = book["大型科研仪器开放共享情况"]
    header = [c.value for c in sheet[1]]
    rows = {r[1].value: r[header.index("培训人数")].value for r in sheet.iter_rows(min_row=2)}
    assert rows == {"场发射扫描电镜": 12, "成分检测": 4}
    summary = {r[0].value: r[1].value for r in book["单位汇总"].iter_rows(min_row=2)}
    assert summary["培训人数"] == 16


def test_recording_a_training_through_the_page_and_the_api(world):  # noqa: F811
    client = client_for(world["p_admin"])
    response = client.post(
        "/resources/console/sharing/trainings/",
        {"resource": world["inst"].pk, "held_on": "2025-06-01", "topic": "电镜制样培训", "attendees": "9"},
    )
    assert response.status_code == 302 and "year=2025" in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert "电镜制样培训" in page and f'data-trained="{world["inst"].pk}">9<' in page
    api = client.post(
        f"/api/v1/resources/{world['lab'].pk}/trainings",
        {"held_on": "2025-06-02", "topic": "检测方法培训", "attendees": 6},
        content_type="application/json",
    )
    assert api.status_code == 201 and api.json()["attendees"] == 6
    assert TrainingSession.objects.count() == 2


@pytest.mark.parametrize(
    "body",
    [
        {"held_on": "2999-01-01", "topic": "未来的培训", "attendees": "5"},
        {"held_on": "2025-06-01", "topic": "培训", "attendees": "0"},
        {"held_on": "2025-06-01", "topic": "培训", "attendees": "abc"},
        {"held_on": "06/01/2025", "topic": "培训", "attendees": "5"},
        {"held_on": "2025-06-01", "topic": "", "attendees": "5"},
    ],
)
def test_bad_training_input_is_a_400_and_writes_nothing(world, body):  # noqa: F811
    response = client_for(world["p_admin"]).post(
        "/resources/console/sharing/trainings/", {"resource": world["inst"].pk, **body}
    )
    assert response.status_code == 400 and not TrainingSession.objects.exists()


def test_only_the_owner_records_trainings(world):  # noqa: F811
    outsider = client_for(world["outsider"])
    response = outsider.post(
        f"/api/v1/resources/{world['inst'].pk}/trainings",
        {"held_on": "2025-06-02", "topic": "检测方法培训", "attendees": 6},
        content_type="application/json",
    )
    assert response.status_code in (403, 404) and not TrainingSession.objects.exists()


def test_region_units_equal_the_hand_computed_figures(trained):
    bureau = member(Role.REGION_BUREAU, region_id="330400")
    data = sharing_region.region_sharing(actor=actor(bureau), region_code="330400", year=2025)
    units = {u["organisation"].name: u for u in data["units"]}
    p, q = units["嘉兴测试分析中心"], units["嘉兴另一检测所"]
    assert (q["rank"], p["rank"]) == (1, 2)  # 10 hours against 5
    assert (p["total"].effective_hours, p["total"].external_hours, p["total"].income_fen) == (
        5.0,
        4.0,
        185_000,
    )
    assert (p["total"].trained, p["instruments"], p["rating"]) == (16, 2, None)
    assert (q["total"].effective_hours, q["total"].income_fen, q["total"].trained) == (10.0, 300_000, 0)
    total = data["total"]
    assert (total.effective_hours, total.external_hours, total.income_fen, total.trained) == (
        15.0,
        14.0,
        485_000,
        16,
    )
    assert round(total.sharing_rate, 4) == 0.9333


def test_region_page_export_and_api_for_the_bureau_and_the_zone_office(trained):
    bureau = member(Role.REGION_BUREAU, region_id="330400")
    client = client_for(bureau)
    page = client.get("/resources/sharing/regions/", {"year": "2025"})
    assert page.status_code == 200
    body = page.content.decode()
    assert (
        'data-stat="hours">15.0<' in body and "嘉兴另一检测所" in body and 'data-stat="trained">16<' in body
    )
    export = client.get("/resources/sharing/regions.xlsx", {"region": "330400", "year": "2025"})
    book = load_workbook(io.BytesIO(export.content))
    units = [[c.value for c in r] for r in book["单位汇总"].iter_rows(min_row=2)]
    assert [u[1] for u in units] == ["嘉兴另一检测所", "嘉兴测试分析中心", "合计"]
    assert units[1][5:9] == [5.0, 4.0, 80.0, 18.5 / 100] and units[1][12] == 16
    assert units[2][5] == 15.0 and units[2][12] == 16
    assert book["大型科研仪器开放共享情况"].max_row == 1 + 3  # three instruments in 嘉兴
    office = member(Role.ZONE_OFFICE, zone=Zone.objects.get(code="yrd"))
    api = client_for(office).get("/api/v1/resources/sharing/regions/330400", {"year": 2025})
    assert api.status_code == 200
    assert (
        api.json()["total"]["effective_hours"] == 15.0
        and api.json()["units"][0]["organisation"] == "嘉兴另一检测所"
    )


def test_region_statistics_refused_outside_the_readers_region(trained):
    sh = member(Role.REGION_BUREAU, region_id="310000")
    with pytest.raises(NotFound):
        sharing_region.region_sharing(actor=actor(sh), region_code="330400", year=2025)
    assert client_for(sh).get("/resources/sharing/regions/", {"region": "330400"}).status_code == 404
    assert client_for(sh).get("/resources/sharing/regions/", {"region": "33"}).status_code == 400
    assert client_for(sh).get("/resources/sharing/regions/", {"year": "20x5"}).status_code == 400
    assert client_for(trained["p_admin"]).get("/resources/sharing/regions/").status_code == 403
    assert client_for(None).get("/resources/sharing/regions/").status_code == 302
    with pytest.raises(Invalid):
        sharing_region.region_sharing(actor=actor(sh), region_code="310000", year=1999)
