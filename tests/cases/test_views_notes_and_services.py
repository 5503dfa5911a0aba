"""The case page's notes and services delivered (cases.views → cases.casework)."""

import datetime

import pytest
from django.utils import timezone

from cases.casework import add_note
from cases.dispatch import take_transition
from cases.models import Note, NoteVisibility, ServiceRecord
from core.errors import InvalidTransition
from tests import personas
from tests.cases.case_page import accepted, consented_case, in_assistance, page
from tests.factories import make_case
from tests.scenarios import refer


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
    assert "NGO A · ngo_a" in body


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
