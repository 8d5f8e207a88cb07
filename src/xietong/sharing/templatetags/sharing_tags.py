"""Template names for sharing records: ``{% load sharing_tags %}{{ settlement|entry_reference }}``."""

from __future__ import annotations

from django import template

from xietong.sharing import references

register = template.Library()


@register.filter
def entry_reference(settlement) -> str:
    """A settlement's ledger entry as a person recognises it (see `sharing.references.entry_reference`)."""
    return references.entry_reference(settlement)


@register.filter
def adjusted_reference(settlement) -> str:
    """The entry of the run an adjustment corrects, with its amount when the selector annotated it."""
    original = settlement.adjusts
    if original is None:
        return "—"
    return references.entry_reference(original, amount_fen=getattr(settlement, "adjusts_total_fen", None))
