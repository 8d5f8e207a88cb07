from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "xietong.core"
    verbose_name = "核心"

    def ready(self) -> None:
        from xietong.core import signals  # noqa: F401  (SQLite pragmas on connect)
