"""Work recorded on a case: notes and the services delivered."""

import datetime

from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import rules
from cases.models import (
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
    started_on: datetime.date,
    ended_on: datetime.date | None = None,
    status: str = ServiceStatus.ONGOING,
) -> ServiceRecord:
    """Record assistance the actor's organisation delivers to the person.

    Side effects: one ServiceRecord row (audited by auditlog). Raises PermissionDenied,
    InvalidTransition (closed case), then ValidationError.
    """
    errors = {}
    today = timezone.localdate()
    if started_on > today:
        errors["started_on"] = [_("The start date cannot be in the future.")]
    if ended_on and ended_on < started_on:
        errors["ended_on"] = [_("The end date cannot be before the start date.")]
    if status not in ServiceStatus.values:
        errors["status"] = [_("Choose a status.")]
    if getattr(service_type, "code", None) == STATUS_DECISION_SERVICE:
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
        )
