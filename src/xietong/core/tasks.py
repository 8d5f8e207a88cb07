"""Kernel jobs: e-mails of notifications that did not leave (mail server down) are retried."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from xietong.core import notifications


@db_periodic_task(crontab(minute="*/10"))
def retry_notification_emails() -> int:
    return notifications.send_pending_emails()
