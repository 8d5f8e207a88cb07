"""Kernel jobs: announce waiting to-dos (once per item) and retry e-mails that did not leave."""

from django.contrib.auth import get_user_model
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from xietong.core import notifications, todos


def notify_todos() -> int:
    """Every active user hears of each to-do item once, however often this runs."""
    users = (
        get_user_model().objects.filter(is_active=True).order_by("pk")
    )  # tenancy-ok: the job acts for the platform; each user's items come through their own actor
    return todos.notify_waiting(users.iterator(chunk_size=500))


@db_periodic_task(crontab(minute="*/10"))
def announce_todos() -> int:
    return notify_todos()


@db_periodic_task(crontab(minute="*/10"))
def retry_notification_emails() -> int:
    return notifications.send_pending_emails()
