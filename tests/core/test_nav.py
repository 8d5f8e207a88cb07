"""The top navigation groups each app's entries into one menu and shows only what the actor may use."""

from xietong.core import nav
from xietong.core.actor import ANONYMOUS, SYSTEM


def test_entries_of_one_app_share_one_menu(db):
    menus = {m["key"]: m for m in nav.menus_for(SYSTEM)}
    assert {"resources", "vouchers", "transfer", "evaluation"} <= set(menus)
    assert all(i["url_name"].startswith("vouchers:") for i in menus["vouchers"]["items"])
    assert menus["vouchers"]["label"] == "创新券"


def test_anonymous_visitors_see_no_role_only_entries(db):
    everyone = {i["url_name"] for i in nav.items_for(ANONYMOUS)}
    admin = {i["url_name"] for i in nav.items_for(SYSTEM)}
    assert everyone < admin
