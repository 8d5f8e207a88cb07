"""Chinese labels of the verbs the account pages record (see `core.audit_labels`)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "account.password_changed": _("修改密码"),
    "account.password_reset": _("重置密码"),
}
