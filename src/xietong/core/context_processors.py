from django.utils import translation

from xietong.core import nav, notifications, todos

# How many apps' menus stand on the bar before the rest go under 更多: English labels are about twice as wide,
# so a bureau's bar (review and import menus, 待办, 通知, its name) keeps one line at 1,360 px with one app fewer.
NAV_ON_BAR = {"en": 4}
NAV_ON_BAR_DEFAULT = 5


def actor(request):
    current = getattr(request, "actor", None)
    user_id = current.user_id if current is not None else None
    return {
        "actor": current,
        "nav_menus": lambda: nav.menus_for(current),
        "nav_on_bar": NAV_ON_BAR.get(translation.get_language() or "", NAV_ON_BAR_DEFAULT),
        # the url names of the menu entries this actor may open: pages' own tabs follow the same rule
        "nav_url_names": lambda: {item["url_name"] for item in nav.items_for(current)},
        # Callables: evaluated only where the base template shows them (a logged-in page).
        "todo_total": lambda: todos.total(current),
        "unread_notifications": lambda: notifications.unread_count(user_id),
    }
