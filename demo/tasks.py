"""Demo follow-ups: the system's tasks for what the bulk seeder wrote without the services
(pending referrals to answer, reflection periods ending), and a few tasks by hand on NGO A's
open cases: one overdue, one due today for ``ngo_a``, one next week, one done.

Idempotent: system tasks are made once per source; the hand-made ones only when NGO A has
none yet. Written directly (a demo's overdue task has a due day in the past, which the
service refuses for a new one), the titles encrypted as every title is; like the bulk seeder,
without audit entries (a demo's rows are no one's actions).
"""

import datetime

from auditlog.context import disable_auditlog
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from cases.models import Case, Stage
from referral.models import Referral, ReferralState
from tasks import system
from tasks.models import Task, TaskKind

# Enough to fill the lists and the home pages, few enough to stay quick on a large seed.
SYSTEM_LIMIT = 300
DEMO_TITLES = (
    ("Call the shelter about a bed for next week", -3, False),
    ("Book the interpreter for the medical appointment", 0, True),
    ("Check that the residence permit application was filed", 6, False),
    ("Send the consent form copy to the health unit", -1, "done"),
)


def seed_demo_tasks() -> dict[str, int]:
    """Add the demo's tasks; how many of each kind were added."""
    added = {"referral_response": 0, "reflection_period_end": 0, "manual": 0}
    with transaction.atomic(), disable_auditlog():
        pending = Referral.objects.filter(state=ReferralState.PENDING).order_by("-created_at")
        answered = set(
            Task.objects.filter(kind=TaskKind.REFERRAL_RESPONSE).values_list(
                "referral_id", flat=True
            )
        )
        for referral in pending[:SYSTEM_LIMIT]:
            if referral.pk not in answered:
                system.open_referral_answer(referral)
                added["referral_response"] += 1
        today = timezone.localdate()
        reflecting = (
            Case.objects.filter(reflection_period_ends_on__gte=today)
            .exclude(stage=Stage.CLOSED)
            .exclude(tasks__kind=TaskKind.REFLECTION_PERIOD_END)
            .order_by("reflection_period_ends_on")
        )
        for case in reflecting[:SYSTEM_LIMIT]:
            system.schedule_reflection_period_end(case)
            added["reflection_period_end"] += 1
        added["manual"] = _hand_made(today)
    return added


def _hand_made(today: datetime.date) -> int:
    ngo_a = User.objects.filter(username="ngo_a").select_related("organisation").first()
    if (
        ngo_a is None
        or Task.objects.filter(kind=TaskKind.MANUAL, organisation_id=ngo_a.organisation_id).exists()
    ):
        return 0
    cases = list(
        Case.objects.filter(lead_organisation_id=ngo_a.organisation_id)
        .exclude(stage=Stage.CLOSED)
        .order_by("-created_at")[: len(DEMO_TITLES)]
    )
    made = 0
    for case, (title, days, how) in zip(cases, DEMO_TITLES, strict=False):
        task = Task(
            case=case,
            kind=TaskKind.MANUAL,
            title=title,
            due_on=today + datetime.timedelta(days=days),
            organisation_id=ngo_a.organisation_id,
            assignee=ngo_a if how is True else None,
            created_by=ngo_a,
        )
        if how == "done":
            task.complete()
            task.done_by, task.done_at = ngo_a, timezone.now()
        task.save()
        made += 1
    return made
