from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "xietong.resources"
    verbose_name = "仪器与服务共享"
