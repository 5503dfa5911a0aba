"""Recording the person's consent, or its withdrawal, which takes effect at once."""

from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.entries import record_event
from audit.events import Event
from cases import rules
from cases.access import sync_case_access
from cases.models import Case, Consent, ConsentGivenBy, ConsentScope, Stage
from cases.primitives import lock_case
from core.errors import InvalidTransition
from notices import events as notices
from referral.models import EndReason
from referral.primitives import end_open_referrals


def record_consent(
    case: Case, *, actor, scope: str, given: bool, given_by: str | None = None
) -> Consent:
    """Record a consent or its withdrawal; the latest of a scope is in force.

    Side effects, in one transaction (case row locked):
    - a Consent row; the case's ``referral_consent`` or ``statistics_consent`` flag;
    - one "consent_given" or "consent_withdrawn" audit entry;
    - withdrawing referral consent (DESIGN.md rule 4): pending referrals are cancelled and
      accepted ones end, with the reason ``consent_withdrawn`` (each with its own entry), and
      every organisation but the registering and lead ones loses access (``sync_case_access``);
      a notice to each organisation whose part ended, and to the sender of each cancelled
      referral (``notices.events.consent_withdrawn``); mail on commit to the members who
      chose it.
    ``given_by`` left out is the guardian's (best-interest) decision on a child's case and the
    person's own on an adult's. Raises PermissionDenied, InvalidTransition (closed case), then
    ValidationError (bad scope or given_by; a guardian for an adult).
    """
    if scope not in ConsentScope.values:
        raise ValidationError({"scope": [_("Choose referral or statistics.")]})
    if given_by is not None and given_by not in ConsentGivenBy.values:
        raise ValidationError({"given_by": [_("Choose the person or the guardian.")]})
    with transaction.atomic(), set_actor(actor):
        locked = lock_case(case)
        rules.require(actor, "record_consent", locked)
        if locked.stage == Stage.CLOSED:
            raise InvalidTransition(_("The case is closed. Reopen it to record consent."))
        if given_by is None:
            given_by = ConsentGivenBy.GUARDIAN if locked.is_child else ConsentGivenBy.PERSON
        if given_by == ConsentGivenBy.GUARDIAN and not locked.is_child:
            raise ValidationError(
                {"given_by": [_("A guardian's consent applies to a child's case only.")]}
            )
        consent = Consent.objects.create(
            case=locked,
            scope=scope,
            given=given,
            given_by=given_by,
            recorded_by=actor,
            organisation=actor.organisation,
        )
        if scope == ConsentScope.REFERRAL:
            locked.referral_consent = given
        else:
            locked.statistics_consent = given
        locked.save(update_fields=["referral_consent", "statistics_consent", "updated_at"])
        record_event(
            locked,
            actor=actor,
            event=Event.CONSENT_GIVEN if given else Event.CONSENT_WITHDRAWN,
            scope=scope,
            given_by=given_by,
            consent=consent.pk,
        )
        if scope == ConsentScope.REFERRAL and not given:
            ended = end_open_referrals(locked, actor=actor, reason=EndReason.CONSENT_WITHDRAWN)
            sync_case_access(locked)
            notices.consent_withdrawn(locked, ended)
    return consent
