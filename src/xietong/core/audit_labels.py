"""Chinese labels of audit verbs: people read 操作记录 as 「确认订单」, never as `order.confirmed`.

Each app registers the labels of the verbs its services record (`<app>/audit_verbs.py`, registered in
`AppConfig.ready()`); `tests/core/test_audit_labels.py` fails when a verb is recorded without a label.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

_LABELS: dict[str, str | Promise] = {
    "api_token.created": _("创建 API 令牌"),
    "api_token.revoked": _("吊销 API 令牌"),
}


def register(labels: dict[str, str | Promise]) -> None:
    """Add an app's verb labels (called from `AppConfig.ready()`)."""
    _LABELS.update(labels)


def registered() -> dict[str, str | Promise]:
    return dict(_LABELS)


def verb_label(verb: str) -> str:
    """The verb's label in the active language; an unregistered verb reads as a generic 其他操作."""
    label = _LABELS.get(verb)
    return str(label) if label is not None else gettext("其他操作")


def actor_label(label: str) -> str:
    """An event without a user on file: the system's jobs and imports read 系统, a departed user's name stays."""
    return gettext("系统") if label in ("", "system", "anonymous") else label
