"""Chains tests: the six preset chains, and a 成渝 world where 成都 lacks 热管理系统 and 重庆 is strong in it."""

from __future__ import annotations

import pytest

from tests.factories import OrganisationFactory, member
from xietong.chains import services
from xietong.chains.enums import AttachmentRole, AttachmentSource, AttachmentStatus
from xietong.chains.models import Attachment, Segment
from xietong.core.actor import SYSTEM
from xietong.core.roles import Role
from xietong.regions.models import Zone
from xietong.transfer import search


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def memory_index(monkeypatch):
    from xietong.chains import recommend

    recommend.reset_hits()
    search.reset_indexes()
    monkeypatch.setattr(search, "schedule_sync", search.sync)
    yield
    search.reset_indexes()


@pytest.fixture
def presets(db):
    services.chain_presets_load(actor=SYSTEM)


def seg(code: str, chain: str = "nev") -> Segment:
    return Segment.objects.get(chain__code=chain, code=code)


def link(
    org, code: str, role=AttachmentRole.PRIMARY, status=AttachmentStatus.ACTIVE, chain: str = "nev"
) -> Attachment:
    return Attachment.objects.create(
        organisation=org, segment=seg(code, chain), region_id=org.region_id, role=role,
        source=AttachmentSource.BUREAU, status=status, is_bureau_confirmed=True,
    )  # fmt: skip


@pytest.fixture
def chengyu(presets):
    return build_chengyu()


def build_chengyu() -> dict:
    """重庆 strong in M07 热管理系统 (3 organisations), 成都 strong in M01 动力电池 and weak in M07, 绵阳 in U07."""
    cq = [
        OrganisationFactory(name=f"重庆热管理{i}有限公司", region_id=code)
        for i, code in enumerate(("500157", "500106", "500108"))
    ]
    cq_battery = OrganisationFactory(name="重庆电池配套有限公司", region_id="500157")
    cd = [OrganisationFactory(name=f"成都动力电池{i}有限公司", region_id="510107") for i in range(3)]
    cd_vehicle = OrganisationFactory(name="成都整车制造有限公司", region_id="510116")
    cd_weak = OrganisationFactory(name="成都本地热管理配套有限公司", region_id="510107")
    my = [OrganisationFactory(name=f"绵阳车规芯片{i}有限公司", region_id="510703") for i in range(2)]
    my_thermal = OrganisationFactory(name="绵阳热管理配套有限公司", region_id="510703")
    for org in cq:
        link(org, "M07")
    link(cq_battery, "M01")
    for org in cd:
        link(org, "M01")
    link(cd_vehicle, "D01")
    link(cd_weak, "M07", role=AttachmentRole.SECONDARY)
    for org in my:
        link(org, "U07")
    link(my_thermal, "M07", role=AttachmentRole.SECONDARY)
    return {
        "zone": Zone.objects.get(code="chengyu"),
        "cq": cq, "cd": cd, "cd_weak": cd_weak, "my": my, "my_thermal": my_thermal, "cd_vehicle": cd_vehicle,
        "cd_bureau": member(Role.REGION_BUREAU, username="cd_bureau", region_id="510100"),
        "cq_bureau": member(Role.REGION_BUREAU, username="cq_bureau", region_id="500000"),
        "cy_office": member(Role.ZONE_OFFICE, username="cy_office", zone=Zone.objects.get(code="chengyu")),
        "cd_admin": member(Role.ORG_ADMIN, username="cd_admin", organisation=cd[0]),
        "cq_admin": member(Role.ORG_ADMIN, username="cq_admin", organisation=cq[0]),
    }  # fmt: skip
