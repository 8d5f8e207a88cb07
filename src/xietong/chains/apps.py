from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChainsConfig(AppConfig):
    name = "xietong.chains"
    verbose_name = "产业链图谱"

    def ready(self) -> None:
        from xietong.chains import audit_verbs
        from xietong.core import audit_labels

        audit_labels.register(audit_verbs.LABELS)
        from xietong.chains import indicators  # noqa: F401  (registers the platform indicators)
        from xietong.chains.services import refresh_after_status_change
        from xietong.orgs.signals import organisation_status_changed

        organisation_status_changed.connect(refresh_after_status_change, dispatch_uid="chains.matrices")
        from xietong.chains.policies import AttachmentPolicy, ChainPolicy
        from xietong.core.nav import NavItem, register, register_group

        register_group("chains", _("产业链"))
        register(NavItem(label=_("产业链图谱"), url_name="chains:index", order=50))
        register(
            NavItem(
                label=_("机构挂链"),
                url_name="chains:attachments",
                order=51,
                is_visible=lambda actor: AttachmentPolicy.can(actor, "manage_any"),
            )
        )
        register(
            NavItem(
                label=_("导入产业链"),
                url_name="chains:import",
                order=52,
                is_visible=lambda actor: ChainPolicy.can(actor, "manage"),
            )
        )
