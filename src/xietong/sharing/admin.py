"""Operator screens: read-only, every change goes through the services (versions, audit, ledger)."""

from django.contrib import admin

from xietong.core.admin import ReadOnlyAdmin
from xietong.sharing.models import Agreement, AgreementVersion, RevenueRecord, Settlement


@admin.register(Agreement)
class AgreementAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "kind", "park_name", "host_region")
    search_fields = ("code", "name", "park_name")
    list_filter = ("kind",)


@admin.register(AgreementVersion)
class AgreementVersionAdmin(ReadOnlyAdmin):
    list_display = ("agreement", "number", "status", "effective_from", "effective_to")
    list_filter = ("status",)


@admin.register(RevenueRecord)
class RevenueRecordAdmin(ReadOnlyAdmin):
    list_display = (
        "agreement",
        "enterprise",
        "revenue_type",
        "period",
        "amount_fen",
        "version",
        "is_current",
    )
    list_filter = ("revenue_type", "is_current")
    list_select_related = ("agreement", "enterprise")


@admin.register(Settlement)
class SettlementAdmin(ReadOnlyAdmin):
    list_display = ("agreement", "period", "revision", "version", "entry", "adjusts", "created_at")
    list_select_related = ("agreement", "version")
