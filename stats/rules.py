"""Who sees statistics (holders of the global ``view_statistics`` permission: the commission)
and who publishes a release (the national coordinator)."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from accounts.rules import is_national_coordinator

ONLY_THE_COORDINATOR = _("Only the national coordinator publishes statistics releases.")


def can_view_statistics(user) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.has_perm("stats.view_statistics")
    )


def can_publish_statistics(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and is_national_coordinator(user)


def can_see_releases(user) -> bool:
    """The list of releases and the ledger (dates, cases counted, privacy loss; no figure)."""
    return can_view_statistics(user) or can_publish_statistics(user)


def require_publish_statistics(user) -> None:
    if not can_publish_statistics(user):
        raise PermissionDenied(ONLY_THE_COORDINATOR)
