from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "xietong.regions"
    verbose_name = "行政区划与协同区"

    def ready(self) -> None:
        from xietong.core import audit_labels
        from xietong.regions import audit_verbs

        audit_labels.register(audit_verbs.LABELS)
