from django.apps import AppConfig


class TransferConfig(AppConfig):
    name = "xietong.transfer"
    verbose_name = "技术转移与成果交易"
