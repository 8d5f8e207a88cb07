"""Coordination tests: the 成渝 zone's joint meeting with the 重庆 and 四川 bureaus, and people around it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from tests.factories import OrganisationFactory, actor, member
from xietong.coordination import services
from xietong.coordination.enums import BodyKind, UnitKind
from xietong.coordination.models import Unit
from xietong.core.roles import Role
from xietong.regions.models import Zone


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class CY:
    zone: Zone
    office_user: object
    cq_user: object
    sc_user: object
    sh_user: object
    yrd_user: object
    org_user: object
    cq: Unit
    sc: Unit
    office_unit: Unit
    body: object
    meeting: object

    def actor(self, name: str):
        return actor(getattr(self, f"{name}_user"))


@pytest.fixture
def cy(db, frozen_clock) -> CY:
    zone = Zone.objects.get(code="chengyu")
    users = {
        "office_user": member(Role.ZONE_OFFICE, username="cy_office", zone=zone),
        "cq_user": member(Role.REGION_BUREAU, username="cq_bureau", region_id="500000"),
        "sc_user": member(Role.REGION_BUREAU, username="sc_bureau", region_id="510000"),
        "sh_user": member(Role.REGION_BUREAU, username="sh_bureau", region_id="310000"),
        "yrd_user": member(Role.ZONE_OFFICE, username="yrd_office", zone=Zone.objects.get(code="yrd")),
        "org_user": member(
            Role.ORG_ADMIN, username="cq_org", organisation=OrganisationFactory(region_id="500103")
        ),
    }
    for user in users.values():
        user.email = f"{user.username}@example.cn"
        user.save(update_fields=["email"])
    cq = Unit.objects.create(name="重庆市科技局", kind=UnitKind.BUREAU, region_id="500000")
    sc = Unit.objects.create(name="四川省科技厅", kind=UnitKind.BUREAU, region_id="510000")
    office_unit = Unit.objects.create(name="川渝联席会议办公室", kind=UnitKind.OFFICE, zone=zone)
    office = actor(users["office_user"])
    body = services.body_create(
        actor=office, zone="chengyu", name="川渝科技创新合作联席会议", kind=BodyKind.JOINT_MEETING,
        member_ids=[cq.pk, sc.pk, office_unit.pk],
    )  # fmt: skip
    meeting = services.meeting_create(
        actor=office, body_id=body.pk, title="川渝联席会议第一次会议", held_on=date(2026, 2, 20),
        agenda="1. 审议年度重点任务", minutes="会议**议定**以下事项。", attendee_ids=[cq.pk, sc.pk],
    )  # fmt: skip
    return CY(zone=zone, cq=cq, sc=sc, office_unit=office_unit, body=body, meeting=meeting, **users)


def task_input(**kw) -> services.TaskInput:
    base = {"title": "共建川渝科技资源共享服务平台", "lead_unit": "重庆市科技局", "start_on": date(2026, 3, 1),
            "deadline": date(2026, 12, 31)}  # fmt: skip
    return services.TaskInput(**(base | kw))
