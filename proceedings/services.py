"""Recording the person's part in proceedings: a proceeding, its changes, its hearings, the
protection measures asked and their decisions.

Every function runs in one transaction, in the same order: lock the case row (then the
proceeding's or the measure's), ask the rule (``proceedings.rules``), check the input, refuse a
closed case; then write. auditlog writes each row's entry (the protected fields masked); a
change of the compensation status and a decision on a protection measure are also typed events
(codes and ids only). Refused calls change nothing and write no entry. Errors, in this order:
PermissionDenied, ValidationError, InvalidTransition.

Nothing here touches assistance: a case's stage, referrals and services never depend on a
proceeding (the non-punishment principle).
"""

import datetime

from auditlog.context import set_actor
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.entries import record_event
from audit.events import Event
from cases.models import Case, Stage
from cases.primitives import lock_case
from core.errors import InvalidTransition
from core.text import NOTE_MAX
from proceedings import rules
from proceedings.models import (
    COURT_MAX,
    CompensationStatus,
    Hearing,
    HearingPurpose,
    MeasureKind,
    MeasureStatus,
    PartyRole,
    Proceeding,
    ProceedingKind,
    ProtectionMeasure,
)

REFERENCE_MAX = 100
REPRESENTATION_MAX = 500
OUTCOME_MAX = NOTE_MAX
# What ``update_proceeding`` changes.
PROCEEDING_FIELDS = frozenset(
    {
        "kind",
        "reference",
        "court_or_prosecutor",
        "role",
        "legal_representation",
        "compensation_status",
        "notes",
    }
)
DECIDED = frozenset({MeasureStatus.GRANTED, MeasureStatus.REFUSED})


# --- Input ------------------------------------------------------------------------------------
def _text(value, *, max_length: int, required_message=None) -> tuple[str, list]:
    """``value`` stripped, and its errors: missing (when required) or too long."""
    value = (value or "").strip()
    if required_message and not value:
        return value, [required_message]
    if len(value) > max_length:
        return value, [_("Keep this under %(n)d characters.") % {"n": max_length}]
    return value, []


def _choice(value, choices, message) -> list:
    return [] if value in choices.values else [message]


def _date(value, *, required_message, future: bool, today: datetime.date) -> list:
    if value is None:
        return [required_message]
    if not isinstance(value, datetime.date):
        return [_("Give a date.")]
    if value < settings.NRM_EARLIEST_IDENTIFICATION:
        return [
            _("Not before %(date)s.") % {"date": settings.NRM_EARLIEST_IDENTIFICATION.isoformat()}
        ]
    if not future and value > today:
        return [_("This date cannot be in the future.")]
    return []


def _proceeding_values(values: dict) -> dict:
    """The proceeding's fields cleaned; ValidationError naming each field that is wrong."""
    errors: dict[str, list] = {}
    cleaned = dict(values)
    errors["kind"] = _choice(
        values.get("kind"), ProceedingKind, _("Choose a criminal or a civil proceeding.")
    )
    errors["role"] = _choice(values.get("role"), PartyRole, _("Choose the person's role."))
    errors["compensation_status"] = _choice(
        values.get("compensation_status"), CompensationStatus, _("Choose a compensation status.")
    )
    for field, max_length, required in (
        ("court_or_prosecutor", COURT_MAX, _("Name the court or the prosecutor's office.")),
        ("reference", REFERENCE_MAX, None),
        ("legal_representation", REPRESENTATION_MAX, None),
        ("notes", NOTE_MAX, None),
    ):
        cleaned[field], errors[field] = _text(
            values.get(field), max_length=max_length, required_message=required
        )
    errors = {field: messages for field, messages in errors.items() if messages}
    if errors:
        raise ValidationError(errors)
    return cleaned


def _refuse_when_closed(case: Case) -> None:
    if case.stage == Stage.CLOSED:
        raise InvalidTransition(_("The case is closed. Reopen it to record proceedings."))


