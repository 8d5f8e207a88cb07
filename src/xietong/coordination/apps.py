from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoordinationConfig(AppConfig):
    name = "xietong.coordination"
    verbose_name = "联席会议与督办"

    def ready(self) -> None:
        from xietong.coordination import audit_verbs
        from xietong.core import audit_labels

        audit_labels.register(audit_verbs.LABELS)
        from xietong.coordination import indicators, notify, todo_sources  # noqa: F401 - registrations
        from xietong.coordination.policies import BodyPolicy, MajorItemPolicy, has_units
        from xietong.core.nav import NavItem, register, register_group

        register_group("coordination", _("协同督办"))
        register(
            NavItem(
                label=_("督办看板"),
                url_name="coordination:dashboard",
                order=70,
                is_visible=lambda actor: BodyPolicy.can(actor, "dashboard"),
            )
        )
        register(
            NavItem(
                label=_("我的督办"),
                url_name="coordination:mine",
                order=71,
                is_visible=lambda actor: actor.is_authenticated and has_units(actor),
            )
        )
        register(NavItem(label=_("联席会议"), url_name="coordination:bodies", order=72))
        register(NavItem(label=_("合作协议"), url_name="coordination:agreements", order=73))
        register(
            NavItem(
                label=_("重大事项清单"),
                url_name="coordination:major-items",
                order=74,
                is_visible=lambda actor: MajorItemPolicy.can(actor, "view_list"),
            )
        )
        notify.register_events()
        todo_sources.register()
