"""Pages: thin, the same services and selectors as the API."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from xietong.core import tokens
from xietong.orgs import selectors
from xietong.regions import selectors as region_selectors
from xietong.web import forms
from xietong.web import selectors as web_selectors


@require_GET
def home(request):
    zones = web_selectors.zone_headlines()
    return render(request, "web/home.html", {"zones": zones, "zones_json": zones})


@require_GET
def zone_detail(request, code: str):
    zone = region_selectors.zone_get(zone_id_or_code=code)
    codes = region_selectors.zone_region_codes(zone)
    by_kind = selectors.counts_by_kind(region_codes=codes)
    members = list(zone.memberships.select_related("region", "region__parent").order_by("region_id"))
    context = {
        "zone": zone,
        "members": members,
        "by_kind": by_kind,
        "org_total": sum(r["count"] for r in by_kind),
        "index_runs": web_selectors.zone_published_runs(actor=request.actor, zone=zone),
    }
    return render(request, "web/zone.html", context)


@require_GET
@login_required
def me(request):
    return render(
        request,
        "web/me.html",
        {
            "memberships": selectors.memberships_of(actor=request.actor),
            "tokens": request.user.api_tokens.filter(revoked_at__isnull=True).order_by(
                "-id"
            ),  # tenancy-ok: the signed-in user's own tokens
            "token_form": forms.TokenForm(),
        },
    )


@require_POST
@login_required
def token_create(request):
    form = forms.TokenForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写令牌名称（不超过 80 个字符）")
        return redirect("me")
    _, secret = tokens.token_create(user=request.user, name=form.cleaned_data["name"])
    messages.warning(request, f"新令牌（只显示这一次，请妥善保存）：{secret}")
    return redirect("me")


@require_GET
def region_lookup(request):
    """Autocomplete for region inputs: name, pinyin, initials or code."""
    q = (request.GET.get("q") or request.GET.get("region_q") or "").strip()[
        :30
    ]  # the directory sends region_q
    results = region_selectors.region_lookup(q=q, limit=15) if q else []
    return JsonResponse({"results": [{"code": r.code, "name": r.name, "level": r.level} for r in results]})
