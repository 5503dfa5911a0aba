from functools import wraps

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _


class NRMAdminSite(admin.AdminSite):
    """The admin site for the system administrator only, behind the project's one login flow."""

    site_header = _("NRM administration")
    site_title = "NRM"
    index_title = _("Organisations and user accounts")

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        @wraps(view)
        def guarded(request, *args, **kwargs):
            # A logged-in user who is not the administrator is refused, not sent to log in again.
            if request.user.is_authenticated and not self.has_permission(request):
                raise PermissionDenied
            return inner(request, *args, **kwargs)

        return guarded

    def login(self, request, extra_context=None):
        # One login flow for everyone (it will gain a second factor); the admin has none of its own.
        if request.user.is_authenticated:
            raise PermissionDenied
        return redirect_to_login(request.GET.get("next") or request.get_full_path())

    def password_change(self, request, extra_context=None):
        # The administrator changes its own password where everyone does, so that it is audited.
        return redirect("accounts:password_change")

    def password_change_done(self, request, extra_context=None):
        return redirect("accounts:password_change_done")
