"""The banner a suspended organisation's members see on every page (loaded by name by `web/base.html`)."""

from django import template

from xietong.orgs import selectors

register = template.Library()


@register.inclusion_tag("orgs/_suspension_banner.html", takes_context=True)
def suspension_banner(context) -> dict:
    """Why the actor's organisation cannot act and whom to ask; nothing (and no query) for everyone else."""
    actor = context.get("actor")
    if actor is None or not actor.is_authenticated:
        return {"suspensions": []}
    return {"suspensions": selectors.suspension_of(actor=actor)}
