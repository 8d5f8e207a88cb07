"""Operator screens: regions are read-only reference data; zones are edited with their members inline."""

from django.contrib import admin

from xietong.core import audit
from xietong.regions.models import Region, Zone, ZoneMember


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "short_name", "level", "parent", "pinyin", "lng", "lat")
    list_filter = ("level",)
    search_fields = ("code", "name", "short_name", "pinyin", "pinyin_initials")
    list_select_related = ("parent",)
    readonly_fields = ("parent",)
    show_full_result_count = False

    def has_add_permission(self, request):
        return False  # loaded from the GB/T 2260 fixture by `xietong setup` (load_regions)

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return False


class ZoneMemberInline(admin.TabularInline):
    model = ZoneMember
    extra = 1
    autocomplete_fields = ("region",)


@admin.register(Zone)
class ZoneAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "short_name", "kind", "color", "member_count")
    list_filter = ("kind",)
    search_fields = ("code", "name", "short_name")
    inlines = [ZoneMemberInline]

    @admin.display(description="成员数")
    def member_count(self, obj):
        return obj.memberships.count()

    def has_add_permission(self, request):
        return request.actor.is_platform_admin

    def has_change_permission(self, request, obj=None):
        return request.actor.is_platform_admin

    def has_delete_permission(self, request, obj=None):
        return request.actor.is_platform_admin

    def save_related(self, request, form, formsets, change):
        before = set(form.instance.memberships.values_list("region_id", flat=True)) if change else set()
        super().save_related(request, form, formsets, change)
        after = set(form.instance.memberships.values_list("region_id", flat=True))
        audit.record(
            actor=request.actor,
            verb="zone.changed_in_admin" if change else "zone.created",
            target=form.instance,
            data={"added": sorted(after - before), "removed": sorted(before - after)},
        )
