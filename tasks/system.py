"""Tasks the system makes and settles, called by the actions whose work they follow, inside
their transaction (the case row already locked):

    referral created                 an "answer the referral" task for the receiver, due when
                                     the referral's answer is due (``referral.response``)
    referral accepted or declined    that task done (by whoever answered)
    referral cancelled               that task dropped (by the sender, or by the system when
                                     the case closed or the consent was withdrawn)
    reflection period set            a task for the lead organisation, due
                                     NRM_REFLECTION_WARNING_DAYS before the period ends
    lead transferred                 the open reflection-period task moves to the new lead
    plan review scheduled            one open plan review per case (``schedule_plan_review``,
                                     for the assistance plan), its date moved when asked again

Each system task is made once per source (the model's unique constraints hold it too). The
rows are audited by auditlog, under the actor of the action that caused them.
"""

import datetime

from django.conf import settings
from django.utils import timezone

from referral.response import due_at_for
from tasks.models import Task, TaskKind, TaskState

# A moment just before the due time: a referral due at midnight is due on the day that ends.
_JUST_BEFORE = datetime.timedelta(microseconds=1)


def open_referral_answer(referral) -> Task:
    """The receiver's task to answer a new (pending) referral, due at its response time."""
    due_at = due_at_for(referral.urgency, referral.created_at)
    task, _created = Task.objects.get_or_create(
        kind=TaskKind.REFERRAL_RESPONSE,
        referral=referral,
        defaults={
            "case_id": referral.case_id,
            "organisation_id": referral.to_organisation_id,
            "due_at": due_at,
            "due_on": timezone.localdate(due_at - _JUST_BEFORE),
        },
    )
    return task


def settle_referral_answer(referral, *, actor=None, answered: bool) -> Task | None:
    """The referral's answer task, if still open: done when the receiver ``answered``
    (accepted or declined), dropped when the referral was withdrawn (nobody must answer)."""
    task = (
        Task.objects.select_for_update()
        .filter(kind=TaskKind.REFERRAL_RESPONSE, referral=referral, state=TaskState.OPEN)
        .first()
    )
    if task is None:
        return None
    if answered:
        task.complete()
    else:
        task.drop()
    task.done_by = actor
    task.done_at = timezone.now()
    task.save()
    return task


def reflection_task_due_on(case) -> datetime.date:
    """NRM_REFLECTION_WARNING_DAYS before the period ends, and not before today."""
    warn = case.reflection_period_ends_on - datetime.timedelta(
        days=settings.NRM_REFLECTION_WARNING_DAYS
    )
    return max(warn, timezone.localdate())


def schedule_reflection_period_end(case) -> Task | None:
    """The lead organisation's task for the end of the reflection period (once per case);
    an open one follows the case's date and its lead. None while the period is not set."""
    if case.reflection_period_ends_on is None:
        return None
    task = (
        Task.objects.select_for_update()
        .filter(kind=TaskKind.REFLECTION_PERIOD_END, case=case)
        .first()
    )
    due_on = reflection_task_due_on(case)
    if task is None:
        return Task.objects.create(
            kind=TaskKind.REFLECTION_PERIOD_END,
            case=case,
            organisation_id=case.lead_organisation_id,
            due_on=due_on,
        )
    if task.is_open and (task.due_on, task.organisation_id) != (
        due_on,
        case.lead_organisation_id,
    ):
        if task.organisation_id != case.lead_organisation_id:
            task.organisation_id = case.lead_organisation_id
            task.assignee = None
        task.due_on = due_on
        task.save()
    return task


def referral_accepted(referral, *, case, actor) -> None:
    """After ``accept_referral`` changed the case: the answer task done, the reflection
    period's task made (or moved to a new lead)."""
    settle_referral_answer(referral, actor=actor, answered=True)
    schedule_reflection_period_end(case)


def schedule_plan_review(case, *, due_on: datetime.date, organisation) -> Task:
    """The case's one open plan review, for ``organisation`` (an Organisation or its id), due
    on ``due_on``: made when none is open, else its date (and organisation) moved. Idempotent.

    For the assistance plan's actions, inside their transaction (the case row locked).
    """
    organisation_id = getattr(organisation, "pk", organisation)
    task = (
        Task.objects.select_for_update()
        .filter(kind=TaskKind.PLAN_REVIEW, case=case, state=TaskState.OPEN)
        .first()
    )
    if task is None:
        return Task.objects.create(
            kind=TaskKind.PLAN_REVIEW,
            case_id=getattr(case, "pk", case),
            organisation_id=organisation_id,
            due_on=due_on,
        )
    if (task.due_on, task.organisation_id) != (due_on, organisation_id):
        if task.organisation_id != organisation_id:
            task.assignee = None
        task.due_on, task.organisation_id = due_on, organisation_id
        task.save()
    return task
