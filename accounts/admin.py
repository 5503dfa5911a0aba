"""The administrator's screens: organisations, accounts and the changes waiting for approval.

The administrator never sets or sees a password: the account forms have no password field, the
``<id>/password/`` page does not exist, and "Send a password reset link" mails the owner.
Saving a form calls the services; what needs approval is asked for (``accounts.approvals``)
and the page says so.
"""

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts import approvals, passwords, services
from accounts.admin_forms import UserAddForm, UserChangeForm
from accounts.lockout import unlock
from accounts.models import AccountChange, ChangeState, Organisation, User
from accounts.rules import can_manage_accounts
from core.errors import Conflict

admin.site.unregister(Group)

WAITS = _(
    "“%(user)s”: %(change)s waits for approval by a supervisor of %(organisation)s (or, where it "
    "has none, by another administrator). Nothing changes until then."
)
NATIONAL = _("the administrators")


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
    fields = list(services.ORGANISATION_FIELDS)
    list_select_related = ["region"]

    @admin.display(description=_("members"))
    def member_count(self, obj):
        return obj.members.count()

    def save_model(self, request, obj, form, change):
        values = {field: form.cleaned_data[field] for field in services.ORGANISATION_FIELDS}
        if change:
            services.change_organisation(obj, actor=request.user, **values)
            return
        created = services.create_organisation(actor=request.user, **values)
        obj.pk, obj.group_id, obj._state.adding = created.pk, created.group_id, False


def waits_message(request, user: User, change: AccountChange) -> None:
    organisation = change.requested_organisation or NATIONAL
    messages.warning(
        request,
        WAITS
        % {"user": user, "change": change.get_kind_display().lower(), "organisation": organisation},
    )


