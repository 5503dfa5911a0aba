"""GET|POST /api/v1/cases/{id}/tasks/, GET /api/v1/tasks/?due=…, POST /api/v1/tasks/{id}/
done|drop|reassign/: the same services and rules as the pages, the API's error shapes."""

import pytest

from audit.models import AuditEntry
from tasks.models import Task
from tests import personas
from tests import scenarios as s
from tests.api.conftest import case_url, post_json
from tests.tasks.helpers import follow_up, in_days


def task_url(task, action=""):
    return f"/api/v1/tasks/{getattr(task, 'pk', task)}/" + (f"{action}/" if action else "")


def test_a_follow_up_is_created_and_listed(api_for, cast):
    case = s.consented_case(cast)
    client = api_for(personas.NGO_A)
    body = {"title": "Phone the clinic", "due_on": in_days(3).isoformat(), "assignee": "ngo_a"}
    response = post_json(client, case_url(case, "tasks"), body)
    assert response.status_code == 201
    created = response.json()
    assert {k: created[k] for k in ("title", "due_on", "assignee", "state", "kind")} == {
        "title": "Phone the clinic",
        "due_on": in_days(3).isoformat(),
        "assignee": "ngo_a",
        "state": "open",
        "kind": "manual",
    }
    assert created["organisation"] == cast.ngo_a.organisation_id
    listed = client.get(case_url(case, "tasks")).json()
    assert [t["id"] for t in listed["results"]] == [created["id"]]
    assert (
        AuditEntry.objects.filter(
            object_pk=str(case.pk), action=AuditEntry.Action.ACCESS, additional_data__read="tasks"
        ).count()
        == 1
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"due_on": "2030-01-01"}, "title"),
        ({"title": "t"}, "due_on"),
        ({"title": "t", "due_on": "yesterday"}, "due_on"),
        ({"title": "t", "due_on": "2001-01-01"}, "due_on"),
        ({"title": "x" * 501, "due_on": "2030-01-01"}, "title"),
        ({"title": "t", "due_on": "2030-01-01", "organisation": "NGO"}, "organisation"),
        ({"title": "t", "due_on": "2030-01-01", "organisation": 999999}, "organisation"),
        ({"title": "t", "due_on": "2030-01-01", "assignee": "ngo_b"}, "assignee"),
        ({"title": ["t"], "due_on": "2030-01-01"}, "title"),
    ],
)
def test_bad_input_is_a_400_saving_nothing(api_for, cast, body, field):
    case = s.consented_case(cast)
    response = post_json(api_for(personas.NGO_A), case_url(case, "tasks"), body)
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert Task.objects.filter(case=case, kind="manual").exists() is False


def test_a_body_that_is_not_an_object_is_a_400(api_for, cast):
    case = s.consented_case(cast)
    response = post_json(api_for(personas.NGO_A), case_url(case, "tasks"), ["x"])
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        (personas.NGO_A, 201),
        (personas.NGO_A_SUPERVISOR, 201),
        (personas.NGO_B, 404),
        (personas.POLICE, 404),
        (personas.COMMISSION, 403),
        (personas.ADMIN, 403),
    ],
)
def test_who_may_add(api_for, cast, persona, status):
    case = s.consented_case(cast)
    body = {"title": "t", "due_on": in_days(1).isoformat()}
    assert post_json(api_for(persona), case_url(case, "tasks"), body).status_code == status


def test_a_pending_receiver_sees_its_answer_task_but_adds_none(api_for, cast):
    referral = s.referral_in_state(cast, "pending")
    client = api_for(personas.NGO_B)
    listed = client.get(case_url(referral.case, "tasks")).json()["results"]
    assert [(t["kind"], t["organisation"]) for t in listed] == [
        ("referral_response", cast.ngo_b.organisation_id)
    ]
    body = {"title": "", "due_on": "x"}
    assert post_json(client, case_url(referral.case, "tasks"), body).status_code == 403


def test_a_closed_case_is_a_409(api_for, cast):
    case = s.case_led_by_ngo_a(cast, stage="closed")
    body = {"title": "t", "due_on": in_days(1).isoformat()}
    response = post_json(api_for(personas.NGO_A), case_url(case, "tasks"), body)
    assert (response.status_code, response.json()["code"]) == (409, "invalid_transition")


