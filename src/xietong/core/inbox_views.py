"""The to-do centre, the notification list and the notification preferences: pages every role has."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xietong.core import notifications, todos
from xietong.core.ids import is_valid_id


@login_required
def landing(request):
    """Where a login lands: the zone office's cockpit, everyone else's to-do centre."""
    return redirect(todos.landing_url_name(request.actor))


@login_required
def todo_centre(request):
    sections = todos.sections(request.actor)
    return render(
        request,
        "core/todos.html",
        {"sections": sections, "total": sum(s["count"] for s in sections)},
    )


@login_required
def notification_list(request):
    qs = notifications.inbox(request.user.pk)
    if request.GET.get("unread") == "1":
        qs = qs.filter(read_at__isnull=True)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "core/notifications.html",
        {"page": page, "unread_only": request.GET.get("unread") == "1"},
    )


@require_POST
@login_required
def notification_read(request):
    raw = request.POST.getlist("id")
    ids = [int(v) for v in raw if v.isdigit() and is_valid_id(int(v))] if raw else None
    if raw and not ids:
        messages.error(request, _("未选择有效的通知"))
        return redirect("core:notifications")
    n = notifications.mark_read(request.user.pk, ids)
    messages.success(request, _("已标记 %(n)d 条为已读") % {"n": n})
    target = request.POST.get("next") or ""
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect("core:notifications")


@login_required
def notification_preferences(request):
    if request.method == "POST":
        notifications.set_preferences(request.user, request.POST.getlist("email"))
        messages.success(request, _("通知偏好已保存"))
        return redirect("core:notification-preferences")
    return render(
        request,
        "core/notification_preferences.html",
        {"prefs": notifications.preferences(request.user), "has_email": bool(request.user.email)},
    )
