from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VouchersConfig(AppConfig):
    name = "xietong.vouchers"
    verbose_name = "科技创新券"

    def ready(self) -> None:
        from xietong.vouchers import todo_sources

        todo_sources.install()
        from xietong.core import audit_labels
        from xietong.vouchers import audit_verbs

        audit_labels.register(audit_verbs.LABELS)
        from xietong.core.nav import NavItem, register, register_group
        from xietong.resources import payment_hooks
        from xietong.vouchers import checks, order_payments
        from xietong.vouchers.policies import GrantPolicy, ProgrammePolicy, StatementPolicy

        checks.install()
        payment_hooks.register(order_payments.HOOKS)

        register_group("vouchers", _("创新券"))
        register(NavItem(label=_("创新券"), url_name="vouchers:programmes", order=40))
        register(
            NavItem(
                label=_("我的创新券"),
                url_name="vouchers:my-grants",
                order=41,
                is_visible=lambda actor: GrantPolicy.can(actor, "hold"),
            )
        )
        register(
            NavItem(
                label=_("创新券审核"),
                url_name="vouchers:review",
                order=42,
                is_visible=lambda actor: ProgrammePolicy.can(actor, "review_queue"),
            )
        )
        register(
            NavItem(
                label=_("跨区结算"),
                url_name="vouchers:statements",
                order=43,
                is_visible=lambda actor: StatementPolicy.can(actor, "list"),
            )
        )
