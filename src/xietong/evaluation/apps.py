from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "xietong.evaluation"
    verbose_name = "协同创新指数评价"
