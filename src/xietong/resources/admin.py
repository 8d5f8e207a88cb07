"""Operator screens: read-only views of the catalogue and orders (every change goes through the services)."""

from django.contrib import admin

from xietong.core.admin import ReadOnlyAdmin
from xietong.resources.models import Category, Resource, ServiceOrder


@admin.register(Category)
class CategoryAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "parent")
    search_fields = ("code", "name")


@admin.register(Resource)
class ResourceAdmin(ReadOnlyAdmin):
    list_display = ("id", "name", "kind", "owner", "region", "open_status", "list_price_fen")
    list_filter = ("kind", "open_status", "is_cma", "is_cnas")
    search_fields = ("name", "model_number", "owner__name")
    list_select_related = ("owner", "region")


@admin.register(ServiceOrder)
class ServiceOrderAdmin(ReadOnlyAdmin):
    list_display = (
        "number",
        "kind",
        "status",
        "resource",
        "provider",
        "customer",
        "quoted_fen",
        "actual_fen",
    )
    list_filter = ("status", "kind")
    exclude = (
        "report",
    )  # a private file has no URL; it is downloaded from the order page, which asks the policy
    search_fields = ("number", "resource__name", "customer__name", "provider__name")
    list_select_related = ("resource", "provider", "customer")
