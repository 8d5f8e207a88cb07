from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "xietong.regions"
    verbose_name = "行政区划与协同区"
