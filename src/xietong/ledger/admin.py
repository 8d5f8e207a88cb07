from django.contrib import admin

from xietong.core.admin import ReadOnlyAdmin
from xietong.ledger.models import Account, Entry, Posting


@admin.register(Account)
class AccountAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "kind", "normal_side", "balance_fen")
    search_fields = ("code", "name")
    list_filter = ("kind",)


class PostingInline(admin.TabularInline):
    model = Posting
    extra = 0
    can_delete = False
    readonly_fields = ("account", "amount_fen")


@admin.register(Entry)
class EntryAdmin(ReadOnlyAdmin):
    list_display = ("id", "kind", "memo", "created_at", "actor_label")
    list_filter = ("kind",)
    inlines = [PostingInline]
