"""Referral services: create, accept, decline, cancel, complete.

Lock order is always the case row first, then the referral row, so a referral transition and
a consent withdrawal on the same case cannot deadlock. Each function re-reads both rows under
the lock and re-checks permission and state: of two concurrent accepts, exactly one wins and
the other raises InvalidTransition (HTTP 409), and access is granted once.
"""

from auditlog.context import set_actor
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from accounts.roles import FRONTLINE_KINDS, OrganisationKind
from cases import rules
from cases.access import sync_case_access
from cases.audit import record_event
from cases.errors import ConsentRequired, InvalidTransition
from cases.models import ConsentOverride, Stage
from cases.workflow import REASON_MAX, lock_case, start_assistance
from referral.models import STATUS_DECISION, Referral, ReferralState, Urgency
from referral.notifications import notify_new_referral

ASSISTANCE_KINDS = FRONTLINE_KINDS


def referral_targets(actor):
    """The organisations the actor may refer to: active ones that take referrals, not its own."""
    from accounts.models import Organisation

    return (
        Organisation.objects.active()
        .filter(kind__in=[*ASSISTANCE_KINDS, OrganisationKind.AUTHORITY])
        .exclude(pk=actor.organisation_id)
    )


def _clean_text(value: str, field: str, *, required: bool) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: [_("Give a reason.")]})
    if len(value) > REASON_MAX:
        raise ValidationError({field: [_("Keep this under %(n)d characters.") % {"n": REASON_MAX}]})
    return value


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
        if codes and codes != {STATUS_DECISION}:
            errors["services"] = [_("The status authority only takes status decisions.")]
    elif to_organisation.kind not in ASSISTANCE_KINDS:
        errors["to_organisation"] = [_("This organisation does not take referrals.")]
    elif STATUS_DECISION in codes:
        errors["services"] = [_("Send status decisions to the status authority.")]
    if urgency not in Urgency.values:
        errors["urgency"] = [_("Choose an urgency.")]
    if transfers_lead and case.lead_organisation_id != actor.organisation_id:
        errors["transfers_lead"] = [_("Only the lead organisation can hand over the lead.")]
    if transfers_lead and STATUS_DECISION in codes:
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
    of the lead organisation overrides with a reason, audited as its own event. Mails the
    receiving organisation a link (no personal data) once committed.
    """
    services = list(services)
    with transaction.atomic(), set_actor(actor):
        locked = lock_case(case)
        relations = rules.case_relations(actor, locked)
        if not rules.may(actor, "refer", locked, relations=relations):
            raise PermissionDenied(_("Your organisation cannot refer this case."))
        override = (consent_override_reason or "").strip()
        if override and not rules.may(actor, "override_consent", locked, relations=relations):
            raise PermissionDenied(
                _("Only a supervisor of the lead organisation can override consent.")
            )
        reason = _clean_text(reason, "reason", required=False)
        override = _clean_text(override, "consent_override_reason", required=False)
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
        consent_override = None
        if not locked.referral_consent:
            if not override:
                raise ConsentRequired
            consent_override = ConsentOverride.objects.create(
                case=locked, reason=override, actor=actor, organisation=actor.organisation
            )
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
                event="consent_override",
                referral=str(referral.pk),
                reason_ref=f"cases.ConsentOverride:{consent_override.pk}",
            )
        sync_case_access(locked)
        transaction.on_commit(lambda: notify_new_referral(referral.pk))
    return referral


def _lock(referral):
    """Lock the referral's case, then the referral; re-read both (see module docstring)."""
    case_id = Referral.objects.values_list("case_id", flat=True).get(pk=referral.pk)
    case = lock_case(case_id)
    return case, Referral.objects.select_for_update().get(pk=referral.pk)


def _transition(
    referral, name: str, *, actor, apply=None, reason_field=None, reason="", required=False
):
    with transaction.atomic(), set_actor(actor):
        case, locked = _lock(referral)
        if not rules.may_on_referral(actor, name, locked):
            raise PermissionDenied(_("This action on the referral is not yours to take."))
        if reason_field:
            reason = _clean_text(reason, "reason", required=required)
        method = getattr(locked, name)
        if not can_proceed(method):
            raise InvalidTransition
        source = locked.state
        method()
        now = timezone.now()
        if name in ("accept", "decline"):
            locked.decided_at = now
        if name == "complete":
            locked.completed_at = now
        if reason_field:
            setattr(locked, reason_field, reason)
        locked.save()
        if apply:
            apply(case, locked)
        record_event(
            locked,
            actor=actor,
            event=name,
            transition=name,
            field="state",
            source=source,
            target=locked.state,
            case=str(case.pk),
            reason_ref=f"referral.Referral.{reason_field}:{locked.pk}" if reason else None,
        )
        sync_case_access(case)
    return locked


def accept_referral(referral, *, actor) -> Referral:
    """Accept: the receiver gets full access; a lead transfer and the assistance stage follow."""

    def apply(case, locked):
        today = timezone.localdate()
        codes = set(locked.services.values_list("code", flat=True))
        changed = []
        if locked.transfers_lead:
            case.lead_organisation_id = locked.to_organisation_id
            changed.append("lead_organisation")
        if codes - {STATUS_DECISION}:
            if case.first_referral_accepted_on is None:
                case.first_referral_accepted_on = today
                changed.append("first_referral_accepted_on")
            if case.stage == Stage.IDENTIFICATION:
                if changed:
                    case.save()
                start_assistance(case, actor=actor, today=today)
                return
        if changed:
            case.save()

    return _transition(referral, "accept", actor=actor, apply=apply)


def decline_referral(referral, *, actor, reason: str) -> Referral:
    """Decline with a reason (protected on the referral); the profile access ends."""
    return _transition(
        referral,
        "decline",
        actor=actor,
        reason_field="decline_reason",
        reason=reason,
        required=True,
    )


def cancel_referral(referral, *, actor) -> Referral:
    """The sender withdraws a pending referral; the receiver's profile access ends."""
    return _transition(referral, "cancel", actor=actor)


def complete_referral(referral, *, actor) -> Referral:
    """The receiver's work is done; its access ends unless it holds access another way."""
    return _transition(referral, "complete", actor=actor)


def end_referrals_after_withdrawal(case, *, actor) -> None:
    """Consent to referral withdrawn: cancel pending referrals and end accepted ones.

    Called by ``record_consent`` with the case row already locked, inside its transaction.
    """
    open_referrals = Referral.objects.select_for_update().filter(
        case=case, state__in=[ReferralState.PENDING, ReferralState.ACCEPTED]
    )
    now = timezone.now()
    for referral in open_referrals:
        source = referral.state
        if source == ReferralState.PENDING:
            referral.cancel()
        else:
            referral.complete()
            referral.completed_at = now
        referral.save()
        record_event(
            referral,
            actor=actor,
            event="cancel" if source == ReferralState.PENDING else "complete",
            transition="cancel" if source == ReferralState.PENDING else "complete",
            field="state",
            source=source,
            target=referral.state,
            case=str(case.pk),
            cause="consent_withdrawn",
        )