def _lock_proceeding(proceeding) -> tuple[Case, Proceeding]:
    """Lock the case row, then the proceeding's (the order every case action takes)."""
    case = lock_case(proceeding.case_id)
    locked = Proceeding.objects.select_for_update().get(pk=proceeding.pk)
    locked.case = case
    return case, locked


# --- Actions ----------------------------------------------------------------------------------
def add_proceeding(
    case: Case,
    *,
    actor,
    kind: str,
    court_or_prosecutor: str,
    role: str,
    reference: str = "",
    legal_representation: str = "",
    compensation_status: str = CompensationStatus.NONE,
    notes: str = "",
) -> Proceeding:
    """Record a proceeding the person takes part in, by the lead organisation or one with an
    accepted Legal referral.

    Side effects: one Proceeding row recorded by the actor's organisation (auditlog's entry,
    the reference, the representation and the notes masked). Raises PermissionDenied,
    ValidationError, then InvalidTransition (closed case).
    """
    with transaction.atomic(), set_actor(actor):
        locked = lock_case(case)
        rules.require(actor, "add_proceeding", locked)
        values = _proceeding_values(
            {
                "kind": kind,
                "court_or_prosecutor": court_or_prosecutor,
                "role": role,
                "reference": reference,
                "legal_representation": legal_representation,
                "compensation_status": compensation_status,
                "notes": notes,
            }
        )
        _refuse_when_closed(locked)
        return Proceeding.objects.create(
            case=locked, organisation=actor.organisation, recorded_by=actor, **values
        )


def update_proceeding(proceeding: Proceeding, *, actor, changes: dict) -> Proceeding:
    """Change a proceeding's fields (``PROCEEDING_FIELDS``); a field left out keeps its value.

    Side effects: the changed fields and ``updated_at`` (auditlog's entry, protected values
    masked); a change of the compensation status is also one "compensation_status_changed"
    entry naming both statuses and the case. Nothing when no value differs. Raises
    PermissionDenied, ValidationError, then InvalidTransition (closed case).
    """
    unknown = set(changes) - PROCEEDING_FIELDS
    if unknown:
        raise ValueError(f"update_proceeding changes only {sorted(PROCEEDING_FIELDS)}")
    with transaction.atomic(), set_actor(actor):
        case, locked = _lock_proceeding(proceeding)
        rules.require(actor, "update_proceeding", case)
        current = {field: getattr(locked, field) for field in PROCEEDING_FIELDS}
        values = _proceeding_values({**current, **changes})
        _refuse_when_closed(case)
        if values == current:
            return locked
        source = locked.compensation_status
        for field, value in values.items():
            setattr(locked, field, value)
        locked.save()
        if locked.compensation_status != source:
            record_event(
                locked,
                actor=actor,
                event=Event.COMPENSATION_STATUS_CHANGED,
                field="compensation_status",
                source=source,
                target=locked.compensation_status,
                case=str(case.pk),
            )
        return locked


def add_hearing(
    proceeding: Proceeding,
    *,
    actor,
    held_on: datetime.date | None,
    purpose: str,
    outcome: str = "",
) -> Hearing:
    """Record a hearing of the proceeding: held, or to come (a future date, without outcome).

    Side effects: one Hearing row (auditlog's entry, the outcome masked). Raises
    PermissionDenied, ValidationError, then InvalidTransition (closed case).
    """
    today = timezone.localdate()
    with transaction.atomic(), set_actor(actor):
        case, locked = _lock_proceeding(proceeding)
        rules.require(actor, "add_hearing", case)
        errors = {
            "held_on": _date(
                held_on, required_message=_("Give the hearing's date."), future=True, today=today
            ),
            "purpose": _choice(purpose, HearingPurpose, _("Choose what the hearing is for.")),
        }
        outcome, errors["outcome"] = _text(outcome, max_length=OUTCOME_MAX)
        if not errors["held_on"] and outcome and held_on > today:
            errors["outcome"] = [_("A hearing still to come has no outcome yet.")]
        errors = {field: messages for field, messages in errors.items() if messages}
        if errors:
            raise ValidationError(errors)
        _refuse_when_closed(case)
        return Hearing.objects.create(
            proceeding=locked, held_on=held_on, purpose=purpose, outcome=outcome, recorded_by=actor
        )


