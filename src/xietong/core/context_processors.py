from xietong.core import nav


def actor(request):
    current = getattr(request, "actor", None)
    return {"actor": current, "nav_menus": lambda: nav.menus_for(current)}
