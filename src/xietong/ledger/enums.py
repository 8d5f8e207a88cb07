from django.db import models


class NormalSide(models.TextChoices):
    DEBIT = "debit", "借方"
    CREDIT = "credit", "贷方"
