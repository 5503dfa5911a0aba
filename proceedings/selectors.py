"""Reading proceedings: who reads them is ``proceedings.rules``; which case, ``visible_to``.

A case the user does not see is a 404 (as everywhere); a visible case whose proceedings the
user's organisation does not read is a 403 for a list and a 404 for one proceeding (it cannot
know the proceeding exists). Lists are read in a constant number of queries.
"""

from dataclasses import dataclass, field

from django.http import Http404

from audit.entries import record_access
from cases.models import Case, Stage
from proceedings import rules
from proceedings.models import Proceeding, ProtectionMeasure


def readable_proceedings(case: Case):
    """The case's proceedings, newest first, with their hearings (by date) and protection
    measures (three queries in all, however many there are). Ask the rule first."""
    return (
        Proceeding.objects.filter(case=case)
        .select_related("organisation", "recorded_by")
        .prefetch_related("hearings", "protection_measures")
        .order_by("-created_at", "-id")
    )


@dataclass
class CaseProceedings:
    """The case page's proceedings section: what it lists and whether it offers forms."""

    proceedings: list
    may_write: bool
    # Filled by ``proceedings.forms.give_proceeding_forms`` for a writer.
    add_form: object = None
    forms: dict = field(default_factory=dict)


def case_proceedings(user, case: Case, *, relations=None) -> CaseProceedings | None:
    """The section for the case page, or None when the user's organisation does not read the
    case's proceedings. ``relations`` are ``cases.rules.case_relations`` already read."""
    relations = rules.proceeding_relations(user, case, relations=relations)
    if not rules.may(user, "read_proceedings", case, relations=relations):
        return None
    return CaseProceedings(
        proceedings=list(readable_proceedings(case)),
        may_write=case.stage != Stage.CLOSED
        and rules.may(user, "add_proceeding", case, relations=relations),
    )


def read_case_proceedings(user, case_id, *, request=None, channel: str) -> Case:
    """The case whose proceedings the user lists: Http404 when not visible, PermissionDenied
    unless the rules let the user's organisation read them. Writes an access entry naming what
    was read, like a read of the case."""
    case = Case.objects.visible_to(user).filter(pk=case_id).first()
    if case is None:
        raise Http404
    rules.require(user, "read_proceedings", case)
    record_access(case, actor=user, request=request, channel=channel, read="proceedings")
    return case


def _readable_case(user, case_id) -> Case:
    case = Case.objects.visible_to(user).filter(pk=case_id).first()
    if case is None or not rules.may(user, "read_proceedings", case):
        raise Http404
    return case


def proceeding_for(user, proceeding_id, *, case_id=None) -> Proceeding:
    """A proceeding (of the case ``case_id`` when given) the user reads, with its hearings and
    measures; Http404 for any other. No read is logged: a change re-reads it under a lock, and
    a read of it (the API) logs its own entry."""
    proceeding = (
        Proceeding.objects.prefetch_related("hearings", "protection_measures")
        .filter(pk=proceeding_id)
        .first()
    )
    if proceeding is None or (case_id is not None and proceeding.case_id != case_id):
        raise Http404
    proceeding.case = _readable_case(user, proceeding.case_id)
    return proceeding


def read_proceeding(user, proceeding_id, *, request=None, channel: str) -> Proceeding:
    """``proceeding_for``, with the read's access entry on the case."""
    proceeding = proceeding_for(user, proceeding_id)
    record_access(
        proceeding.case,
        actor=user,
        request=request,
        channel=channel,
        read="proceeding",
        proceeding=str(proceeding.pk),
    )
    return proceeding


def measure_for(user, measure_id, *, case_id=None) -> ProtectionMeasure:
    """A protection measure whose proceeding the user reads; Http404 for any other."""
    measure = ProtectionMeasure.objects.select_related("proceeding").filter(pk=measure_id).first()
    if measure is None or (case_id is not None and measure.proceeding.case_id != case_id):
        raise Http404
    measure.proceeding.case = _readable_case(user, measure.proceeding.case_id)
    return measure
