from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.models import Organisation, User
from accounts.services import deactivate_user

admin.site.unregister(Group)


class NoDeleteMixin:
    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


@admin.register(Organisation)
class OrganisationAdmin(NoDeleteMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "region", "active", "member_count"]
    list_filter = ["kind", "region", "active"]
    search_fields = ["name"]
    fields = ["name", "kind", "region", "active"]
    list_select_related = ["region"]

    @admin.display(description=_("members"))
    def member_count(self, obj):
        return obj.members.count()


@admin.register(User)
class UserAdmin(NoDeleteMixin, DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "organisation", "role", "is_active"]
    list_filter = ["role", "is_active", "organisation__kind", "organisation"]
    search_fields = ["username", "first_name", "last_name", "email", "organisation__name"]
    list_select_related = ["organisation"]
    ordering = ["username"]
    actions = ["deactivate"]
    # No groups, user permissions or superuser flag: what a user may do follows from the role.
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Person"), {"fields": ["first_name", "last_name", "email"]}),
        (_("Access"), {"fields": ["organisation", "role", "is_active"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["username", "organisation", "role", "password1", "password2"],
            },
        ),
    ]
    readonly_fields = ["last_login", "date_joined"]

    @admin.action(description=_("Deactivate the selected users"))
    def deactivate(self, request, queryset):
        count = 0
        for user in queryset.filter(is_active=True):
            deactivate_user(user)
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d user deactivated.", "%(count)d users deactivated.", count)
            % {"count": count},
            messages.SUCCESS,
        )
