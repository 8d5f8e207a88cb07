"""Notifications: in-app always, by e-mail when the user has an address and wants that event by mail.

Why here: every app (present and future) tells people that something waits for them, and a periodic job that
runs every few minutes must not tell them twice. "Once" is held by the database (a unique constraint on
user, event and key), not by a read before the write, so two workers racing each other still send one.

Apps name their events with `register_event` in `AppConfig.ready()` so the preferences page can list them,
and call `notify` from services or periodic tasks. The kernel imports no app.

A periodic job that may owe tens of thousands of notices at once calls `notify_many` instead: the same rules
(once per user, event and key, held by the same constraint; e-mail only with an address and a yes), with one
read of the preferences for all recipients, one read and one INSERT per batch of a thousand, and the batch's
e-mails sent over one mail connection after it commits.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection, send_mail
from django.db import IntegrityError, connection, transaction

from xietong.core import clock
from xietong.core.models import Notification, NotificationPreference
from xietong.core.wording import Wording

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


def _record(subject: str, body: str) -> tuple[str, str, dict]:
    """What a notice stores: subject and body in Chinese (the record, and the e-mail), and for each given as a
    `Wording` its template and parameters, so that pages show it in the reader's language."""
    worded = {
        part: text.as_json()
        for part, text in (("subject", subject), ("body", body))
        if isinstance(text, Wording)
    }
    return (
        subject.zh() if isinstance(subject, Wording) else subject,
        body.zh() if isinstance(body, Wording) else body,
        worded,
    )


def notify(recipients: Iterable, *, event: str, key: str, subject: str, body: str = "", url: str = "") -> int:
    """Send one notification per recipient for (event, key) unless it was sent before; return how many are new.

    `subject` and `body` are plain text or `core.wording.Wording` (kept with its template and parameters).

    The e-mail leaves after the surrounding transaction commits, so a rolled-back caller sends nothing and a
    failed mail server leaves the notification marked for `send_pending_emails` to retry.
    """
    sent = 0
    moment = clock.now()
    subject, body, worded = _record(subject, body)
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
                    wording=worded,
                    created_at=moment,
                    email_wanted=wants_mail,
                )
        except IntegrityError:
            continue  # sent before: the unique constraint says so, whoever won the race
        sent += 1
        if wants_mail:
            transaction.on_commit(lambda pk=note.pk: _deliver(pk))
    return sent


@dataclass(frozen=True)
class Notice:
    """One message for `notify_many`: to one user (an object with `pk` and `email`); `subject` and `body` as
    for `notify`."""

    user: Any
    event: str
    key: str
    subject: str
    body: str = ""
    url: str = ""


BULK_BATCH = 1000
_IDS_PER_QUERY = 500


def notify_many(notices: Iterable[Notice], *, batch_size: int = BULK_BATCH) -> int:
    """Send each notice unless its (user, event, key) was sent before; return how many are new.

    The rules of `notify` in bulk: repeats in the input count once; each batch commits on its own (a failure
    later leaves earlier batches sent); a notice another worker inserted in the meantime is dropped by the
    unique constraint (``ignore_conflicts``), not sent twice; e-mails leave after their batch commits, and
    those that fail stay marked for `send_pending_emails`.
    """
    unique: dict[tuple[int, str, str], Notice] = {}
    for notice in notices:
        if notice.user is not None and notice.user.pk is not None:
            unique.setdefault((notice.user.pk, notice.event, notice.key[:120]), notice)
    if not unique:
        return 0
    items = sorted(unique.items(), key=lambda item: item[0])  # a batch holds few users: see `_insert_batch`
    no_mail = _mail_refused({k[0] for k in unique}, {k[1] for k in unique})
    moment = clock.now()
    return sum(
        _insert_batch(items[start : start + batch_size], no_mail, moment)
        for start in range(0, len(items), batch_size)
    )


def _mail_refused(user_ids: set[int], events: set[str]) -> set[tuple[int, str]]:
    """(user, event) pairs whose owner turned e-mail off: one query per 500 recipients."""
    ids, out = sorted(user_ids), set()
    for start in range(0, len(ids), _IDS_PER_QUERY):
        out |= set(
            NotificationPreference.objects.filter(  # tenancy-ok: the recipients' own preferences, read to deliver to them
                user_id__in=ids[start : start + _IDS_PER_QUERY], event__in=sorted(events), email=False
            ).values_list("user_id", "event")
        )
    return out


