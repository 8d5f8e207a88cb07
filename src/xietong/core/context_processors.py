from xietong.core import nav, notifications, todos


def actor(request):
    current = getattr(request, "actor", None)
    user_id = current.user_id if current is not None else None
    return {
        "actor": current,
        "nav_menus": lambda: nav.menus_for(current),
        # the url names of the menu entries this actor may open: pages' own tabs follow the same rule
        "nav_url_names": lambda: {item["url_name"] for item in nav.items_for(current)},
        # Callables: evaluated only where the base template shows them (a logged-in page).
        "todo_total": lambda: todos.total(current),
        "unread_notifications": lambda: notifications.unread_count(user_id),
    }
