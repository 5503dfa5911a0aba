"""Creating a referral: the one way a case reaches another organisation."""

from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.roles import OrganisationKind
from audit.entries import record_event
from audit.events import Event
from cases import rules
from cases.access import sync_case_access
from cases.models import ConsentOverride, Stage
from cases.primitives import lock_case
from core.errors import ConsentRequired, InvalidTransition
from core.text import clean_text
from notices import events as notices
from reference.models import STATUS_DECISION_SERVICE
from referral.models import Referral, ReferralState, Urgency
from referral.rules import ASSISTANCE_KINDS
from tasks import system as tasks


def _validate_new_referral(case, *, actor, to_organisation, services, urgency, transfers_lead):
    errors = {}
    codes = {s.code for s in services}
    if not services:
        errors["services"] = [_("Choose at least one service.")]
    if to_organisation is None or not to_organisation.active:
        errors["to_organisation"] = [_("Choose an active organisation.")]
    elif to_organisation.pk == actor.organisation_id:
        errors["to_organisation"] = [_("A referral goes to another organisation.")]
    elif to_organisation.kind == OrganisationKind.AUTHORITY:
        if codes and codes != {STATUS_DECISION_SERVICE}:
            errors["services"] = [_("The status authority only takes status decisions.")]
    elif to_organisation.kind not in ASSISTANCE_KINDS:
        errors["to_organisation"] = [_("This organisation does not take referrals.")]
    elif STATUS_DECISION_SERVICE in codes:
        errors["services"] = [_("Send status decisions to the status authority.")]
    if urgency not in Urgency.values:
        errors["urgency"] = [_("Choose an urgency.")]
    if transfers_lead and case.lead_organisation_id != actor.organisation_id:
        errors["transfers_lead"] = [_("Only the lead organisation can hand over the lead.")]
    if transfers_lead and STATUS_DECISION_SERVICE in codes:
        errors["transfers_lead"] = [_("A status decision does not transfer the lead.")]
    if (
        to_organisation is not None
        and not errors.get("to_organisation")
        and case.referrals.filter(
            to_organisation=to_organisation,
            state__in=[ReferralState.PENDING, ReferralState.ACCEPTED],
        ).exists()
    ):
        errors["to_organisation"] = [_("This organisation already has an open referral.")]
    if errors:
        raise ValidationError(errors)


def _consent_or_override(case, *, actor, override: str) -> ConsentOverride | None:
    """None while the person's referral consent is in force; without it, the supervisor's
    override (a row holding its reason), or ConsentRequired when none was given."""
    if case.referral_consent:
        return None
    if not override:
        raise ConsentRequired
    return ConsentOverride.objects.create(
        case=case, reason=override, actor=actor, organisation=actor.organisation
    )


def create_referral(
    case,
    *,
    actor,
    to_organisation,
    services,
    reason: str = "",
    urgency: str = Urgency.ROUTINE,
    transfers_lead: bool = False,
    consent_override_reason: str = "",
) -> Referral:
    """Refer the case to another organisation, which sees its profile until it accepts.

    Needs the person's referral consent (or, for a child, the guardian's), unless a supervisor
    of the lead organisation overrides with a reason.

    Side effects, in one transaction (case row locked):
    - a pending Referral with its services and protected reason;
    - without consent: a ConsentOverride row holding the override reason, and its own
      "consent_override" audit entry referencing it;
    - access: the receiver gets the case's profile (``sync_case_access``);
    - a notice to the receiving organisation (``notices.events.referral_received``); on
      commit, mail to its members who chose it (on by default), a link only;
    - the receiver's task to answer it, due at its response time (``tasks.system``).
    Raises PermissionDenied, ValidationError, InvalidTransition (closed case) or
    ConsentRequired, in that order.
    """
    services = list(services)
    with transaction.atomic(), set_actor(actor):
        locked = lock_case(case)
        relations = rules.case_relations(actor, locked)
        rules.require(actor, "refer", locked, relations=relations)
        override = (consent_override_reason or "").strip()
        if override:
            rules.require(actor, "override_consent", locked, relations=relations)
        reason = clean_text(reason, field="reason", required=False)
        override = clean_text(override, field="consent_override_reason", required=False)
        _validate_new_referral(
            locked,
            actor=actor,
            to_organisation=to_organisation,
            services=services,
            urgency=urgency,
            transfers_lead=transfers_lead,
        )
        if locked.stage == Stage.CLOSED:
            raise InvalidTransition(_("The case is closed. Reopen it before referring."))
        consent_override = _consent_or_override(locked, actor=actor, override=override)
        referral = Referral.objects.create(
            case=locked,
            from_organisation=actor.organisation,
            to_organisation=to_organisation,
            reason=reason,
            urgency=urgency,
            transfers_lead=transfers_lead,
            consent_override=consent_override,
            created_by=actor,
        )
        referral.services.set(services)
        if consent_override:
            record_event(
                locked,
                actor=actor,
                event=Event.CONSENT_OVERRIDE,
                referral=str(referral.pk),
                reason_ref=f"cases.ConsentOverride:{consent_override.pk}",
            )
        sync_case_access(locked)
        notices.referral_received(referral)
        tasks.open_referral_answer(referral)
    return referral
