"""API plumbing shared by every app's router: auth (session or personal token), errors, validation messages
(中文 msgids, translated into the request's language)."""

from __future__ import annotations

from typing import Any

from django.db import DataError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Status
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import APIKeyHeader, HttpBearer, SessionAuth

from xietong.core.actor import ANONYMOUS, actor_for
from xietong.core.errors import DomainError, Invalid
from xietong.core.excel import ImportReport
from xietong.core.tokens import token_user

# pydantic error type → 中文 template; a test asserts every type pydantic can raise here has an entry.
VALIDATION_MESSAGES: dict[str, str] = {
    "missing": gettext_lazy("缺少必填项"),
    "string_type": gettext_lazy("应为文本"),
    "string_too_short": gettext_lazy("内容过短"),
    "string_too_long": gettext_lazy("内容过长"),
    "string_pattern_mismatch": gettext_lazy("格式不正确"),
    "int_type": gettext_lazy("应为整数"),
    "int_parsing": gettext_lazy("应为整数"),
    "int_from_float": gettext_lazy("应为整数，不能有小数"),
    "float_type": gettext_lazy("应为数字"),
    "float_parsing": gettext_lazy("应为数字"),
    "bool_type": gettext_lazy("应为是/否"),
    "bool_parsing": gettext_lazy("应为是/否"),
    "greater_than": gettext_lazy("数值过小"),
    "greater_than_equal": gettext_lazy("数值过小"),
    "less_than": gettext_lazy("数值过大"),
    "less_than_equal": gettext_lazy("数值过大"),
    "literal_error": gettext_lazy("取值不在允许范围内"),
    "enum": gettext_lazy("取值不在允许范围内"),
    "list_type": gettext_lazy("应为列表"),
    "dict_type": gettext_lazy("应为对象"),
    "model_type": gettext_lazy("应为对象"),
    "model_attributes_type": gettext_lazy("应为对象"),
    "json_invalid": gettext_lazy("JSON 格式错误"),
    "json_type": gettext_lazy("JSON 格式错误"),
    "date_type": gettext_lazy("应为日期"),
    "date_parsing": gettext_lazy("日期格式应为 YYYY-MM-DD"),
    "date_from_datetime_parsing": gettext_lazy("日期格式应为 YYYY-MM-DD"),
    "datetime_type": gettext_lazy("应为日期时间"),
    "datetime_parsing": gettext_lazy("日期时间格式不正确"),
    "datetime_from_date_parsing": gettext_lazy("日期时间格式不正确"),
    "value_error": gettext_lazy("取值无效"),
    "too_short": gettext_lazy("条目过少"),
    "too_long": gettext_lazy("条目过多"),
    "extra_forbidden": gettext_lazy("不允许的字段"),
    "union_tag_invalid": gettext_lazy("类型不正确"),
    "string_unicode": gettext_lazy("文本编码不正确"),
    "uuid_parsing": gettext_lazy("标识格式不正确"),
    "decimal_parsing": gettext_lazy("应为数字"),
    "decimal_type": gettext_lazy("应为数字"),
    "finite_number": gettext_lazy("应为有限数字"),
    "bytes_type": gettext_lazy("应为文件"),
    "none_required": gettext_lazy("应为空"),
    "is_instance_of": gettext_lazy("类型不正确"),
}


def validation_message(error: dict[str, Any]) -> str:
    where = ".".join(
        str(p) for p in error.get("loc", ()) if p not in ("body", "query", "path", "payload", "form")
    )
    text = str(VALIDATION_MESSAGES.get(error.get("type", ""), _("取值无效")))
    return _("%(where)s：%(text)s") % {"where": where, "text": text} if where else text


class SessionActorAuth(SessionAuth):
    """Browser session; unsafe methods need the CSRF token as usual."""

    def authenticate(self, request: HttpRequest, key: str | None):
        user = super().authenticate(request, key)
        if user:
            request.actor = actor_for(user)
        return user


class TokenAuth(HttpBearer):
    """`Authorization: Bearer xt_…` personal token for scripts."""

    def authenticate(self, request: HttpRequest, token: str):
        user = token_user(token)
        if user is None:
            return None
        request.user = user
        request.actor = actor_for(user)
        return user


class TokenHeaderAuth(APIKeyHeader):
    param_name = "X-API-Token"

    def authenticate(self, request: HttpRequest, key: str | None):
        return TokenAuth().authenticate(request, key or "")


class PublicAuth:
    """Last in the chain: lets anonymous visitors through as ANONYMOUS for the public reads."""

    openapi_type = None

    def __call__(self, request: HttpRequest):
        if not getattr(request, "actor", None) or getattr(request.actor, "user_id", None) is None:
            request.actor = ANONYMOUS
        return True


AUTH = [TokenAuth(), TokenHeaderAuth(), SessionActorAuth()]
AUTH_OR_PUBLIC = [*AUTH, PublicAuth()]


def import_created(report: ImportReport) -> Status:
    """The answer of every all-or-nothing import endpoint: 201 with the report, or 400 naming every bad row."""
    if not report.ok:
        raise Invalid(
            _("共 %(n_bad_rows)s 行有误，未写入任何数据") % {"n_bad_rows": len(report.bad_rows) or 1},
            code="import_rejected",
            **report.as_dict(),
        )
    return Status(201, report.as_dict())


def install_error_handlers(api) -> None:
    @api.exception_handler(DomainError)
    def _domain(request, exc: DomainError):
        return api.create_response(request, exc.as_dict(), status=exc.status)

    @api.exception_handler(ValidationError)
    def _validation(request, exc: ValidationError):
        errors = [
            {"field": ".".join(str(p) for p in e.get("loc", ())), "message": validation_message(e)}
            for e in exc.errors
        ]
        message = _("；").join(e["message"] for e in errors[:5]) or _("输入有误")
        return api.create_response(
            request, {"code": "invalid", "message": message, "detail": {"errors": errors}}, status=422
        )

    @api.exception_handler(AuthenticationError)
    def _auth(request, exc):
        return api.create_response(
            request,
            {"code": "unauthenticated", "message": _("请先登录或提供有效的 API 令牌"), "detail": {}},
            status=401,
        )

    @api.exception_handler(OverflowError)
    def _overflow(request, exc):
        # An id beyond the database's integer range cannot name a record (SQLite raises OverflowError).
        return api.create_response(
            request, {"code": "not_found", "message": _("记录不存在"), "detail": {}}, status=404
        )

    @api.exception_handler(DataError)
    def _data_error(request, exc):
        # PostgreSQL's answer to the same out-of-range id, or a value the column cannot hold.
        return api.create_response(
            request, {"code": "invalid", "message": _("输入的数值超出允许范围"), "detail": {}}, status=400
        )

    @api.exception_handler(HttpError)
    def _http(request, exc: HttpError):
        message = {404: _("记录不存在"), 405: _("不支持的请求方法")}.get(exc.status_code, str(exc))
        return api.create_response(
            request, {"code": "http_error", "message": message, "detail": {}}, status=exc.status_code
        )
