"""Row locks of this app, taken in one order (the agreement first) so two settlements never deadlock."""

from xietong.sharing.models import Agreement


def agreement_for_update(agreement: Agreement) -> Agreement:
    """The agreement re-read under a row lock: settlements, imports and amendments of one agreement queue."""
    return Agreement.objects.select_for_update().get(pk=agreement.pk)
