from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "xietong.ledger"
    verbose_name = "复式记账"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from xietong.ledger import append_only

        connection_created.connect(append_only.install_sql_function, dispatch_uid="ledger.append_only")
