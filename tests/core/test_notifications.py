"""Notifications: once per (user, event, key), in-app always, e-mail only with an address and a yes."""

from __future__ import annotations

import pytest
from django.core import mail

from tests.clients import client_for
from tests.factories import UserFactory
from xietong.core import notifications
from xietong.core.models import Notification, NotificationPreference

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _event():
    notifications.register_event("test.event", "测试事件")


def _send(users, key="k1", **extra):
    return notifications.notify(
        users, event="test.event", key=key, subject="有一件事", body="请处理", **extra
    )


def test_ten_runs_send_each_notification_once(django_capture_on_commit_callbacks):
    user = UserFactory(email="a@example.com")
    sent = []
    for _ in range(10):
        with django_capture_on_commit_callbacks(execute=True):
            sent.append(_send([user], url="/x/"))
    assert sent == [1] + [0] * 9
    assert Notification.objects.filter(user=user).count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["a@example.com"]
    assert "/x/" in mail.outbox[0].body
    assert Notification.objects.get(user=user).emailed_at is not None


def test_user_without_email_gets_in_app_only(django_capture_on_commit_callbacks):
    user = UserFactory(email="")
    with django_capture_on_commit_callbacks(execute=True):
        assert _send([user]) == 1
    assert mail.outbox == []
    note = Notification.objects.get(user=user)
    assert note.email_wanted is False
    assert notifications.unread_count(user.pk) == 1


def test_preference_off_means_no_mail(django_capture_on_commit_callbacks):
    user = UserFactory(email="b@example.com")
    notifications.set_preferences(user, [])
    assert NotificationPreference.objects.get(user=user, event="test.event").email is False
    with django_capture_on_commit_callbacks(execute=True):
        assert _send([user]) == 1
    assert mail.outbox == []


def test_distinct_keys_and_users_each_count(django_capture_on_commit_callbacks):
    a, b = UserFactory(email="a@example.com"), UserFactory(email="")
    with django_capture_on_commit_callbacks(execute=True):
        assert _send([a, b, a], key="k1") == 2
        assert _send([a, b], key="k2") == 2
        assert _send([a, b], key="k1") == 0
    assert len(mail.outbox) == 2


def test_failed_mail_is_retried_by_the_periodic_job(settings, django_capture_on_commit_callbacks):
    from xietong.core.tasks import retry_notification_emails

    user = UserFactory(email="c@example.com")
    settings.EMAIL_BACKEND = "tests.core.failing_mail.Backend"
    with django_capture_on_commit_callbacks(execute=True):
        _send([user])
    assert Notification.objects.get(user=user).emailed_at is None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    for _ in range(10):
        retry_notification_emails.call_local()
    assert len(mail.outbox) == 1
    assert Notification.objects.get(user=user).emailed_at is not None


def test_mark_read_touches_only_own():
    a, b = UserFactory(), UserFactory()
    _send([a, b])
    theirs = Notification.objects.get(user=b)
    assert notifications.mark_read(a.pk, [theirs.pk]) == 0
    assert notifications.mark_read(a.pk) == 1
    assert notifications.unread_count(b.pk) == 1


def test_pages_list_and_mark_read():
    user = UserFactory()
    other = UserFactory()
    _send([user, other], url="/vouchers/")
    client = client_for(user)
    page = client.get("/me/notifications/")
    assert page.status_code == 200
    assert "有一件事" in page.content.decode()
    mine = Notification.objects.get(user=user)
    theirs = Notification.objects.get(user=other)
    assert client.post("/me/notifications/read/", {"id": [str(theirs.pk)]}).status_code == 302
    theirs.refresh_from_db()
    assert theirs.read_at is None
    client.post("/me/notifications/read/", {"id": [str(mine.pk)]})
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert client.post("/me/notifications/read/", {"id": ["abc"]}).status_code == 302
    assert client_for(None).get("/me/notifications/").status_code == 302