def _insert_batch(batch: list[tuple[tuple[int, str, str], Notice]], no_mail: set, moment) -> int:
    keys = {k for k, _ in batch}
    users, events = {k[0] for k in keys}, {k[1] for k in keys}

    def stored(**extra):
        # By user and event only (the unique index's first columns): adding `key IN (…)` makes SQLite probe
        # every combination of the three lists. Sorted input keeps a batch to a few users.
        return (
            Notification.objects.filter(  # tenancy-ok: the notices of this call's recipients, to skip repeats
                user_id__in=users, event__in=events, **extra
            )
        )

    with transaction.atomic():
        before = set(stored().values_list("user_id", "event", "key"))
        fresh = [(k, n) for k, n in batch if k not in before]
        if not fresh:
            return 0
        records: dict[tuple[int, int], tuple[str, str, dict]] = {}  # notices to many users share their texts
        for _k, n in fresh:
            if (id(n.subject), id(n.body)) not in records:
                records[id(n.subject), id(n.body)] = _record(n.subject, n.body)
        _insert_ignoring_repeats(
            [
                (k[0], k[1], k[2], (r := records[id(n.subject), id(n.body)])[0][:200], r[1], n.url[:300],
                 bool((getattr(n.user, "email", "") or "").strip()) and (k[0], k[1]) not in no_mail, r[2])
                for k, n in fresh
            ],
            moment,
        )  # fmt: skip
        # What this call inserted: the fresh keys stamped with this call's moment (a racing worker's rows,
        # which the constraint kept instead of ours, carry its own moment).
        wanted = {k for k, _ in fresh}
        mine = [
            (pk, mail)
            for pk, *key, mail in stored(created_at=moment).values_list("pk", "user_id", "event", "key", "email_wanted")
            if tuple(key) in wanted
        ]  # fmt: skip
        to_mail = [pk for pk, mail in mine if mail]
        if to_mail:
            transaction.on_commit(lambda: _deliver_many(to_mail))
    return len(mine)


_COLUMNS = ("user", "event", "key", "subject", "body", "url", "email_wanted", "wording", "created_at")


def _insert_ignoring_repeats(rows: list[tuple], moment) -> None:
    """INSERT … ON CONFLICT DO NOTHING (SQLite and PostgreSQL alike) in one executemany: the ORM's
    `bulk_create` spends most of its time preparing each of the values, which this does once per column."""
    if connection.vendor not in ("sqlite", "postgresql"):
        Notification.objects.bulk_create(  # tenancy-ok: the caller chose the recipients; this writes the messages
            [
                Notification(
                    user_id=u,
                    event=e,
                    key=k,
                    subject=s,
                    body=b,
                    url=url,
                    email_wanted=m,
                    wording=w,
                    created_at=moment,
                )
                for u, e, k, s, b, url, m, w in rows
            ],
            ignore_conflicts=True,
        )
        return
    quote, meta = connection.ops.quote_name, Notification._meta
    columns = ", ".join(quote(meta.get_field(name).column) for name in _COLUMNS)
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({', '.join(['%s'] * len(_COLUMNS))}) "
        "ON CONFLICT DO NOTHING"
    )
    at = connection.ops.adapt_datetimefield_value(moment)
    field = meta.get_field("wording")
    adapted: dict[int, Any] = {}  # one adaptation per distinct wording (shared by a notice's recipients)
    for row in rows:
        if id(row[-1]) not in adapted:
            adapted[id(row[-1])] = field.get_db_prep_save(row[-1], connection)
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(*row[:-1], adapted[id(row[-1])], at) for row in rows])


def _mail_text(note: Notification) -> str:
    text = note.body
    if note.url:
        base = getattr(settings, "XIETONG_SITE_URL", "").rstrip("/")
        text = f"{text}\n\n{base}{note.url}" if text else f"{base}{note.url}"
    return text


def _deliver_many(pks: list[int]) -> int:
    """E-mail these stored notices over one connection; mark those that left (the rest are retried later)."""
    sent: list[int] = []
    try:
        with get_connection() as connection:
            for start in range(0, len(pks), _IDS_PER_QUERY):
                notes = Notification.objects.select_related(
                    "user"
                ).filter(  # tenancy-ok: delivering stored messages to their own recipients
                    pk__in=pks[start : start + _IDS_PER_QUERY], emailed_at__isnull=True
                )
                for note in notes:
                    if not note.user.email:
                        continue
                    message = EmailMessage(
                        note.subject, _mail_text(note), settings.DEFAULT_FROM_EMAIL, [note.user.email],
                        connection=connection,
                    )  # fmt: skip
                    message.send()
                    sent.append(note.pk)
    except Exception:  # a mail server outage must not fail the caller; the next run retries the rest
        log.warning(
            "notifications: %s of %s e-mails sent before an error", len(sent), len(pks), exc_info=True
        )
    for start in range(0, len(sent), _IDS_PER_QUERY):
        Notification.objects.filter(pk__in=sent[start : start + _IDS_PER_QUERY]).update(
            emailed_at=clock.now()
        )  # tenancy-ok: marking the delivered messages
    return len(sent)


def _deliver(pk: int) -> bool:
    note = (
        Notification.objects.select_related("user").filter(pk=pk, emailed_at__isnull=True).first()
    )  # tenancy-ok: delivering a stored message to its own recipient
    if note is None or not note.user.email:
        return False
    text = _mail_text(note)
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
