from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "xietong.web"
    verbose_name = "页面"
