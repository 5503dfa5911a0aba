"""Reading possible duplicates: the coordinator's review list, and a match shown on a case
page."""

from django.http import Http404

from cases.models import Case
from duplicates.models import PossibleDuplicate
from duplicates.rules import require_coordinator

PENDING = "pending"
REVIEWED = "reviewed"


def duplicates_for_review(user, *, status: str = ""):
    """The pairs awaiting (``pending``) or past (``reviewed``) review, or all, newest first,
    with the references, organisations and dates a row shows, in a constant number of
    queries. PermissionDenied for anyone but the coordinator."""
    require_coordinator(user)
    pairs = PossibleDuplicate.objects.for_review()
    if status == PENDING:
        pairs = pairs.pending()
    elif status == REVIEWED:
        pairs = pairs.exclude(outcome="")
    return pairs.select_related(
        "case__registering_organisation",
        "other_case__registering_organisation",
        "reviewed_by",
    ).order_by("-found_at", "-id")


def duplicate_for_review(user, pair_id) -> PossibleDuplicate:
    """One pair of the review list; Http404 for an unknown one."""
    pair = duplicates_for_review(user).filter(pk=pair_id).first()
    if pair is None:
        raise Http404
    return pair


def awaiting_review(user):
    """The pairs that await the coordinator's review (the navigation counts them)."""
    return PossibleDuplicate.objects.for_review().pending()


def shown_pair(user, pair_id) -> PossibleDuplicate:
    """A match shown on the page of a case the user sees; Http404 otherwise (the rules decide
    who may settle it)."""
    pair = (
        PossibleDuplicate.objects.filter(
            pk=pair_id, shown_to_registrant=True, case__in=Case.objects.visible_to(user)
        )
        .select_related("case")
        .first()
    )
    if pair is None:
        raise Http404
    return pair
