"""Notifications: in-app always, by e-mail when the user has an address and wants that event by mail.

Why here: every app (present and future) tells people that something waits for them, and a periodic job that
runs every few minutes must not tell them twice. "Once" is held by the database (a unique constraint on
user, event and key), not by a read before the write, so two workers racing each other still send one.

Apps name their events with `register_event` in `AppConfig.ready()` so the preferences page can list them,
and call `notify` from services or periodic tasks. The kernel imports no app.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction

from xietong.core import clock
from xietong.core.models import Notification, NotificationPreference

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Event:
    key: str
    label: str  # a lazy translation of the Chinese label


_EVENTS: dict[str, Event] = {}


def register_event(event: str, label: str) -> None:
    """Name an event for the preferences page (call in AppConfig.ready())."""
    _EVENTS[event] = Event(event, label)


def events() -> list[Event]:
    return sorted(_EVENTS.values(), key=lambda e: e.key)


def event_label(event: str) -> str:
    found = _EVENTS.get(event)
    return str(found.label) if found else ""


def _email_allowed(user, event: str) -> bool:
    if not (getattr(user, "email", "") or "").strip():
        return False
    pref = NotificationPreference.objects.filter(
        user=user, event=event
    ).first()  # tenancy-ok: the recipient's own preference, read to deliver to them
    return pref is None or pref.email


def notify(recipients: Iterable, *, event: str, key: str, subject: str, body: str = "", url: str = "") -> int:
    """Send one notification per recipient for (event, key) unless it was sent before; return how many are new.

    The e-mail leaves after the surrounding transaction commits, so a rolled-back caller sends nothing and a
    failed mail server leaves the notification marked for `send_pending_emails` to retry.
    """
    sent = 0
    moment = clock.now()
    for user in {u.pk: u for u in recipients if u is not None and u.pk is not None}.values():
        wants_mail = _email_allowed(user, event)
        try:
            with transaction.atomic():
                note = Notification.objects.create(  # tenancy-ok: the caller chose the recipients; this is the write of the message itself
                    user=user,
                    event=event,
                    key=key[:120],
                    subject=subject[:200],
                    body=body,
                    url=url[:300],
                    created_at=moment,
                    email_wanted=wants_mail,
                )
        except IntegrityError:
            continue  # sent before: the unique constraint says so, whoever won the race
        sent += 1
        if wants_mail:
            transaction.on_commit(lambda pk=note.pk: _deliver(pk))
    return sent


def _deliver(pk: int) -> bool:
    note = (
        Notification.objects.select_related("user").filter(pk=pk, emailed_at__isnull=True).first()
    )  # tenancy-ok: delivering a stored message to its own recipient
    if note is None or not note.user.email:
        return False
    text = note.body
    if note.url:
        base = getattr(settings, "XIETONG_SITE_URL", "").rstrip("/")
        text = f"{text}\n\n{base}{note.url}" if text else f"{base}{note.url}"
    try:
        send_mail(note.subject, text, settings.DEFAULT_FROM_EMAIL, [note.user.email])
    except Exception:  # a mail server outage must not fail the caller; the next run retries
        log.warning("notification %s: e-mail not sent", pk, exc_info=True)
        return False
    Notification.objects.filter(pk=pk).update(
        emailed_at=clock.now()
    )  # tenancy-ok: marking the delivered message
    return True


def send_pending_emails(limit: int = 500) -> int:
    """Retry e-mails that did not leave (mail server down); the periodic task in core.tasks calls it."""
    pending = Notification.objects.filter(
        email_wanted=True, emailed_at__isnull=True
    ).values_list(  # tenancy-ok: the delivery job acts for the platform
        "pk", flat=True
    )[:limit]
    return sum(1 for pk in list(pending) if _deliver(pk))


# -- the recipient's own inbox (every read is scoped to the asking user) ----------------------------------


def inbox(user_id: int | None):
    if user_id is None:
        return Notification.objects.none()  # tenancy-ok: empty queryset
    return Notification.objects.filter(user_id=user_id)  # tenancy-ok: a user's own notifications


def unread_count(user_id: int | None) -> int:
    if user_id is None:
        return 0
    return inbox(user_id).filter(read_at__isnull=True).count()


def mark_read(user_id: int | None, ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications read (all unread ones when `ids` is None); others' ids change nothing."""
    qs = inbox(user_id).filter(read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=clock.now())


def preferences(user) -> list[dict]:
    """Every registered event with whether this user gets it by e-mail."""
    chosen = dict(
        NotificationPreference.objects.filter(user=user).values_list(
            "event", "email"
        )  # tenancy-ok: the user's own preferences
    )
    return [{"event": e.key, "label": str(e.label), "email": chosen.get(e.key, True)} for e in events()]


@transaction.atomic
def set_preferences(user, email_events: Iterable[str]) -> None:
    """Mail for exactly the events named; unknown names are ignored (the page lists only registered ones)."""
    wanted = set(email_events)
    for e in events():
        NotificationPreference.objects.update_or_create(  # tenancy-ok: the user's own preferences
            user=user, event=e.key, defaults={"email": e.key in wanted}
        )
