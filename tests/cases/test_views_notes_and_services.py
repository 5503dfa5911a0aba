"""The case page's notes and services delivered (cases.views → cases.casework)."""

import datetime

import pytest
from django.utils import timezone

from cases.casework import add_note, end_service, record_service
from cases.dispatch import take_transition
from cases.models import Note, NoteVisibility, ServiceRecord
from core.errors import InvalidTransition
from tests import personas
from tests.cases.case_page import accepted, consented_case, in_assistance, page
from tests.cases.service_dates import day, iso, service_dates
from tests.factories import make_case
from tests.scenarios import refer, service


def test_own_organisation_medical_note_is_not_shown_to_the_other_organisation(client_for, cast):
    case = consented_case(cast)
    accepted(case, cast.ngo_a, cast.ngo_b)
    author = client_for(personas.NGO_A)
    author.post(
        f"/cases/{case.pk}/notes/",
        {"note-kind": "medical", "note-visibility": "", "note-body": "Private medical finding"},
    )
    author.post(
        f"/cases/{case.pk}/notes/",
        {"note-kind": "general", "note-visibility": "", "note-body": "Shared general update"},
    )
    assert sorted(Note.objects.values_list("kind", "visibility")) == [
        ("general", NoteVisibility.SHARED),
        ("medical", NoteVisibility.OWN),
    ]
    own_org = page(client_for(personas.NGO_A_SUPERVISOR), case).content.decode()
    other_org = page(client_for(personas.NGO_B), case).content.decode()
    assert ("Private medical finding" in own_org, "Shared general update" in own_org) == (
        True,
        True,
    )
    assert ("Private medical finding" in other_org, "Shared general update" in other_org) == (
        False,
        True,
    )


def test_notes_are_not_shown_to_a_pending_receiver(client_for, cast):
    case = consented_case(cast)
    add_note(case, actor=cast.ngo_a, body="Shared general update")
    refer(case, cast.ngo_a, cast.ngo_b)
    response = page(client_for(personas.NGO_B), case)
    assert response.context["work"].notes == []
    assert "Shared general update" not in response.content.decode()


def test_note_list_shows_kind_organisation_and_author(client_for, cast):
    case = make_case(cast.ngo_a)
    add_note(case, actor=cast.ngo_a, body="Met the person", kind="social")
    body = page(client_for(personas.NGO_A), case).content.decode()
    assert "Met the person" in body
    assert "Social" in body
    # Each isolated (bdi): a Latin name keeps its place in an Arabic line.
    assert "<bdi>NGO A</bdi> · <bdi>ngo_a</bdi>" in body


@pytest.mark.parametrize(
    ("username", "offered"),
    [
        (personas.NGO_A, True),
        (personas.HEALTH, True),
        (personas.AUTHORITY, False),
    ],
)
def test_note_form_follows_the_rules(client_for, cast, username, offered):
    case = in_assistance(cast)
    assert (page(client_for(username), case).context["note_form"] is not None) is offered


def test_empty_note_shows_a_form_error(client_for, cast):
    case = make_case(cast.ngo_a)
    response = client_for(personas.NGO_A).post(
        f"/cases/{case.pk}/notes/", {"note-kind": "general", "note-body": ""}
    )
    assert response.status_code == 400
    assert list(response.context["note_form"].errors) == ["body"]
    assert Note.objects.count() == 0


def test_a_closed_case_takes_no_note(cast):
    case = consented_case(cast)
    take_transition(
        case, "close", actor=cast.ngo_a_supervisor, reason="done", closure_reason="goals_met"
    )
    with pytest.raises(InvalidTransition):
        add_note(case, actor=cast.ngo_a, body="After closing")
    assert Note.objects.filter(case=case).count() == 0


def test_authority_cannot_add_a_note_by_posting(client_for, cast):
    case = in_assistance(cast)
    response = client_for(personas.AUTHORITY).post(
        f"/cases/{case.pk}/notes/", {"note-kind": "general", "note-body": "Hello"}
    )
    assert response.status_code == 403
    assert Note.objects.count() == 0


def test_service_is_recorded_through_the_ui_and_listed(client_for, cast):
    case = in_assistance(cast)
    client = client_for(personas.HEALTH)
    today = timezone.localdate()
    response = client.post(
        f"/cases/{case.pk}/services/",
        {
            "service-service_type": "Medical",
            "service-started_on": today.isoformat(),
            "service-status": "ongoing",
        },
        follow=True,
    )
    assert "Service recorded." in response.content.decode()
    record = ServiceRecord.objects.get()
    assert (record.service_type_id, record.provider, record.status) == (
        "Medical",
        cast.health.organisation,
        "ongoing",
    )
    assert [r.pk for r in response.context["work"].services] == [record.pk]


