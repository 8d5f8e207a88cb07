"""Operator screens; the queryset and actions go through the same policy and services as pages and API."""

from django.contrib import admin, messages
from django.utils.translation import gettext, gettext_lazy

from xietong.core.actor import actor_for
from xietong.core.errors import DomainError
from xietong.orgs import services
from xietong.orgs.models import Membership, Organisation
from xietong.orgs.policies import OrganisationPolicy


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "credit_code", "kind", "region", "status", "created_at")
    list_filter = ("status", "kind", "industry", "is_high_tech", "is_tech_sme", "is_little_giant")
    search_fields = ("name", "credit_code")
    raw_id_fields = ("region", "registered_by", "reviewed_by")
    readonly_fields = ("status", "reviewed_by", "reviewed_at", "review_note", "created_at", "updated_at")
    # Suspending needs a reason the members will read: it is done on the organisation's page (or by API / CLI);
    # reinstating needs none, so the admin offers it for a selection.
    actions = ["approve_selected", "reinstate_selected"]
    list_select_related = ("region",)

    def get_queryset(self, request):
        return OrganisationPolicy.visible_qs(actor_for(request.user))

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request)
        return OrganisationPolicy.can(actor_for(request.user), "update", obj)

    def has_delete_permission(self, request, obj=None):
        return False  # organisations are suspended, never deleted: orders and ledgers point at them

    @admin.action(description="通过所选注册")
    def approve_selected(self, request, queryset):
        actor = actor_for(request.user)
        done = 0
        for org in queryset:
            try:
                services.organisation_review(actor=actor, org_id=org.pk, approve=True)
                done += 1
            except DomainError as exc:
                self.message_user(request, f"{org.name}：{exc.message}", messages.WARNING)
        self.message_user(request, f"已通过 {done} 家")

    @admin.action(description=gettext_lazy("恢复所选的已暂停机构"))
    def reinstate_selected(self, request, queryset):
        actor = actor_for(request.user)
        done = 0
        for org in queryset:
            try:
                services.organisation_suspend(actor=actor, org_id=org.pk, suspend=False)
                done += 1
            except DomainError as exc:
                refused = gettext("%(name)s：%(message)s") % {"name": org.name, "message": exc.message}
                self.message_user(request, refused, messages.WARNING)
        self.message_user(request, gettext("已恢复 %(n)s 家") % {"n": done})


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "organisation", "region", "zone", "is_active")
    list_filter = ("role", "is_active")
    raw_id_fields = ("user", "organisation", "region", "zone")
    search_fields = ("user__username", "organisation__name")
