"""The national coordinator's review of a possible duplicate."""

from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.entries import record_event
from audit.events import Event
from core.errors import InvalidTransition
from core.text import NOTE_MAX, clean_text
from duplicates.models import DuplicateOutcome, PossibleDuplicate
from duplicates.rules import require_coordinator, require_registrant
from notices.models import NoticeKind
from notices.services import post_notice

ALREADY_REVIEWED = _("This pair has already been reviewed.")


def review_duplicate(pair, *, actor, outcome: str, note: str) -> PossibleDuplicate:
    """Record the coordinator's finding on a pair: the same person, or different people.

    Side effects, in one transaction (the pair's row locked, so two reviews cannot both win):
    the outcome, the protected note, ``reviewed_by`` and ``reviewed_at``; one
    "duplicate_reviewed" audit entry (outcome and ids, never the note); for "same person", a
    notice to each case's lead organisation naming the other case's reference and lead
    organisation. Raises PermissionDenied for anyone but the coordinator, ValidationError for
    a missing outcome or note, InvalidTransition when the pair was already reviewed.
    """
    require_coordinator(actor)
    if outcome not in DuplicateOutcome.values:
        raise ValidationError({"outcome": [_("Choose “same person” or “different people”.")]})
    note = clean_text(note, field="note", required=True, max_length=NOTE_MAX)
    with transaction.atomic(), set_actor(actor):
        locked = (
            PossibleDuplicate.objects.select_for_update(of=("self",))
            .select_related("case__lead_organisation", "other_case__lead_organisation")
            .get(pk=pair.pk)
        )
        if locked.outcome:
            raise InvalidTransition(ALREADY_REVIEWED)
        locked.outcome = outcome
        locked.note = note
        locked.reviewed_by = actor
        locked.reviewed_at = timezone.now()
        locked.save()
        record_event(
            locked,
            actor=actor,
            event=Event.DUPLICATE_REVIEWED,
            outcome=outcome,
            match=locked.match,
            case=str(locked.case_id),
            other_case=str(locked.other_case_id),
            note_ref=f"duplicates.PossibleDuplicate.note:{locked.pk}",
        )
        if outcome == DuplicateOutcome.SAME_PERSON:
            _tell_both_leads(locked)
    return locked


def settle_shown_match(pair, *, actor, outcome: str) -> PossibleDuplicate:
    """The registering organisation's answer on a match it was shown on its case page: the
    same person as the other case, or different people.

    Side effects, in one transaction (the pair's row locked): the outcome, ``reviewed_by``
    and ``reviewed_at``; one "duplicate_reviewed" audit entry (outcome, ids and
    ``by: "registrant"``); for "same person", a notice to each case's lead organisation.
    Raises PermissionDenied (``duplicates.rules.can_settle_shown_match``), ValidationError
    for a missing outcome, InvalidTransition when the pair was already settled.
    """
    require_registrant(actor, pair)
    if outcome not in DuplicateOutcome.values:
        raise ValidationError({"outcome": [_("Choose “same person” or “different people”.")]})
    with transaction.atomic(), set_actor(actor):
        locked = (
            PossibleDuplicate.objects.select_for_update(of=("self",))
            .select_related("case__lead_organisation", "other_case__lead_organisation")
            .get(pk=pair.pk)
        )
        if locked.outcome:
            raise InvalidTransition(ALREADY_REVIEWED)
        locked.outcome = outcome
        locked.reviewed_by = actor
        locked.reviewed_at = timezone.now()
        locked.save()
        record_event(
            locked,
            actor=actor,
            event=Event.DUPLICATE_REVIEWED,
            outcome=outcome,
            match=locked.match,
            case=str(locked.case_id),
            other_case=str(locked.other_case_id),
            by="registrant",
        )
        if outcome == DuplicateOutcome.SAME_PERSON:
            _tell_both_leads(locked)
    return locked


def _tell_both_leads(pair: PossibleDuplicate) -> None:
    for case, other in ((pair.case, pair.other_case), (pair.other_case, pair.case)):
        post_notice(
            organisation=case.lead_organisation,
            kind=NoticeKind.SAME_PERSON,
            case=case,
            reference=case.reference,
            other_reference=other.reference,
            other_organisation=other.lead_organisation.name,
        )
