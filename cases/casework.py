"""Work recorded on a case: notes, and the services delivered with their life (planned,
ongoing, then completed or stopped).

Every function runs in one transaction, in the same order: lock the case row (then the service
record's), check the rule (``cases.rules``), refuse a closed case (and an ended service), check
the input, write; auditlog writes the row's entry, and a service's status transition adds one
typed event entry. Refused calls change nothing and write no entry. Errors, in this order:
PermissionDenied, InvalidTransition, ValidationError.
"""

import datetime

from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from audit.entries import record_event
from audit.events import Event
from cases import rules
from cases.consistency import service_date_errors
from cases.models import (
    ENDED_SERVICE,
    PRIVATE_BY_DEFAULT,
    Case,
    Note,
    NoteKind,
    NoteVisibility,
    ServiceRecord,
    ServiceStatus,
    Stage,
)
from cases.primitives import lock_case
from core.errors import InvalidTransition
from core.text import NOTE_MAX
from reference.models import STATUS_DECISION_SERVICE

# What ``update_service`` changes.
SERVICE_FIELDS = frozenset({"status", "started_on", "ended_on"})
# The transition of ServiceRecord's state machine that takes a service to each status, and
# its audit event. Nothing goes back to planned.
SERVICE_MOVES = {
    ServiceStatus.ONGOING: ("start", Event.SERVICE_STARTED),
    ServiceStatus.COMPLETED: ("complete", Event.SERVICE_COMPLETED),
    ServiceStatus.CANCELLED: ("stop", Event.SERVICE_STOPPED),
}


def add_note(
    case: Case, *, actor, body: str, kind: str = NoteKind.GENERAL, visibility=None
) -> Note:
    """Add a protected note; medical and psychological notes default to the own organisation.

    Side effects: one Note row (audited by auditlog, the body masked). Raises PermissionDenied,
    InvalidTransition (closed case), then ValidationError.
    """
    body = (body or "").strip()
    errors = {}
    if not body:
        errors["body"] = [_("Write the note.")]
    elif len(body) > NOTE_MAX:
        errors["body"] = [_("Keep the note under %(n)d characters.") % {"n": NOTE_MAX}]
    if kind not in NoteKind.values:
        errors["kind"] = [_("Choose a kind of note.")]
    if visibility in (None, ""):
        visibility = NoteVisibility.OWN if kind in PRIVATE_BY_DEFAULT else NoteVisibility.SHARED
    if visibility not in NoteVisibility.values:
        errors["visibility"] = [_("Choose who may read the note.")]
    with transaction.atomic(), set_actor(actor):
        locked = lock_case(case)
        rules.require(actor, "add_note", locked)
        if locked.stage == Stage.CLOSED:
            raise InvalidTransition(_("The case is closed. Reopen it to add notes."))
        if errors:
            raise ValidationError(errors)
        return Note.objects.create(
            case=locked,
            kind=kind,
            visibility=visibility,
            body=body,
            author=actor,
            organisation=actor.organisation,
        )


def record_service(
    case: Case,
    *,
    actor,
    service_type,
    started_on: datetime.date | None,
    ended_on: datetime.date | None = None,
    status: str = ServiceStatus.ONGOING,
) -> ServiceRecord:
    """Record assistance the actor's organisation plans, delivers or delivered to the person.

    The dates follow the status (``cases.consistency.service_date_errors``): a planned service
    may start in the future; an ongoing one has started; a completed or stopped one has an end
    date. The status decision is no service.

    Side effects: one ServiceRecord row provided by the actor's organisation, ``ended_by`` the
    actor when it is recorded as ended (audited by auditlog). Raises PermissionDenied,
    InvalidTransition (closed case), then ValidationError.
    """
    errors = {}
    if status not in ServiceStatus.values:
        errors["status"] = [_("Choose a status.")]
    else:
        errors.update(
            service_date_errors(
                status=status,
                started_on=started_on,
                ended_on=ended_on,
                today=timezone.localdate(),
            )
        )
    if service_type is None:
        errors["service_type"] = [_("Choose a service.")]
    elif getattr(service_type, "code", None) == STATUS_DECISION_SERVICE:
        errors["service_type"] = [
            _("The status decision is recorded by the status authority, not as a service.")
        ]
    with transaction.atomic(), set_actor(actor):
        locked = lock_case(case)
        rules.require(actor, "record_service", locked)
        if locked.stage == Stage.CLOSED:
            raise InvalidTransition(_("The case is closed. Reopen it to record services."))
        if errors:
            raise ValidationError(errors)
        return ServiceRecord.objects.create(
            case=locked,
            service_type=service_type,
            provider=actor.organisation,
            status=status,
            started_on=started_on,
            ended_on=ended_on,
            recorded_by=actor,
            ended_by=actor if status in ENDED_SERVICE else None,
        )


