"""A case's history as its lead organisation reads it: what happened, by whom, when, in words.

The lines come from the audit log (never a value: auditlog masks protected fields and the
domain events carry names and ids only). Changes are listed, newest first and paginated;
reads are summarised ("viewed 59 times, last by …") and listed only when asked for.
"""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Page
from django.db.models import CharField, Count, Q, Window
from django.db.models.functions import Cast
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from audit.events import Event
from audit.models import AuditEntry
from cases.models import Case, Note, Person, ServiceRecord
from core.pagination import counted_page
from plans.models import AssistancePlan, Need
from proceedings.models import Hearing, Proceeding, ProtectionMeasure
from referral.models import Referral
from tasks.models import Task

PAGE_SIZE = 25

# Words for the domain events a case's history holds (audit.events.Event).
EVENT_LABELS = {
    Event.START_ASSISTANCE: _("Assistance started"),
    Event.START_REINTEGRATION: _("Reintegration started"),
    Event.CLOSE: _("Case closed"),
    Event.REOPEN: _("Case reopened"),
    Event.CONFIRM_STATUS: _("Trafficking status confirmed"),
    Event.REJECT_STATUS: _("Status decision: not confirmed"),
    Event.RECONSIDER_STATUS: _("Status decision reconsidered"),
    Event.CASE_CORRECTED: _("Record corrected"),
    Event.CASE_ASSIGNED: _("Assignment changed"),
    Event.RISK_ASSESSED: _("Risk assessed"),
    Event.DOCUMENT_UPLOADED: _("Document added"),
    Event.TASK_DONE: _("Follow-up done"),
    Event.TASK_DROPPED: _("Follow-up dropped"),
    Event.TASK_REASSIGNED: _("Follow-up passed on"),
    Event.COMPENSATION_STATUS_CHANGED: _("Compensation claim changed"),
    Event.PROTECTION_MEASURE_DECIDED: _("Protection measure decided"),
    Event.REFERRAL_SLIP_PRINTED: _("Referral slip printed"),
    Event.SERVICE_STARTED: _("Service started"),
    Event.SERVICE_COMPLETED: _("Service completed"),
    Event.SERVICE_STOPPED: _("Service stopped"),
    Event.CONSENT_GIVEN: _("Consent recorded"),
    Event.CONSENT_WITHDRAWN: _("Consent withdrawn"),
    Event.CONSENT_OVERRIDE: _("Referred without consent (supervisor's override)"),
    Event.ACCEPT: _("Referral accepted"),
    Event.DECLINE: _("Referral declined"),
    Event.CANCEL: _("Referral cancelled"),
    Event.COMPLETE: _("Referral completed"),
    Event.END: _("Referral ended"),
}

# Words for the rows auditlog writes as records are created or changed, by model.
CHANGE_LABELS = {
    (Case, AuditEntry.Action.CREATE): _("Case registered"),
    (Case, AuditEntry.Action.UPDATE): _("Case updated"),
    (Person, AuditEntry.Action.CREATE): _("Identity recorded"),
    (Person, AuditEntry.Action.UPDATE): _("Identity changed"),
    (Note, AuditEntry.Action.CREATE): _("Note added"),
    (Note, AuditEntry.Action.UPDATE): _("Note changed"),
    (ServiceRecord, AuditEntry.Action.CREATE): _("Service recorded"),
    (ServiceRecord, AuditEntry.Action.UPDATE): _("Service updated"),
    (Referral, AuditEntry.Action.CREATE): _("Referral sent"),
    (Referral, AuditEntry.Action.UPDATE): _("Referral updated"),
    (AssistancePlan, AuditEntry.Action.CREATE): _("Assistance plan started"),
    (AssistancePlan, AuditEntry.Action.UPDATE): _("Assistance plan changed"),
    (Need, AuditEntry.Action.CREATE): _("Need added to the plan"),
    (Need, AuditEntry.Action.UPDATE): _("Need of the plan changed"),
    (Task, AuditEntry.Action.CREATE): _("Follow-up added"),
    (Task, AuditEntry.Action.UPDATE): _("Follow-up changed"),
    (Proceeding, AuditEntry.Action.CREATE): _("Proceeding recorded"),
    (Proceeding, AuditEntry.Action.UPDATE): _("Proceeding changed"),
    (Hearing, AuditEntry.Action.CREATE): _("Hearing recorded"),
    (Hearing, AuditEntry.Action.UPDATE): _("Hearing changed"),
    (ProtectionMeasure, AuditEntry.Action.CREATE): _("Protection measure asked"),
    (ProtectionMeasure, AuditEntry.Action.UPDATE): _("Protection measure changed"),
}
OTHER_CHANGE = _("Changed")

# The records whose entries make up a case's history besides the case itself. Consents,
# transitions, overrides, corrections, risk assessments and documents are told by their event
# on the case or the referral.
RELATED = (
    (Person, "case__pk"),
    (Note, "case_id"),
    (ServiceRecord, "case_id"),
    (Referral, "case_id"),
    (AssistancePlan, "case_id"),
    (Need, "plan__case_id"),
    (Task, "case_id"),
    (Proceeding, "case_id"),
    (Hearing, "proceeding__case_id"),
    (ProtectionMeasure, "proceeding__case_id"),
)


