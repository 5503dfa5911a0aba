"""The case page a caseworker reads: the header (reference, name, stage stepper, status,
consent, reflection end, lead, assignee), the sections with their forms opened on demand, the
reasons given shown to those who may read them, and a closed case that offers only reopen."""

import re

import pytest

from cases.assignment import assign_case
from cases.dispatch import take_transition
from reference.models import MeansOfControl, Nationality, RecruitmentMethod, TraffickerRelationship
from referral.transitions import decline_referral
from tests import personas
from tests.cases.case_page import consented_case, in_assistance, page
from tests.factories import make_case, person_data
from tests.scenarios import case_led_by_ngo_a, refer

CLOSURE_REASON = "Returned home with her family, followed by the IOM office 7c1e"
DECISION_REASON = "Indicators of forced labour confirmed by the inspection 2b9d"
DECLINE_REASON = "No bed free this month 5e0a"


def header(response) -> str:
    body = response.content.decode()
    return body.split('class="case-header', 1)[1].split("</header>", 1)[0]


def test_the_header_names_the_person_and_says_where_the_case_stands(client_for, cast):
    case = make_case(cast.ngo_a, person=person_data(given_name="Nadia", family_name="Bennani"))
    assign_case(case, actor=cast.ngo_a_supervisor, assignee=cast.ngo_a)
    top = header(page(client_for(personas.NGO_A), case))
    assert case.reference in top
    assert "<bdi>Nadia Bennani</bdi>" in top
    assert re.search(r'class="step step-current" aria-current="step">Identification<', top)
    assert top.count('class="step step-next"') == 3
    for fact in ("Presumed victim", "Not recorded or withdrawn", "NGO A", "ngo_a"):
        assert fact in top


def profile(response) -> str:
    body = response.content.decode()
    return body.split('id="profile"', 1)[1].split("</section>", 1)[0]


def fact(section: str, label: str) -> str:
    """The value shown after the label in a facts list."""
    return section.split(f"<dt>{label}</dt><dd>", 1)[1].split("</dd>", 1)[0]


def test_the_profile_shows_the_trafficking_context(client_for, cast):
    case = make_case(
        cast.ngo_a,
        means_of_control=list(MeansOfControl.objects.filter(code__in=["DebtBondage", "Threats"])),
        recruitment_method=RecruitmentMethod.objects.get(code="RecruitmentAgency"),
        trafficker_relationship=TraffickerRelationship.objects.get(code="IntimatePartner"),
        exploitation_country=Nationality.objects.get(code="AE"),
    )
    shown = profile(page(client_for(personas.NGO_A), case))
    assert fact(shown, "Means of control") == "Debt bondage, Threats"
    assert fact(shown, "Method of recruitment") == "Recruitment agency"
    assert fact(shown, "Relationship to the trafficker") == "Intimate partner"
    assert fact(shown, "Country of exploitation") == "United Arab Emirates"


def test_an_unknown_trafficking_context_shows_a_dash(client_for, cast):
    shown = profile(page(client_for(personas.NGO_A), make_case(cast.ngo_a)))
    for label in (
        "Means of control",
        "Method of recruitment",
        "Relationship to the trafficker",
        "Country of exploitation",
    ):
        assert fact(shown, label) == "—", label


def test_the_stepper_follows_the_stage(client_for, cast):
    case = in_assistance(cast)
    top = header(page(client_for(personas.NGO_A), case))
    assert re.search(r'step-past"[^>]*>Identification<', top)
    assert re.search(r'step-current" aria-current="step">Assistance<', top)


def test_a_pending_receiver_sees_no_name_in_the_header(client_for, cast):
    case = consented_case(cast, person=person_data(given_name="Nadia"))
    refer(case, cast.ngo_a, cast.ngo_b, "Shelter")
    response = page(client_for(personas.NGO_B), case)
    assert "Nadia" not in response.content.decode()
    assert case.reference in header(response)


def test_every_form_is_closed_until_asked_for(client_for, cast):
    case = consented_case(cast)
    body = page(client_for(personas.NGO_A_SUPERVISOR), case).content.decode()
    summaries = re.findall(r"<details class=\"action[^\"]*\">\s*<summary>([^<]+)</summary>", body)
    assert summaries == [
        "Assign",
        "Close the case",
        "Record or withdraw consent",
        "Add a need",
        "Set the review date",
        "Assess the risk",
        "Refer",
        "Record a service",
        "Add a note",
        "Add a document",
        "Add a follow-up",
        "Record a proceeding",
    ]
    assert '<details class="action" open' not in body


def test_a_refused_form_comes_back_open_with_what_was_typed(client_for, cast):
    case = consented_case(cast)
    response = client_for(personas.NGO_A).post(
        f"/cases/{case.pk}/notes/", {"note-kind": "medical", "note-body": "   "}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert re.search(r"<details class=\"action no-print\" open>\s*<summary>Add a note<", body)
    assert '<option value="medical" selected>' in body


def test_a_closed_case_offers_no_form_but_reopen(client_for, cast):
    case = case_led_by_ngo_a(cast, stage="closed")
    body = page(client_for(personas.NGO_A_SUPERVISOR), case).content.decode()
    main = body.split('<main id="main">', 1)[1]
    actions = re.findall(r'<form method="post" action="([^"]+)"', main)
    assert actions == [f"/cases/{case.pk}/transitions/reopen/"]
    assert "Correct the record" not in main
    assert "This case is closed" in main


@pytest.fixture
def decided_and_closed(cast):
    case = case_led_by_ngo_a(cast, stage="reintegration")
    take_transition(case, "confirm_status", actor=cast.authority, reason=DECISION_REASON)
    declined = refer(case, cast.ngo_a, cast.ngo_b, "Shelter")
    decline_referral(declined, actor=cast.ngo_b, reason=DECLINE_REASON)
    take_transition(
        case,
        "close",
        actor=cast.ngo_a_supervisor,
        reason=CLOSURE_REASON,
        closure_reason="return_completed",
    )
    return case


def test_the_lead_reads_every_reason_given(client_for, decided_and_closed):
    body = page(client_for(personas.NGO_A), decided_and_closed).content.decode()
    for reason in (CLOSURE_REASON, DECISION_REASON, DECLINE_REASON):
        assert body.count(reason) == 1
    assert "Voluntary return completed" in header_of(body)


def header_of(body: str) -> str:
    return body.split('class="case-header', 1)[1].split("</header>", 1)[0]


def test_the_reasons_stay_with_those_who_hold_the_record(client_for, cast):
    case = case_led_by_ngo_a(cast, stage="assistance")
    take_transition(case, "confirm_status", actor=cast.authority, reason=DECISION_REASON)
    body = page(client_for(personas.HEALTH), case).content.decode()
    assert DECISION_REASON not in body
    assert "Reasons given" not in body


def test_a_supervisors_override_reason_is_shown_to_the_lead(client_for, cast):
    case = in_assistance(cast, consent=False)
    body = page(client_for(personas.NGO_A), case).content.decode()
    assert "Referral without recorded consent" in body
    assert body.count("Urgent medical need") == 2  # one override per referral sent
