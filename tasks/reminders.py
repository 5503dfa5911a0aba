"""The daily reminder of follow-ups due: run by ``manage.py send_task_reminders`` from a
daily timer (deploy/systemd/nrm-task-reminders.timer).

Each member with open follow-ups given to them that are due today or overdue gets one
"task_due" notice with their count, and each organisation one for those given to nobody in
it; mail follows by each member's choice for that kind (on by default), a link only. A
second run on the same day posts nothing again. Closed cases' tasks are left out.
"""

import datetime

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from accounts.models import User
from cases.models import Stage
from notices import events as notices
from notices.models import Notice, NoticeKind
from tasks.models import Task, TaskState


def send_task_reminders(*, now: datetime.datetime | None = None) -> int:
    """Post today's reminders (once a day per member and organisation); how many."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    start_of_day = datetime.datetime.combine(
        today, datetime.time.min, tzinfo=timezone.get_current_timezone()
    )
    due = (
        Task.objects.filter(
            state=TaskState.OPEN,
            due_on__lte=today,
            organisation__active=True,
        )
        .exclude(case__stage=Stage.CLOSED)
        .values("organisation_id", "assignee_id")
        .annotate(count=Count("pk"))
        .order_by("organisation_id", "assignee_id")
    )
    already = set(
        Notice.objects.filter(kind=NoticeKind.TASK_DUE, created_at__gte=start_of_day).values_list(
            "organisation_id", "user_id"
        )
    )
    rows = [row for row in due if (row["organisation_id"], row["assignee_id"]) not in already]
    members = User.objects.in_bulk({row["assignee_id"] for row in rows if row["assignee_id"]})
    posted = 0
    with transaction.atomic():
        for row in rows:
            user = members.get(row["assignee_id"]) if row["assignee_id"] else None
            if row["assignee_id"] and (user is None or not user.is_active):
                continue
            notices.tasks_due(organisation_id=row["organisation_id"], user=user, count=row["count"])
            posted += 1
    return posted
