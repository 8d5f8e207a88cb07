from xietong.core import nav


def actor(request):
    current = getattr(request, "actor", None)
    return {"actor": current, "nav_items": lambda: nav.items_for(current)}
