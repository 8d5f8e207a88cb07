"""The actor builder is named by a setting, so the kernel builds `request.actor` without importing an app."""

from __future__ import annotations

import pytest
from django.test import override_settings

from tests.factories import member
from xietong.core.actor import ANONYMOUS, Actor, actor_for
from xietong.core.roles import Role

pytestmark = pytest.mark.django_db

CALLS: list[int] = []


def recording_builder(*, user) -> Actor:
    CALLS.append(user.pk)
    return Actor(user_id=user.pk, username="built-by-the-test")


def test_the_default_builder_is_the_orgs_one():
    # given
    user = member(Role.REGION_BUREAU, region_id="310000")
    # when
    actor = actor_for(user)
    # then
    assert actor.user_id == user.pk
    assert actor.governs_region("310000")


def test_the_setting_names_the_builder():
    # given
    user = member(Role.REGION_BUREAU, region_id="310000")
    CALLS.clear()
    # when
    with override_settings(XIETONG_ACTOR_BUILDER=f"{__name__}.recording_builder"):
        actor = actor_for(user)
    # then
    assert actor == Actor(user_id=user.pk, username="built-by-the-test")
    assert CALLS == [user.pk]


def test_anonymous_users_never_reach_the_builder():
    CALLS.clear()
    with override_settings(XIETONG_ACTOR_BUILDER=f"{__name__}.recording_builder"):
        assert actor_for(None) is ANONYMOUS
    assert CALLS == []
