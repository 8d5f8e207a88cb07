from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VouchersConfig(AppConfig):
    name = "xietong.vouchers"
    verbose_name = "科技创新券"

    def ready(self) -> None:
        from xietong.core.nav import NavItem, register, register_group
        from xietong.resources import payment_hooks
        from xietong.vouchers import checks, order_payments

        checks.install()
        payment_hooks.register(order_payments.HOOKS)

        def is_bureau(actor) -> bool:
            return actor.is_platform_admin or bool(actor.bureau_region_codes) or bool(actor.zone_ids)

        register_group("vouchers", _("创新券"))
        register(NavItem(label=_("创新券"), url_name="vouchers:programmes", order=40))
        register(
            NavItem(
                label=_("我的创新券"),
                url_name="vouchers:my-grants",
                order=41,
                is_visible=lambda actor: bool(actor.organisation_ids),
            )
        )
        register(NavItem(label=_("创新券审核"), url_name="vouchers:review", order=42, is_visible=is_bureau))
        register(
            NavItem(
                label=_("跨区结算"),
                url_name="vouchers:statements",
                order=43,
                is_visible=lambda actor: is_bureau(actor) or bool(actor.zone_region_codes),
            )
        )
