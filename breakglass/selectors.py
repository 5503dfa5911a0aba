"""Reading under break-glass: the opener's own uses and the case they open, and the national
coordinator's review list. Nothing here widens ``Case.objects.visible_to``: a use opens one
case page of its own, for its opener, until it ends."""

from django.http import Http404

from audit.entries import record_access
from breakglass.models import BreakGlass
from breakglass.rules import require_break_glass, require_review_break_glass
from cases.rules import ALL_IDENTITY

PENDING = "pending"
REVIEWED = "reviewed"
CHANNEL = "break_glass"


class BreakGlassEnded(Exception):
    """The use exists and is the reader's own, but its hour is over."""

    def __init__(self, use: BreakGlass):
        super().__init__(str(use))
        self.use = use


def uses_of(user):
    """The user's own uses, newest first, with the case's reference (one query)."""
    require_break_glass(user)
    return BreakGlass.objects.opened_by(user).select_related("case")


def read_case_under_break_glass(user, use_id, *, request=None):
    """The use and its case, the identity included, for the opener while the use lasts; writes
    the read's access entry (channel "break_glass", with the use's id).

    Http404 for an unknown use or one of somebody else; BreakGlassEnded once it is over.
    """
    require_break_glass(user)
    use = (
        BreakGlass.objects.opened_by(user)
        .select_related(
            "case__person",
            "case__region",
            "case__nationality",
            "case__lead_organisation",
            "case__registering_organisation",
            "case__assigned_to",
            "case__recruitment_method",
            "case__trafficker_relationship",
            "case__exploitation_country",
        )
        .prefetch_related("case__exploitation_forms", "case__languages", "case__means_of_control")
        .filter(pk=use_id)
        .first()
    )
    if use is None:
        raise Http404
    if not use.is_active:
        raise BreakGlassEnded(use)
    case = use.case
    # The templates of the case page ask these of a case read through visibility.
    case.can_view_identity = True
    case.identity_fields = ALL_IDENTITY
    record_access(case, actor=user, request=request, channel=CHANNEL, break_glass=str(use.pk))
    return use


def uses_for_review(user, *, status: str = ""):
    """Every use, awaiting review (``pending``), reviewed, or all, newest first, with what a
    row shows, in a constant number of queries. PermissionDenied for anyone but the
    coordinator."""
    require_review_break_glass(user)
    uses = BreakGlass.objects.all()
    if status == PENDING:
        uses = uses.pending_review()
    elif status == REVIEWED:
        uses = uses.exclude(review_outcome="")
    return uses.select_related(
        "case__lead_organisation", "opened_by", "organisation", "reviewed_by"
    ).order_by("-opened_at", "-id")


def use_for_review(user, use_id) -> BreakGlass:
    use = uses_for_review(user).filter(pk=use_id).first()
    if use is None:
        raise Http404
    return use


def awaiting_review(user):
    """The uses that await the coordinator's review (the navigation counts them)."""
    return BreakGlass.objects.pending_review()