def test_the_due_lists(api_for, cast):
    case = s.consented_case(cast)
    late = follow_up(case, cast.ngo_a, title="late")
    Task.objects.filter(pk=late.pk).update(due_on=in_days(-1))
    follow_up(case, cast.ngo_a, title="today", days=0)
    follow_up(case, cast.ngo_a, title="soon", days=6)
    follow_up(case, cast.ngo_a, title="later", days=9)
    client = api_for(personas.NGO_A)

    def titles(**params):
        response = client.get("/api/v1/tasks/", params)
        assert response.status_code == 200
        return [t["title"] for t in response.json()["results"]]

    assert titles() == ["late", "today", "soon", "later"]
    assert titles(due="overdue") == ["late"]
    assert titles(due="today") == ["today"]
    assert titles(due="week") == ["late", "today", "soon"]
    assert [t["overdue"] for t in client.get("/api/v1/tasks/").json()["results"]] == [
        True,
        False,
        False,
        False,
    ]
    for bad in ({"due": "month"}, {"scope": "everyone"}, {"state": "closed"}):
        response = client.get("/api/v1/tasks/", bad)
        assert (response.status_code, list(response.json()["errors"])) == (400, list(bad))
    assert api_for(personas.NGO_B).get("/api/v1/tasks/").json()["count"] == 0
    assert api_for(personas.COMMISSION).get("/api/v1/tasks/").status_code == 403


@pytest.mark.parametrize(("action", "state"), [("done", "done"), ("drop", "dropped")])
def test_settling_a_task(api_for, cast, action, state):
    task = follow_up(s.consented_case(cast), cast.ngo_a)
    client = api_for(personas.NGO_A)
    response = post_json(client, task_url(task, action), {})
    assert (response.status_code, response.json()["state"], response.json()["done_by"]) == (
        200,
        state,
        "ngo_a",
    )
    again = post_json(client, task_url(task, action), {})
    assert (again.status_code, again.json()["code"]) == (409, "invalid_transition")


def test_reassigning_a_task(api_for, cast):
    case = s.consented_case(cast)
    task = follow_up(case, cast.ngo_a)
    client = api_for(personas.NGO_A)
    response = post_json(client, task_url(task, "reassign"), {"assignee": "ngo_a_supervisor"})
    assert (response.status_code, response.json()["assignee"]) == (200, "ngo_a_supervisor")
    bad = post_json(client, task_url(task, "reassign"), {"assignee": "ngo_b"})
    assert (bad.status_code, list(bad.json()["errors"])) == (400, ["assignee"])
    outsider = post_json(
        client, task_url(task, "reassign"), {"organisation": cast.police.organisation_id}
    )
    assert (outsider.status_code, list(outsider.json()["errors"])) == (400, ["organisation"])


@pytest.mark.parametrize("action", ["done", "drop", "reassign"])
def test_task_actions_404_403(api_for, cast, action):
    referral = s.referral_in_state(cast, "accepted")
    task = follow_up(referral.case, cast.ngo_a)
    # NGO B sees the case but not the lead's task: 404; an unknown or malformed id: 404.
    assert post_json(api_for(personas.NGO_B), task_url(task, action), {}).status_code == 404
    assert post_json(api_for(personas.NGO_A), task_url("nope", action), {}).status_code == 404
    # The lead sees the task it gave the partner, but only the partner settles it: 403.
    given = follow_up(referral.case, cast.ngo_a, organisation=cast.ngo_b.organisation)
    assert post_json(api_for(personas.NGO_A), task_url(given, action), {}).status_code == 403
    assert post_json(api_for(personas.COMMISSION), task_url(task, action), {}).status_code == 403


def test_the_schema_describes_the_task_endpoints(api_for):
    schema = api_for(personas.NGO_A).get("/api/v1/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    assert set(paths["/api/v1/cases/{id}/tasks/"]) == {"get", "post"}
    assert set(paths["/api/v1/tasks/"]) == {"get"}
    for action in ("done", "drop", "reassign"):
        assert set(paths[f"/api/v1/tasks/{{id}}/{action}/"]) == {"post"}
