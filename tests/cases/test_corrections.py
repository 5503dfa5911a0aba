"""Correcting a record after registration (cases.corrections): the values change, the blind
indexes and derived facts follow, one masked audit entry names the fields, and the duplicate
check runs again. Through the service, the page and the API."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEntry
from cases import identity
from cases.corrections import correct_case
from cases.models import Case, CaseCorrection
from core.errors import InvalidTransition
from duplicates.models import PossibleDuplicate
from reference.models import (
    ExploitationForm,
    Language,
    MeansOfControl,
    Nationality,
    RecruitmentMethod,
    Region,
    TraffickerRelationship,
)
from referral.transitions import accept_referral
from tests import personas
from tests.api.conftest import case_url
from tests.factories import make_case, person_data
from tests.scenarios import case_led_by_ngo_a, consented_case, refer

REASON = "The family name was misheard at the checkpoint; passport seen 12/11"
NEW_FAMILY = "Okonkwo-Élan"


def fresh(case):
    return Case.objects.select_related("person").get(pk=case.pk)


def entries_with(value):
    """Audit entries holding ``value`` anywhere (changes or data)."""
    return [
        e
        for e in AuditEntry.objects.all()
        if value in f"{e.changes} {e.additional_data} {e.object_repr}"
    ]


def test_a_correction_changes_the_value_and_the_blind_indexes(cast):
    case = make_case(cast.ngo_a)
    before = fresh(case).person
    correction = correct_case(
        case, actor=cast.ngo_a, reason=REASON, changes={"family_name": NEW_FAMILY}
    )
    person = fresh(case).person
    assert person.family_name == NEW_FAMILY
    assert person.family_name_index == identity.name_index(NEW_FAMILY)
    assert person.family_name_index != before.family_name_index
    assert person.name_dob_index == identity.name_dob_index(
        family_name=NEW_FAMILY, given_name=person.given_name, date_of_birth=person.date_of_birth
    )
    assert person.name_dob_index != before.name_dob_index
    assert correction.fields == ["family_name"]
    assert correction.reason == REASON


def test_a_correction_writes_one_masked_event_and_never_the_values(cast):
    case = make_case(cast.ngo_a)
    correction = correct_case(
        case, actor=cast.ngo_a, reason=REASON, changes={"family_name": NEW_FAMILY}
    )
    [event] = AuditEntry.objects.filter(additional_data__event="case_corrected")
    assert event.actor == cast.ngo_a
    assert event.additional_data["fields"] == ["family_name"]
    assert event.additional_data["reason_ref"] == f"cases.CaseCorrection:{correction.pk}"
    # The person's own change entry names the field, masked.
    person_change = AuditEntry.objects.filter(
        object_pk=str(case.person_id), action=AuditEntry.Action.UPDATE
    ).get()
    assert person_change.changes["family_name"] == ["[protected]", "[protected]"]
    new_index = fresh(case).person.family_name_index
    for value in (NEW_FAMILY, "misheard", new_index):
        assert entries_with(value) == []


def test_the_history_names_the_fields_never_the_values(cast, client_for):
    case = make_case(cast.ngo_a)
    correct_case(case, actor=cast.ngo_a, reason=REASON, changes={"family_name": NEW_FAMILY})
    page = client_for(personas.NGO_A).get(f"/cases/{case.pk}/").content.decode()
    history = page.split('id="history"', 1)[1]
    assert "Record corrected" in history
    assert "Family name" in history
    assert "family_name" not in history
    assert NEW_FAMILY not in history
    assert "misheard" not in page


def test_the_history_names_the_context_fields_never_their_values(cast, client_for):
    case = make_case(cast.ngo_a)
    correct_case(case, actor=cast.ngo_a, reason=REASON, changes=context_changes())
    page = client_for(personas.NGO_A).get(f"/cases/{case.pk}/").content.decode()
    history = page.split('id="history"', 1)[1]
    for label in (
        "Means of control",
        "Method of recruitment",
        "Relationship to the trafficker",
        "Country of exploitation",
    ):
        assert label in history
    for value in ("Sold by family", "Libya", "SoldByFamily"):
        assert value not in history


def test_nothing_changed_writes_nothing(cast):
    case = make_case(cast.ngo_a)
    person = fresh(case).person
    entries = AuditEntry.objects.count()
    result = correct_case(
        case, actor=cast.ngo_a, reason="", changes={"family_name": f"  {person.family_name} "}
    )
    assert result is None
    assert AuditEntry.objects.count() == entries
    assert not CaseCorrection.objects.exists()


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_correction_needs_a_reason(cast, reason):
    case = make_case(cast.ngo_a)
    with pytest.raises(ValidationError) as refused:
        correct_case(case, actor=cast.ngo_a, reason=reason, changes={"family_name": NEW_FAMILY})
    assert "change_reason" in refused.value.message_dict
    assert fresh(case).person.family_name != NEW_FAMILY


def test_the_registering_and_the_lead_correct_a_receiver_does_not(cast):
    case = case_led_by_ngo_a(cast, stage="assistance")
    with pytest.raises(PermissionDenied):
        correct_case(case, actor=cast.health, reason=REASON, changes={"family_name": "X"})
    correct_case(case, actor=cast.ngo_a, reason=REASON, changes={"family_name": "Y"})
    assert fresh(case).person.family_name == "Y"


def test_after_a_lead_transfer_both_registering_and_lead_correct(cast):
    case = consented_case(cast, personas.POLICE)
    accept_referral(refer(case, cast.police, "NGO A", transfers_lead=True), actor=cast.ngo_a)
    correct_case(case, actor=cast.police, reason=REASON, changes={"phone": "+212611111111"})
    correct_case(case, actor=cast.ngo_a, reason=REASON, changes={"address": "Rabat"})
    person = fresh(case).person
    assert (person.phone, person.address) == ("+212611111111", "Rabat")


def test_a_closed_case_is_not_corrected(cast):
    case = case_led_by_ngo_a(cast, stage="closed")
    with pytest.raises(InvalidTransition):
        correct_case(case, actor=cast.ngo_a, reason=REASON, changes={"family_name": "Z"})


def test_the_profile_fields_change(cast):
    case = make_case(cast.ngo_a)
    languages = list(Language.objects.filter(code__in=["ary", "fr"]))
    correct_case(
        case,
        actor=cast.ngo_a,
        reason=REASON,
        changes={
            "sex": "male",
            "region": Region.objects.get(code="MA-01"),
            "exploitation_forms": [ExploitationForm.objects.get(code="Servitude")],
            "languages": languages,
            "interpreter_needed": True,
            "summary": "Corrected summary",
        },
    )
    case = fresh(case)
    assert (case.sex, case.region_id, case.interpreter_needed, case.summary) == (
        "male",
        "MA-01",
        True,
        "Corrected summary",
    )
    assert [f.pk for f in case.exploitation_forms.all()] == ["Servitude"]
    assert sorted(language.pk for language in case.languages.all()) == ["ary", "fr"]
    [correction] = CaseCorrection.objects.all()
    assert correction.fields == [
        "exploitation_forms",
        "interpreter_needed",
        "languages",
        "region",
        "sex",
        "summary",
    ]


def context_changes():
    return {
        "means_of_control": list(MeansOfControl.objects.filter(code__in=["Threats", "Other"])),
        "recruitment_method": RecruitmentMethod.objects.get(code="SoldByFamily"),
        "trafficker_relationship": TraffickerRelationship.objects.get(code="Family"),
        "exploitation_country": Nationality.objects.get(code="LY"),
    }


def test_the_trafficking_context_changes_and_is_named_in_the_correction(cast):
    case = make_case(cast.ngo_a)
    correct_case(case, actor=cast.ngo_a, reason=REASON, changes=context_changes())
    case = fresh(case)
    assert sorted(m.pk for m in case.means_of_control.all()) == ["Other", "Threats"]
    assert (
        case.recruitment_method_id,
        case.trafficker_relationship_id,
        case.exploitation_country_id,
    ) == ("SoldByFamily", "Family", "LY")
    [correction] = CaseCorrection.objects.all()
    assert correction.fields == [
        "exploitation_country",
        "means_of_control",
        "recruitment_method",
        "trafficker_relationship",
    ]
    [event] = AuditEntry.objects.filter(additional_data__event="case_corrected")
    assert event.additional_data["fields"] == correction.fields


def test_the_trafficking_context_is_cleared_and_the_same_values_change_nothing(cast):
    case = make_case(cast.ngo_a)
    correct_case(case, actor=cast.ngo_a, reason=REASON, changes=context_changes())
    assert correct_case(case, actor=cast.ngo_a, reason=REASON, changes=context_changes()) is None
    correct_case(
        case,
        actor=cast.ngo_a,
        reason=REASON,
        changes={
            "means_of_control": [],
            "recruitment_method": None,
            "trafficker_relationship": None,
            "exploitation_country": None,
        },
    )
    case = fresh(case)
    assert not case.means_of_control.exists()
    assert (case.recruitment_method, case.trafficker_relationship) == (None, None)
    assert case.exploitation_country is None
    assert CaseCorrection.objects.count() == 2


def test_a_child_by_the_new_date_of_birth_becomes_a_child(cast):
    case = make_case(cast.ngo_a)
    assert not case.is_child
    correct_case(
        case,
        actor=cast.ngo_a,
        reason=REASON,
        changes={"date_of_birth": datetime.date(2012, 3, 4)},
    )
    case = fresh(case)
    assert case.is_child
    assert case.age_group == "9-17"
    assert case.person.date_of_birth_index == identity.date_of_birth_index(
        datetime.date(2012, 3, 4)
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"date_of_birth": datetime.date(2026, 11, 20)}, "date_of_birth"),  # after identification
        ({"date_of_birth": datetime.date(1899, 12, 31)}, "date_of_birth"),
        ({"date_of_birth": datetime.date(2090, 1, 1)}, "date_of_birth"),
        ({"is_child": True}, "is_child"),  # an adult by the date of birth
        ({"given_name": "  "}, "given_name"),
        ({"exploitation_forms": []}, "exploitation_forms"),
        ({"sex": "robot"}, "sex"),
        ({"nickname": "x"}, "nickname"),
    ],
    ids=["dob-after-id", "dob-1899", "dob-future", "child-adult", "no-name", "no-form", "sex", "x"],
)
def test_values_that_make_no_sense_are_refused(cast, changes, field):
    case = make_case(cast.ngo_a)
    with pytest.raises(ValidationError) as refused:
        correct_case(case, actor=cast.ngo_a, reason=REASON, changes=changes)
    assert field in refused.value.message_dict
    assert not CaseCorrection.objects.exists()


def test_the_duplicate_check_follows_the_new_values(cast):
    mine = make_case(cast.ngo_a, person=person_data(document_number="MINE-1"))
    theirs = make_case(cast.ngo_b, person=person_data(document_number="THEIRS-9"))
    case = make_case(cast.ngo_a)
    # A case NGO A sees with identity: shown, and the flag follows.
    correct_case(case, actor=cast.ngo_a, reason=REASON, changes={"document_number": "mine 1"})
    shown = PossibleDuplicate.objects.get(case=case)
    assert (shown.other_case, shown.shown_to_registrant) == (mine, True)
    assert fresh(case).possible_duplicate
    # A case NGO A cannot see: for the coordinator, nothing shown.
    other = make_case(cast.ngo_a)
    correct_case(other, actor=cast.ngo_a, reason=REASON, changes={"document_number": "THEIRS-9"})
    hidden = PossibleDuplicate.objects.get(case=other)
    assert (hidden.other_case, hidden.shown_to_registrant) == (theirs, False)
    assert not fresh(other).possible_duplicate
    # Correcting again to the same value adds no second pair.
    correct_case(other, actor=cast.ngo_a, reason=REASON, changes={"phone": "+212600000001"})
    correct_case(other, actor=cast.ngo_a, reason=REASON, changes={"document_number": "X-1"})
    correct_case(other, actor=cast.ngo_a, reason=REASON, changes={"document_number": "THEIRS-9"})
    assert PossibleDuplicate.objects.filter(case=other).count() == 1


# --- The page ----------------------------------------------------------------------------------


def test_the_case_page_offers_the_correction_to_those_who_may(cast, client_for):
    case = case_led_by_ngo_a(cast, stage="assistance")
    link = f'href="/cases/{case.pk}/correct/"'
    assert link in client_for(personas.NGO_A).get(f"/cases/{case.pk}/").content.decode()
    assert link not in client_for(personas.HEALTH).get(f"/cases/{case.pk}/").content.decode()
    assert client_for(personas.HEALTH).get(f"/cases/{case.pk}/correct/").status_code == 403
    assert client_for(personas.NGO_B).get(f"/cases/{case.pk}/correct/").status_code == 404


def _form_of(case, **overrides):
    person = fresh(case).person
    data = {
        "given_name": person.given_name,
        "family_name": person.family_name,
        "date_of_birth": person.date_of_birth.isoformat(),
        "sex": case.sex,
        "nationality": case.nationality_id,
        "document_number": person.document_number,
        "phone": person.phone,
        "address": person.address,
        "region": case.region_id,
        "exploitation_forms": [f.pk for f in case.exploitation_forms.all()],
        "summary": fresh(case).summary,
        "change_reason": REASON,
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_the_form_shows_the_record_and_saves_the_correction(cast, client_for):
    case = make_case(cast.ngo_a)
    client = client_for(personas.NGO_A)
    form = client.get(f"/cases/{case.pk}/correct/")
    assert form.status_code == 200
    assert fresh(case).person.given_name in form.content.decode()
    assert "no-store" in form["Cache-Control"]
    response = client.post(f"/cases/{case.pk}/correct/", _form_of(case, family_name=NEW_FAMILY))
    assert response.status_code == 302
    assert fresh(case).person.family_name == NEW_FAMILY
    assert CaseCorrection.objects.get().fields == ["family_name"]


def test_the_form_shows_and_corrects_the_trafficking_context(cast, client_for):
    case = make_case(cast.ngo_a, recruitment_method=RecruitmentMethod.objects.get(code="Internet"))
    client = client_for(personas.NGO_A)
    form = client.get(f"/cases/{case.pk}/correct/").context["form"]
    assert form["recruitment_method"].value() == "Internet"
    response = client.post(
        f"/cases/{case.pk}/correct/",
        _form_of(
            case,
            means_of_control=["DebtBondage", "ThreatsToFamily"],
            recruitment_method="Advertisement",
            trafficker_relationship="Recruiter",
            exploitation_country="SA",
        ),
    )
    assert response.status_code == 302
    case = fresh(case)
    assert sorted(m.pk for m in case.means_of_control.all()) == ["DebtBondage", "ThreatsToFamily"]
    assert (
        case.recruitment_method_id,
        case.trafficker_relationship_id,
        case.exploitation_country_id,
    ) == ("Advertisement", "Recruiter", "SA")


@pytest.mark.parametrize(
    "change",
    [
        {"means_of_control": ["Juggling"]},
        {"recruitment_method": "Pigeon"},
        {"trafficker_relationship": "Threats"},
        {"exploitation_country": "XX"},
    ],
    ids=lambda change: next(iter(change)),
)
def test_the_form_refuses_an_unknown_context_code(cast, client_for, change):
    case = make_case(cast.ngo_a)
    response = client_for(personas.NGO_A).post(
        f"/cases/{case.pk}/correct/", _form_of(case, family_name=NEW_FAMILY, **change)
    )
    assert response.status_code == 400
    assert list(response.context["form"].errors) == list(change)
    assert not CaseCorrection.objects.exists()
    assert fresh(case).person.family_name != NEW_FAMILY


def test_a_refused_correction_keeps_what_was_typed(cast, client_for):
    case = make_case(cast.ngo_a)
    response = client_for(personas.NGO_A).post(
        f"/cases/{case.pk}/correct/",
        _form_of(case, family_name=NEW_FAMILY, date_of_birth="2026-11-30"),
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "cannot be after the identification date" in body
    assert NEW_FAMILY in body
    assert fresh(case).person.family_name != NEW_FAMILY


# --- The API -----------------------------------------------------------------------------------


def patch(client, path, body):
    return client.patch(path, body, content_type="application/json")


def test_the_api_corrects_profile_and_identity(cast, api_for):
    case = make_case(cast.ngo_a)
    response = patch(
        api_for(personas.NGO_A),
        case_url(case),
        {
            "person": {"family_name": NEW_FAMILY, "sex": "other"},
            "languages": ["ary"],
            "interpreter_needed": True,
            "change_reason": REASON,
        },
    )
    body = response.json()
    assert response.status_code == 200
    assert body["person"]["family_name"] == NEW_FAMILY
    assert (body["sex"], body["languages"], body["interpreter_needed"]) == ("other", ["ary"], True)
    assert CaseCorrection.objects.get().fields == [
        "family_name",
        "interpreter_needed",
        "languages",
        "sex",
    ]


def test_the_api_corrects_the_trafficking_context(cast, api_for):
    case = make_case(cast.ngo_a)
    client = api_for(personas.NGO_A)
    body = {
        "means_of_control": ["PhysicalAbuse", "Threats"],
        "recruitment_method": "Abduction",
        "trafficker_relationship": "Stranger",
        "exploitation_country": "DZ",
        "change_reason": REASON,
    }
    response = patch(client, case_url(case), body)
    data = response.json()
    assert response.status_code == 200
    assert data["means_of_control"] == ["PhysicalAbuse", "Threats"]
    assert (
        data["recruitment_method"],
        data["trafficker_relationship"],
        data["exploitation_country"],
    ) == ("Abduction", "Stranger", "DZ")
    # Only what is given changes; null clears.
    response = patch(client, case_url(case), {"recruitment_method": None, "change_reason": REASON})
    data = response.json()
    assert (data["recruitment_method"], data["trafficker_relationship"]) == (None, "Stranger")
    assert [c.fields for c in CaseCorrection.objects.order_by("at")] == [
        [
            "exploitation_country",
            "means_of_control",
            "recruitment_method",
            "trafficker_relationship",
        ],
        ["recruitment_method"],
    ]


def test_the_person_endpoint_corrects_identity(cast, api_for):
    case = make_case(cast.ngo_a)
    response = patch(
        api_for(personas.NGO_A),
        case_url(case, "person"),
        {"given_name": "Amal", "change_reason": REASON},
    )
    assert response.status_code == 200
    assert response.json()["person"]["given_name"] == "Amal"
    assert fresh(case).person.given_name_index == identity.name_index("amal")


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"person": {"family_name": "X"}}, {"change_reason"}),
        ({"person": {"date_of_birth": "2026-11-30"}, "change_reason": REASON}, {"person"}),
        ({"person": {"given_name": "x" * 201}, "change_reason": REASON}, {"person"}),
        ({"region": "MA-99", "change_reason": REASON}, {"region"}),
        ({"exploitation_forms": [], "change_reason": REASON}, {"exploitation_forms"}),
        ({"languages": ["xx"], "change_reason": REASON}, {"languages"}),
        ({"is_child": True, "change_reason": REASON}, {"is_child"}),
        ({"means_of_control": ["Juggling"], "change_reason": REASON}, {"means_of_control"}),
        ({"means_of_control": "Threats", "change_reason": REASON}, {"means_of_control"}),
        ({"recruitment_method": "Pigeon", "change_reason": REASON}, {"recruitment_method"}),
        (
            {"trafficker_relationship": "Neighbour", "change_reason": REASON},
            {"trafficker_relationship"},
        ),
        ({"exploitation_country": "XX", "change_reason": REASON}, {"exploitation_country"}),
        (
            {"exploitation_country": "XX", "region": "MA-01", "change_reason": REASON},
            {"exploitation_country"},
        ),
    ],
    ids=[
        "no-reason",
        "dob",
        "long-name",
        "region",
        "forms",
        "language",
        "child",
        "means",
        "means-not-a-list",
        "recruitment",
        "relationship",
        "country",
        "country-and-a-good-region",
    ],
)
def test_the_api_refuses_bad_corrections_with_field_errors(cast, api_for, body, errors):
    case = make_case(cast.ngo_a)
    response = patch(api_for(personas.NGO_A), case_url(case), body)
    assert response.status_code == 400
    assert set(response.json()["errors"]) >= errors
    assert not CaseCorrection.objects.exists()


def test_the_api_answers_403_404_and_409_as_the_page_does(cast, api_for):
    case = case_led_by_ngo_a(cast, stage="assistance")
    body = {"person": {"family_name": "X"}, "change_reason": REASON}
    assert patch(api_for(personas.HEALTH), case_url(case), body).status_code == 403
    assert patch(api_for(personas.NGO_B), case_url(case), body).status_code == 404
    closed = case_led_by_ngo_a(cast, stage="closed")
    assert patch(api_for(personas.NGO_A), case_url(closed), body).status_code == 409
