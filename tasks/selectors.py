"""Reading tasks: every list and detail starts from ``visible_tasks(user)``.

A task is seen by the members of the organisation it is given to and of its case's lead
organisation (``rules.SEES_TASK``), while their organisation sees the case
(``Case.objects.visible_to``). Lists read in a constant number of queries; the due lists and
the home page leave out closed cases (their tasks wait for a reopening).
"""

import datetime
from dataclasses import dataclass

from django.db import models
from django.db.models import Count, Q, Value, When
from django.http import Http404
from django.utils import timezone

from accounts.models import Organisation, User
from accounts.roles import OPERATIONAL_ROLES
from cases.models import Case, Stage
from cases.rules import can_access_cases
from tasks import rules
from tasks.models import Task, TaskState, overdue_q

OVERDUE = "overdue"
TODAY = "today"
WEEK = "week"
DUE_CHOICES = (OVERDUE, TODAY, WEEK)
MINE = "mine"
ORGANISATION = "organisation"
WEEK_DAYS = 7


def visible_tasks(user):
    """The tasks the user sees (none for a role that works with no cases)."""
    if not can_access_cases(user):
        return Task.objects.none()
    org = user.organisation_id
    sees = Q()
    if rules.ASSIGNED in rules.SEES_TASK:
        sees |= Q(organisation_id=org)
    if rules.LEAD in rules.SEES_TASK:
        sees |= Q(case__lead_organisation_id=org)
    return Task.objects.filter(sees, case__in=Case.objects.visible_to(user).values("pk"))


def due_q(due: str, *, now: datetime.datetime) -> Q:
    """Open tasks overdue, due today (not yet overdue), or due within the week (overdue
    ones included: what must be done by then)."""
    today = timezone.localdate(now)
    if due == OVERDUE:
        return overdue_q(now=now)
    if due == TODAY:
        return Q(state=TaskState.OPEN, due_on=today) & ~overdue_q(now=now)
    if due == WEEK:
        return Q(state=TaskState.OPEN, due_on__lte=today + datetime.timedelta(days=WEEK_DAYS))
    raise ValueError(due)


def _mine_first(user):
    return models.Case(
        When(assignee_id=user.pk, then=Value(0)),
        default=Value(1),
        output_field=models.IntegerField(),
    )


def _for_rows(tasks):
    """With what a row shows: the case's reference (and reflection date), the names."""
    return tasks.select_related("case", "organisation", "assignee", "created_by", "done_by")


def tasks_for_list(
    user,
    *,
    due: str = "",
    scope: str = "",
    state: str = TaskState.OPEN,
    now: datetime.datetime | None = None,
):
    """The list page's and the API's tasks: ``due`` one of DUE_CHOICES (or all), ``scope``
    MINE (assigned to the user) or ORGANISATION (given to the user's organisation; by default
    also those of the cases it leads), ``state`` a TaskState (or all). Due lists leave out
    closed cases. Soonest first; the user's own first among the same day."""
    now = now or timezone.now()
    tasks = visible_tasks(user)
    if scope == MINE:
        tasks = tasks.filter(assignee_id=user.pk)
    elif scope == ORGANISATION:
        tasks = tasks.filter(organisation_id=user.organisation_id)
    if state:
        tasks = tasks.filter(state=state)
    if due:
        tasks = tasks.filter(due_q(due, now=now)).exclude(case__stage=Stage.CLOSED)
    return _for_rows(tasks).order_by("due_on", "due_at", _mine_first(user), "created_at", "id")


def case_tasks(user, case):
    """The case's tasks the user sees: open ones soonest first, then the settled, latest
    first (one query)."""
    open_first = models.Case(
        When(state=TaskState.OPEN, then=Value(0)),
        default=Value(1),
        output_field=models.IntegerField(),
    )
    return _for_rows(visible_tasks(user).filter(case_id=case.pk)).order_by(
        open_first, "due_on", "due_at", "-done_at", "id"
    )


@dataclass
class DueTasks:
    """The home page's card: how many are due today or overdue, how many overdue, the first
    rows (the user's own first)."""

    count: int
    overdue: int
    rows: list


def due_for_attention(user, *, now: datetime.datetime | None = None, rows: int = 5) -> DueTasks:
    """The open tasks given to the user's organisation that are due today or overdue, on open
    cases: one aggregate for the counts, one query for the first ``rows`` (assigned to the
    user first, then to nobody, then to colleagues; overdue, then by due date)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    tasks = (
        visible_tasks(user)
        .filter(organisation_id=user.organisation_id, state=TaskState.OPEN, due_on__lte=today)
        .exclude(case__stage=Stage.CLOSED)
    )
    counts = tasks.aggregate(count=Count("pk"), overdue=Count("pk", filter=overdue_q(now=now)))
    who = models.Case(
        When(assignee_id=user.pk, then=Value(0)),
        When(assignee__isnull=True, then=Value(1)),
        default=Value(2),
        output_field=models.IntegerField(),
    )
    first = list(_for_rows(tasks).order_by(who, "due_on", "due_at", "id")[:rows])
    for task in first:
        task.overdue = task.is_overdue(now=now)
    return DueTasks(count=counts["count"], overdue=counts["overdue"], rows=first)


def overdue_for_organisation(user):
    """The overdue tasks given to the user's organisation, on open cases (the navigation
    counts them)."""
    return (
        visible_tasks(user)
        .filter(organisation_id=user.organisation_id)
        .filter(overdue_q())
        .exclude(case__stage=Stage.CLOSED)
    )


def task_for_work(user, task_id) -> Task:
    """The task an action acts on: Http404 unless the user sees it. No read is logged: the
    service re-reads it under a lock."""
    task = visible_tasks(user).select_related("case").filter(pk=task_id).first()
    if task is None:
        raise Http404
    return task


def assignable_members(organisation_id):
    """The active operational members of an organisation, a task may be given to."""
    return User.objects.filter(
        organisation_id=organisation_id, is_active=True, role__in=OPERATIONAL_ROLES
    ).order_by("username")


def assignment_targets(user, case) -> list[tuple[str, str, int, User | None]]:
    """Where the user may give a task of ``case``: (value, label, organisation id, member)
    for the user's organisation (nobody in particular), each of its active members, and,
    from the lead organisation, each other organisation working on the case. Two queries."""
    own = user.organisation
    targets = [(f"org:{own.pk}", str(own.name), own.pk, None)]
    targets += [
        (f"user:{member.pk}", f"{own.name} — {member.get_username()}", own.pk, member)
        for member in assignable_members(own.pk)
    ]
    if own.pk == case.lead_organisation_id:
        others = Organisation.objects.filter(
            pk__in=rules.working_organisations(case) - {own.pk}
        ).order_by("name")
        targets += [(f"org:{org.pk}", str(org.name), org.pk, None) for org in others]
    return targets
