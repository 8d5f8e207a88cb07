import pytest

from tests.factories import OrganisationFactory, actor, member
from xietong.core.errors import Conflict, Forbidden, Invalid, NotFound
from xietong.core.models import AuditEvent
from xietong.core.roles import Role
from xietong.orgs import credit_code, services
from xietong.orgs.enums import OrgStatus
from xietong.orgs.models import Membership, Organisation

pytestmark = pytest.mark.django_db


def _raw(**over):
    raw = {
        "name": "成都示例科技有限公司",
        "credit_code": credit_code.make(region_code="510107", serial="MA6C1234"),
        "kind": "企业",
        "region": "510107",
        "industry": "人工智能",
        "is_tech_sme": "是",
        "contact_phone": "13912345678",
    }
    raw.update(over)
    return raw


def test_registration_creates_pending_org_admin_and_audit():
    # when
    org = services.organisation_register(
        username="cd_firm",
        password="long-enough-pass",
        display_name="王五",
        email="w@example.com",
        raw=_raw(),
    )
    # then
    org = Organisation.objects.get(pk=org.pk)
    assert org.status == OrgStatus.PENDING
    assert org.region_id == "510107"
    assert org.industry == "ai" and org.is_tech_sme is True
    assert Membership.objects.get(organisation=org).role == Role.ORG_ADMIN
    assert AuditEvent.objects.get(target_id=str(org.pk)).verb == "org.registered"


def test_registration_with_bad_code_writes_nothing():
    with pytest.raises(Invalid, match="第 18 位校验码"):
        services.organisation_register(
            username="x1",
            password="long-enough-pass",
            display_name="x",
            email="",
            raw=_raw(credit_code="91350100M000100Y44"),
        )
    assert not Organisation.objects.filter(name="成都示例科技有限公司").exists()
    assert not AuditEvent.objects.exists()


def test_duplicate_credit_code_is_a_conflict():
    existing = OrganisationFactory()
    with pytest.raises(Conflict, match="已被其他机构注册"):
        services.organisation_register(
            username="x2",
            password="long-enough-pass",
            display_name="x",
            email="",
            raw=_raw(credit_code=existing.credit_code),
        )


def test_bureau_approves_registration_in_its_province():
    # given
    org = OrganisationFactory(region_id="510107", status=OrgStatus.PENDING, credit_code=_raw()["credit_code"])
    bureau = member(Role.REGION_BUREAU, region_id="510000")
    # when
    services.organisation_review(actor=actor(bureau), org_id=org.pk, approve=True, note="材料齐全")
    # then
    org.refresh_from_db()
    assert (
        org.status == OrgStatus.APPROVED and org.reviewed_by_id == bureau.pk and org.review_note == "材料齐全"
    )
    assert AuditEvent.objects.get(target_id=str(org.pk)).verb == "org.approved"


def test_reject_needs_a_reason_and_cannot_be_repeated():
    org = OrganisationFactory(region_id="510107", status=OrgStatus.PENDING)
    bureau = actor(member(Role.REGION_BUREAU, region_id="510000"))
    with pytest.raises(Invalid, match="驳回时请填写理由"):
        services.organisation_review(actor=bureau, org_id=org.pk, approve=False)
    services.organisation_review(actor=bureau, org_id=org.pk, approve=False, note="营业执照不清晰")
    with pytest.raises(Conflict, match="不能重复审核"):
        services.organisation_review(actor=bureau, org_id=org.pk, approve=True)
    assert Organisation.objects.get(pk=org.pk).status == OrgStatus.REJECTED


def test_suspension_needs_a_reason_and_an_approved_organisation_and_reinstates():
    org = OrganisationFactory(region_id="510107")
    bureau = actor(member(Role.REGION_BUREAU, region_id="510000"))
    with pytest.raises(Invalid, match="暂停时请填写理由"):
        services.organisation_suspend(actor=bureau, org_id=org.pk, suspend=True)
    assert Organisation.objects.get(pk=org.pk).status == OrgStatus.APPROVED
    services.organisation_suspend(actor=bureau, org_id=org.pk, suspend=True, note="资质过期")
    with pytest.raises(Conflict, match="当前状态为“已暂停”，不能暂停"):
        services.organisation_suspend(actor=bureau, org_id=org.pk, suspend=True, note="资质过期")
    services.organisation_suspend(actor=bureau, org_id=org.pk, suspend=False)
    assert Organisation.objects.get(pk=org.pk).status == OrgStatus.APPROVED
    verbs = list(
        AuditEvent.objects.filter(target_id=str(org.pk)).order_by("id").values_list("verb", flat=True)
    )
    assert verbs == ["org.suspended", "org.reinstated"]


def test_other_province_bureau_cannot_see_or_review():
    org = OrganisationFactory(region_id="500103", status=OrgStatus.PENDING)  # 重庆市渝中区
    sichuan = actor(member(Role.REGION_BUREAU, region_id="510000"))
    with pytest.raises(NotFound):
        services.organisation_review(actor=sichuan, org_id=org.pk, approve=True)
    assert Organisation.objects.get(pk=org.pk).status == OrgStatus.PENDING
    assert not AuditEvent.objects.exists()


def test_org_admin_updates_own_profile_but_not_the_credit_code():
    org = OrganisationFactory()
    admin = actor(member(Role.ORG_ADMIN, organisation=org))
    services.organisation_update(actor=admin, org_id=org.pk, changes={"address": "嘉兴市南湖区科技路 8 号"})
    assert Organisation.objects.get(pk=org.pk).address == "嘉兴市南湖区科技路 8 号"
    with pytest.raises(Invalid, match="不可修改"):
        services.organisation_update(
            actor=admin, org_id=org.pk, changes={"credit_code": "91350100M000100Y43"}
        )


def test_member_cannot_update():
    org = OrganisationFactory()
    plain = actor(member(Role.ORG_MEMBER, organisation=org))
    with pytest.raises(Forbidden):
        services.organisation_update(actor=plain, org_id=org.pk, changes={"address": "x"})
    assert AuditEvent.objects.count() == 0


def test_bureau_creates_only_in_its_region():
    bureau = actor(member(Role.REGION_BUREAU, region_id="330400"))
    org = services.organisation_create(
        actor=bureau,
        raw=_raw(region="330402", credit_code=credit_code.make(region_code="330402", serial="12345678")),
    )
    assert org.status == OrgStatus.APPROVED
    with pytest.raises(Forbidden):
        services.organisation_create(actor=bureau, raw=_raw())
    assert Organisation.objects.count() == 1
