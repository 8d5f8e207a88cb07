from django.apps import AppConfig


class VouchersConfig(AppConfig):
    name = "xietong.vouchers"
    verbose_name = "科技创新券"
