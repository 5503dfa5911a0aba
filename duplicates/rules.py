"""Who reviews possible duplicates: the national coordinator, an active member of an active
commission or ministry. The coordinator sees references, organisations and dates, never
identity, and reaches no case page. A match the registering organisation was shown (it sees
both cases with identity) is settled by that organisation's frontline members instead."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from accounts.roles import FRONTLINE_ROLES
from accounts.rules import is_national_coordinator

NOT_THE_COORDINATOR = _("Only the national coordinator reviews possible duplicates.")


def can_review_duplicates(user) -> bool:
    return is_national_coordinator(user)


def require_coordinator(user) -> None:
    if not can_review_duplicates(user):
        raise PermissionDenied(NOT_THE_COORDINATOR)


NOT_THE_REGISTRANT = _(
    "Only the organisation that registered the case settles a match it was shown."
)


def can_settle_shown_match(user, pair) -> bool:
    """A frontline member of the organisation that registered ``pair.case`` and was shown
    the other case (``shown_to_registrant``)."""
    organisation = getattr(user, "organisation", None)
    return bool(
        pair.shown_to_registrant
        and getattr(user, "is_authenticated", False)
        and user.is_active
        and organisation is not None
        and organisation.active
        and user.role in FRONTLINE_ROLES
        and pair.case.registering_organisation_id == organisation.pk
    )


def require_registrant(user, pair) -> None:
    if not can_settle_shown_match(user, pair):
        raise PermissionDenied(NOT_THE_REGISTRANT)
