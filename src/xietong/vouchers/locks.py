"""Row locks, always taken through pk-ordered querysets so two transactions never wait on each other in a cycle."""

from django.db.models import QuerySet

from xietong.vouchers.models import Grant, Programme, Redemption


def programmes_for_update() -> QuerySet[Programme]:
    return Programme.objects.select_for_update(of=("self",)).order_by("pk")


def grants_for_update() -> QuerySet[Grant]:
    return Grant.objects.select_for_update(of=("self",)).order_by("pk")


def redemptions_for_update() -> QuerySet[Redemption]:
    return Redemption.objects.select_for_update(of=("self",)).order_by("pk")
