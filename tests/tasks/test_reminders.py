"""tasks.reminders: the daily reminder of follow-ups due, once a day, a count and a link."""

import io

from django.core import mail
from django.core.management import call_command

from notices.models import Notice, NoticeKind
from tasks.models import Task
from tests import scenarios as s
from tests.tasks.helpers import follow_up, in_days


def test_each_member_and_organisation_gets_one_reminder_a_day(
    cast, django_capture_on_commit_callbacks
):
    cast.ngo_a.email = "ngo.a@example.org"
    cast.ngo_a.save()
    case = s.consented_case(cast)
    mine = follow_up(case, cast.ngo_a, days=0, assignee=cast.ngo_a)
    follow_up(case, cast.ngo_a, days=0)
    follow_up(case, cast.ngo_a, days=3)
    Task.objects.filter(pk=mine.pk).update(due_on=in_days(-2))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_task_reminders", stdout=io.StringIO())
        call_command("send_task_reminders", stdout=io.StringIO())
    reminders = Notice.objects.filter(kind=NoticeKind.TASK_DUE)
    assert sorted((n.user_id or 0, n.params["count"]) for n in reminders) == [
        (0, 1),
        (cast.ngo_a.pk, 1),
    ]
    assert all(n.case_id is None for n in reminders)
    # ngo_a sees both notices (its own and its organisation's); the mail is a link only.
    bodies = [m.body for m in mail.outbox if m.to == ["ngo.a@example.org"]]
    assert len(bodies) == 2
    assert all(case.reference not in body for body in bodies)
