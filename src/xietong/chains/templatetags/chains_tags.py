"""Template questions the chains pages ask of the policy (a tab is shown only to who may open it)."""

from django import template

from xietong.chains.policies import ChainPolicy

register = template.Library()


@register.simple_tag(takes_context=True)
def may_view_gaps(context, member) -> bool:
    actor = context.get("actor")
    return bool(actor is not None and member and ChainPolicy.can(actor, "view_gaps", member))
