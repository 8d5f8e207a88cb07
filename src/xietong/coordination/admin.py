"""Operator screens: read-only (every change goes through the services: policy, audit, lights, notices)."""

from django.contrib import admin

from xietong.coordination.models import Agreement, Body, MajorItem, Meeting, ProgressReport, Task, Unit
from xietong.core.admin import ReadOnlyAdmin


@admin.register(Unit)
class UnitAdmin(ReadOnlyAdmin):
    list_display = ("name", "kind", "region", "zone", "organisation")
    list_filter = ("kind",)
    search_fields = ("name",)
    exclude = ("feed_token",)


@admin.register(Body)
class BodyAdmin(ReadOnlyAdmin):
    list_display = ("name", "kind", "zone", "due_soon_days", "lag_threshold_pct")


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ("title", "body", "held_on", "location")
    list_filter = ("body",)


@admin.register(Task)
class TaskAdmin(ReadOnlyAdmin):
    list_display = ("title", "body", "lead_unit", "deadline", "status", "light", "progress")
    list_filter = ("status", "light", "body")
    search_fields = ("title",)
    list_select_related = ("body", "lead_unit")


@admin.register(ProgressReport)
class ProgressReportAdmin(ReadOnlyAdmin):
    list_display = ("task", "unit", "percent", "status", "created_at")
    list_filter = ("status",)
    list_select_related = ("task", "unit")


@admin.register(Agreement)
class AgreementAdmin(ReadOnlyAdmin):
    list_display = ("title", "zone", "signed_on")
    exclude = ("signed_file",)


@admin.register(MajorItem)
class MajorItemAdmin(ReadOnlyAdmin):
    list_display = ("title", "zone", "ministry", "status", "updated_at")
    list_filter = ("status",)
