from django.core.management.base import BaseCommand

from xietong.coordination import selectors
from xietong.core.actor import SYSTEM


class Command(BaseCommand):
    help = "列出议事机构（编号、名称、协同区、成员单位）。"

    def handle(self, *args, **options):
        for body in selectors.body_list(actor=SYSTEM).prefetch_related("members"):
            members = "、".join(u.name for u in body.members.all())
            self.stdout.write(f"{body.pk}\t{body.name}\t{body.zone.short_name}\t{members}")
