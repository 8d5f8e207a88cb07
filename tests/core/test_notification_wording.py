"""Notifications keep how they were worded (template and parameters, `core.wording`) next to the Chinese
record, and the notification page and API word them in the reader's language; rows stored without a
template show as stored."""

from __future__ import annotations

import pytest
from django.utils import translation
from django.utils.translation import gettext_lazy, gettext_noop

from tests.clients import client_for
from tests.factories import UserFactory
from xietong.core import notifications, todos
from xietong.core.models import Notification
from xietong.core.wording import Wording

pytestmark = pytest.mark.django_db

ACCEPTED = gettext_noop("进展已验收：%(title)s")
PROGRESS = gettext_noop("验收进度 %(percent)s%%。")
APPLIES = gettext_noop("申领 %(amount)s")


def reader(user, language: str):
    client = client_for(user)
    client.cookies["django_language"] = language
    return client


def _page(user, language: str) -> str:
    answer = reader(user, language).get("/me/notifications/")
    assert answer.status_code == 200
    return answer.content.decode()


def test_a_wording_is_the_text_in_the_active_language_and_keeps_its_chinese_record():
    with translation.override("en"):
        worded = Wording(APPLIES, {"amount_fen": 112000})
        assert (str(worded), worded.zh()) == ("Applies for 1,120.00 yuan", "申领 1,120.00 元")


def test_a_wording_stores_labels_and_nested_wordings_as_templates():
    worded = Wording(
        gettext_noop("%(label)s：%(title)s"),
        {"label": gettext_lazy("待审核的兑付申请"), "title": Wording(APPLIES, {"amount_fen": 5})},
    )
    assert worded.as_json() == {
        "template": "%(label)s：%(title)s",
        "params": {
            "label": {"template": "待审核的兑付申请", "params": {}},
            "title": {"template": "申领 %(amount)s", "params": {"amount_fen": 5}},
        },
    }
    with translation.override("en"):
        assert worded.zh() == "待审核的兑付申请：申领 0.05 元"


def test_notify_stores_the_chinese_text_and_its_template_and_parameters():
    user = UserFactory()
    with translation.override("en"):  # whoever sends, the record is Chinese
        notifications.notify(
            [user], event="coordination.accepted", key="r1",
            subject=Wording(ACCEPTED, {"title": "成渝联合攻关"}), body=Wording(PROGRESS, {"percent": 60}),
        )  # fmt: skip
    note = Notification.objects.get(user=user)
    assert (note.subject, note.body) == ("进展已验收：成渝联合攻关", "验收进度 60%。")
    assert note.wording == {
        "subject": {"template": ACCEPTED, "params": {"title": "成渝联合攻关"}},
        "body": {"template": PROGRESS, "params": {"percent": 60}},
    }


def test_notify_many_stores_the_template_too():
    users = UserFactory.create_batch(2)
    subject = Wording(APPLIES, {"amount_fen": 112000})
    notifications.notify_many(
        [notifications.Notice(user=u, event="todo.x", key="k", subject=subject, body="原文") for u in users]
    )
    notes = list(Notification.objects.filter(user__in=users))
    assert [(n.subject, n.body) for n in notes] == [("申领 1,120.00 元", "原文")] * 2
    assert [n.wording for n in notes] == [{"subject": subject.as_json()}] * 2


def _accepted_notice(user) -> None:
    notifications.notify(
        [user], event="coordination.accepted", key="r1", url="/x/",
        subject=Wording(ACCEPTED, {"title": "成渝联合攻关"}), body=Wording(PROGRESS, {"percent": 60}),
    )  # fmt: skip


def test_the_page_words_a_notice_in_english_for_an_english_reader():
    user = UserFactory()
    _accepted_notice(user)
    body = _page(user, "en")
    assert "Progress accepted: 成渝联合攻关" in body and "Accepted at 60%." in body
    assert "进展已验收" not in body and "验收进度" not in body


def test_the_page_words_it_in_chinese_for_a_chinese_reader():
    user = UserFactory()
    _accepted_notice(user)
    body = _page(user, "zh-hans")
    assert "进展已验收：成渝联合攻关" in body and "验收进度 60%。" in body


def test_a_notice_stored_without_its_template_shows_as_stored():
    user = UserFactory()
    notifications.notify(
        [user], event="coordination.accepted", key="old", subject="进展已验收：旧事项", body="旧正文"
    )
    assert Notification.objects.get(user=user).wording == {}
    body = _page(user, "en")
    assert "进展已验收：旧事项" in body and "旧正文" in body


def test_the_api_words_notices_in_the_callers_language():
    user = UserFactory()
    _accepted_notice(user)
    answer = reader(user, "en").get("/api/v1/inbox/notifications", HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 200
    (row,) = answer.json()
    assert (row["subject"], row["body"]) == ("Progress accepted: 成渝联合攻关", "Accepted at 60%.")


@pytest.fixture
def claims():
    saved = dict(todos._SOURCES)
    todos.register(
        todos.TodoSource(
            key="test.claims",
            label=gettext_lazy("待审核的兑付申请"),
            count=lambda actor: 1,
            items=lambda actor, limit: [
                todos.TodoItem("嘉兴某企业", "/claims/1/", detail=Wording(APPLIES, {"amount_fen": 112000}))
            ],
        )
    )
    yield
    todos._SOURCES.clear()
    todos._SOURCES.update(saved)


def test_a_todo_notice_is_worded_in_the_readers_language(claims):
    user = UserFactory()
    todos.notify_waiting([user])
    note = Notification.objects.get(user=user, event="todo.test.claims")
    assert (note.subject, note.body) == ("待审核的兑付申请：嘉兴某企业", "申领 1,120.00 元")
    body = _page(user, "en")
    assert "Redemption claims to review: 嘉兴某企业" in body and "Applies for 1,120.00 yuan" in body
    assert "待审核的兑付申请" not in body and "1,120.00 元" not in body


def test_the_chinese_record_of_a_label_or_a_wording_whatever_the_active_language():
    from xietong.core.wording import zh

    with translation.override("en"):
        assert zh(gettext_lazy("待审核的兑付申请")) == "待审核的兑付申请"
        assert zh(Wording(APPLIES, {"amount_fen": 100})) == "申领 1.00 元"
        assert zh("用户的说明") == "用户的说明"