def update_service(record: ServiceRecord, *, actor, changes: dict) -> ServiceRecord:
    """Change a service's status and dates, by its provider while it works on the case.

    ``changes`` holds any of "status", "started_on" and "ended_on"; a field left out keeps
    its value. The status moves forward only: planned → ongoing, and planned or ongoing →
    completed or stopped ("cancelled"). The dates must fit the new status
    (``cases.consistency.service_date_errors``). An ended service is never changed again.

    Side effects: the record's changed fields and ``updated_at``, ``ended_by`` the actor when
    it ends; auditlog's entry (the names and values of the fields changed: statuses and
    dates); for a status change, one "service_started", "service_completed" or
    "service_stopped" entry naming both statuses and the case. None when no value differs.
    Raises PermissionDenied, InvalidTransition (a closed case, an ended service, a status
    moving back), then ValidationError.
    """
    unknown = set(changes) - SERVICE_FIELDS
    if unknown:
        raise ValueError(f"update_service changes only {sorted(SERVICE_FIELDS)}: {sorted(unknown)}")
    with transaction.atomic(), set_actor(actor):
        case, locked = _lock_service(record)
        rules.require_on_service(actor, "update_service", locked)
        _refuse_when_closed_or_ended(case, locked)
        status = changes.get("status", locked.status)
        started_on = changes.get("started_on", locked.started_on)
        ended_on = changes.get("ended_on", locked.ended_on)
        if status not in ServiceStatus.values:
            raise ValidationError({"status": [_("Choose a status.")]})
        _check_move(locked, status)
        errors = service_date_errors(
            status=status, started_on=started_on, ended_on=ended_on, today=timezone.localdate()
        )
        if errors:
            raise ValidationError(errors)
        return _write_service(
            locked, actor=actor, status=status, started_on=started_on, ended_on=ended_on
        )


def end_service(
    record: ServiceRecord, *, actor, outcome: str, ended_on: datetime.date | None
) -> ServiceRecord:
    """Complete or stop ("cancelled") a planned or ongoing service, by its provider while it
    works on the case; the end date is not in the future and not before the start.

    Side effects: the record's status, ``ended_on``, ``ended_by`` (the actor) and
    ``updated_at``; auditlog's entry; one "service_completed" or "service_stopped" entry naming
    both statuses and the case. Raises PermissionDenied, InvalidTransition (a closed case, an
    ended service), then ValidationError.
    """
    with transaction.atomic(), set_actor(actor):
        case, locked = _lock_service(record)
        rules.require_on_service(actor, "update_service", locked)
        _refuse_when_closed_or_ended(case, locked)
        if outcome not in ENDED_SERVICE:
            raise ValidationError(
                {"outcome": [_("Choose whether the service was completed or stopped.")]}
            )
        errors = service_date_errors(
            status=outcome,
            started_on=locked.started_on,
            ended_on=ended_on,
            today=timezone.localdate(),
        )
        if errors:
            raise ValidationError(errors)
        return _write_service(
            locked, actor=actor, status=outcome, started_on=locked.started_on, ended_on=ended_on
        )


def _lock_service(record: ServiceRecord) -> tuple[Case, ServiceRecord]:
    """Lock the case row, then the record's (the order every case action takes); the record
    carries the locked case, so the rules read it without another query."""
    case = lock_case(record.case_id)
    locked = ServiceRecord.objects.select_for_update().get(pk=record.pk)
    locked.case = case
    return case, locked


def _refuse_when_closed_or_ended(case: Case, record: ServiceRecord) -> None:
    if case.stage == Stage.CLOSED:
        raise InvalidTransition(_("The case is closed. Reopen it to update its services."))
    if record.is_ended:
        raise InvalidTransition(
            _(
                "This service has ended (%(status)s) and cannot be changed. If the assistance "
                "resumes, record it as a new service."
            )
            % {"status": record.get_status_display()}
        )


def _check_move(record: ServiceRecord, status: str) -> None:
    """InvalidTransition unless the state machine takes the record to ``status`` (or it stays)."""
    if status == record.status:
        return
    name, _event = SERVICE_MOVES.get(status, (None, None))
    if name is None or not can_proceed(getattr(record, name)):
        raise InvalidTransition(
            _("A service's status moves forward only: not from “%(source)s” to “%(target)s”.")
            % {"source": record.get_status_display(), "target": ServiceStatus(status).label}
        )


def _write_service(
    record: ServiceRecord, *, actor, status: str, started_on, ended_on
) -> ServiceRecord:
    """Write checked values to the locked record; a status transition is also its own event."""
    source = record.status
    if (status, started_on, ended_on) == (source, record.started_on, record.ended_on):
        return record
    event = None
    if status != source:
        name, event = SERVICE_MOVES[status]
        getattr(record, name)()
        if record.is_ended:
            record.ended_by = actor
    record.started_on, record.ended_on = started_on, ended_on
    record.save()
    if event is not None:
        record_event(
            record,
            actor=actor,
            event=event,
            transition=name,
            field="status",
            source=source,
            target=status,
            case=str(record.case_id),
        )
    return record
