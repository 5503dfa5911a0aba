"""Outgoing mail for the administrator: what waits, what was sent, what failed and why (the
exception's class and SMTP code), never a mail's content."""

from django.contrib import admin

from accounts.rules import can_manage_accounts
from outbox.models import Delivery


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "recipient", "state", "attempts", "last_error", "sent_at"]
    list_filter = ["state", "kind"]
    readonly_fields = [field.name for field in Delivery._meta.fields]
    ordering = ["-created_at"]

    # The system administrator's, like the accounts' screens (accounts.rules).
    def has_module_permission(self, request):
        return can_manage_accounts(request.user)

    def has_view_permission(self, request, obj=None):
        return can_manage_accounts(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
