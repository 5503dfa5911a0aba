"""The task pages: the case page's follow-ups (added, refused with the form as typed, done,
dropped, passed on), the /tasks/ list with its filters, the home page's card, the badge."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tasks.models import Task, TaskState
from tests import personas
from tests import scenarios as s
from tests.tasks.helpers import follow_up, in_days


def test_the_case_page_offers_the_form_on_demand(client_for, cast):
    case = s.consented_case(cast)
    follow_up(case, cast.ngo_a, title="Ring the shelter")
    page = client_for(personas.NGO_A).get(f"/cases/{case.pk}/").content.decode()
    assert 'id="tasks"' in page
    assert "Ring the shelter" in page
    assert '<details class="action no-print"' in page and "Add a follow-up" in page


def test_a_follow_up_is_added_from_the_case_page(client_for, cast):
    case = s.consented_case(cast)
    response = client_for(personas.NGO_A).post(
        f"/tasks/case/{case.pk}/",
        {
            "task-title": "Book the interpreter",
            "task-due_on": in_days(2).isoformat(),
            "task-assign_to": f"user:{cast.ngo_a.pk}",
        },
    )
    assert (response.status_code, response["Location"]) == (302, f"/cases/{case.pk}/")
    task = Task.objects.get(case=case, kind="manual")
    assert (task.title, task.due_on, task.assignee) == (
        "Book the interpreter",
        in_days(2),
        cast.ngo_a,
    )


def test_a_refused_follow_up_comes_back_with_its_values(client_for, cast):
    case = s.consented_case(cast)
    response = client_for(personas.NGO_A).post(
        f"/tasks/case/{case.pk}/",
        {
            "task-title": "Typed text stays",
            "task-due_on": in_days(-3).isoformat(),
            "task-assign_to": f"org:{cast.ngo_a.organisation_id}",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Typed text stays" in page
    assert "cannot be in the past" in page
    assert '<details class="action no-print" open' in page
    assert Task.objects.filter(case=case, kind="manual").exists() is False


def test_an_unknown_target_is_a_form_error_not_a_500(client_for, cast):
    case = s.consented_case(cast)
    response = client_for(personas.NGO_A).post(
        f"/tasks/case/{case.pk}/",
        {"task-title": "t", "task-due_on": "not a date", "task-assign_to": "user:999999"},
    )
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        (personas.NGO_B, 404),  # does not see the case
        (personas.COMMISSION, 403),
    ],
)
def test_who_cannot_add(client_for, cast, persona, status):
    case = s.consented_case(cast)
    response = client_for(persona).post(
        f"/tasks/case/{case.pk}/", {"task-title": "t", "task-due_on": in_days(1).isoformat()}
    )
    assert response.status_code == status


def test_a_closed_case_refuses_with_409_and_keeps_the_form(client_for, cast):
    case = s.case_led_by_ngo_a(cast, stage="closed")
    response = client_for(personas.NGO_A).post(
        f"/tasks/case/{case.pk}/",
        {
            "task-title": "After closure",
            "task-due_on": in_days(1).isoformat(),
            "task-assign_to": f"org:{cast.ngo_a.organisation_id}",
        },
    )
    # The form is not offered on a closed case: the refusal is the page's message.
    assert response.status_code == 409
    assert "The case is closed" in response.content.decode()


@pytest.mark.parametrize(
    ("action", "state"), [("done", TaskState.DONE), ("drop", TaskState.DROPPED)]
)
def test_a_task_is_settled_from_its_row(client_for, cast, action, state):
    case = s.consented_case(cast)
    task = follow_up(case, cast.ngo_a)
    response = client_for(personas.NGO_A).post(f"/tasks/{task.pk}/{action}/", {"next": "case"})
    assert (response.status_code, response["Location"]) == (302, f"/cases/{case.pk}/")
    assert Task.objects.get(pk=task.pk).state == state
    again = client_for(personas.NGO_A).post(f"/tasks/{task.pk}/{action}/", {"next": "list"})
    assert (again.status_code, again["Location"]) == (302, "/tasks/")


def test_another_organisation_cannot_find_the_task(client_for, cast):
    task = follow_up(s.consented_case(cast), cast.ngo_a)
    for action in ("done", "drop", "reassign"):
        assert client_for(personas.NGO_B).post(f"/tasks/{task.pk}/{action}/").status_code == 404


def test_a_task_is_passed_on_from_the_case_page(client_for, cast):
    case = s.consented_case(cast)
    task = follow_up(case, cast.ngo_a)
    client = client_for(personas.NGO_A)
    good = client.post(
        f"/tasks/{task.pk}/reassign/",
        {"next": "case", "assign_to": f"user:{cast.ngo_a_supervisor.pk}"},
    )
    assert good.status_code == 302
    assert Task.objects.get(pk=task.pk).assignee == cast.ngo_a_supervisor
    bad = client.post(f"/tasks/{task.pk}/reassign/", {"next": "case", "assign_to": "user:0"})
    assert bad.status_code == 400
    assert "Give it to someone else" in bad.content.decode()


def test_the_list_filters_by_due_and_whose(client_for, cast):
    case = s.consented_case(cast)
    overdue = follow_up(case, cast.ngo_a, title="Late one", days=1)
    Task.objects.filter(pk=overdue.pk).update(due_on=in_days(-1))
    follow_up(case, cast.ngo_a, title="Today one", days=0, assignee=cast.ngo_a)
    follow_up(case, cast.ngo_a, title="Later one", days=20)
    client = client_for(personas.NGO_A)

    def titles(**params):
        page = client.get("/tasks/", params)
        assert page.status_code == 200
        text = page.content.decode()
        return [t for t in ("Late one", "Today one", "Later one") if t in text]

    assert titles() == ["Late one", "Today one", "Later one"]
    assert titles(due="overdue") == ["Late one"]
    assert titles(due="today") == ["Today one"]
    assert titles(due="week") == ["Late one", "Today one"]
    assert titles(scope="mine") == ["Today one"]
    assert titles(due="nonsense") == ["Late one", "Today one", "Later one"]
    assert titles(state="done") == []


def test_the_list_reads_in_a_constant_number_of_queries(client_for, cast):
    client = client_for(personas.NGO_A)
    case = s.consented_case(cast)
    follow_up(case, cast.ngo_a)
    client.get("/tasks/")
    with CaptureQueriesContext(connection) as one:
        client.get("/tasks/")
    for _ in range(5):
        follow_up(s.consented_case(cast), cast.ngo_a)
    with CaptureQueriesContext(connection) as six:
        client.get("/tasks/")
    assert len(six) == len(one)


def test_the_home_page_shows_due_follow_ups_mine_first_overdue_flagged(client_for, cast):
    case = s.consented_case(cast)
    late = follow_up(case, cast.ngo_a, days=1)
    Task.objects.filter(pk=late.pk).update(due_on=in_days(-2))
    follow_up(case, cast.ngo_a, days=0, assignee=cast.ngo_a)
    follow_up(case, cast.ngo_a, title="Not yet", days=5)
    page = client_for(personas.NGO_A).get("/").content.decode()
    card = page[page.index("attention-tasks") :]
    card = card[: card.index("</section>")]
    assert card.count('class="task-row') == 2
    assert card.index("Mine") < card.index("Overdue")
    # References only on the home page: never a title.
    assert "Not yet" not in page and "Call the shelter" not in card


def test_the_navigation_counts_the_overdue(client_for, cast):
    case = s.consented_case(cast)
    late = follow_up(case, cast.ngo_a)
    Task.objects.filter(pk=late.pk).update(due_on=in_days(-1))
    page = client_for(personas.NGO_A).get("/tasks/").content.decode()
    link = page[page.index('href="/tasks/"') :][:300]
    assert ">1<" in link.replace(" ", "")


def test_a_referral_answer_is_due_at_its_hour_on_the_receivers_list(client_for, cast):
    referral = s.referral_in_state(cast, "pending")
    Task.objects.filter(referral=referral).update(
        due_at=timezone.now() - datetime.timedelta(hours=1)
    )
    page = client_for(personas.NGO_B).get("/tasks/", {"due": "overdue"}).content.decode()
    assert referral.case.reference in page
    assert "Answer the referral" in page
