from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CockpitConfig(AppConfig):
    name = "xietong.cockpit"
    verbose_name = "协同区驾驶舱"

    def ready(self) -> None:
        from xietong.cockpit.policies import CockpitPolicy
        from xietong.core import todos
        from xietong.core.nav import NavItem, register

        register(
            NavItem(
                label=_("驾驶舱"),
                url_name="cockpit:landing",
                order=5,
                is_visible=lambda actor: CockpitPolicy.can(actor, "open"),
            )
        )
        # A zone office starts its day on the cockpit, not on the to-do list.
        todos.register_landing("cockpit:landing", lambda actor: CockpitPolicy.can(actor, "land"))
