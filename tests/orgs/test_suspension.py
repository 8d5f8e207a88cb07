"""Suspending and reinstating an organisation: who may, what it takes (a reason), what it changes (status, note,
audit, signal, the members' acting rights, the banner) and that every refusal writes nothing; through the
service, the API, the pages and the command line."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client

from tests.clients import client_for
from tests.factories import OrganisationFactory, actor, member
from xietong.core.errors import Conflict, Forbidden, Invalid, NotFound
from xietong.core.models import AuditEvent
from xietong.core.roles import Role
from xietong.orgs import selectors, services
from xietong.orgs.enums import OrgStatus
from xietong.orgs.models import Organisation
from xietong.orgs.policies import OrganisationPolicy
from xietong.orgs.signals import organisation_status_changed
from xietong.regions.models import Zone

pytestmark = pytest.mark.django_db
REASON = "年度检查发现检测资质证书已过期"


@pytest.fixture
def firm():
    """An approved 嘉兴 (330402) enterprise with an admin and a member, and the people around it."""
    org = OrganisationFactory(
        name="嘉兴南湖暂停测试有限公司", region_id="330402", credit_code="91330402MA2B000017"
    )
    return {
        "org": org,
        "admin": member(Role.ORG_ADMIN, organisation=org),
        "member": member(Role.ORG_MEMBER, organisation=org),
        "bureau_jx": member(Role.REGION_BUREAU, region_id="330400"),  # 嘉兴 city bureau, governs 南湖区
        "bureau_zj": member(Role.REGION_BUREAU, region_id="330000"),  # 浙江 province bureau
        "bureau_sc": member(Role.REGION_BUREAU, region_id="510000"),
        "zone_yrd": member(Role.ZONE_OFFICE, zone=Zone.objects.get(code="yrd")),
        "platform": member(Role.PLATFORM_ADMIN),
    }


def _state(org: Organisation) -> tuple:
    row = Organisation.objects.get(pk=org.pk)
    return row.status, row.review_note, AuditEvent.objects.count()


# ------------------------------------------------------------------------------------------------ policy


@pytest.mark.parametrize(
    ("who", "may"),
    [
        ("platform", True),
        ("bureau_jx", True),
        ("bureau_zj", True),
        ("bureau_sc", False),
        ("zone_yrd", False),  # reads the region, does not govern it
        ("admin", False),  # an organisation does not suspend (or reinstate) itself
        ("member", False),
    ],
)
def test_only_the_governing_bureau_and_the_platform_may_suspend(firm, who, may):
    assert OrganisationPolicy.can(actor(firm[who]), "suspend", firm["org"]) is may


# ------------------------------------------------------------------------------------------------ service


def test_suspend_records_status_reason_audit_and_signal_then_reinstate_undoes_it(firm):
    # given the 嘉兴 bureau and a receiver of the status signal
    bureau, org = actor(firm["bureau_jx"]), firm["org"]
    heard = []

    def receiver(sender, organisation, previous, **kwargs):
        heard.append((organisation.status, previous))

    organisation_status_changed.connect(receiver)
    try:
        # when it suspends the organisation with a reason (spaces around it dropped)
        services.organisation_suspend(actor=bureau, org_id=org.pk, suspend=True, note=f"  {REASON} ")
        suspended = Organisation.objects.get(pk=org.pk)
        # then the status and the reason are stored, one audit event carries the reason, the signal went out
        assert (suspended.status, suspended.review_note) == (OrgStatus.SUSPENDED, REASON)
        assert suspended.suspended_at is not None
        event = AuditEvent.objects.get(verb="org.suspended", target_id=str(org.pk))
        # (with the bureau it acted as, whom the members' banner will name)
        bureau_data = {"region": "330400", "region_name": "嘉兴市", "title": ""}
        assert (
            event.data == {"note": REASON, "bureau": bureau_data}
            and event.actor_user_id == firm["bureau_jx"].pk
        )
        assert heard == [(OrgStatus.SUSPENDED, OrgStatus.APPROVED)]
        # and its members no longer act for it, though they still belong to it
        admin = actor(firm["admin"])
        assert org.pk in admin.organisation_ids and org.pk not in admin.acting_organisation_ids
        # and the public no longer finds it
        assert not Organisation.objects.filter(OrganisationPolicy.public(), pk=org.pk).exists()
        # when it is reinstated
        services.organisation_suspend(actor=bureau, org_id=org.pk, suspend=False, note="已补交有效证书")
    finally:
        organisation_status_changed.disconnect(receiver)
    # then it is approved again, its members act again, and the trail has both steps
    reinstated = Organisation.objects.get(pk=org.pk)
    assert (reinstated.status, reinstated.suspended_at) == (OrgStatus.APPROVED, None)
    assert org.pk in actor(firm["admin"]).acting_organisation_ids
    assert heard[-1] == (OrgStatus.APPROVED, OrgStatus.SUSPENDED)
    verbs = list(
        AuditEvent.objects.filter(target_id=str(org.pk)).order_by("id").values_list("verb", flat=True)
    )
    assert verbs == ["org.suspended", "org.reinstated"]


@pytest.mark.parametrize("note", ["", "   "])
def test_suspending_without_a_reason_is_refused_and_writes_nothing(firm, note):
    before = _state(firm["org"])
    with pytest.raises(Invalid, match="暂停时请填写理由"):
        services.organisation_suspend(
            actor=actor(firm["bureau_jx"]), org_id=firm["org"].pk, suspend=True, note=note
        )
    assert _state(firm["org"]) == before


def test_a_reason_over_300_characters_is_refused(firm):
    before = _state(firm["org"])
    with pytest.raises(Invalid, match="不能超过 300 个字符"):
        services.organisation_suspend(
            actor=actor(firm["bureau_jx"]), org_id=firm["org"].pk, suspend=True, note="理" * 301
        )
    assert _state(firm["org"]) == before


def test_suspending_twice_or_reinstating_an_approved_one_is_a_conflict(firm):
    bureau, org = actor(firm["bureau_jx"]), firm["org"]
    with pytest.raises(Conflict, match="当前状态为“已认证”，不能恢复"):
        services.organisation_suspend(actor=bureau, org_id=org.pk, suspend=False)
    services.organisation_suspend(actor=bureau, org_id=org.pk, suspend=True, note=REASON)
    before = _state(org)
    with pytest.raises(Conflict, match="当前状态为“已暂停”，不能暂停"):
        services.organisation_suspend(actor=bureau, org_id=org.pk, suspend=True, note="再次暂停")
    assert _state(org) == before


def test_a_pending_registration_cannot_be_suspended(firm):
    pending = OrganisationFactory(region_id="330402", status=OrgStatus.PENDING)
    with pytest.raises(Conflict, match="当前状态为“待审核”，不能暂停"):
        services.organisation_suspend(
            actor=actor(firm["bureau_jx"]), org_id=pending.pk, suspend=True, note=REASON
        )
    assert Organisation.objects.get(pk=pending.pk).status == OrgStatus.PENDING


@pytest.mark.parametrize(
    ("who", "error"), [("bureau_sc", Forbidden), ("zone_yrd", Forbidden), ("admin", Forbidden)]
)
def test_others_are_refused_and_nothing_changes(firm, who, error):
    before = _state(firm["org"])
    with pytest.raises(error):
        services.organisation_suspend(
            actor=actor(firm[who]), org_id=firm["org"].pk, suspend=True, note=REASON
        )
    assert _state(firm["org"]) == before


def test_another_regions_bureau_does_not_even_see_a_suspended_organisation(firm):
    services.organisation_suspend(
        actor=actor(firm["bureau_jx"]), org_id=firm["org"].pk, suspend=True, note=REASON
    )
    before = _state(firm["org"])
    with pytest.raises(NotFound):
        services.organisation_suspend(actor=actor(firm["bureau_sc"]), org_id=firm["org"].pk, suspend=False)
    assert _state(firm["org"]) == before


# ------------------------------------------------------------------------------------------------ selectors


def test_members_learn_why_since_when_and_whom_to_ask_everyone_else_costs_no_query(
    firm, frozen_clock, django_assert_num_queries
):
    services.organisation_suspend(
        actor=actor(firm["bureau_jx"]), org_id=firm["org"].pk, suspend=True, note=REASON
    )
    shown = selectors.suspension_of(actor=actor(firm["member"]))
    assert [(s["org"].pk, s["reason"], s["region"], s["bureau"]) for s in shown] == [
        (firm["org"].pk, REASON, "嘉兴市南湖区", "嘉兴市科技主管部门")
    ]
    assert shown[0]["since"] == frozen_clock.moment
    bureau = actor(firm["bureau_jx"])
    with django_assert_num_queries(0):
        assert selectors.suspension_of(actor=bureau) == []


def _titled(user, title: str) -> None:
    user.memberships.filter(role=Role.REGION_BUREAU).update(title=title)


def test_the_banner_names_the_bureau_that_suspended_not_the_district_of_the_organisation(firm):
    # given an organisation of a district without a bureau account (南湖区), suspended by the 嘉兴 city bureau
    _titled(firm["bureau_jx"], "嘉兴市科技局")
    services.organisation_suspend(
        actor=actor(firm["bureau_jx"]), org_id=firm["org"].pk, suspend=True, note=REASON
    )
    # when the province bureau is given a title afterwards (it did not suspend)
    _titled(firm["bureau_zj"], "浙江省科技厅")
    # then its members are told to ask the city bureau, by the name it had when it suspended
    _titled(firm["bureau_jx"], "嘉兴市科学技术局")
    [shown] = selectors.suspension_of(actor=actor(firm["member"]))
    assert shown["bureau"] == "嘉兴市科技局"


def test_the_province_bureau_that_suspended_is_named_even_with_a_city_bureau_below_it(firm):
    _titled(firm["bureau_jx"], "嘉兴市科技局")
    _titled(firm["bureau_zj"], "浙江省科技厅")
    services.organisation_suspend(
        actor=actor(firm["bureau_zj"]), org_id=firm["org"].pk, suspend=True, note=REASON
    )
    [shown] = selectors.suspension_of(actor=actor(firm["member"]))
    assert shown["bureau"] == "浙江省科技厅"


def test_suspended_by_the_platform_the_nearest_governing_bureau_that_exists_is_named(firm):
    # given a suspension by the platform (no bureau recorded) over a district with no bureau account
    _titled(firm["bureau_jx"], "嘉兴市科技局")
    services.organisation_suspend(
        actor=actor(firm["platform"]), org_id=firm["org"].pk, suspend=True, note=REASON
    )
    assert "bureau" not in AuditEvent.objects.get(verb="org.suspended").data
    # then the members are sent to the nearest bureau above it: the city's, not the province's
    [shown] = selectors.suspension_of(actor=actor(firm["member"]))
    assert shown["bureau"] == "嘉兴市科技局"


def test_with_no_bureau_anywhere_above_the_banner_falls_back_to_the_region(db):
    org = OrganisationFactory(name="深圳暂停测试有限公司", region_id="440305")
    someone = member(Role.ORG_MEMBER, organisation=org)
    services.organisation_suspend(
        actor=actor(member(Role.PLATFORM_ADMIN)), org_id=org.pk, suspend=True, note=REASON
    )
    [shown] = selectors.suspension_of(actor=actor(someone))
    assert shown["bureau"] == ""
    home = client_for(someone).get("/").content.decode()
    assert "请联系深圳市南山区科技主管部门申请恢复" in home


def test_the_banner_names_the_suspending_bureau_in_chinese_and_in_english(firm, settings):
    _titled(firm["bureau_jx"], "嘉兴市科技局")
    services.organisation_suspend(
        actor=actor(firm["bureau_jx"]), org_id=firm["org"].pk, suspend=True, note=REASON
    )
    client = client_for(firm["member"])
    chinese = client.get("/").content.decode()
    assert "如有疑问或已整改，请联系嘉兴市科技局申请恢复。" in chinese and "南湖区科技主管部门" not in chinese
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get("/").content.decode()
    assert "ask 嘉兴市科技局 to reinstate it" in english and "联系" not in english


def test_the_suspended_list_is_the_governed_regions_only(firm):
    services.organisation_suspend(
        actor=actor(firm["bureau_jx"]), org_id=firm["org"].pk, suspend=True, note=REASON
    )
    assert [o.pk for o in selectors.suspended_list(actor=actor(firm["bureau_zj"]))] == [firm["org"].pk]
    assert list(selectors.suspended_list(actor=actor(firm["bureau_sc"]))) == []


def test_find_by_credit_code_or_exact_name_and_refuse_ambiguity(firm):
    system = actor(firm["platform"])
    assert selectors.organisation_find(actor=system, text="91330402ma2b000017").pk == firm["org"].pk
    assert selectors.organisation_find(actor=system, text="嘉兴南湖暂停测试有限公司").pk == firm["org"].pk
    OrganisationFactory(name="同名科技有限公司")
    OrganisationFactory(name="同名科技有限公司", region_id="510107")
    with pytest.raises(Conflict, match="对应多家机构"):
        selectors.organisation_find(actor=system, text="同名科技有限公司")
    with pytest.raises(NotFound, match="找不到机构"):
        selectors.organisation_find(actor=system, text="嘉兴南湖")  # a fragment is not a name


# ------------------------------------------------------------------------------------------------ API


def _api(client: Client, org: Organisation, action: str, note: str):
    return client.post(f"/api/v1/orgs/{org.pk}/{action}", {"note": note}, content_type="application/json")


def test_api_suspends_and_reinstates(firm):
    client = client_for(firm["bureau_jx"])
    response = _api(client, firm["org"], "suspend", REASON)
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["status_label"], body["note"]) == ("suspended", "已暂停", REASON)
    response = _api(client, firm["org"], "reinstate", "")
    assert response.status_code == 200 and response.json()["status"] == "approved"


@pytest.mark.parametrize(
    ("note", "status", "message"),
    [
        ("", 400, "暂停时请填写理由"),
        ("理" * 301, 400, "暂停理由不能超过 300 个字符"),
        ("理" * 2001, 422, "note"),
    ],
)
def test_api_bad_reason_is_a_4xx_with_a_message_and_writes_nothing(firm, note, status, message):
    before = _state(firm["org"])
    response = _api(client_for(firm["bureau_jx"]), firm["org"], "suspend", note)
    assert response.status_code == status
    assert message in response.json()["message"]
    assert _state(firm["org"]) == before


def test_api_already_suspended_is_a_409(firm):
    client = client_for(firm["bureau_jx"])
    _api(client, firm["org"], "suspend", REASON)
    before = _state(firm["org"])
    response = _api(client, firm["org"], "suspend", "又一次")
    assert response.status_code == 409
    assert response.json()["message"] == "该机构当前状态为“已暂停”，不能暂停"
    assert _state(firm["org"]) == before


def test_api_refuses_the_organisation_itself(firm):
    before = _state(firm["org"])
    response = _api(client_for(firm["admin"]), firm["org"], "suspend", REASON)
    assert response.status_code == 403 and response.json()["message"] == "您无权处理该机构的信息"
    assert _state(firm["org"]) == before


def test_openapi_lists_both_endpoints():
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/orgs/{org_id}/suspend", "/api/v1/orgs/{org_id}/reinstate"} <= set(paths)


# ------------------------------------------------------------------------------------------------ pages


def test_page_suspend_shows_the_label_the_reason_and_the_history(firm):
    client, org = client_for(firm["bureau_jx"]), firm["org"]
    form = client.get(f"/orgs/{org.pk}/").content.decode()
    assert 'id="suspend-button"' in form and "data-confirm" in form
    response = client.post(f"/orgs/{org.pk}/suspend/", {"note": REASON}, follow=True)
    page = response.content.decode()
    assert response.redirect_chain == [(f"/orgs/{org.pk}/", 302)]
    assert f"已暂停：{org.name}" in page  # the flash message
    assert ">已暂停</span>" in page  # the status label
    assert f"暂停理由：{REASON}" in page
    assert f"暂停机构：{REASON}" in page  # the history line with its reason
    assert 'id="reinstate-button"' in page


def test_page_without_a_reason_comes_back_400_with_the_message(firm):
    before = _state(firm["org"])
    response = client_for(firm["bureau_jx"]).post(f"/orgs/{firm['org'].pk}/suspend/", {"note": " "})
    assert response.status_code == 400
    assert "暂停时请填写理由" in response.content.decode()
    assert _state(firm["org"]) == before


def test_page_already_suspended_is_a_409_with_the_message(firm):
    client = client_for(firm["bureau_jx"])
    client.post(f"/orgs/{firm['org'].pk}/suspend/", {"note": REASON})
    before = _state(firm["org"])
    response = client.post(f"/orgs/{firm['org'].pk}/suspend/", {"note": "又一次"})
    assert response.status_code == 409
    assert "不能暂停" in response.content.decode()
    assert _state(firm["org"]) == before


def test_members_see_the_banner_until_reinstated_and_others_never(firm):
    org = firm["org"]
    services.organisation_suspend(actor=actor(firm["bureau_jx"]), org_id=org.pk, suspend=True, note=REASON)
    home = client_for(firm["member"]).get("/").content.decode()
    assert 'data-testid="suspension-banner"' in home
    assert (
        f"您所在的机构“{org.name}”已被暂停" in home
        and REASON in home
        and "请联系嘉兴市科技主管部门申请恢复" in home
    )
    assert 'data-testid="suspension-banner"' not in client_for(firm["bureau_jx"]).get("/").content.decode()
    services.organisation_suspend(actor=actor(firm["bureau_jx"]), org_id=org.pk, suspend=False)
    assert 'data-testid="suspension-banner"' not in client_for(firm["member"]).get("/").content.decode()


def test_review_page_lists_suspended_organisations_with_reinstate(firm):
    services.organisation_suspend(
        actor=actor(firm["bureau_jx"]), org_id=firm["org"].pk, suspend=True, note=REASON
    )
    page = client_for(firm["bureau_zj"]).get("/orgs/review/").content.decode()
    assert firm["org"].name in page and REASON in page and f"/orgs/{firm['org'].pk}/reinstate/" in page
    assert firm["org"].name not in client_for(firm["bureau_sc"]).get("/orgs/review/").content.decode()


# ------------------------------------------------------------------------------------------------ CLI


def test_command_suspends_by_code_and_reinstates_by_name(firm, capsys):
    call_command("org_suspend", firm["org"].credit_code, reason=REASON)
    assert _state(firm["org"])[:2] == (OrgStatus.SUSPENDED, REASON)
    assert "已暂停" in capsys.readouterr().out
    call_command("org_suspend", firm["org"].name, reinstate=True)
    assert _state(firm["org"])[0] == OrgStatus.APPROVED


def test_command_refuses_missing_reason_unknown_org_and_another_regions_bureau(firm):
    before = _state(firm["org"])
    with pytest.raises(CommandError, match="暂停时请填写理由"):
        call_command("org_suspend", firm["org"].credit_code)
    with pytest.raises(CommandError, match="找不到机构"):
        call_command("org_suspend", "不存在的机构", reason=REASON)
    with pytest.raises(CommandError, match="无权"):
        call_command(
            "org_suspend", firm["org"].credit_code, reason=REASON, username=firm["bureau_sc"].username
        )
    assert _state(firm["org"]) == before


# ------------------------------------------------------------------------------------------------ demo


def test_demo_has_one_suspended_enterprise_with_a_reason_dated_before_today_and_a_member_to_log_in(
    frozen_clock,
):
    from xietong.orgs import demo

    # when the demo is loaded twice (it is idempotent)
    demo.load()
    demo.load()
    # then exactly one organisation is suspended, by the 嘉兴 bureau, twelve days ago, with the reason
    org = Organisation.objects.get(status=OrgStatus.SUSPENDED)
    assert (org.name, org.review_note) == (demo.SUSPENDED["name"], demo.SUSPENSION_REASON)
    assert org.suspended_at == frozen_clock.moment - timedelta(days=demo.SUSPENDED_DAYS_AGO)
    event = AuditEvent.objects.get(verb="org.suspended", target_id=str(org.pk))
    assert event.actor_label == "bureau_jx"
    # and its history line is dated like the suspension, not on the day the demo was loaded
    assert event.created_at == org.suspended_at
    # and its demo account sees the banner, which names the bureau that suspended it (the district has none)
    user = get_user_model().objects.get(username="org_suspended")
    home = client_for(user).get("/").content.decode()
    assert 'data-testid="suspension-banner"' in home and "请联系嘉兴市科技局申请恢复" in home


def test_xietong_orgs_suspend_and_reinstate_through_the_root_cli(firm):
    from typer.testing import CliRunner

    from xietong import cli

    runner = CliRunner()
    refused = runner.invoke(cli.app, ["orgs", "suspend", firm["org"].credit_code, "--reason", " "])
    assert refused.exit_code == 1 and "暂停时请填写理由" in refused.output
    done = runner.invoke(cli.app, ["orgs", "suspend", firm["org"].credit_code, "--reason", REASON])
    assert done.exit_code == 0, done.output
    assert _state(firm["org"])[:2] == (OrgStatus.SUSPENDED, REASON)
    back = runner.invoke(cli.app, ["orgs", "reinstate", firm["org"].name])
    assert back.exit_code == 0, back.output
    assert _state(firm["org"])[0] == OrgStatus.APPROVED


def test_admin_reinstates_a_selection_and_reports_what_it_could_not(firm):
    # given one suspended and one approved organisation, and a platform admin in the admin site
    services.organisation_suspend(
        actor=actor(firm["bureau_jx"]), org_id=firm["org"].pk, suspend=True, note=REASON
    )
    other = OrganisationFactory(name="嘉兴南湖未暂停有限公司", region_id="330402")
    firm["platform"].is_staff = True
    firm["platform"].save(update_fields=["is_staff"])
    # when both are reinstated from the changelist
    response = client_for(firm["platform"]).post(
        "/admin/orgs/organisation/",
        {"action": "reinstate_selected", "_selected_action": [firm["org"].pk, other.pk]},
        follow=True,
    )
    # then the suspended one is approved again and the other is named with the reason it was left alone
    page = response.content.decode()
    assert Organisation.objects.get(pk=firm["org"].pk).status == OrgStatus.APPROVED
    assert "已恢复 1 家" in page and f"{other.name}：该机构当前状态为“已认证”，不能恢复" in page


def test_the_organisation_page_in_english_labels_the_status_reason_and_history_without_chinese_colons(
    firm, settings
):
    org = firm["org"]
    services.organisation_suspend(actor=actor(firm["bureau_jx"]), org_id=org.pk, suspend=True, note=REASON)
    client = client_for(firm["bureau_jx"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(f"/orgs/{org.pk}/").content.decode()
    assert "Status: Suspended" in page and f"Reason for suspending: {REASON}" in page
    assert f"Suspended the organisation: {REASON}" in page
    chinese = client_for(firm["bureau_jx"]).get(f"/orgs/{org.pk}/").content.decode()
    assert f"暂停理由：{REASON}" in chinese and "机构状态：已暂停" in chinese
