"""The top navigation groups each app's entries into one menu and shows only what the actor may use."""

from xietong.core import nav
from xietong.core.actor import ANONYMOUS, SYSTEM, Actor


def test_entries_of_one_app_share_one_menu(db):
    menus = {m["key"]: m for m in nav.menus_for(SYSTEM)}
    assert {"resources", "vouchers", "transfer", "evaluation"} <= set(menus)
    assert all(i["url_name"].startswith("vouchers:") for i in menus["vouchers"]["items"])
    assert menus["vouchers"]["label"] == "创新券"


def test_anonymous_visitors_see_no_role_only_entries(db):
    everyone = {i["url_name"] for i in nav.items_for(ANONYMOUS)}
    admin = {i["url_name"] for i in nav.items_for(SYSTEM)}
    assert everyone < admin


def test_every_menu_with_several_entries_is_named_by_its_app(db):
    # given an actor who sees every entry
    actor = Actor(user_id=1, is_platform_admin=True, organisation_ids=frozenset({1}))
    # then the labels come from the apps' AppConfig.ready() (the kernel names no app)
    menus = [m for m in nav.menus_for(actor) if len(m["items"]) > 1]
    assert {m["key"] for m in menus} == {
        "resources",
        "vouchers",
        "transfer",
        "talent",
        "chains",
        "coordination",
        "sharing",
    }
    assert {m["key"]: m["label"] for m in menus} == {
        "resources": "仪器共享",
        "vouchers": "创新券",
        "transfer": "技术交易",
        "talent": "人才与专家",
        "chains": "产业链",
        "coordination": "协同督办",
        "sharing": "利益共享",
    }
    assert nav._GROUP_LABELS.keys() == {
        "resources",
        "vouchers",
        "transfer",
        "evaluation",
        "talent",
        "chains",
        "coordination",
        "sharing",
    }


def test_a_registered_group_label_names_the_menu(db, monkeypatch):
    # given an app that registers two entries and its group label
    monkeypatch.setattr(nav, "_ITEMS", {})
    monkeypatch.setattr(nav, "_GROUP_LABELS", {})
    nav.register(nav.NavItem(label="首页", url_name="home"))
    nav.register(nav.NavItem(label="目录", url_name="resources:catalogue", order=1))
    nav.register(nav.NavItem(label="订单", url_name="resources:my-orders", order=2))
    nav.register_group("resources", "仪器")
    # when
    menus = {m["key"]: m for m in nav.menus_for(SYSTEM)}
    # then
    assert menus["resources"]["label"] == "仪器"
    assert [i["label"] for i in menus["resources"]["items"]] == ["目录", "订单"]
    assert menus["home"]["label"] == "首页"  # no group: the entry's own label
