"""Django's ``flush``, able to empty the append-only ledger tables on SQLite (see ``ledger/append_only.py``)."""

from django.core.management.commands import flush

from xietong.ledger.append_only import unsealed_for_flush


class Command(flush.Command):
    def handle(self, **options):
        with unsealed_for_flush():
            return super().handle(**options)
