"""Policies: role × region × action for the writes the matrix does not reach by id, each denial writing nothing."""

from __future__ import annotations

from datetime import date

import pytest

from tests.factories import OrganisationFactory, member
from tests.talent import factories
from xietong.core.actor import ANONYMOUS, actor_for
from xietong.core.errors import Forbidden
from xietong.core.models import AuditEvent
from xietong.core.roles import Role
from xietong.orgs.enums import OrgStatus
from xietong.regions.models import Zone
from xietong.talent import selectors, services
from xietong.talent.models import Agreement, ExpertEntry, Scheme, TalentProfile
from xietong.talent.policies import ExpertPolicy, ReviewRoundPolicy, TalentProfilePolicy

pytestmark = pytest.mark.django_db
RAW = {"name": "赵六", "discipline": "数学", "title_rank": "正高级"}


@pytest.fixture
def orgs():
    return {"cd": OrganisationFactory(region_id="510107"), "jx": OrganisationFactory(region_id="330402")}


@pytest.mark.parametrize(("who", "allowed"), [
    ("platform", True), ("bureau_sc", True), ("bureau_jx", False), ("cd_admin", True), ("cd_member", False),
    ("jx_admin", False), ("expert", False), ("zone_chengyu", False),
])  # fmt: skip
def test_who_files_a_profile_for_a_chengdu_organisation(orgs, who, allowed):
    users = {
        "platform": lambda: member(Role.PLATFORM_ADMIN), "bureau_sc": lambda: member(Role.REGION_BUREAU, region_id="510000"),
        "bureau_jx": lambda: member(Role.REGION_BUREAU, region_id="330400"),
        "cd_admin": lambda: member(Role.ORG_ADMIN, organisation=orgs["cd"]),
        "cd_member": lambda: member(Role.ORG_MEMBER, organisation=orgs["cd"]),
        "jx_admin": lambda: member(Role.ORG_ADMIN, organisation=orgs["jx"]), "expert": lambda: member(Role.EXPERT),
        "zone_chengyu": lambda: member(Role.ZONE_OFFICE, zone=Zone.objects.get(code="chengyu")),
    }  # fmt: skip
    actor = actor_for(users[who]())
    events = AuditEvent.objects.count()
    if allowed:
        assert services.profile_create(actor=actor, organisation_id=orgs["cd"].pk, raw=RAW).name == "赵六"
    else:
        with pytest.raises(Forbidden):
            services.profile_create(actor=actor, organisation_id=orgs["cd"].pk, raw=RAW)
        assert (TalentProfile.objects.count(), AuditEvent.objects.count()) == (0, events)


def test_an_unverified_organisations_admin_cannot_file_profiles():
    pending = OrganisationFactory(region_id="510107", status=OrgStatus.PENDING)
    admin = actor_for(member(Role.ORG_ADMIN, organisation=pending))
    with pytest.raises(Forbidden) as caught:
        services.profile_create(actor=admin, organisation_id=pending.pk, raw=RAW)
    assert "尚未通过认证" in caught.value.message
    assert TalentProfile.objects.count() == 0


def test_only_a_bureau_of_the_region_admits_experts(orgs, frozen_clock):
    person = factories.profile(orgs["cd"])
    raw = {"term_start": "2026-01-01", "term_end": "2027-12-31", "fields": "数学", "yearly_cap": "10"}
    with pytest.raises(Forbidden):
        services.expert_admit(actor=actor_for(member(Role.REGION_BUREAU, region_id="330400")), profile_id=person.pk,
                              region_code="510000", raw=raw)  # fmt: skip
    assert ExpertEntry.objects.count() == 0
    sc = actor_for(member(Role.REGION_BUREAU, region_id="510000"))
    assert (
        services.expert_admit(actor=sc, profile_id=person.pk, region_code="510000", raw=raw).yearly_cap == 10
    )


def test_the_chengyu_shared_pool_opens_sichuan_experts_to_chongqing_only_when_shared(frozen_clock):
    sichuan = factories.expert(OrganisationFactory(region_id="510107"), region="510000", name="四川专家")
    chongqing_bureau = actor_for(member(Role.REGION_BUREAU, region_id="500000"))
    assert not selectors.expert_list(actor=chongqing_bureau).filter(pk=sichuan.pk).exists()
    office = actor_for(member(Role.ZONE_OFFICE, zone=Zone.objects.get(code="chengyu")))
    services.zone_sharing_set(actor=office, zone_code="chengyu", shares_experts=True)
    assert selectors.expert_list(actor=chongqing_bureau).filter(pk=sichuan.pk).exists()
    jx = actor_for(member(Role.REGION_BUREAU, region_id="330400"))
    assert not selectors.expert_list(actor=jx).filter(pk=sichuan.pk).exists()
    with pytest.raises(Forbidden):
        services.zone_sharing_set(actor=chongqing_bureau, zone_code="chengyu", shares_experts=False)


def test_schemes_are_made_by_the_issuing_region_and_agreements_by_the_host(frozen_clock):
    with pytest.raises(Forbidden):
        services.scheme_create(actor=actor_for(member(Role.REGION_BUREAU, region_id="500000")), name="天府英才卡",
                               region_code="510000", tiers=[("A", "A 卡")])  # fmt: skip
    assert Scheme.objects.count() == 0
    scheme = factories.tianfu_card()
    with pytest.raises(Forbidden):
        services.agreement_create(actor=actor_for(member(Role.REGION_BUREAU, region_id="510000")), scheme_id=scheme.pk,
                                  host_region_code="500000", title="越权的协议")  # fmt: skip
    assert Agreement.objects.count() == 0
    services.agreement_create(actor=actor_for(member(Role.REGION_BUREAU, region_id="500000")), scheme_id=scheme.pk,
                              host_region_code="500000", title="川渝协议")  # fmt: skip
    assert date.today()


def test_page_level_questions():
    org_member = actor_for(member(Role.ORG_MEMBER, organisation=OrganisationFactory()))
    bureau = actor_for(member(Role.REGION_BUREAU, region_id="510000"))
    assert (ExpertPolicy.can(bureau, "search"), ExpertPolicy.can(org_member, "search")) == (True, False)
    assert (ReviewRoundPolicy.can(bureau, "open_any"), ReviewRoundPolicy.can(org_member, "open_any")) == (
        True,
        False,
    )
    assert (TalentProfilePolicy.can(bureau, "import"), TalentProfilePolicy.can(ANONYMOUS, "export")) == (
        True,
        False,
    )
