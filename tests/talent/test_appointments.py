"""Part-time appointments: offer, the home organisation's consent, visibility to both bureaus, the indicators."""

from __future__ import annotations

from datetime import date

import pytest

from tests.factories import OrganisationFactory, member
from tests.talent import factories
from xietong.core.actor import actor_for
from xietong.core.errors import Conflict, Forbidden
from xietong.core.models import AuditEvent
from xietong.core.roles import Role
from xietong.evaluation import platform_indicators
from xietong.orgs.enums import OrgStatus
from xietong.talent import errors, selectors, services
from xietong.talent.enums import AppointmentStatus
from xietong.talent.models import Appointment

pytestmark = pytest.mark.django_db


@pytest.fixture
def sides(frozen_clock):
    home = OrganisationFactory(name="成都某大学", region_id="510107")
    host = OrganisationFactory(name="重庆某研究院", region_id="500103")
    person = factories.profile(home, name="王兼职")
    return {"home": home, "host": host, "person": person,
            "host_member": actor_for(member(Role.ORG_MEMBER, organisation=host)),
            "home_admin": actor_for(member(Role.ORG_ADMIN, organisation=home)),
            "home_member": actor_for(member(Role.ORG_MEMBER, organisation=home))}  # fmt: skip


def _offer(s, **kw):
    data = dict(profile_id=s["person"].pk, host_org_id=s["host"].pk, role="兼职研究员", start_on=date(2026, 3, 1),
                end_on=date(2027, 2, 28), time_share=20)  # fmt: skip
    data.update(kw)
    return services.appointment_offer(actor=s["host_member"], **data)


def test_offer_consent_and_the_active_post_shows_on_the_profile(sides):
    appt = _offer(sides)
    assert appt.status == AppointmentStatus.OFFERED
    with pytest.raises(Forbidden):
        services.appointment_answer(actor=sides["home_member"], appointment_id=appt.pk, consent=True)
    services.appointment_answer(actor=sides["home_admin"], appointment_id=appt.pk, consent=True)
    detail = selectors.profile_detail(actor=sides["home_member"], profile_id=sides["person"].pk)
    assert [a.role for a in detail.appointments] == ["兼职研究员"]
    with pytest.raises(Conflict):
        services.appointment_answer(actor=sides["home_admin"], appointment_id=appt.pk, consent=False)
    assert AuditEvent.objects.filter(verb="talent.appointment_answered", target_id=str(appt.pk)).count() == 1


def test_both_bureaus_see_it_and_a_third_does_not(sides):
    appt = _offer(sides)
    for region, seen in (("510000", True), ("500000", True), ("330400", False)):
        bureau = actor_for(member(Role.REGION_BUREAU, region_id=region))
        assert selectors.appointment_list(actor=bureau).filter(pk=appt.pk).exists() is seen


def test_bad_offers_are_refused_and_nothing_is_written(sides):
    for kw, message in ((dict(time_share=80), "1% 到 50%"), (dict(end_on=date(2026, 1, 1)), "结束日期不能早于开始日期"),
                        (dict(host_org_id=sides["home"].pk), None)):  # fmt: skip
        with pytest.raises((errors.TalentInvalid, Forbidden)) as caught:
            _offer(sides, **kw)
        if message:
            assert message in caught.value.message
    assert Appointment.objects.count() == 0


def test_an_unverified_host_cannot_offer(sides):
    pending = OrganisationFactory(region_id="500103", status=OrgStatus.PENDING)
    waiting = actor_for(member(Role.ORG_ADMIN, organisation=pending))
    with pytest.raises(Forbidden):
        services.appointment_offer(actor=waiting, profile_id=sides["person"].pk, host_org_id=pending.pk, role="顾问",
                                   start_on=date(2026, 3, 1), end_on=date(2026, 12, 31), time_share=10)  # fmt: skip
    assert Appointment.objects.count() == 0


def test_cross_region_appointments_indicator_counts_consented_posts_per_host_unit(sides):
    appt = _offer(sides)
    # an offer not yet consented to is not a cross-region appointment: no record, no data
    assert (
        platform_indicators.compute("talent.cross_region_appointments", units=["500000"], years=[2026]) == {}
    )
    services.appointment_answer(actor=sides["home_admin"], appointment_id=appt.pk, consent=True)
    values = platform_indicators.compute(
        "talent.cross_region_appointments", units=["500000", "510100"], years=[2026]
    )
    assert values == {2026: {"500000": 1.0, "510100": 0.0}}
