"""The demo: deterministic, idempotent, every state present, and the walkthrough accounts work."""

from __future__ import annotations

from collections import Counter

from xietong.coordination import demo
from xietong.coordination.enums import Light, TaskStatus
from xietong.coordination.models import Agreement, Body, MajorItem, Task
from xietong.orgs import demo as orgs_demo


def test_demo_has_every_state_and_loads_once(db, frozen_clock, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    orgs_demo.load()
    message = demo.load()
    assert "督办事项 60 项" in message
    assert demo.load() == "联席会议与督办演示数据已存在，未重复写入"
    statuses = Counter(Task.objects.values_list("status", flat=True))
    lights = Counter(Task.objects.values_list("light", flat=True))
    assert set(statuses) == set(TaskStatus.values)
    assert set(lights) == set(Light.values)
    assert Task.objects.exclude(metric_key="").count() >= 8
    assert Task.objects.filter(light_reason="节点未按期完成").exists()
    assert (Body.objects.count(), Agreement.objects.count(), MajorItem.objects.count()) == (3, 2, 5)
    assert Task.objects.filter(status=TaskStatus.COMPLETED, completed_on__gt=models_deadline()).exists()


def models_deadline():
    from django.db.models import F

    return F("deadline")
