"""The personal pages under /me/ in English (the language cookie): the to-do centre with the apps' section
labels, the notification list and the notification preferences with the apps' event labels."""

from __future__ import annotations

import pytest

from tests.clients import client_for
from tests.factories import OrganisationFactory, UserFactory, member
from xietong.core import notifications
from xietong.core.roles import Role
from xietong.orgs.enums import OrgStatus

pytestmark = pytest.mark.django_db


def english(user):
    client = client_for(user)
    client.cookies["django_language"] = "en"
    return client


def _body(client, url: str) -> str:
    answer = client.get(url)
    assert answer.status_code == 200
    body = answer.content.decode()
    assert '<html lang="en"' in body
    return body


def test_the_todo_centre_in_english_names_each_section_in_english():
    OrganisationFactory(name="嘉兴待审企业有限公司", region_id="330402", status=OrgStatus.PENDING)
    body = _body(english(member(Role.REGION_BUREAU, region_id="330400")), "/me/todos/")
    assert "To-do centre" in body and "Registrations awaiting review" in body
    assert "嘉兴待审企业有限公司" in body  # the item itself is data
    assert "待办中心" not in body and "待审核的机构注册" not in body


def test_an_idle_user_reads_that_nothing_waits_in_english():
    body = _body(english(UserFactory()), "/me/todos/")
    assert "Nothing waits for you." in body and "暂无待办事项" not in body


def test_the_notification_list_in_english():
    user = UserFactory()
    notifications.notify([user], event="coordination.assigned", key="k1", subject="新交办督办事项：示例")
    body = _body(english(user), "/me/notifications/")
    assert "Mark all read" in body and "Unread only" in body and "Mark read" in body
    assert "全部标记为已读" not in body and "标记已读" not in body
    assert "新交办督办事项：示例" in body  # a sent message is a record, kept as it was sent


def test_marking_read_answers_in_english():
    user = UserFactory()
    notifications.notify([user], event="coordination.assigned", key="k1", subject="示例")
    body = english(user).post("/me/notifications/read/", follow=True).content.decode()
    assert "1 marked read" in body and "已标记" not in body


def test_the_preferences_list_every_apps_event_in_english():
    body = _body(english(UserFactory(email="a@example.cn")), "/me/notifications/preferences/")
    assert "Notification preferences" in body
    for english_label, chinese in (
        ("Registrations awaiting review", "待审核的机构注册"),  # a to-do source of orgs
        ("Tasks: newly assigned", "督办事项：新交办"),  # an event of coordination
        ("Voucher applications to review", "待审核的创新券申领"),  # a to-do source of vouchers
    ):
        assert english_label in body and chinese not in body