@dataclass(frozen=True)
class HistoryLine:
    at: object
    who: str
    organisation: str
    what: str
    fields: list


@dataclass(frozen=True)
class Reads:
    count: int
    last_at: object
    last_by: str
    last_organisation: str


@dataclass(frozen=True)
class CaseHistory:
    changes: Page
    reads: Reads
    # The reads one by one, when asked for (a Page of HistoryLine), else None.
    read_list: Page | None


def case_history(case: Case, *, page=None, reads_page=None, list_reads: bool = False):
    """The case's history: a page of changes, the reads summarised, and a page of the reads
    themselves when ``list_reads``. A bounded number of queries whatever the length."""
    entries = _entries(case)
    changes = counted_page(
        entries.exclude(action=AuditEntry.Action.ACCESS).select_related(
            "actor__organisation", "content_type"
        ),
        page,
        per_page=PAGE_SIZE,
    )
    changes.object_list = [_line(entry) for entry in changes.object_list]
    reads = _entries_of_case(case).filter(action=AuditEntry.Action.ACCESS)
    read_list = None
    if list_reads:
        read_list = counted_page(
            reads.select_related("actor__organisation", "content_type"),
            reads_page,
            per_page=PAGE_SIZE,
        )
        read_list.object_list = [_line(entry) for entry in read_list.object_list]
    return CaseHistory(changes=changes, reads=_summary(reads), read_list=read_list)


def _entries_of_case(case: Case):
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Case), object_pk=str(case.pk)
    ).order_by("-timestamp", "-id")


def _entries(case: Case):
    """Entries of the case and of the records that belong to it, newest first."""
    where = Q(content_type=ContentType.objects.get_for_model(Case), object_pk=str(case.pk))
    for model, link in RELATED:
        ids = (
            model.objects.filter(**{link: case.pk})
            .annotate(text_pk=Cast("pk", CharField()))
            .values("text_pk")
        )
        where |= Q(content_type=ContentType.objects.get_for_model(model), object_pk__in=ids)
    return AuditEntry.objects.filter(where).order_by("-timestamp", "-id")


def _summary(reads) -> Reads:
    """The reads counted beside the latest one, in one query (``reads`` is newest first)."""
    last = (
        reads.select_related("actor__organisation").annotate(read_count=Window(Count("id"))).first()
    )
    if last is None:
        return Reads(count=0, last_at=None, last_by="", last_organisation="")
    return Reads(
        count=last.read_count,
        last_at=last.timestamp,
        last_by=_who(last),
        last_organisation=_organisation(last),
    )


def _line(entry: AuditEntry) -> HistoryLine:
    return HistoryLine(
        at=entry.timestamp,
        who=_who(entry),
        organisation=_organisation(entry),
        what=str(_what(entry)),
        fields=_field_labels(entry),
    )


def _who(entry: AuditEntry) -> str:
    actor = entry.actor
    if actor is None:
        return str(_("The system"))
    return actor.get_full_name() or actor.get_username()


def _organisation(entry: AuditEntry) -> str:
    organisation = getattr(entry.actor, "organisation", None)
    return organisation.name if organisation else ""


def _what(entry: AuditEntry):
    data = entry.additional_data if isinstance(entry.additional_data, dict) else {}
    event = data.get("event")
    if event:
        return EVENT_LABELS.get(event, event.replace("_", " "))
    if entry.action == AuditEntry.Action.ACCESS:
        return _("Viewed")
    model = entry.content_type.model_class() if entry.content_type_id else None
    return CHANGE_LABELS.get((model, entry.action), OTHER_CHANGE)


def _field_labels(entry: AuditEntry) -> list[str]:
    """The changed fields' labels in the user's language (never their values)."""
    data = entry.additional_data if isinstance(entry.additional_data, dict) else {}
    if entry.action == AuditEntry.Action.CREATE:
        # A new record has every field: "Case registered" says it, a list of them adds nothing.
        return []
    if data.get("fields"):
        names = data["fields"]
        models = (Case, Person)
    else:
        names = sorted(entry.changes) if isinstance(entry.changes, dict) else []
        model = entry.content_type.model_class() if entry.content_type_id else None
        models = (model,) if model else ()
    return [_label(name, models) for name in names if name not in HIDDEN_FIELDS]


# Bookkeeping columns a reader learns nothing from.
HIDDEN_FIELDS = frozenset(
    {"id", "updated_at", "created_at", "given_name_index", "family_name_index"}
    | {"date_of_birth_index", "document_index", "name_dob_index", "person", "case"}
)


def _label(name: str, models) -> str:
    for model in models:
        try:
            found = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        # A reverse relation has no verbose name of its own: the related model's.
        verbose = getattr(found, "verbose_name", None) or found.related_model._meta.verbose_name
        return str(capfirst(verbose))
    return name.replace("_", " ")
