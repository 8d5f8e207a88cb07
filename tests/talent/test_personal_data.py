"""Personal data matrix: a person's phone and e-mail are unmasked only for the person, their organisation's admin,
their region's bureau, a party to an accepted intent with their organisation and the host of their appointment —
the same in the page, the API (detail and list) and the Excel export. No ID-card number is ever stored."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from tests.clients import client_for
from tests.factories import OrganisationFactory, member
from tests.talent import factories
from tests.transfer.factories import AchievementFactory
from xietong.core.actor import actor_for
from xietong.core.roles import Role
from xietong.regions.models import Zone
from xietong.talent import errors, services
from xietong.talent.enums import AppointmentStatus
from xietong.talent.models import Appointment, TalentProfile
from xietong.transfer.enums import IntentStatus
from xietong.transfer.models import Intent

pytestmark = pytest.mark.django_db
PHONE, MASKED, EMAIL = "13912345678", "139****5678", "li.ming@example.cn"


@pytest.fixture
def people():
    home = OrganisationFactory(name="成都甲大学", region_id="510107")
    partner = OrganisationFactory(name="重庆乙公司", region_id="500103")
    host = OrganisationFactory(name="重庆丙研究院", region_id="500104")
    stranger = OrganisationFactory(name="嘉兴丁公司", region_id="330402")
    person_user = member(Role.ORG_MEMBER, organisation=home)
    person = factories.profile(home, name="李明", user=person_user, phone=PHONE, email=EMAIL)
    Intent.objects.create(from_org=partner, to_org=home, achievement=AchievementFactory(owner=home, region_id="510107"),
                          status=IntentStatus.ACCEPTED)  # fmt: skip
    Appointment.objects.create(profile=person, host_org=host, home_org=home, role="兼职研究员", start_on=date(2026, 1, 1),
                               end_on=date(2027, 1, 1), time_share=20, status=AppointmentStatus.ACTIVE)  # fmt: skip
    viewers = {
        "person": (person_user, True),
        "home_admin": (member(Role.ORG_ADMIN, organisation=home), True),
        "home_member": (member(Role.ORG_MEMBER, organisation=home), False),
        "sichuan_bureau": (member(Role.REGION_BUREAU, region_id="510000"), True),
        "chongqing_bureau": (member(Role.REGION_BUREAU, region_id="500000"), False),
        "intent_party": (member(Role.ORG_MEMBER, organisation=partner), True),
        "appointment_host": (member(Role.ORG_ADMIN, organisation=host), True),
        "stranger": (member(Role.ORG_ADMIN, organisation=stranger), False),
        "zone_office": (member(Role.ZONE_OFFICE, zone=Zone.objects.get(code="chengyu")), False),
        "expert": (member(Role.EXPERT), False),
    }  # fmt: skip
    return person, viewers


VIEWERS = ["person", "home_admin", "home_member", "sichuan_bureau", "chongqing_bureau", "intent_party",
           "appointment_host", "stranger", "zone_office", "expert"]  # fmt: skip


@pytest.mark.parametrize("who", VIEWERS)
def test_contacts_in_page_api_and_export_follow_one_rule(people, who):
    person, viewers = people
    user, unmasked = viewers[who]
    client = client_for(user)
    page = client.get(f"/talent/profiles/{person.pk}/").content.decode()
    detail = client.get(f"/api/v1/talent/profiles/{person.pk}").json()
    listing = client.get("/api/v1/talent/profiles", {"q": "李明"}).json()["items"]
    export = load_workbook(io.BytesIO(client.get("/talent/profiles/export.xlsx", {"q": "李明"}).content))
    cells = [str(c.value) for row in export.active.iter_rows() for c in row]
    expected = PHONE if unmasked else MASKED
    assert (PHONE in page, MASKED in page) == (unmasked, not unmasked)
    assert (detail["phone"], detail["contacts_masked"]) == (expected, not unmasked)
    assert [row["phone"] for row in listing] == [expected]
    assert (PHONE in cells, MASKED in cells) == (unmasked, not unmasked)
    assert (EMAIL in cells) == unmasked


def test_anonymous_sees_no_profile_at_all(people):
    person, _ = people
    assert client_for(None).get(f"/api/v1/talent/profiles/{person.pk}").status_code == 401


def test_an_id_card_number_typed_into_a_profile_is_refused_and_nothing_is_written(people):
    person, viewers = people
    admin = actor_for(viewers["home_admin"][0])
    before = TalentProfile.objects.count()
    with pytest.raises(errors.TalentInvalid) as caught:
        services.profile_create(actor=admin, organisation_id=person.organisation_id,
                                raw={"name": "王五", "discipline": "数学", "expertise": "身份证 51010719900101123X"})  # fmt: skip
    assert "不能填写身份证号码" in caught.value.message
    assert TalentProfile.objects.count() == before
    assert not any("id_card" in f.name or "identity" in f.name for f in TalentProfile._meta.get_fields())
