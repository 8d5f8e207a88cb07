"""Loading the reference data, creating zones and changing their members: permission, audit, errors."""

from __future__ import annotations

import pytest

from xietong.core.errors import Conflict, Forbidden, Invalid, NotFound
from xietong.core.models import AuditEvent
from xietong.regions import selectors, services
from xietong.regions.models import Region, Zone, ZoneMember
from xietong.regions.presets import ZONE_PRESETS

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, int, int]:
    return Region.objects.count(), Zone.objects.count(), ZoneMember.objects.count()


# ---------------------------------------------------------------- loading


def test_the_loaded_regions_cover_gb_t_2260_by_level():
    assert Region.objects.count() == 3214
    assert Region.objects.filter(level="province").count() == 34
    assert Region.objects.filter(level="prefecture").count() == 333
    assert Region.objects.filter(level="county").count() == 2847


def test_loading_twice_changes_nothing():
    # given the regions and presets are already loaded
    before = _counts()
    # when both loaders run again
    assert services.regions_load() == 3214
    assert services.zone_presets_load() == 6
    # then the same rows remain
    assert _counts() == before


def test_loading_repairs_a_changed_row():
    Region.objects.filter(code="320583").update(short_name="错", pinyin="")
    services.regions_load()
    assert Region.objects.values_list("short_name", "pinyin").get(code="320583") == ("昆山", "kunshan")


def test_loading_clears_the_cached_tree():
    selectors.region_descendant_codes("320500")
    services.regions_load()
    assert selectors._tree.cache_info().currsize == 0


def test_every_preset_zone_is_present_with_its_members():
    for preset in ZONE_PRESETS:
        zone = Zone.objects.get(code=preset.code)
        assert zone.kind == "preset"
        assert zone.color == preset.color
        assert sorted(zone.memberships.values_list("region_id", flat=True)) == sorted(preset.members)
    expected = {
        "jjj": ["北京市", "天津市", "河北省"],
        "yrd": ["上海市", "江苏省", "浙江省", "安徽省"],
        "g60": ["松江区", "嘉兴市", "杭州市", "金华市", "苏州市", "湖州市", "宣城市", "芜湖市", "合肥市"],
        "jiakuntai": ["嘉定区", "昆山市", "太仓市"],
        "yrd-demo": ["青浦区", "吴江区", "嘉善县"],
    }
    for code, names in expected.items():
        assert sorted(Zone.objects.get(code=code).members.values_list("name", flat=True)) == sorted(names)
    chengyu = set(Zone.objects.get(code="chengyu").members.values_list("short_name", flat=True))
    assert chengyu == set(
        "重庆 成都 自贡 泸州 德阳 绵阳 遂宁 内江 乐山 南充 眉山 宜宾 广安 达州 雅安 资阳".split()
    )


def test_reloading_presets_restores_their_members():
    zone = Zone.objects.get(code="jiakuntai")
    ZoneMember.objects.create(zone=zone, region_id="320500")
    ZoneMember.objects.filter(zone=zone, region_id="310114").delete()
    services.zone_presets_load()
    assert sorted(zone.memberships.values_list("region_id", flat=True)) == ["310114", "320583", "320585"]


# ---------------------------------------------------------------- creating zones


def test_a_platform_admin_creates_a_zone_and_it_is_audited(admin_actor):
    # when
    zone = services.zone_create(
        actor=admin_actor, code="suxichang", name="苏锡常都市圈", short_name="苏锡常",
        member_codes=["320500", "320200", "320400", "320500"], description="测试",
    )  # fmt: skip
    # then
    assert zone.kind == "custom"
    assert list(zone.memberships.values_list("region_id", flat=True)) == ["320200", "320400", "320500"]
    event = AuditEvent.objects.get(verb="zone.created")
    assert (event.target_id, event.actor_user_id) == (str(zone.pk), admin_actor.user_id)
    assert event.data["members"] == ["320500", "320200", "320400"]
    assert "320583" in selectors.zone_region_codes(zone)


def test_a_non_admin_may_not_create_a_zone_and_nothing_is_written(bureau_actor):
    before = _counts()
    with pytest.raises(Forbidden):
        services.zone_create(
            actor=bureau_actor, code="x1", name="某区", short_name="某", member_codes=["310000"]
        )
    assert _counts() == before
    assert not AuditEvent.objects.exists()


def test_an_unknown_region_code_is_refused_by_name(admin_actor):
    with pytest.raises(Invalid) as caught:
        services.zone_create(
            actor=admin_actor,
            code="bad",
            name="坏区",
            short_name="坏",
            member_codes=["320500", "999999", "12"],
        )
    assert "999999" in caught.value.message and "12" in caught.value.message
    assert caught.value.detail["region_codes"] == ["999999", "12"]
    assert not Zone.objects.filter(code="bad").exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"code": "Bad Code"}, Invalid),
        ({"code": "x"}, Invalid),
        ({"name": "  "}, Invalid),
        ({"member_codes": []}, Invalid),
        ({"code": "jjj"}, Conflict),
        ({"name": "京津冀协同发展区"}, Conflict),
    ],
)
def test_bad_zone_fields_are_refused(admin_actor, fields, error):
    payload = {
        "code": "ok-zone",
        "name": "新协同区",
        "short_name": "新区",
        "member_codes": ["310000"],
        **fields,
    }
    with pytest.raises(error):
        services.zone_create(actor=admin_actor, **payload)
    assert not Zone.objects.filter(code="ok-zone").exists()


# ---------------------------------------------------------------- changing members


def test_a_platform_admin_replaces_members_and_the_change_is_audited(admin_actor):
    zone = services.zone_create(
        actor=admin_actor, code="t1", name="测试区", short_name="测试", member_codes=["310000"]
    )
    services.zone_update_members(
        actor=admin_actor, zone_id=zone.pk, member_codes=["320000", "310000", "330400"]
    )
    assert sorted(zone.memberships.values_list("region_id", flat=True)) == ["310000", "320000", "330400"]
    services.zone_update_members(actor=admin_actor, zone_id=zone.pk, member_codes=["330400"])
    event = AuditEvent.objects.filter(verb="zone.members_updated").first()
    assert event.data == {"added": [], "removed": ["310000", "320000"]}
    assert selectors.zone_region_codes(zone) == selectors.region_descendant_codes("330400")


def test_an_unchanged_member_list_writes_no_audit_event(admin_actor):
    zone = Zone.objects.get(code="jjj")
    services.zone_update_members(
        actor=admin_actor, zone_id=zone.pk, member_codes=["110000", "120000", "130000"]
    )
    assert not AuditEvent.objects.exists()


def test_a_non_admin_may_not_change_members(bureau_actor):
    zone = Zone.objects.get(code="yrd")
    with pytest.raises(Forbidden):
        services.zone_update_members(actor=bureau_actor, zone_id=zone.pk, member_codes=["310000"])
    assert zone.memberships.count() == 4
    assert not AuditEvent.objects.exists()


def test_changing_members_of_a_missing_zone_is_not_found(admin_actor):
    with pytest.raises(NotFound):
        services.zone_update_members(actor=admin_actor, zone_id=999_999, member_codes=["310000"])
