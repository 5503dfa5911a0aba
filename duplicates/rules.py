"""Who reviews possible duplicates: the national coordinator, an active member of an active
commission or ministry. The coordinator sees references, organisations and dates, never
identity, and reaches no case page."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from accounts.rules import is_national_coordinator

NOT_THE_COORDINATOR = _("Only the national coordinator reviews possible duplicates.")


def can_review_duplicates(user) -> bool:
    return is_national_coordinator(user)


def require_coordinator(user) -> None:
    if not can_review_duplicates(user):
        raise PermissionDenied(NOT_THE_COORDINATOR)
