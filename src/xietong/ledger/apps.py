from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "xietong.ledger"
    verbose_name = "复式记账"
