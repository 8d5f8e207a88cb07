from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "xietong.core"
    verbose_name = "核心"

    def ready(self) -> None:
        from xietong.core import choice_labels, signals  # noqa: F401  (signals: SQLite pragmas on connect)

        choice_labels.install()
