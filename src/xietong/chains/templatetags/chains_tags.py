"""Template questions the chains pages ask of the policy (a tab is shown only to who may open it)."""

from django import template

from xietong.chains.policies import ChainPolicy

register = template.Library()


@register.simple_tag(takes_context=True)
def may_view_gaps(context, member) -> bool:
    actor = context.get("actor")
    return bool(actor is not None and member and ChainPolicy.can(actor, "view_gaps", member))


@register.simple_tag(takes_context=True)
def may_view_zone_gaps(context, zone) -> bool:
    actor = context.get("actor")
    return bool(actor is not None and zone is not None and ChainPolicy.can(actor, "view_zone_gaps", zone))


@register.filter
def length_of(result, attribute: str) -> int:
    """How many (member, segment) pairs of a zone-wide list are of one kind."""
    return result.count(attribute)


@register.filter
def mark_lists(row) -> list:
    """The three member lists of a zone-wide row, in the table's column order."""
    return [row.lacking, row.strong, row.extending]
