from django import template

from xietong.core.money import fen_to_yuan
from xietong.transfer.policies import (
    AcceptanceListPolicy,
    AchievementPolicy,
    IntentPolicy,
    RecommendationPolicy,
)

register = template.Library()


@register.filter
def may_answer(actor, intent) -> bool:
    """Templates ask the policies, never the actor's organisations or regions."""
    return IntentPolicy.can(actor, "answer", intent)


@register.filter
def may_withdraw(actor, intent) -> bool:
    return IntentPolicy.can(actor, "withdraw", intent)


@register.filter
def may_publish_listing(actor) -> bool:
    return AchievementPolicy.can(actor, "publish")


@register.filter
def may_publish_acceptance(actor) -> bool:
    return AcceptanceListPolicy.can(actor, "publish_any")


@register.filter
def may_see_metrics(actor) -> bool:
    return RecommendationPolicy.can(actor, "metrics")


@register.filter
def fen_yuan(fen: int) -> str:
    """12345 分 → "123.45" (thousands separated), exact to the 分."""
    return f"{fen_to_yuan(int(fen)):,.2f}"
