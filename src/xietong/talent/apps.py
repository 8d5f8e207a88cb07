from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TalentConfig(AppConfig):
    name = "xietong.talent"
    verbose_name = "人才与专家"

    def ready(self) -> None:
        from xietong.core import audit_labels
        from xietong.talent import audit_verbs

        audit_labels.register(audit_verbs.LABELS)
        from xietong.core.nav import NavItem, register, register_group
        from xietong.talent import indicators  # noqa: F401  (registers the platform indicators)
        from xietong.talent.policies import ExpertPolicy, ReviewRoundPolicy, ReviewSeatPolicy

        register_group("talent", _("人才与专家"))
        register(NavItem(label=_("人才档案"), url_name="talent:profiles", order=50,
                         is_visible=lambda actor: actor.is_authenticated))  # fmt: skip
        register(NavItem(label=_("人才卡互认"), url_name="talent:recognition", order=51))
        register(NavItem(label=_("专家检索"), url_name="talent:experts", order=52,
                         is_visible=lambda actor: ExpertPolicy.can(actor, "search")))  # fmt: skip
        register(NavItem(label=_("评审轮次"), url_name="talent:rounds", order=53,
                         is_visible=lambda actor: ReviewRoundPolicy.can(actor, "open_any")))  # fmt: skip
        register(NavItem(label=_("柔性聘用"), url_name="talent:appointments", order=54,
                         is_visible=lambda actor: actor.is_authenticated))  # fmt: skip
        register(NavItem(label=_("我的评审"), url_name="talent:my_reviews", order=55,
                         is_visible=lambda actor: ReviewSeatPolicy.can(actor, "list_mine")))  # fmt: skip
