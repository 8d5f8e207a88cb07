from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "xietong.evaluation"
    verbose_name = "协同创新指数评价"

    def ready(self) -> None:
        from xietong.core import audit_labels
        from xietong.evaluation import audit_verbs

        audit_labels.register(audit_verbs.LABELS)
        from xietong.core.nav import NavItem, register, register_group

        register_group("evaluation", _("协同创新指数"))
        register(NavItem(label=_("协同创新指数"), url_name="evaluation:index", order=70))
