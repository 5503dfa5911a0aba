"""Opening a case under break-glass, and the national coordinator's review of a use."""

from datetime import timedelta

from auditlog.context import set_actor
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.entries import record_event
from audit.events import Event
from breakglass import mail
from breakglass.models import BreakGlass, ReviewOutcome
from breakglass.rules import require_break_glass, require_review_break_glass
from cases.models import Case
from core.errors import InvalidTransition
from core.text import NOTE_MAX, clean_text
from notices.models import NoticeKind
from notices.services import post_notice

# A reason a reviewer can judge: a sentence, not "urgent".
REASON_MIN = 20
REFERENCE_MAX = 32
ALREADY_REVIEWED = _("This use has already been reviewed.")


def _clean_reason(reason: str) -> str:
    reason = clean_text(reason, field="reason", required=True)
    if len(reason) < REASON_MIN:
        raise ValidationError(
            {
                "reason": [
                    _(
                        "Say why in at least %(n)d characters: the national coordinator reviews "
                        "every use."
                    )
                    % {"n": REASON_MIN}
                ]
            }
        )
    return reason


def _case_outside_visibility(actor, reference: str) -> Case:
    reference = (reference or "").strip().upper()
    if not reference:
        raise ValidationError({"reference": [_("Give the case's reference.")]})
    case = (
        Case.objects.select_related("lead_organisation")
        .filter(reference=reference[:REFERENCE_MAX])
        .first()
    )
    if case is None:
        raise ValidationError({"reference": [_("No case has this reference.")]})
    if Case.objects.visible_to(actor).filter(pk=case.pk).exists():
        raise ValidationError(
            {
                "reference": [
                    _("Your organisation already sees this case: open it from your case list.")
                ]
            }
        )
    return case


def open_break_glass(*, actor, reference: str, reason: str) -> BreakGlass:
    """Open the case with ``reference`` for ``actor`` to read, outside their organisation's
    visibility, for ``NRM_BREAK_GLASS_MINUTES``.

    Side effects, in one transaction: one BreakGlass row (the reason encrypted); one
    "break_glass_opened" audit entry on the case (ids and the end time, never the reason); a
    notice to the case's lead organisation naming the reference and the opener's organisation;
    after commit, a mail to each active supervisor of the lead organisation (a link to the
    inbox only). Grants nothing else: no permission row, no list entry, no form.
    Raises PermissionDenied unless the actor is a supervisor; ValidationError for a missing or
    short reason, an unknown reference, or a case the organisation already sees.
    """
    require_break_glass(actor)
    reason = _clean_reason(reason)
    case = _case_outside_visibility(actor, reference)
    opened_at = timezone.now()
    with transaction.atomic(), set_actor(actor):
        use = BreakGlass.objects.create(
            case=case,
            opened_by=actor,
            organisation_id=actor.organisation_id,
            reason=reason,
            opened_at=opened_at,
            expires_at=opened_at + timedelta(minutes=settings.NRM_BREAK_GLASS_MINUTES),
        )
        record_event(
            case,
            actor=actor,
            event=Event.BREAK_GLASS_OPENED,
            break_glass=str(use.pk),
            expires_at=use.expires_at.isoformat(),
            reason_ref=f"breakglass.BreakGlass.reason:{use.pk}",
        )
        post_notice(
            organisation=case.lead_organisation,
            kind=NoticeKind.BREAK_GLASS,
            case=case,
            reference=case.reference,
            opener_organisation=actor.organisation.name,
        )
        mail.queue_lead_alert(use)
    return use


def review_break_glass(use, *, actor, outcome: str, note: str) -> BreakGlass:
    """Record the national coordinator's finding on a use: justified or not.

    Side effects, in one transaction (the use's row locked, so two reviews cannot both win):
    the outcome, the protected note, ``reviewed_by`` and ``reviewed_at``; one
    "break_glass_reviewed" audit entry (outcome and ids, never the note). Raises
    PermissionDenied for anyone but the coordinator, ValidationError for a missing outcome or
    note, InvalidTransition when the use was already reviewed.
    """
    require_review_break_glass(actor)
    if outcome not in ReviewOutcome.values:
        raise ValidationError({"outcome": [_("Choose “justified” or “not justified”.")]})
    note = clean_text(note, field="note", required=True, max_length=NOTE_MAX)
    with transaction.atomic(), set_actor(actor):
        locked = BreakGlass.objects.select_for_update().get(pk=use.pk)
        if locked.review_outcome:
            raise InvalidTransition(ALREADY_REVIEWED)
        locked.review_outcome = outcome
        locked.review_note = note
        locked.reviewed_by = actor
        locked.reviewed_at = timezone.now()
        locked.save()
        record_event(
            locked.case,
            actor=actor,
            event=Event.BREAK_GLASS_REVIEWED,
            outcome=outcome,
            break_glass=str(locked.pk),
            note_ref=f"breakglass.BreakGlass.review_note:{locked.pk}",
        )
    return locked
