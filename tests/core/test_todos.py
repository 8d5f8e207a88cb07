"""The to-do registry and centre: sources counted per actor, shown on one page, the landing redirect."""

from __future__ import annotations

import pytest

from tests.clients import client_for
from tests.factories import UserFactory
from xietong.core import todos

pytestmark = pytest.mark.django_db


@pytest.fixture
def source():
    saved = dict(todos._SOURCES)
    todos.register(
        todos.TodoSource(
            key="test.things",
            label="测试待办",
            count=lambda actor: 3 if actor.username == "busy" else 0,
            items=lambda actor, limit: [todos.TodoItem(f"事项{i}", f"/x/{i}/") for i in range(3)][:limit],
        )
    )
    yield
    todos._SOURCES.clear()
    todos._SOURCES.update(saved)


def test_centre_shows_counts_and_items(source):
    client = client_for(UserFactory(username="busy"))
    body = client.get("/me/todos/").content.decode()
    assert "测试待办" in body and "事项2" in body and 'href="/x/1/"' in body
    assert 'data-testid="todo-total">3<' in body


def test_idle_user_sees_nothing_waiting(source):
    body = client_for(UserFactory(username="idle")).get("/me/todos/").content.decode()
    assert "测试待办" not in body
    assert "暂无待办事项" in body


def test_login_lands_on_todos_or_registered_landing(source):
    user = UserFactory(username="busy")
    client = client_for(user)
    assert client.get("/me/start/")["Location"] == "/me/todos/"
    saved = list(todos._LANDINGS)
    todos.register_landing("home", lambda actor: actor.username == "busy", order=1)
    try:
        assert client.get("/me/start/")["Location"] == "/"
    finally:
        todos._LANDINGS[:] = saved


def test_api_todos(source):
    rows = client_for(UserFactory(username="busy")).get("/api/v1/inbox/todos?limit=2").json()
    keys = [r["key"] for r in rows]
    assert "test.things" in keys
    row = next(r for r in rows if r["key"] == "test.things")
    assert row["count"] == 3 and len(row["items"]) == 2


def test_periodic_job_ten_runs_announce_each_item_once(source, django_capture_on_commit_callbacks):
    from django.core import mail

    from xietong.core.models import Notification
    from xietong.core.tasks import announce_todos

    busy = UserFactory(username="busy", email="busy@example.com")
    UserFactory(username="idle", email="idle@example.com")
    for _ in range(10):
        with django_capture_on_commit_callbacks(execute=True):
            announce_todos.call_local()
    notes = Notification.objects.filter(event="todo.test.things")
    assert sorted(n.url for n in notes) == ["/x/0/", "/x/1/", "/x/2/"]
    assert {n.user_id for n in notes} == {busy.pk}
    assert len([m for m in mail.outbox if m.to == ["busy@example.com"]]) == 3


def test_menu_badges_come_after_the_page(source):
    client = client_for(UserFactory(username="busy"))
    page = client.get("/me/todos/").content.decode()
    assert 'hx-get="/me/badge/todos/"' in page
    assert ">3</span>" in client.get("/me/badge/todos/").content.decode()
    assert client.get("/me/badge/notifications/").content == b""
    assert client_for(None).get("/me/badge/todos/").content == b""