def test_service_dates_are_checked(client_for, cast):
    case = in_assistance(cast)
    today = timezone.localdate()
    response = client_for(personas.NGO_A).post(
        f"/cases/{case.pk}/services/",
        {
            "service-service_type": "Shelter",
            "service-started_on": today.isoformat(),
            "service-ended_on": (today - datetime.timedelta(days=1)).isoformat(),
            "service-status": "completed",
        },
    )
    assert response.status_code == 400
    assert list(response.context["service_form"].errors) == ["ended_on"]
    assert ServiceRecord.objects.count() == 0


def test_recording_a_service_on_a_closed_case_is_a_message(client_for, cast):
    case = make_case(cast.ngo_a)
    take_transition(
        case, "close", actor=cast.ngo_a_supervisor, reason="x", closure_reason="deceased"
    )
    response = client_for(personas.NGO_A).post(
        f"/cases/{case.pk}/services/",
        {
            "service-service_type": "Shelter",
            "service-started_on": timezone.localdate().isoformat(),
            "service-status": "ongoing",
        },
        follow=True,
    )
    assert "The case is closed." in response.content.decode()
    assert ServiceRecord.objects.count() == 0


# --- A service's life on the case page ---------------------------------------------------------
def record_form(status, started, ended) -> dict:
    return {
        "service-service_type": "Shelter",
        "service-status": status,
        "service-started_on": iso(started) or "",
        "service-ended_on": iso(ended) or "",
    }


def update_form(record, status, started, ended) -> dict:
    prefix = f"service-{record.pk}"
    return {
        f"{prefix}-status": status,
        f"{prefix}-started_on": iso(started) or "",
        f"{prefix}-ended_on": iso(ended) or "",
    }


def update_url(record) -> str:
    return f"/cases/{record.case_id}/services/{record.pk}/"


def running(case, actor, status="ongoing", code="Shelter"):
    """A service of the actor's organisation, planned (from next week) or ongoing (for a week)."""
    days = 7 if status == "planned" else -7
    return record_service(
        case, actor=actor, service_type=service(code), status=status, started_on=day(days)
    )


def update_forms(response) -> dict:
    """Service id → the update form the page offers for it."""
    return {
        record.pk: record.update_form
        for record in response.context["work"].services
        if hasattr(record, "update_form")
    }


@service_dates()
def test_the_record_form_takes_the_dates_the_status_allows(
    client_for, cast, status, started, ended, refused
):
    case = make_case(cast.ngo_a)
    response = client_for(personas.NGO_A).post(
        f"/cases/{case.pk}/services/", record_form(status, started, ended)
    )
    saved = list(ServiceRecord.objects.filter(case=case).values_list("status", flat=True))
    if refused:
        errors = sorted(response.context["service_form"].errors)
        assert (response.status_code, errors, saved) == (400, refused, [])
    else:
        assert (response.status_code, saved) == (302, [status])


@service_dates()
def test_the_update_form_takes_the_dates_the_status_allows(
    client_for, cast, status, started, ended, refused
):
    case = make_case(cast.ngo_a)
    record = running(case, cast.ngo_a, "planned")
    response = client_for(personas.NGO_A).post(
        update_url(record), update_form(record, status, started, ended)
    )
    stored = ServiceRecord.objects.get(pk=record.pk)
    if refused:
        errors = sorted(update_forms(response)[record.pk].errors)
        assert (response.status_code, errors, stored.status) == (400, refused, "planned")
    else:
        assert (response.status_code, stored.status, stored.started_on) == (
            302,
            status,
            day(started),
        )


def test_the_page_offers_an_update_for_the_services_the_user_may_change(client_for, cast):
    case = consented_case(cast)
    accepted(case, cast.ngo_a, cast.ngo_b)
    ngo_a_running = running(case, cast.ngo_a)
    ngo_a_planned = running(case, cast.ngo_a, "planned", "Legal")
    ngo_b_running = running(case, cast.ngo_b)
    ended = running(case, cast.ngo_a, "ongoing", "Education")
    end_service(ended, actor=cast.ngo_a, outcome="completed", ended_on=day(0))
    offered = {
        username: sorted(update_forms(page(client_for(username), case)))
        for username in (personas.NGO_A, personas.NGO_A_SUPERVISOR, personas.NGO_B)
    }
    assert offered == {
        personas.NGO_A: sorted([ngo_a_running.pk, ngo_a_planned.pk]),
        personas.NGO_A_SUPERVISOR: sorted([ngo_a_running.pk, ngo_a_planned.pk]),
        personas.NGO_B: [ngo_b_running.pk],
    }
    body = page(client_for(personas.NGO_B), case).content.decode()
    assert (update_url(ngo_b_running) in body, update_url(ngo_a_running) in body) == (True, False)


