"""tasks.services: a follow-up added, done, dropped, passed on — the rules first, then the
state, then the input; audited without the title; the one given it told."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEntry
from cases.dispatch import take_transition
from core.errors import InvalidTransition
from notices.models import Notice, NoticeKind
from tasks.models import Task, TaskState
from tasks.services import complete_task, create_task, drop_task, reassign_task
from tests import scenarios as s
from tests.tasks.helpers import follow_up, in_days

CANARY = "Call Zoubida Canarytask at her cousin's"


def test_a_follow_up_is_given_to_the_actors_organisation_by_default(cast):
    case = s.consented_case(cast)
    task = follow_up(case, cast.ngo_a, title=CANARY)
    task = Task.objects.get(pk=task.pk)
    assert (task.title, task.organisation_id, task.assignee, task.created_by, task.state) == (
        CANARY,
        cast.ngo_a.organisation_id,
        None,
        cast.ngo_a,
        TaskState.OPEN,
    )
    assert Notice.objects.filter(kind=NoticeKind.TASK_ASSIGNED).exists() is False


def test_the_title_is_kept_out_of_the_audit_log(cast):
    case = s.consented_case(cast)
    task = follow_up(case, cast.ngo_a, title=CANARY)
    complete_task(task, actor=cast.ngo_a)
    entries = AuditEntry.objects.filter(object_pk=str(task.pk))
    assert entries.count() >= 3
    assert all("Canarytask" not in str(e.changes) + str(e.additional_data) for e in entries)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "x" * 501}, "title"),
        ({"due_on": None}, "due_on"),
        ({"due_on": in_days(-1)}, "due_on"),
        ({"due_on": in_days(3 * 366 + 1)}, "due_on"),
    ],
)
def test_bad_input_is_refused_and_saves_nothing(cast, changes, field):
    case = s.consented_case(cast)
    kwargs = {"title": "t", "due_on": in_days(1), **changes}
    with pytest.raises(ValidationError) as refused:
        create_task(case, actor=cast.ngo_a, **kwargs)
    assert list(refused.value.message_dict) == [field]
    assert Task.objects.filter(case=case, kind="manual").exists() is False


def test_a_task_given_to_another_organisation_must_be_one_working_on_the_case(cast):
    case = s.consented_case(cast)
    with pytest.raises(ValidationError) as refused:
        follow_up(case, cast.ngo_a, organisation=cast.police.organisation)
    assert list(refused.value.message_dict) == ["organisation"]
    s.accept_referral(s.refer(case, cast.ngo_a, "NGO B"), actor=cast.ngo_b)
    task = follow_up(case, cast.ngo_a, organisation=cast.ngo_b.organisation, assignee=cast.ngo_b)
    assert (task.organisation_id, task.assignee) == (cast.ngo_b.organisation_id, cast.ngo_b)
    [notice] = Notice.objects.filter(kind=NoticeKind.TASK_ASSIGNED)
    assert (notice.organisation_id, notice.user, notice.case_id) == (
        cast.ngo_b.organisation_id,
        cast.ngo_b,
        case.pk,
    )
    assert "Canary" not in notice.message and case.reference in notice.message


def test_the_assignee_must_be_a_member_of_the_organisation(cast):
    case = s.consented_case(cast)
    with pytest.raises(ValidationError) as refused:
        follow_up(case, cast.ngo_a, assignee=cast.ngo_b)
    assert list(refused.value.message_dict) == ["assignee"]


def test_the_rule_is_asked_before_the_input(cast):
    case = s.case_where(cast, "ngo_b", s.PENDING)
    with pytest.raises(PermissionDenied):
        follow_up(case, cast.ngo_b, title="")


def test_a_closed_case_takes_no_follow_up_and_settles_none(cast):
    case = s.case_led_by_ngo_a(cast, stage="assistance")
    task = follow_up(case, cast.ngo_a)
    take_transition(
        case, "close", actor=cast.ngo_a_supervisor, reason="done", closure_reason="goals_met"
    )
    with pytest.raises(InvalidTransition):
        follow_up(case, cast.ngo_a)
    for service in (complete_task, drop_task):
        with pytest.raises(InvalidTransition):
            service(task, actor=cast.ngo_a)


@pytest.mark.parametrize(("service", "state"), [(complete_task, "done"), (drop_task, "dropped")])
def test_a_task_is_settled_once(cast, service, state):
    case = s.consented_case(cast)
    task = follow_up(case, cast.ngo_a)
    settled = service(task, actor=cast.ngo_a_supervisor)
    assert (settled.state, settled.done_by) == (state, cast.ngo_a_supervisor)
    event = AuditEntry.objects.filter(
        object_pk=str(task.pk), additional_data__event=f"task_{state}"
    )
    assert event.count() == 1
    for again in (complete_task, drop_task):
        with pytest.raises(InvalidTransition):
            again(task, actor=cast.ngo_a)


def test_a_task_is_passed_on_within_the_organisation_and_the_member_told(cast):
    case = s.consented_case(cast)
    task = follow_up(case, cast.ngo_a)
    passed = reassign_task(task, actor=cast.ngo_a, assignee=cast.ngo_a_supervisor)
    assert (passed.organisation_id, passed.assignee) == (
        cast.ngo_a.organisation_id,
        cast.ngo_a_supervisor,
    )
    [notice] = Notice.objects.filter(kind=NoticeKind.TASK_ASSIGNED)
    assert notice.user == cast.ngo_a_supervisor
    with pytest.raises(ValidationError):
        reassign_task(task, actor=cast.ngo_a, assignee=cast.ngo_b)
    # The partner cannot pass the lead's task on; the lead passes it to the partner.
    s.accept_referral(s.refer(case, cast.ngo_a, "NGO B"), actor=cast.ngo_b)
    with pytest.raises(PermissionDenied):
        reassign_task(task, actor=cast.ngo_b, assignee=cast.ngo_b)
    given = reassign_task(task, actor=cast.ngo_a, organisation=cast.ngo_b.organisation)
    assert (given.organisation_id, given.assignee) == (cast.ngo_b.organisation_id, None)
    # Now the partner's: it may not give it back to the lead.
    with pytest.raises(ValidationError):
        reassign_task(given, actor=cast.ngo_b, organisation=cast.ngo_a.organisation)
