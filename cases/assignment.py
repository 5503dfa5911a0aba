"""Who works on a case: the lead organisation assigns it to one of its caseworkers."""

from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import FRONTLINE_ROLES
from audit.entries import record_event
from audit.events import Event
from cases import rules
from cases.models import Case, Stage
from cases.primitives import lock_case
from core.errors import InvalidTransition
from notices import events as notices

NOT_ASSIGNABLE = _("Choose an active member of the lead organisation who works on cases.")


def assignable_users(case: Case):
    """The lead organisation's active members in a frontline role (its caseworkers,
    officers, health workers and supervisors), by username."""
    return User.objects.filter(
        organisation_id=case.lead_organisation_id,
        is_active=True,
        role__in=FRONTLINE_ROLES,
    ).order_by("username")


def assign_case(case: Case, *, actor, assignee: User | None) -> Case:
    """Assign the case to ``assignee`` (None: nobody), a frontline member of the lead
    organisation (``assignable_users``).

    Side effects, in one transaction (the case row locked): ``assigned_to`` saved (an auditlog
    entry); one "case_assigned" audit entry with the assignee's id; a notice to the assignee
    alone (``notices.events.case_assigned``), mail on commit if the assignee chose it (on by
    default). Nothing when the case is
    already so assigned. Raises PermissionDenied (rules "assign"), InvalidTransition for a
    closed case, ValidationError for anyone else as assignee.
    """
    with transaction.atomic(), set_actor(actor):
        locked = lock_case(case)
        rules.require(actor, "assign", locked)
        if locked.stage == Stage.CLOSED:
            raise InvalidTransition(_("The case is closed. Reopen it to assign it."))
        if assignee is not None and not assignable_users(locked).filter(pk=assignee.pk).exists():
            raise ValidationError({"assignee": [NOT_ASSIGNABLE]})
        new_id = getattr(assignee, "pk", None)
        if locked.assigned_to_id == new_id:
            return locked
        locked.assigned_to_id = new_id
        locked.save(update_fields=["assigned_to", "updated_at"])
        record_event(locked, actor=actor, event=Event.CASE_ASSIGNED, assignee=new_id)
        notices.case_assigned(locked, assignee=assignee)
    return locked
