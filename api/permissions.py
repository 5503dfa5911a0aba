from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from cases.rules import can_access_cases, can_register_cases


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
