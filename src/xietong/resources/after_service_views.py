"""After the service, on the order page: the client's rating and the provider's sample tracking."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xietong.core.errors import Invalid
from xietong.resources import services


@require_POST
@login_required
def order_rate(request, order_id: int):
    raw = request.POST.get("score", "")
    if not raw.isdigit():
        raise Invalid(_("评分应为 1 至 5 的整数"))
    services.order_rate(
        actor=request.actor, order_id=order_id, score=int(raw), comment=request.POST.get("comment", "")
    )
    messages.success(request, _("感谢评价"))
    return redirect("resources:order-detail", order_id=order_id)


@require_POST
@login_required
def order_sample(request, order_id: int):
    order = services.order_sample_advance(
        actor=request.actor, order_id=order_id, state=request.POST.get("state", "")
    )
    messages.success(request, _("样品状态已更新为“%(state)s”") % {"state": order.get_sample_state_display()})
    return redirect("resources:order-detail", order_id=order_id)