@admin.register(User)
class UserAdmin(NoDeleteMixin, admin.ModelAdmin):
    form = UserChangeForm
    add_form = UserAddForm
    list_display = [
        "username",
        "first_name",
        "last_name",
        "organisation",
        "role",
        "is_active",
        "approved",
    ]
    list_filter = ["role", "is_active", "organisation__kind", "organisation"]
    search_fields = ["username", "first_name", "last_name", "email", "organisation__name"]
    list_select_related = ["organisation"]
    ordering = ["username"]
    actions = ["activate", "deactivate", "send_reset_link"]
    # No password, groups, user permissions or superuser flag: a role says what a user may do,
    # and only the account's owner sets its password.
    fieldsets = [
        (None, {"fields": ["username"]}),
        (_("Person"), {"fields": ["first_name", "last_name", "email"]}),
        (
            _("Access"),
            {"fields": ["organisation", "role", "is_active", "approved_at", "pending_change"]},
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"fields": ["username", "email", "first_name", "last_name"]}),
        (_("Access"), {"fields": ["organisation", "role"]}),
    ]
    readonly_fields = [
        "username",
        "is_active",
        "approved_at",
        "pending_change",
        "last_login",
        "date_joined",
    ]

    def get_fieldsets(self, request, obj=None):
        return self.add_fieldsets if obj is None else self.fieldsets

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = self.add_form
        return super().get_form(request, obj, **kwargs)

    def get_urls(self):
        # Django's user admin has a page that sets a password; this one answers 404 for it
        # before the catch-all redirect of the object's other URLs could.
        refused = path(
            "<path:object_id>/password/",
            self.admin_site.admin_view(self.no_password_page),
            name="accounts_user_password_change",
        )
        return [refused, *super().get_urls()]

    def no_password_page(self, request, object_id):
        raise Http404

    @admin.display(boolean=True, description=_("approved"))
    def approved(self, obj):
        return obj.is_approved

    @admin.display(description=_("waiting for approval"))
    def pending_change(self, obj):
        change = obj.changes.filter(state=ChangeState.PENDING).first()
        if change is None:
            return "—"
        return f"{change.get_kind_display()} ({change.get_requested_role_display()}, " + (
            f"{change.requested_organisation or '—'})"
        )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except (Conflict, ValidationError) as error:
            # Lost a race (another change was asked for meanwhile): rolled back, and said so.
            for message in getattr(error, "messages", None) or [error.message]:
                self.message_user(request, message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def save_model(self, request, obj, form, change):
        actor = request.user
        if not change:
            fields = {name: form.cleaned_data[name] for name in UserAddForm.Meta.fields}
            asked = approvals.request_account(actor=actor, **fields)
            obj.pk, obj._state.adding = asked.user_id, False
            waits_message(request, asked.user, asked)
            return
        stored = User.objects.get(pk=obj.pk)
        data = form.cleaned_data
        if {"first_name", "last_name"} & set(form.changed_data):
            services.change_account_details(
                stored, actor=actor, first_name=data["first_name"], last_name=data["last_name"]
            )
        requested = form.requested
        asked = None
        if "email" in requested:
            asked = approvals.request_email_change(stored, actor=actor, email=data["email"])
        elif "organisation" in requested:
            asked = approvals.request_move(
                stored, actor=actor, organisation=data["organisation"], role=data["role"]
            )
        elif "role" in requested:
            asked = approvals.request_role_change(stored, actor=actor, role=data["role"])
        if asked is not None:
            waits_message(request, stored, asked)

    def save_related(self, request, form, formsets, change):
        # The services saved everything there is (no many-to-many field on these forms).
        pass

    def run_on_each(self, request, queryset, action, done_message):
        done = 0
        for user in queryset:
            try:
                done += bool(action(user, actor=request.user))
            except (Conflict, PermissionDenied) as error:
                self.message_user(request, f"{user}: {error}", messages.ERROR)
        self.message_user(request, done_message(done) % {"count": done}, messages.SUCCESS)

    @admin.action(description=_("Activate the selected users"), permissions=["change"])
    def activate(self, request, queryset):
        self.run_on_each(
            request,
            queryset,
            services.activate_user,
            lambda n: ngettext("%(count)d user activated.", "%(count)d users activated.", n),
        )

    @admin.action(description=_("Deactivate the selected users"), permissions=["change"])
    def deactivate(self, request, queryset):
        self.run_on_each(
            request,
            queryset,
            services.deactivate_user,
            lambda n: ngettext("%(count)d user deactivated.", "%(count)d users deactivated.", n),
        )

    @admin.action(description=_("Send a password reset link"), permissions=["change"])
    def send_reset_link(self, request, queryset):
        self.run_on_each(
            request,
            queryset,
            passwords.send_password_reset,
            lambda n: ngettext(
                "A reset link was mailed to %(count)d user.",
                "A reset link was mailed to %(count)d users.",
                n,
            ),
        )


@admin.register(AccountChange)
class AccountChangeAdmin(admin.ModelAdmin):
    """What waits for approval, and what was decided; an administrator decides the changes no
    supervisor can (``accounts.rules``), never one they asked for."""

    list_display = [
        "__str__",
        "user",
        "requested_role",
        "requested_organisation",
        "requested_by",
        "requested_at",
        "state",
        "decided_by",
        "decided_at",
    ]
    list_filter = ["state", "kind"]
    search_fields = ["user__username"]
    list_select_related = ["user", "requested_organisation", "requested_by", "decided_by"]
    actions = ["approve", "reject"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_decide_permission(self, request):
        return can_manage_accounts(request.user)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def decide_each(self, request, queryset, decide, done_message):
        done = 0
        for change in queryset:
            try:
                decide(change, actor=request.user)
                done += 1
            except (Conflict, PermissionDenied) as error:
                self.message_user(request, f"{change}: {error}", messages.ERROR)
        self.message_user(request, done_message(done) % {"count": done}, messages.SUCCESS)

    @admin.action(description=_("Approve the selected changes"), permissions=["decide"])
    def approve(self, request, queryset):
        self.decide_each(
            request,
            queryset,
            approvals.approve_change,
            lambda n: ngettext("%(count)d change approved.", "%(count)d changes approved.", n),
        )

    @admin.action(description=_("Reject the selected changes"), permissions=["decide"])
    def reject(self, request, queryset):
        self.decide_each(
            request,
            queryset,
            approvals.reject_change,
            lambda n: ngettext("%(count)d change rejected.", "%(count)d changes rejected.", n),
        )


@admin.register(AccessAttempt)
class LockoutAdmin(admin.ModelAdmin):
    """Failed logins by username and address, and the lockouts they caused: lifted here by the
    administrator before their time (``accounts.lockout.unlock``, audited)."""

    list_display = ["username", "ip_address", "failures_since_start", "attempt_time", "locked"]
    list_filter = ["attempt_time"]
    search_fields = ["username"]
    ordering = ["-attempt_time"]
    actions = ["lift"]
    fields = ["username", "ip_address", "failures_since_start", "attempt_time"]
    readonly_fields = fields

    @admin.display(description=_("locked"), boolean=True)
    def locked(self, obj):
        return obj.failures_since_start >= settings.AXES_FAILURE_LIMIT

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Lift the lockout of the selected usernames"), permissions=["view"])
    def lift(self, request, queryset):
        attempts = list(queryset)
        for attempt in attempts:
            unlock(attempt, actor=request.user)
        self.message_user(
            request,
            ngettext("%(count)d lockout lifted.", "%(count)d lockouts lifted.", len(attempts))
            % {"count": len(attempts)},
            messages.SUCCESS,
        )
