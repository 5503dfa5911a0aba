"""Who may break the glass, and who reviews it.

A supervisor of an active operational organisation may open a case outside its visibility; the
national coordinator reviews every use. The words are the ones the pages and the services show.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from accounts.rules import is_national_coordinator
from cases.rules import can_access_cases

ONLY_SUPERVISORS = _("Only a supervisor can open a case outside their organisation's cases.")
NOT_THE_COORDINATOR = _("Only the national coordinator reviews break-glass uses.")


def can_break_glass(user) -> bool:
    return can_access_cases(user) and user.role == Role.SUPERVISOR


def require_break_glass(user) -> None:
    if not can_break_glass(user):
        raise PermissionDenied(ONLY_SUPERVISORS)


def can_review_break_glass(user) -> bool:
    return is_national_coordinator(user)


def require_review_break_glass(user) -> None:
    if not can_review_break_glass(user):
        raise PermissionDenied(NOT_THE_COORDINATOR)