def _measure_errors(*, status, asked_on, decided_on, today) -> dict:
    errors = {
        "status": _choice(status, MeasureStatus, _("Choose the measure's status.")),
        "asked_on": _date(
            asked_on, required_message=_("Give the date it was asked."), future=False, today=today
        ),
    }
    if status in DECIDED:
        errors["decided_on"] = _date(
            decided_on,
            required_message=_("Give the date of the decision."),
            future=False,
            today=today,
        )
        if not errors["decided_on"] and not errors["asked_on"] and decided_on < asked_on:
            errors["decided_on"] = [_("The decision cannot come before the request.")]
    elif decided_on is not None:
        errors["decided_on"] = [_("A measure still asked has no decision date.")]
    return {field: messages for field, messages in errors.items() if messages}


def record_protection_measure(
    proceeding: Proceeding,
    *,
    actor,
    measure: str,
    asked_on: datetime.date | None,
    status: str = MeasureStatus.ASKED,
    decided_on: datetime.date | None = None,
) -> ProtectionMeasure:
    """Record a protection measure asked for the person (testimony by video, identity
    withheld …), and its decision when already known.

    Side effects: one ProtectionMeasure row (auditlog's entry). Raises PermissionDenied,
    ValidationError, then InvalidTransition (closed case).
    """
    with transaction.atomic(), set_actor(actor):
        case, locked = _lock_proceeding(proceeding)
        rules.require(actor, "record_protection_measure", case)
        errors = _measure_errors(
            status=status, asked_on=asked_on, decided_on=decided_on, today=timezone.localdate()
        )
        kind_errors = _choice(measure, MeasureKind, _("Choose a protection measure."))
        if kind_errors:
            errors["measure"] = kind_errors
        if errors:
            raise ValidationError(errors)
        _refuse_when_closed(case)
        return ProtectionMeasure.objects.create(
            proceeding=locked,
            measure=measure,
            asked_on=asked_on,
            status=status,
            decided_on=decided_on,
            recorded_by=actor,
        )


def decide_protection_measure(
    measure: ProtectionMeasure, *, actor, status: str, decided_on: datetime.date | None
) -> ProtectionMeasure:
    """Record the decision on an asked measure: granted or refused, on a date.

    Side effects: the measure's status and ``decided_on`` (auditlog's entry) and one
    "protection_measure_decided" entry naming the measure, the status and the case. Raises
    PermissionDenied, ValidationError, then InvalidTransition (closed case, a measure already
    decided).
    """
    with transaction.atomic(), set_actor(actor):
        case = lock_case(measure.proceeding.case_id)
        locked = ProtectionMeasure.objects.select_for_update().get(pk=measure.pk)
        rules.require(actor, "decide_protection_measure", case)
        if status not in DECIDED:
            raise ValidationError({"status": [_("Choose granted or refused.")]})
        errors = _measure_errors(
            status=status,
            asked_on=locked.asked_on,
            decided_on=decided_on,
            today=timezone.localdate(),
        )
        if errors:
            raise ValidationError(errors)
        _refuse_when_closed(case)
        if locked.status in DECIDED:
            raise InvalidTransition(_("This measure was already decided."))
        locked.status, locked.decided_on = status, decided_on
        locked.save()
        record_event(
            locked,
            actor=actor,
            event=Event.PROTECTION_MEASURE_DECIDED,
            measure=locked.measure,
            status=status,
            proceeding=str(locked.proceeding_id),
            case=str(case.pk),
        )
        return locked
