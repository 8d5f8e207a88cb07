"""Chinese labels of the verbs the region and zone services record (see `core.audit_labels`)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "zone.created": _("创建协同区"),
    "zone.members_updated": _("调整协同区成员"),
    "zone.changed_in_admin": _("后台修改协同区"),
}
