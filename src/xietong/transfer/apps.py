from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransferConfig(AppConfig):
    name = "xietong.transfer"
    verbose_name = "技术转移与成果交易"

    def ready(self) -> None:
        from xietong.transfer import todo_sources

        todo_sources.install()
        from xietong.core import audit_labels
        from xietong.transfer import audit_verbs

        audit_labels.register(audit_verbs.LABELS)
        from xietong.core.nav import NavItem, register, register_group

        register_group("transfer", _("技术交易"))
        register(NavItem(label=_("技术交易"), url_name="transfer:achievements", order=40))
        register(
            NavItem(
                label=_("技术合同流向"),
                url_name="transfer:flows",
                order=41,
                is_visible=lambda actor: actor.is_authenticated,
            )
        )
