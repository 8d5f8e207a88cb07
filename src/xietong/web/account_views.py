"""我的账号: roles, personal API tokens, password change and reset, and the login lockout page.

The token secret is rendered once, in the response to the POST that creates it, with `no-store`; it never
travels through the session or the messages cookie (which is signed, not encrypted).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from xietong.core import acting, audit, tokens
from xietong.core.actor import actor_for
from xietong.core.errors import DomainError, NotFound
from xietong.orgs import selectors
from xietong.web import forms

LOCKED_MESSAGE = (
    "登录失败次数过多，该账号已在本机暂时锁定，请 {minutes} 分钟后再试；忘记密码可通过“忘记密码”重置。"
)


def _me_context(request, **extra) -> dict:
    return {
        "memberships": selectors.memberships_of(actor=request.actor),
        "tokens": tokens.token_list(user=request.user),
        "token_form": forms.TokenForm(),
        # a member of organisations none of which is verified yet is told why it cannot act
        "held_back": acting.is_held_back(request.actor),
        **extra,
    }


@require_GET
@login_required
def me(request):
    return render(request, "accounts/me.html", _me_context(request))


@require_POST
@login_required
def token_create(request):
    """Creates a token and shows its secret in this response only (never cached, never stored)."""
    form = forms.TokenForm(request.POST)
    status, extra = 400, {}
    if not form.is_valid():
        form.errors["name"] = form.error_class([_("请填写令牌名称（不超过 80 个字符）")])
    else:
        try:
            token, secret = tokens.token_create(user=request.user, name=form.cleaned_data["name"])
        except DomainError as exc:
            form.add_error("name", exc.message)
            status = exc.status
        else:
            status, extra = 201, {"new_token": token, "new_secret": secret}
    response = render(
        request, "accounts/me.html", _me_context(request, token_form=form, **extra), status=status
    )
    add_never_cache_headers(response)
    return response


@require_POST
@login_required
def token_revoke(request, token_id: int):
    token = tokens.token_revoke(user=request.user, token_id=token_id)
    if token is None:
        raise NotFound(_("令牌不存在或已吊销"))
    messages.success(request, _("已吊销令牌“%(name)s”，使用它的脚本将无法再访问 API") % {"name": token.name})
    return redirect("me")


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change_form.html"
    success_url = reverse_lazy("password-change-done")

    def form_valid(self, form):
        response = super().form_valid(form)
        audit.record(actor=actor_for(self.request.user), verb="account.password_changed", target=form.user)
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("password-reset-complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        audit.record(actor=actor_for(form.user), verb="account.password_reset", target=form.user)
        return response


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a locked username + address: the login page with the reason, status 429."""
    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    # Unbound: binding would validate, and validating calls `authenticate` again.
    form = AuthenticationForm(request, initial={"username": request.POST.get("username", "")[:150]})
    context = {"form": form, "locked_message": LOCKED_MESSAGE.format(minutes=minutes)}
    return render(request, "registration/login.html", context, status=429)