def test_preferences_page_saves():
    user = UserFactory(email="d@example.com")
    client = client_for(user)
    assert "测试事件" in client.get("/me/notifications/preferences/").content.decode()
    client.post("/me/notifications/preferences/", {"email": []})
    assert notifications.preferences(user) and not any(
        p["email"] for p in notifications.preferences(user) if p["event"] == "test.event"
    )
    client.post("/me/notifications/preferences/", {"email": ["test.event"]})
    assert next(p for p in notifications.preferences(user) if p["event"] == "test.event")["email"] is True


def test_api_inbox():
    user = UserFactory()
    _send([user])
    client = client_for(user)
    rows = client.get("/api/v1/inbox/notifications?unread=true").json()
    assert [r["subject"] for r in rows] == ["有一件事"]
    out = client.post(
        "/api/v1/inbox/notifications/read", {"ids": [rows[0]["id"]]}, content_type="application/json"
    )
    assert out.json() == {"marked": 1, "unread": 0}
    prefs = client.put(
        "/api/v1/inbox/preferences", {"email_events": []}, content_type="application/json"
    ).json()
    assert next(p for p in prefs if p["event"] == "test.event")["email"] is False
    assert client_for(None).get("/api/v1/inbox/notifications").status_code == 401


# -- the bulk path (`notify_many`, for periodic jobs) ---------------------------------------------------


def _many(users, key="k1"):
    return notifications.notify_many(
        [notifications.Notice(user=u, event="test.event", key=key, subject="批量事项") for u in users]
    )


def test_bulk_ten_runs_send_each_notice_once(django_capture_on_commit_callbacks):
    users = [UserFactory(email=f"bulk{i}@example.com") for i in range(5)]
    sent = []
    for _ in range(10):
        with django_capture_on_commit_callbacks(execute=True):
            sent.append(
                notifications.notify_many(
                    [notifications.Notice(user=u, event="test.event", key="k1", subject="批量事项", url="/y/")
                     for u in [*users, users[0]]],
                    batch_size=2,
                )
            )  # fmt: skip
    assert sent == [5] + [0] * 9
    assert Notification.objects.filter(event="test.event").count() == 5
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in users)
    assert all("/y/" in m.body for m in mail.outbox)
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()


def test_bulk_user_without_email_gets_in_app_only(django_capture_on_commit_callbacks):
    with_mail, without = UserFactory(email="e@example.com"), UserFactory(email="")
    with django_capture_on_commit_callbacks(execute=True):
        assert _many([with_mail, without]) == 2
    assert [m.to for m in mail.outbox] == [["e@example.com"]]
    note = Notification.objects.get(user=without)
    assert (note.email_wanted, note.emailed_at) == (False, None)
    assert notifications.unread_count(without.pk) == 1


def test_bulk_respects_preferences_and_what_notify_sent(django_capture_on_commit_callbacks):
    off, on = UserFactory(email="f@example.com"), UserFactory(email="g@example.com")
    notifications.set_preferences(off, [])
    with django_capture_on_commit_callbacks(execute=True):
        assert _send([on], key="k1") == 1  # the one-at-a-time path sent k1 to `on` already
        assert _many([off, on], key="k1") == 1
    assert sorted(m.to[0] for m in mail.outbox) == ["g@example.com"]
    assert Notification.objects.get(user=off).email_wanted is False


def test_bulk_failed_mail_is_retried_later(settings, django_capture_on_commit_callbacks):
    user = UserFactory(email="h@example.com")
    settings.EMAIL_BACKEND = "tests.core.failing_mail.Backend"
    with django_capture_on_commit_callbacks(execute=True):
        assert _many([user]) == 1
    assert Notification.objects.get(user=user).emailed_at is None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert notifications.send_pending_emails() == 1
    assert len(mail.outbox) == 1


def test_bulk_rolled_back_caller_sends_nothing(django_capture_on_commit_callbacks):
    from django.db import transaction

    user = UserFactory(email="i@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                _many([user])
                raise RuntimeError("caller fails")
        except RuntimeError:
            pass
    assert not Notification.objects.filter(user=user).exists()
    assert mail.outbox == []
