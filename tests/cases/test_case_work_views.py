"""The case page: the transitions it offers and takes, the reflection period, consent, and what
each persona may see and do on it (cases.views)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.casework import add_note, record_service
from cases.dispatch import take_transition
from cases.models import Case, Stage
from referral.models import Referral, ReferralState
from tests import personas
from tests.cases.case_page import accepted, consented_case, in_assistance, page
from tests.factories import make_case, person_data
from tests.scenarios import refer, service


@pytest.mark.parametrize(
    ("username", "transitions"),
    [
        (personas.NGO_A, []),
        (personas.NGO_A_SUPERVISOR, ["close"]),
        (personas.POLICE, None),
        (personas.NGO_B, None),
    ],
)
def test_case_page_offers_only_allowed_transitions_in_identification(
    client_for, cast, username, transitions
):
    case = make_case(cast.ngo_a)
    _assert_transitions(client_for(username), case, transitions)


@pytest.mark.parametrize(
    ("username", "transitions"),
    [
        (personas.NGO_A, ["start_reintegration"]),
        (personas.NGO_A_SUPERVISOR, ["start_reintegration", "close"]),
        (personas.HEALTH, []),
        (personas.AUTHORITY, ["confirm_status", "reject_status"]),
        (personas.POLICE, None),
        (personas.NGO_B, None),
    ],
)
def test_case_page_offers_only_allowed_transitions_in_assistance(
    client_for, cast, username, transitions
):
    case = in_assistance(cast)
    _assert_transitions(client_for(username), case, transitions)


def _assert_transitions(client, case, transitions):
    response = page(client, case)
    if transitions is None:
        assert response.status_code == 404
        return
    assert [form.name for form in response.context["transition_forms"]] == transitions
    body = response.content.decode()
    offered = [
        name
        for name in ("start_reintegration", "close", "reopen", "confirm_status", "reject_status")
        if f'action="/cases/{case.pk}/transitions/{name}/"' in body
    ]
    assert offered == transitions


def test_supervisor_closes_the_case_through_the_ui(client_for, cast):
    case = make_case(cast.ngo_a)
    url = f"/cases/{case.pk}/"
    response = client_for(personas.NGO_A_SUPERVISOR).post(
        f"{url}transitions/close/",
        {"close-closure_reason": "goals_met", "close-reason": "Back with family"},
        follow=True,
    )
    assert response.redirect_chain == [(url, 302)]
    assert "Case closed." in response.content.decode()
    case = Case.objects.get(pk=case.pk)
    assert (case.stage, case.closure_reason) == (Stage.CLOSED, "goals_met")
    assert [form.name for form in response.context["transition_forms"]] == ["reopen"]


@pytest.mark.parametrize(
    ("data", "fields"),
    [
        ({}, ["reason"]),
        ({"close-reason": "Done"}, ["closure_reason"]),
        ({"close-closure_reason": "goals_met"}, ["reason"]),
        ({"close-closure_reason": "bored", "close-reason": "Done"}, ["closure_reason"]),
    ],
)
def test_close_without_its_reasons_shows_form_errors(client_for, cast, data, fields):
    case = make_case(cast.ngo_a)
    response = client_for(personas.NGO_A_SUPERVISOR).post(
        f"/cases/{case.pk}/transitions/close/", data
    )
    assert response.status_code == 400
    (form,) = response.context["transition_forms"]
    assert sorted(form.errors) == fields
    assert Case.objects.get(pk=case.pk).stage == Stage.IDENTIFICATION


def test_status_decision_needs_a_reason_and_records_it(client_for, cast):
    case = in_assistance(cast)
    client = client_for(personas.AUTHORITY)
    url = f"/cases/{case.pk}/transitions/confirm_status/"
    response = client.post(url, {"confirm_status-reason": ""})
    assert response.status_code == 400
    assert Case.objects.get(pk=case.pk).trafficking_status == "presumed"
    response = client.post(url, {"confirm_status-reason": "Indicators met"}, follow=True)
    assert "Trafficking status confirmed." in response.content.decode()
    assert Case.objects.get(pk=case.pk).trafficking_status == "confirmed"


def test_caseworker_cannot_close_by_posting(client_for, cast):
    case = make_case(cast.ngo_a)
    response = client_for(personas.NGO_A).post(
        f"/cases/{case.pk}/transitions/close/",
        {"close-closure_reason": "goals_met", "close-reason": "x"},
    )
    assert response.status_code == 403
    assert Case.objects.get(pk=case.pk).stage == Stage.IDENTIFICATION


def test_a_transition_lost_to_a_race_shows_the_conflict_message(client_for, cast):
    case = make_case(cast.ngo_a)
    client = client_for(personas.NGO_A_SUPERVISOR)
    page(client, case)  # the button was offered ...
    take_transition(
        case, "close", actor=cast.ngo_a_supervisor, reason="x", closure_reason="deceased"
    )
    response = client.post(  # ... and someone else closed the case first
        f"/cases/{case.pk}/transitions/close/",
        {"close-closure_reason": "goals_met", "close-reason": "Done"},
        follow=True,
    )
    assert "no longer possible" in response.content.decode()
    assert Case.objects.get(pk=case.pk).closure_reason == "deceased"


def test_unknown_transition_is_a_message_not_an_error(client_for, cast):
    case = make_case(cast.ngo_a)
    response = client_for(personas.NGO_A_SUPERVISOR).post(
        f"/cases/{case.pk}/transitions/fly/", follow=True
    )
    assert "There is no such action." in response.content.decode()


@pytest.mark.parametrize(
    ("days_left", "flag", "css"),
    [
        (30, None, None),
        (8, None, None),
        (7, "near", "reflection-near"),
        (0, "near", "reflection-near"),
        (-1, "passed", "reflection-passed"),
    ],
)
def test_reflection_period_end_is_shown_and_flagged(
    client_for, cast, settings, days_left, flag, css
):
    settings.NRM_REFLECTION_WARNING_DAYS = 7
    case = in_assistance(cast)
    ends_on = timezone.localdate() + datetime.timedelta(days=days_left)
    Case.objects.filter(pk=case.pk).update(reflection_period_ends_on=ends_on)
    response = page(client_for(personas.NGO_A), case)
    assert response.context["work"].reflection_flag == flag
    body = response.content.decode()
    assert "Reflection and recovery period ends" in body
    for name in ("reflection-near", "reflection-passed"):
        assert (name in body) is (name == css)


def test_reflection_period_starts_with_the_first_assistance_referral(client_for, cast):
    case = in_assistance(cast)
    assert case.reflection_period_ends_on == timezone.localdate() + datetime.timedelta(days=30)
    body = page(client_for(personas.NGO_A), case).content.decode()
    assert "Starts when the first referral" not in body


@pytest.mark.parametrize(
    ("username", "shown"),
    [
        (personas.NGO_A, True),
        (personas.NGO_A_SUPERVISOR, True),
        (personas.HEALTH, False),
        (personas.AUTHORITY, False),
    ],
)
def test_consent_section_only_for_registering_or_lead(client_for, cast, username, shown):
    case = in_assistance(cast)
    response = page(client_for(username), case)
    assert (response.context["consent_form"] is not None) is shown
    assert (f'action="/cases/{case.pk}/consent/"' in response.content.decode()) is shown


@pytest.mark.parametrize(("is_child", "offered"), [(False, False), (True, True)])
def test_guardian_is_offered_only_for_a_child(client_for, cast, is_child, offered):
    case = make_case(cast.police, is_child=is_child)
    response = page(client_for(personas.POLICE), case)
    assert ("given_by" in response.context["consent_form"].fields) is offered
    assert ('name="consent-given_by"' in response.content.decode()) is offered


def test_consent_is_recorded_through_the_ui(client_for, cast):
    case = make_case(cast.police, is_child=True)
    response = client_for(personas.POLICE).post(
        f"/cases/{case.pk}/consent/",
        {"consent-scope": "referral", "consent-given": "yes", "consent-given_by": "guardian"},
        follow=True,
    )
    assert "Consent recorded." in response.content.decode()
    case = Case.objects.get(pk=case.pk)
    assert case.referral_consent is True
    assert list(case.consents.values_list("scope", "given", "given_by")) == [
        ("referral", True, "guardian")
    ]


def test_consent_form_errors_are_shown(client_for, cast):
    case = make_case(cast.police)
    response = client_for(personas.POLICE).post(
        f"/cases/{case.pk}/consent/", {"consent-scope": "referral"}
    )
    assert response.status_code == 400
    assert list(response.context["consent_form"].errors) == ["given"]
    assert case.consents.count() == 0


def test_withdrawing_consent_through_the_ui_ends_the_receivers_access(client_for, cast):
    case = consented_case(cast, person=person_data(given_name="Zainab"))
    referral = accepted(case, cast.ngo_a, cast.ngo_b)
    receiver = client_for(personas.NGO_B)
    assert "Zainab" in page(receiver, case).content.decode()
    response = client_for(personas.NGO_A).post(
        f"/cases/{case.pk}/consent/",
        {"consent-scope": "referral", "consent-given": "no"},
        follow=True,
    )
    assert "Consent recorded." in response.content.decode()
    assert Case.objects.get(pk=case.pk).referral_consent is False
    ended = Referral.objects.get(pk=referral.pk)
    assert (ended.state, ended.end_reason) == (ReferralState.ENDED, "consent_withdrawn")
    assert page(receiver, case).status_code == 404
    assert page(client_for(personas.NGO_A), case).status_code == 200


@pytest.mark.parametrize(
    "path", ["consent/", "refer/", "transitions/close/", "notes/", "services/"]
)
@pytest.mark.parametrize("username", [personas.NGO_B, personas.POLICE])
def test_case_work_posts_on_an_invisible_case_are_404(client_for, cast, username, path):
    case = make_case(cast.ngo_a)
    assert client_for(username).post(f"/cases/{case.pk}/{path}").status_code == 404


@pytest.mark.parametrize("path", ["consent/", "notes/"])
@pytest.mark.parametrize("username", [personas.COMMISSION, personas.ADMIN])
def test_case_work_is_refused_to_roles_without_cases(client_for, cast, username, path):
    case = make_case(cast.ngo_a)
    assert client_for(username).post(f"/cases/{case.pk}/{path}").status_code == 403


def test_case_page_uses_a_bounded_number_of_queries(
    client_for, cast, django_assert_max_num_queries
):
    case = in_assistance(cast)
    client = client_for(personas.NGO_A_SUPERVISOR)
    with django_assert_max_num_queries(60) as few:
        before = page(client, case).context["work"]
    for n in range(5):
        add_note(case, actor=cast.ngo_a, body=f"Note {n}")
        record_service(
            case,
            actor=cast.ngo_a,
            service_type=service("Shelter"),
            started_on=timezone.localdate(),
        )
    refer(case, cast.ngo_a, cast.ngo_b, "Shelter", "Legal")
    with django_assert_max_num_queries(len(few.captured_queries)):
        after = page(client, case).context["work"]
    shown = [(len(w.notes), len(w.services), len(w.referrals)) for w in (before, after)]
    assert shown == [(0, 0, 2), (5, 5, 3)]


def test_the_case_page_reads_the_referrals_and_services_once(client_for, cast):
    """The plan's need forms list the case's referrals and services the page read already
    (cases.selectors.CaseWork.case_rows), with the same choices."""
    case = in_assistance(cast)
    record_service(
        case, actor=cast.ngo_a, service_type=service("Shelter"), started_on=timezone.localdate()
    )
    client = client_for(personas.NGO_A_SUPERVISOR)
    with CaptureQueriesContext(connection) as queries:
        response = page(client, case)
    rows_read = [
        q["sql"].split(",")[0]
        for q in queries
        if q["sql"].startswith(
            ('SELECT "referral_referral"."id"', 'SELECT "cases_servicerecord"."id"')
        )
    ]
    assert sorted(rows_read) == [
        'SELECT "cases_servicerecord"."id"',
        'SELECT "referral_referral"."id"',
    ]
    need_form = response.context["need_form"]
    work = response.context["work"]
    assert [value for value, _ in need_form.fields["referrals"].choices] == [
        str(r.pk) for r in work.referrals
    ]
    assert [value for value, _ in need_form.fields["services"].choices] == [
        str(s.pk) for s in work.services
    ]
    assert work.referrals and work.services
