"""Role × region × action for what is not an id endpoint: the gap list (page, API, Excel, PDF), zone-wide gaps,
thresholds, chain import and the attachment queue. Every refusal is checked to write nothing."""

from __future__ import annotations

import pytest

from tests.clients import client_for
from tests.factories import member
from xietong.chains.models import GapThresholds
from xietong.core.models import AuditEvent
from xietong.core.roles import Role
from xietong.regions.models import Zone

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "cd_bureau", "sc_bureau", "cq_bureau", "cy_office", "jjj_office", "cd_admin", "admin")


@pytest.fixture
def users(chengyu):
    return {
        "anonymous": None,
        "cd_bureau": chengyu["cd_bureau"],
        "sc_bureau": member(Role.REGION_BUREAU, username="sc_bureau", region_id="510000"),
        "cq_bureau": chengyu["cq_bureau"],
        "cy_office": chengyu["cy_office"],
        "jjj_office": member(Role.ZONE_OFFICE, username="jjj_office", zone=Zone.objects.get(code="jjj")),
        "cd_admin": chengyu["cd_admin"],
        "admin": member(Role.PLATFORM_ADMIN, username="pol_admin"),
    }


# 成都's gap list with its recommended partners: its bureau (and the province's), the 成渝 office, the platform.
GAPS_API = {"anonymous": 401, "cd_bureau": 200, "sc_bureau": 200, "cq_bureau": 403, "cy_office": 200,
            "jjj_office": 403, "cd_admin": 403, "admin": 200}  # fmt: skip


@pytest.mark.parametrize("who", ROLES)
def test_gap_list_of_chengdu(users, who):
    client = client_for(users[who])
    query = "zone=chengyu&region=510100&chain=nev"
    api = client.get(f"/api/v1/chains/gaps?{query}")
    assert api.status_code == GAPS_API[who]
    page = client.get(f"/chains/gaps/?{query}")
    xlsx = client.get(f"/chains/gaps.xlsx?{query}")
    pdf = client.get(f"/chains/gaps.pdf?{query}")
    if who == "anonymous":
        assert {page.status_code, xlsx.status_code, pdf.status_code} == {302}
    else:
        assert (page.status_code, xlsx.status_code, pdf.status_code) == (GAPS_API[who],) * 3
    if GAPS_API[who] == 200:
        assert "重庆热管理0有限公司" in page.content.decode()
        assert pdf.content[:5] == b"%PDF-"
        assert xlsx.content[:2] == b"PK"
        kinds = {g["kind"] for g in api.json()["gaps"]}
        assert kinds == {"fill", "strengthen", "extend"}
    else:
        assert "重庆热管理0有限公司" not in page.content.decode()


# the zone-wide lists: the zone's office, the bureaus governing part of 成渝 (成都, 四川, 重庆) and the platform
ZONE_GAPS = {"anonymous": 401, "cd_bureau": 200, "sc_bureau": 200, "cq_bureau": 200, "cy_office": 200,
             "jjj_office": 403, "cd_admin": 403, "admin": 200}  # fmt: skip


@pytest.mark.parametrize("who", ROLES)
def test_zone_wide_gaps(users, who):
    response = client_for(users[who]).get("/api/v1/chains/zone-gaps?zone=chengyu&chain=nev")
    assert response.status_code == ZONE_GAPS[who]
    if response.status_code == 200:
        gaps = response.json()["gaps"]
        partners = [r for g in gaps for r in g["recommendations"] if r["what"] == "organisation"]
        assert all(not r["region_code"].startswith(("50", "51")) for r in partners)  # never the zone's own


TUNE = {"anonymous": 401, "cd_bureau": 403, "sc_bureau": 403, "cq_bureau": 403, "cy_office": 200,
        "jjj_office": 403, "cd_admin": 403, "admin": 200}  # fmt: skip


@pytest.mark.parametrize("who", ROLES)
def test_thresholds_are_tuned_by_the_zone_office(users, who):
    events = AuditEvent.objects.count()
    response = client_for(users[who]).put("/api/v1/chains/thresholds", {"zone": "chengyu", "strong_rca": 1.2},
                                          content_type="application/json")  # fmt: skip
    assert response.status_code == TUNE[who]
    if response.status_code == 200:
        assert GapThresholds.objects.get(zone__code="chengyu").strong_rca == 1.2
        assert response.json()["weak_rca"] == 0.5
    else:
        assert (GapThresholds.objects.count(), AuditEvent.objects.count()) == (0, events)


def test_thresholds_change_the_gaps(users):
    client = client_for(users["cy_office"])
    # when 强链 needs 4 organisations, 成都's 3 battery makers are no longer a 强链 and 重庆's 3 not a leader
    assert client.put("/api/v1/chains/thresholds", {"zone": "chengyu", "strong_min_orgs": 4},
                      content_type="application/json").status_code == 200  # fmt: skip
    gaps = client.get(
        "/api/v1/chains/gaps?zone=chengyu&region=510100&chain=nev&recommendations=false"
    ).json()["gaps"]
    assert [g for g in gaps if g["kind"] in ("fill", "strengthen")] == []


@pytest.mark.parametrize(
    ("payload", "message"),
    [({"zone": "chengyu", "weak_rca": 2.0}, "薄弱区位熵上限应不小于 0，且小于强链区位熵下限")],
)
def test_inconsistent_thresholds_are_refused(users, payload, message):
    response = client_for(users["cy_office"]).put(
        "/api/v1/chains/thresholds", payload, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["message"] == message
    assert GapThresholds.objects.count() == 0


def test_region_outside_the_zone_is_a_clear_400(users):
    response = client_for(users["admin"]).get("/api/v1/chains/gaps?zone=chengyu&region=110108")
    assert response.status_code == 400
    assert response.json()["message"] == "地区 110108 不在成渝地区双城经济圈内"


@pytest.mark.parametrize(
    ("who", "status"), [("admin", 200), ("cd_bureau", 403), ("cd_admin", 403), ("anonymous", 302)]
)
def test_only_the_platform_opens_the_chain_import(users, who, status):
    assert client_for(users[who]).get("/chains/import/").status_code == status


def test_the_bureau_queue_shows_only_its_region(users, chengyu):
    from tests.factories import OrganisationFactory
    from xietong.chains import services
    from xietong.core.actor import SYSTEM

    org = OrganisationFactory(
        name="重庆液冷科技有限公司", region_id="500106", description="动力电池液冷热管理系统研发生产"
    )
    assert services.attachments_suggest(actor=SYSTEM, org_id=org.pk)
    page = client_for(users["cd_bureau"]).get("/chains/attachments/").content.decode()
    assert "重庆液冷科技有限公司" not in page
    page = client_for(users["cq_bureau"]).get("/chains/attachments/").content.decode()
    assert "重庆液冷科技有限公司" in page
