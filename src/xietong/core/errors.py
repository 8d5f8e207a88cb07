"""Domain errors: one code, one message, one HTTP status; rendered the same by API and pages.

Messages are Chinese msgids translated where they are raised (`_("…%(name)s…") % {…}`), inside the request
whose language is active; class defaults are `gettext_lazy` and resolve when read.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy


class DomainError(Exception):
    status = 400
    code = "invalid"
    default_message = gettext_lazy("请求无效")

    def __init__(self, message: str | None = None, *, code: str | None = None, **detail: Any) -> None:
        self._message = message or self.default_message
        if code:
            self.code = code
        self.detail = detail
        super().__init__(self.message)

    @property
    def message(self) -> str:
        """The text in the language active now: a lazy default (or policy denial) resolves when shown."""
        return str(self._message)

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "detail": self.detail}


class Invalid(DomainError):
    status = 400
    code = "invalid"
    default_message = gettext_lazy("输入有误")


class Forbidden(DomainError):
    status = 403
    code = "forbidden"
    default_message = gettext_lazy("您无权执行此操作")


class NotFound(DomainError):
    status = 404
    code = "not_found"
    default_message = gettext_lazy("记录不存在")


class Conflict(DomainError):
    status = 409
    code = "conflict"
    default_message = gettext_lazy("操作与当前状态冲突")
