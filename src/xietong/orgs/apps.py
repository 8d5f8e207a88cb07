from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "xietong.orgs"
    verbose_name = "机构与用户"