def test_the_update_form_offers_the_statuses_the_service_can_reach(client_for, cast):
    case = make_case(cast.ngo_a)
    planned, ongoing = running(case, cast.ngo_a, "planned"), running(case, cast.ngo_a)
    forms = update_forms(page(client_for(personas.NGO_A), case))
    choices = {
        pk: [value for value, _ in form.fields["status"].choices] for pk, form in forms.items()
    }
    assert choices == {
        planned.pk: ["planned", "ongoing", "completed", "cancelled"],
        ongoing.pk: ["ongoing", "completed", "cancelled"],
    }
    body = page(client_for(personas.NGO_A), case).content.decode()
    assert '<option value="cancelled">Stopped</option>' in body


def test_a_closed_case_offers_no_update(client_for, cast):
    case = make_case(cast.ngo_a)
    running(case, cast.ngo_a)
    take_transition(
        case, "close", actor=cast.ngo_a_supervisor, reason="x", closure_reason="goals_met"
    )
    assert update_forms(page(client_for(personas.NGO_A), case)) == {}


def test_a_service_is_started_then_stopped_through_the_ui(client_for, cast):
    case = make_case(cast.ngo_a)
    record = running(case, cast.ngo_a, "planned")
    client = client_for(personas.NGO_A)
    started = client.post(update_url(record), update_form(record, "ongoing", -1, None), follow=True)
    assert "Service updated." in started.content.decode()
    assert ServiceRecord.objects.get(pk=record.pk).status == "ongoing"
    stopped = client.post(update_url(record), update_form(record, "cancelled", -1, 0), follow=True)
    stored = ServiceRecord.objects.get(pk=record.pk)
    assert (stored.status, stored.ended_on, stored.ended_by) == ("cancelled", day(0), cast.ngo_a)
    body = stopped.content.decode()
    # The row reads "Stopped", the row has no update any more, the history names the change.
    assert ("Stopped" in body, update_url(record) in body, "Service stopped" in body) == (
        True,
        False,
        True,
    )


def test_a_refused_update_shows_the_form_as_typed_with_its_errors(client_for, cast):
    case = make_case(cast.ngo_a)
    record = running(case, cast.ngo_a)
    response = client_for(personas.NGO_A).post(
        update_url(record), update_form(record, "completed", -7, None)
    )
    form = update_forms(response)[record.pk]
    assert (response.status_code, form.data[f"service-{record.pk}-status"]) == (400, "completed")
    assert list(form.errors) == ["ended_on"]
    body = response.content.decode()
    assert '<details class="action service-update no-print" open>' in body
    assert '<option value="completed" selected>Completed</option>' in body
    assert ServiceRecord.objects.get(pk=record.pk).status == "ongoing"


def test_an_ended_service_is_not_changed_through_the_ui(client_for, cast):
    case = make_case(cast.ngo_a)
    record = running(case, cast.ngo_a)
    end_service(record, actor=cast.ngo_a, outcome="completed", ended_on=day(0))
    response = client_for(personas.NGO_A).post(
        update_url(record), update_form(record, "completed", -3, 0), follow=True
    )
    assert "cannot be changed" in response.content.decode()
    assert ServiceRecord.objects.get(pk=record.pk).started_on == day(-7)


@pytest.mark.parametrize(
    ("username", "status"),
    [(personas.NGO_B, 403), (personas.POLICE, 404), (personas.COMMISSION, 403)],
)
def test_only_the_provider_updates_a_service_through_the_ui(client_for, cast, username, status):
    case = consented_case(cast)
    accepted(case, cast.ngo_a, cast.ngo_b)
    record = running(case, cast.ngo_a)
    # An invalid form too: the refusal comes before the form is read.
    response = client_for(username).post(update_url(record), update_form(record, "x", None, 1))
    assert response.status_code == status
    assert ServiceRecord.objects.get(pk=record.pk).status == "ongoing"


def test_a_service_is_updated_under_its_own_case_only(client_for, cast):
    record = running(make_case(cast.ngo_a), cast.ngo_a)
    other = make_case(cast.ngo_a)
    response = client_for(personas.NGO_A).post(
        f"/cases/{other.pk}/services/{record.pk}/", update_form(record, "cancelled", -7, 0)
    )
    assert response.status_code == 404
    assert ServiceRecord.objects.get(pk=record.pk).status == "ongoing"
