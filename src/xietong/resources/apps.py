from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "xietong.resources"
    verbose_name = "仪器与服务共享"

    def ready(self) -> None:
        from xietong.resources import todo_sources

        todo_sources.install()
        from xietong.core import audit_labels
        from xietong.resources import audit_verbs

        audit_labels.register(audit_verbs.LABELS)
        from django.utils.translation import gettext_lazy as _

        from xietong.core import nav
        from xietong.resources.policies import OrderPolicy, ResourcePolicy

        nav.register_group("resources", _("仪器共享"))
        nav.register(nav.NavItem(label=_("仪器共享"), url_name="resources:catalogue", order=20))
        nav.register(
            nav.NavItem(
                label=_("我的订单"), url_name="resources:my-orders", order=21,
                is_visible=lambda actor: OrderPolicy.can(actor, "list_mine"),
            )
        )  # fmt: skip
        nav.register(
            nav.NavItem(
                label=_("服务方工作台"), url_name="resources:console", order=22,
                is_visible=lambda actor: ResourcePolicy.can(actor, "console"),
            )
        )  # fmt: skip
        nav.register(
            nav.NavItem(
                label=_("地区开放共享统计"), url_name="resources:region-sharing", order=23,
                is_visible=lambda actor: ResourcePolicy.can(actor, "region_statistics"),
            )
        )  # fmt: skip
