"""Reading cases: every list and detail starts from ``Case.objects.visible_to(user)``."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.http import Http404

from audit.models import AuditEntry
from cases.audit import record_case_access
from cases.models import Case, Person


def cases_for_list(user):
    """The user's visible cases with what a list row shows, in a constant number of queries."""
    return (
        Case.objects.visible_to(user)
        .with_identity_flag(user)
        .select_related("region", "nationality", "lead_organisation")
        .prefetch_related("exploitation_forms")
        .order_by("-created_at", "-reference")
    )


def read_case(user, case_id, *, request=None, channel: str) -> Case:
    """The case for its detail page or API read, recording the read in the audit log.

    Raises Http404 when the case does not exist or is not visible (the same answer for both).
    """
    case = (
        Case.objects.visible_to(user)
        .with_identity_flag(user)
        .select_related(
            "person",
            "region",
            "nationality",
            "lead_organisation",
            "registering_organisation",
        )
        .prefetch_related("exploitation_forms")
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        raise Http404
    record_case_access(case, actor=user, request=request, channel=channel)
    return case


def can_see_history(user, case: Case) -> bool:
    return user.organisation_id is not None and user.organisation_id == case.lead_organisation_id


def case_history(case: Case, *, limit: int = 100):
    """Audit entries of the case and its person, newest first (field names only, never values)."""
    case_type = ContentType.objects.get_for_model(Case)
    person_type = ContentType.objects.get_for_model(Person)
    return (
        AuditEntry.objects.filter(
            Q(content_type=case_type, object_pk=str(case.pk))
            | Q(content_type=person_type, object_pk=str(case.person_id))
        )
        .select_related("actor__organisation", "content_type")
        .order_by("-timestamp", "-id")[:limit]
    )
