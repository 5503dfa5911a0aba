"""tasks.system: the tasks the system makes, at the right dates, once, and settles."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from cases.consent import record_consent
from cases.dispatch import take_transition
from referral.models import Urgency
from referral.response import due_at
from tasks.models import Task, TaskKind, TaskState
from tasks.system import schedule_plan_review
from tests import scenarios as s
from tests.tasks.helpers import in_days


def answer_task(referral) -> Task:
    return Task.objects.get(kind=TaskKind.REFERRAL_RESPONSE, referral=referral)


@pytest.mark.parametrize("urgency", [Urgency.EMERGENCY, Urgency.URGENT, Urgency.ROUTINE])
def test_a_new_referral_gives_the_receiver_a_task_due_at_its_response_time(cast, urgency):
    case = s.consented_case(cast)
    referral = s.refer(case, cast.ngo_a, "NGO B", urgency=urgency)
    task = answer_task(referral)
    due = due_at(referral)
    assert (task.organisation_id, task.state, task.created_by, task.due_at) == (
        cast.ngo_b.organisation_id,
        TaskState.OPEN,
        None,
        due,
    )
    # The day it is due is the local day its due time ends (midnight belongs to the day before).
    assert task.due_on == timezone.localdate(due - datetime.timedelta(microseconds=1))
    if urgency == Urgency.EMERGENCY:
        assert task.due_on == timezone.localdate(referral.created_at)


def test_the_answer_task_is_made_once_per_referral(cast):
    referral = s.referral_in_state(cast, "pending")
    with pytest.raises(IntegrityError), transaction.atomic():
        Task.objects.create(
            kind=TaskKind.REFERRAL_RESPONSE,
            referral=referral,
            case=referral.case,
            organisation=cast.ngo_b.organisation,
            due_on=in_days(1),
        )


@pytest.mark.parametrize(
    ("state", "task_state", "by"),
    [
        ("accepted", TaskState.DONE, "ngo_b"),
        ("declined", TaskState.DONE, "ngo_b"),
        ("cancelled", TaskState.DROPPED, "ngo_a"),
        ("pending", TaskState.OPEN, None),
    ],
)
def test_answering_settles_the_answer_task(cast, state, task_state, by):
    referral = s.referral_in_state(cast, state)
    task = answer_task(referral)
    assert (task.state, task.done_by) == (task_state, cast[by] if by else None)


@pytest.mark.parametrize("how", ["close", "withdraw_consent"])
def test_a_referral_the_system_cancels_drops_its_answer_task(cast, how):
    case = s.consented_case(cast)
    referral = s.refer(case, cast.ngo_a, "NGO B")
    if how == "close":
        take_transition(
            case, "close", actor=cast.ngo_a_supervisor, reason="done", closure_reason="goals_met"
        )
    else:
        record_consent(case, actor=cast.ngo_a, scope="referral", given=False)
    assert answer_task(referral).state == TaskState.DROPPED


def test_the_reflection_period_gives_the_lead_a_task_before_it_ends(cast, settings):
    settings.NRM_REFLECTION_WARNING_DAYS = 7
    referral = s.referral_in_state(cast, "accepted")
    case = type(referral.case).objects.get(pk=referral.case_id)
    [task] = Task.objects.filter(case=case, kind=TaskKind.REFLECTION_PERIOD_END)
    assert case.reflection_period_ends_on == timezone.localdate() + datetime.timedelta(
        days=settings.NRM_REFLECTION_PERIOD_DAYS
    )
    assert (task.organisation_id, task.due_on, task.state) == (
        cast.ngo_a.organisation_id,
        case.reflection_period_ends_on - datetime.timedelta(days=7),
        TaskState.OPEN,
    )
    task.case = case
    assert case.reflection_period_ends_on.strftime("%Y") in task.display_title


def test_a_second_accepted_referral_makes_no_second_reflection_task(cast):
    case = s.consented_case(cast)
    s.accept_referral(s.refer(case, cast.ngo_a, "NGO B"), actor=cast.ngo_b)
    s.accept_referral(
        s.refer(case, cast.ngo_a, "Health unit — Casablanca", "Medical"), actor=cast.health
    )
    assert Task.objects.filter(case=case, kind=TaskKind.REFLECTION_PERIOD_END).count() == 1


def test_a_status_decision_alone_sets_no_reflection_task(cast):
    case = s.consented_case(cast)
    s.accept_referral(
        s.refer(case, cast.ngo_a, "Prosecutor's office", "StatusDecision"), actor=cast.authority
    )
    assert Task.objects.filter(case=case, kind=TaskKind.REFLECTION_PERIOD_END).exists() is False


def test_a_lead_transfer_moves_the_open_reflection_task_to_the_new_lead(cast):
    case = s.consented_case(cast)
    s.accept_referral(
        s.refer(case, cast.ngo_a, "Health unit — Casablanca", "Medical"), actor=cast.health
    )
    task = Task.objects.get(case=case, kind=TaskKind.REFLECTION_PERIOD_END)
    assert task.organisation_id == cast.ngo_a.organisation_id
    s.accept_referral(s.refer(case, cast.ngo_a, "NGO B", transfers_lead=True), actor=cast.ngo_b)
    task = Task.objects.get(pk=task.pk)
    assert (task.organisation_id, task.assignee) == (cast.ngo_b.organisation_id, None)


def test_schedule_plan_review_keeps_one_open_review_and_moves_its_date(cast):
    case = s.consented_case(cast)
    first = schedule_plan_review(case, due_on=in_days(30), organisation=cast.ngo_a.organisation)
    again = schedule_plan_review(case, due_on=in_days(45), organisation=cast.ngo_a.organisation_id)
    assert again.pk == first.pk
    assert list(
        Task.objects.filter(case=case, kind=TaskKind.PLAN_REVIEW).values_list("due_on", "state")
    ) == [(in_days(45), TaskState.OPEN)]
    moved = schedule_plan_review(case, due_on=in_days(45), organisation=cast.ngo_b.organisation)
    assert (moved.pk, moved.organisation_id) == (first.pk, cast.ngo_b.organisation_id)


def test_a_done_plan_review_leaves_room_for_the_next(cast):
    case = s.consented_case(cast)
    first = schedule_plan_review(case, due_on=in_days(30), organisation=cast.ngo_a.organisation)
    first.complete()
    first.save()
    second = schedule_plan_review(case, due_on=in_days(90), organisation=cast.ngo_a.organisation)
    assert second.pk != first.pk
    assert Task.objects.filter(case=case, kind=TaskKind.PLAN_REVIEW).count() == 2
