"""What the orgs app tells other apps, without importing them (apps may import orgs, never the reverse).

`organisation_status_changed` is sent inside the transaction that moves an organisation into or out of
"approved" (a registration approved, an organisation suspended or reinstated): only approved organisations
count in other apps' figures, so a receiver that recomputes something derived (the chains app's zone
matrices) schedules that with `transaction.on_commit` and so acts only if the change is kept.
Arguments: `organisation` (saved, with its new status) and `previous` (the status it left).
"""

from django.dispatch import Signal

organisation_status_changed = Signal()
