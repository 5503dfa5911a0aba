from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from cases.rules import can_access_cases, can_register_cases
from stats.rules import can_view_statistics


class HasCaseAccess(BasePermission):
    """Operational roles of active organisations work with cases; commission members and the
    administrator never do."""

    message = _("Your role has no access to cases.")

    def has_permission(self, request, view):
        return can_access_cases(request.user)


class CanRegisterCasesOnPost(BasePermission):
    """Registering a case is for frontline organisations (the service checks it again)."""

    message = _("Your organisation cannot register cases.")

    def has_permission(self, request, view):
        return request.method in SAFE_METHODS or can_register_cases(request.user)


class CanViewStatistics(BasePermission):
    """Anonymized statistics are for commission members (holders of ``view_statistics``) only."""

    message = _("Your role has no access to statistics.")

    def has_permission(self, request, view):
        return can_view_statistics(request.user)
