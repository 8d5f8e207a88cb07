from django import template

from xietong.coordination import markup
from xietong.coordination.policies import BodyPolicy, MajorItemPolicy

register = template.Library()


@register.filter
def may_see_dashboard(actor) -> bool:
    """Templates ask the policies, never the actor's zones."""
    return actor is not None and BodyPolicy.can(actor, "dashboard")


@register.filter
def may_see_major_items(actor) -> bool:
    return actor is not None and MajorItemPolicy.can(actor, "view_list")


@register.filter
def markdown(text: str):
    """Markdown rendered and sanitised (nh3)."""
    return markup.render(text)
