from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SharingConfig(AppConfig):
    name = "xietong.sharing"
    verbose_name = "利益共享"

    def ready(self) -> None:
        from xietong.core import audit_labels
        from xietong.sharing import audit_verbs

        audit_labels.register(audit_verbs.LABELS)
        from xietong.core.nav import NavItem, register, register_group
        from xietong.sharing import indicators
        from xietong.sharing.policies import AgreementPolicy

        register_group("sharing", _("利益共享"))
        register(
            NavItem(
                label=_("利益共享协议"),
                url_name="sharing:agreements",
                order=60,
                is_visible=lambda actor: AgreementPolicy.can(actor, "list"),
            )
        )
        register(
            NavItem(
                label=_("我方分享收入"),
                url_name="sharing:income",
                order=61,
                is_visible=lambda actor: AgreementPolicy.can(actor, "income"),
            )
        )
        indicators.register_all()
