"""Domain errors: one code, one Chinese message, one HTTP status; rendered the same by API and pages."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    status = 400
    code = "invalid"
    default_message = "请求无效"

    def __init__(self, message: str | None = None, *, code: str | None = None, **detail: Any) -> None:
        self.message = message or self.default_message
        if code:
            self.code = code
        self.detail = detail
        super().__init__(self.message)

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "detail": self.detail}


class Invalid(DomainError):
    status = 400
    code = "invalid"
    default_message = "输入有误"


class Forbidden(DomainError):
    status = 403
    code = "forbidden"
    default_message = "您无权执行此操作"


class NotFound(DomainError):
    status = 404
    code = "not_found"
    default_message = "记录不存在"


class Conflict(DomainError):
    status = 409
    code = "conflict"
    default_message = "操作与当前状态冲突"
