from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "xietong.web"
    verbose_name = "页面"

    def ready(self) -> None:
        from xietong.core import audit_labels
        from xietong.web import audit_verbs

        audit_labels.register(audit_verbs.LABELS)
