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
