"""The caller's to-dos, notifications and notification preferences (mounted at /api/v1/inbox)."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Query, Router, Schema
from pydantic import Field

from xietong.core import notifications, todos
from xietong.core.api import AUTH
from xietong.core.ids import MAX_ID

router = Router(tags=["inbox"])


class TodoItemOut(Schema):
    title: str
    url: str
    due: date | None
    detail: str


class TodoSectionOut(Schema):
    key: str
    label: str
    count: int
    items: list[TodoItemOut]


class NotificationOut(Schema):
    id: int
    event: str
    subject: str
    body: str
    url: str
    created_at: datetime
    read_at: datetime | None

    @staticmethod
    def resolve_subject(note) -> str:  # in the caller's language, like the page
        return note.shown_subject

    @staticmethod
    def resolve_body(note) -> str:
        return note.shown_body


class NotificationQuery(Schema):
    unread: bool = False
    limit: int = Field(50, ge=1, le=200)


class ReadIn(Schema):
    ids: list[int] | None = Field(None, max_length=500, description="为空时全部标记为已读")


class ReadOut(Schema):
    marked: int
    unread: int


class PreferenceOut(Schema):
    event: str
    label: str
    email: bool


class PreferencesIn(Schema):
    email_events: list[str] = Field(default_factory=list, max_length=200)


@router.get("/todos", response=list[TodoSectionOut], auth=AUTH, summary="我的待办（按类别，含数量）")
def todo_list(request, limit: int = Query(20, ge=1, le=100)):
    return [
        {**s, "items": [i.__dict__ for i in s["items"]]} for s in todos.sections(request.actor, limit=limit)
    ]


@router.get("/notifications", response=list[NotificationOut], auth=AUTH, summary="我的通知")
def notification_list(request, q: Query[NotificationQuery]):
    qs = notifications.inbox(request.user.pk)
    if q.unread:
        qs = qs.filter(read_at__isnull=True)
    return list(qs[: q.limit])


@router.post("/notifications/read", response=ReadOut, auth=AUTH, summary="标记通知为已读")
def notification_read(request, payload: ReadIn):
    ids = None if payload.ids is None else [i for i in payload.ids if 0 < i <= MAX_ID]
    marked = notifications.mark_read(request.user.pk, ids)
    return {"marked": marked, "unread": notifications.unread_count(request.user.pk)}


@router.get("/preferences", response=list[PreferenceOut], auth=AUTH, summary="通知偏好（哪些事件发邮件）")
def preference_list(request):
    return notifications.preferences(request.user)


@router.put("/preferences", response=list[PreferenceOut], auth=AUTH, summary="设置通知偏好")
def preference_set(request, payload: PreferencesIn):
    notifications.set_preferences(request.user, payload.email_events)
    return notifications.preferences(request.user)
