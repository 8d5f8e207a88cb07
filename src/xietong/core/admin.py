from django.contrib import admin

from xietong.core.models import ApiToken, AuditEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    """Operators read these records here; every change goes through the services (audit, ledger, tenancy)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "actor_label", "verb", "target_type", "target_id")
    list_filter = ("verb", "target_type")
    search_fields = ("actor_label", "target_id", "verb")
    readonly_fields = [f.name for f in AuditEvent._meta.fields]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("prefix", "token_hash", "created_at", "last_used_at")
