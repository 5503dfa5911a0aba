import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from api.serializers import PERSON_FIELDS
from audit.models import AuditEntry
from cases.models import Case, Person
from reference.models import (
    ExploitationForm,
    MeansOfControl,
    RecruitmentMethod,
    TraffickerRelationship,
)
from tests import personas
from tests.api.conftest import post_json, valid_body
from tests.factories import make_case, person_data

CASES = "/api/v1/cases/"
FRONTLINE = [personas.POLICE, personas.HEALTH, personas.NGO_A, personas.NGO_A_SUPERVISOR]
# The trafficking context (HTCDS 2.0 codes), given in any order, a code twice.
CONTEXT = {
    "means_of_control": ["WithholdsDocuments", "DebtBondage", "WithholdsDocuments"],
    "recruitment_method": "Internet",
    "trafficker_relationship": "Employer",
    "exploitation_country": "MA",
}


@pytest.mark.parametrize("username", FRONTLINE)
def test_frontline_roles_register_a_case(api_for, cast, username):
    response = post_json(api_for(username), CASES, valid_body(**CONTEXT))
    body = response.json()
    case = Case.objects.get()
    organisation = cast[username].organisation.pk
    assert response.status_code == 201
    assert body == {
        "id": str(case.pk),
        "reference": case.reference,
        "stage": "identification",
        "trafficking_status": "presumed",
        "sex": "female",
        "nationality": "NG",
        "age_group": case.age_group,
        "is_child": False,
        "region": "MA-06",
        "exploitation_forms": ["SexualExploitation"],
        "languages": [],
        "interpreter_needed": False,
        "means_of_control": ["DebtBondage", "WithholdsDocuments"],
        "recruitment_method": "Internet",
        "trafficker_relationship": "Employer",
        "exploitation_country": "MA",
        "risk_level": None,
        "display_name": "Amina Doe",
        "assigned_to": None,
        "identified_on": valid_body()["identified_on"],
        "lead_organisation": organisation,
        "registering_organisation": organisation,
        "possible_duplicate": False,
        "created_at": body["created_at"],
        "person": {
            "given_name": "Amina",
            "family_name": "Doe",
            "date_of_birth": "2001-04-03",
            "phone": "+212600000000",
            "address": "Derb Sultan",
            "document_number": "A1234567",
        },
        "summary": "Found at a checkpoint.",
        "referral_consent": False,
        "statistics_consent": False,
        "reflection_period_ends_on": None,
        "closure_reason": None,
        # Only a supervisor of the lead organisation may close; nothing else applies yet.
        "available_transitions": ["close"] if username == personas.NGO_A_SUPERVISOR else [],
    }
    assert case.person.given_name == "Amina"
    assert case.reference == f"MA-{timezone.localdate().year}-000001"


@pytest.mark.parametrize(
    ("username", "status"),
    [(personas.AUTHORITY, 403), (personas.COMMISSION, 403), (personas.ADMIN, 403)],
)
def test_non_frontline_roles_cannot_register(api_for, username, status):
    response = post_json(api_for(username), CASES, valid_body())
    assert response.status_code == status
    assert list(response.json()) == ["detail"]
    assert Case.objects.count() == 0


@pytest.mark.parametrize("username", [personas.AUTHORITY, personas.COMMISSION])
def test_403_comes_before_400(api_for, username):
    response = post_json(api_for(username), CASES, {"person": "nonsense"})
    assert response.status_code == 403


def test_minimal_body_registers_with_empty_optional_fields(api_for):
    body = {
        "person": {"given_name": "Alias", "sex": "unknown"},
        "identified_on": timezone.localdate().isoformat(),
        "region": "MA-01",
        "exploitation_forms": ["ForcedLabour", "ForcedLabour"],
    }
    response = post_json(api_for(personas.POLICE), CASES, body)
    data = response.json()
    assert response.status_code == 201
    assert data["person"] == {
        "given_name": "Alias",
        "family_name": "",
        "date_of_birth": None,
        "phone": "",
        "address": "",
        "document_number": "",
    }
    assert (data["nationality"], data["summary"], data["age_group"]) == (None, "", "unknown")
    assert data["exploitation_forms"] == ["ForcedLabour"]


def test_null_optional_fields_are_empty(api_for):
    body = valid_body(
        person={"family_name": None, "nationality": None, "date_of_birth": None, "phone": None},
        summary=None,
    )
    response = post_json(api_for(personas.POLICE), CASES, body)
    assert response.status_code == 201
    assert response.json()["person"]["family_name"] == ""


def test_state_fields_in_the_body_are_ignored(api_for):
    body = valid_body(stage="closed", trafficking_status="confirmed", lead_organisation=999)
    data = post_json(api_for(personas.NGO_A), CASES, body).json()
    assert (data["stage"], data["trafficking_status"]) == ("identification", "presumed")
    assert data["lead_organisation"] != 999


def test_child_by_date_of_birth_is_flagged(api_for):
    birth = timezone.localdate() - datetime.timedelta(days=3660)
    body = valid_body(person={"date_of_birth": birth.isoformat()})
    data = post_json(api_for(personas.NGO_A), CASES, body).json()
    assert data["is_child"] is True


def test_possible_duplicate_is_flagged_for_a_case_the_caller_already_sees(api_for, cast):
    make_case(
        cast.police,
        person=person_data(
            given_name="Amina", family_name="Doe", date_of_birth=datetime.date(2001, 4, 3)
        ),
    )
    data = post_json(api_for(personas.POLICE), CASES, valid_body()).json()
    assert data["possible_duplicate"] is True


def test_create_audit_entries_name_the_token_user(api_for, cast):
    response = post_json(api_for(personas.POLICE), CASES, valid_body())
    case = Case.objects.get(pk=response.json()["id"])
    entries = AuditEntry.objects.filter(action=AuditEntry.Action.CREATE).filter(
        content_type__in=ContentType.objects.get_for_models(Case, Person).values(),
        object_pk__in=[str(case.pk), str(case.person_id)],
    )
    assert sorted(e.content_type.model for e in entries) == ["case", "person"]
    assert {e.actor for e in entries} == {cast.police}


TOO_LONG = "x" * 201
FUTURE = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()


@pytest.mark.parametrize(
    ("changes", "errors_at"),
    [
        ({"person": {"given_name": ""}}, ("person", "given_name")),
        ({"person": {"given_name": "   "}}, ("person", "given_name")),
        ({"person": {"given_name": None}}, ("person", "given_name")),
        ({"person": {"given_name": TOO_LONG}}, ("person", "given_name")),
        ({"person": {"given_name": ["Amina"]}}, ("person", "given_name")),
        ({"person": {"given_name": 1e308}}, ("person", "given_name")),
        ({"person": {"given_name": True}}, ("person", "given_name")),
        ({"person": {"phone": 212600000000}}, ("person", "phone")),
        ({"person": {"document_number": 1234567}}, ("person", "document_number")),
        ({"region": 6}, ("region",)),
        ({"person": {"family_name": TOO_LONG}}, ("person", "family_name")),
        ({"person": {"phone": "1" * 51}}, ("person", "phone")),
        ({"person": {"address": "a" * 501}}, ("person", "address")),
        ({"person": {"document_number": "D" * 101}}, ("person", "document_number")),
        ({"person": {"sex": "robot"}}, ("person", "sex")),
        ({"person": {"sex": None}}, ("person", "sex")),
        ({"person": {"nationality": "XX"}}, ("person", "nationality")),
        ({"person": {"nationality": "N" * 5000}}, ("person", "nationality")),
        ({"person": {"nationality": {"code": "NG"}}}, ("person", "nationality")),
        ({"person": {"date_of_birth": FUTURE}}, ("person", "date_of_birth")),
        ({"person": {"date_of_birth": "03/04/2001"}}, ("person", "date_of_birth")),
        ({"person": {"date_of_birth": 20010403}}, ("person", "date_of_birth")),
        ({"person": "Amina"}, ("person", "non_field_errors")),
        ({"person": None}, ("person",)),
        ({"identified_on": FUTURE}, ("identified_on",)),
        ({"identified_on": "2026-02-30"}, ("identified_on",)),
        ({"identified_on": None}, ("identified_on",)),
        ({"region": "MA-99"}, ("region",)),
        ({"region": ""}, ("region",)),
        ({"region": ["MA-06"]}, ("region",)),
        ({"exploitation_forms": []}, ("exploitation_forms",)),
        ({"exploitation_forms": ["Juggling"]}, ("exploitation_forms",)),
        ({"exploitation_forms": "ForcedLabour"}, ("exploitation_forms",)),
        ({"exploitation_forms": [1, 2]}, ("exploitation_forms",)),
        ({"exploitation_forms": [None]}, ("exploitation_forms",)),
        ({"exploitation_forms": ["x" * 41]}, ("exploitation_forms",)),
        ({"exploitation_forms": ["ForcedLabour"] * 21}, ("exploitation_forms",)),
        ({"exploitation_forms": None}, ("exploitation_forms",)),
        ({"is_child": "maybe"}, ("is_child",)),
        ({"summary": "s" * 10001}, ("summary",)),
        ({"summary": {"text": "x"}}, ("summary",)),
        ({"means_of_control": ["Juggling"]}, ("means_of_control",)),
        ({"means_of_control": ["Threats", "Juggling"]}, ("means_of_control",)),
        ({"means_of_control": "Threats"}, ("means_of_control",)),
        ({"means_of_control": [None]}, ("means_of_control",)),
        ({"means_of_control": ["Threats"] * 21}, ("means_of_control",)),
        ({"recruitment_method": "Pigeon"}, ("recruitment_method",)),
        ({"recruitment_method": ["Internet"]}, ("recruitment_method",)),
        ({"recruitment_method": "Threats"}, ("recruitment_method",)),  # another vocabulary's
        ({"trafficker_relationship": "Neighbour"}, ("trafficker_relationship",)),
        ({"trafficker_relationship": 7}, ("trafficker_relationship",)),
        ({"exploitation_country": "XX"}, ("exploitation_country",)),
        ({"exploitation_country": "ma"}, ("exploitation_country",)),
        ({"exploitation_country": "M" * 5000}, ("exploitation_country",)),
    ],
)
def test_invalid_input_is_400_with_errors_at_the_field(api_for, changes, errors_at):
    response = post_json(api_for(personas.POLICE), CASES, valid_body(**changes))
    errors = response.json()["errors"]
    assert response.status_code == 400
    assert list(response.json()) == ["errors"]
    for key in errors_at:
        errors = errors[key]
    assert isinstance(errors, list)
    assert all(isinstance(message, str) for message in errors)
    assert Case.objects.count() == 0


@pytest.mark.parametrize("missing", ["person", "identified_on", "region", "exploitation_forms"])
def test_required_fields_missing_are_400(api_for, missing):
    body = valid_body()
    del body[missing]
    response = post_json(api_for(personas.POLICE), CASES, body)
    assert response.status_code == 400
    assert response.json() == {"errors": {missing: ["This field is required."]}}


def test_nested_person_errors_have_the_documented_shape(api_for):
    body = valid_body(person={"given_name": "", "sex": "robot"})
    response = post_json(api_for(personas.POLICE), CASES, body)
    assert response.json() == {
        "errors": {
            "person": {
                "given_name": ["This field may not be blank."],
                "sex": ['"robot" is not a valid choice.'],
            }
        }
    }


def test_several_errors_are_reported_together(api_for):
    body = valid_body(region="MA-99", exploitation_forms=["Juggling", "ForcedLabour", "Nope"])
    errors = post_json(api_for(personas.POLICE), CASES, body).json()["errors"]
    assert errors == {
        "region": ["Unknown code: MA-99."],
        "exploitation_forms": ["Unknown code: Juggling, Nope."],
    }


def test_service_rule_errors_land_under_person(api_for):
    body = valid_body(person={"date_of_birth": FUTURE}, identified_on=FUTURE)
    errors = post_json(api_for(personas.POLICE), CASES, body).json()["errors"]
    assert set(errors) == {"person", "identified_on"}
    assert list(errors["person"]) == ["date_of_birth"]


def test_inactive_reference_codes_are_refused(api_for):

    ExploitationForm.objects.filter(code="Other").update(active=False)
    body = valid_body(exploitation_forms=["Other"])
    response = post_json(api_for(personas.POLICE), CASES, body)
    assert response.json() == {"errors": {"exploitation_forms": ["Unknown code: Other."]}}


@pytest.mark.parametrize("body", ["[]", "[1, 2]", '"text"', "42", "null", "true"])
def test_body_that_is_not_an_object_is_400_non_field_errors(api_for, body):
    response = api_for(personas.POLICE).post(CASES, body, content_type="application/json")
    errors = response.json()["errors"]
    assert response.status_code == 400
    assert list(errors) == ["non_field_errors"]
    assert len(errors["non_field_errors"]) == 1


@pytest.mark.parametrize(
    "body",
    [
        "{not json",
        '{"person": ',
        "{'single': 'quotes'}",
        '{"a": NaN}',
        '{"a": Infinity}',
        "[" * 100_000 + "]" * 100_000,
        '{"person": {"given_name": "\\ud800", "sex": "female"}}',
        '{"person": {"sex": "\\udfff"}}',
        '{"n": ' + "9" * 5000 + "}",
        b"\xff\xfe\x00garbage",
    ],
)
def test_malformed_json_is_400_non_field_errors(api_for, body):
    response = api_for(personas.POLICE).post(CASES, body, content_type="application/json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["non_field_errors"]
    assert Case.objects.count() == 0


def test_empty_body_is_400_listing_the_required_fields(api_for):
    response = api_for(personas.POLICE).post(CASES, "", content_type="application/json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {
        "person",
        "identified_on",
        "region",
        "exploitation_forms",
    }


def test_a_body_that_is_not_json_is_415(api_for):
    response = api_for(personas.POLICE).post(CASES, {"given_name": "x"})
    assert response.status_code == 415
    assert list(response.json()) == ["detail"]


@pytest.mark.parametrize(
    "value", ["\x00", "Amina\x00", "x" * 1_000_000, "🙂" * 200, "ﺃﻣﻴﻨﺔ", "<script>", "' OR 1=1 --"]
)
def test_odd_names_never_500(api_for, value):
    body = valid_body(person={"given_name": value, "family_name": value})
    response = post_json(api_for(personas.POLICE), CASES, body)
    assert response.status_code in (201, 400)
    if response.status_code == 201:
        assert response.json()["person"]["given_name"] == value.strip()


@pytest.mark.parametrize(
    ("person", "case", "field"),
    [
        ({"date_of_birth": "2026-11-21"}, {"identified_on": "2026-11-20"}, "date_of_birth"),
        ({"date_of_birth": "1899-12-31"}, {}, "date_of_birth"),
        ({}, {"identified_on": "1999-12-31"}, "identified_on"),
        ({}, {"is_child": True}, "is_child"),
    ],
    ids=["dob-after-identification", "dob-1899", "identified-1999", "child-but-adult"],
)
def test_dates_that_make_no_sense_are_refused(api_for, cast, person, case, field):
    body = valid_body(**case)
    body["person"].update(person)
    response = post_json(api_for(personas.NGO_A), CASES, body)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert field in (errors.get("person", {}) if field in PERSON_FIELDS else errors)
    assert not Case.objects.exists()


def test_languages_and_the_interpreter_are_registered(api_for, cast):
    body = valid_body(languages=["ary", "fr"], interpreter_needed=True)
    response = post_json(api_for(personas.NGO_A), CASES, body)
    assert response.status_code == 201
    assert (response.json()["languages"], response.json()["interpreter_needed"]) == (
        ["ary", "fr"],
        True,
    )


def test_the_trafficking_context_is_optional_and_empty_by_default(api_for):
    response = post_json(api_for(personas.NGO_A), CASES, valid_body())
    data = response.json()
    case = Case.objects.get()
    assert response.status_code == 201
    assert [data[name] for name in CONTEXT] == [[], None, None, None]
    assert list(case.means_of_control.all()) == []
    assert (
        case.recruitment_method,
        case.trafficker_relationship,
        case.exploitation_country,
    ) == (None, None, None)


def test_a_null_or_blank_context_code_is_not_known(api_for):
    body = valid_body(
        means_of_control=[],
        recruitment_method=None,
        trafficker_relationship="",
        exploitation_country=None,
    )
    response = post_json(api_for(personas.NGO_A), CASES, body)
    assert response.status_code == 201
    assert [response.json()[name] for name in CONTEXT] == [[], None, None, None]


def test_the_trafficking_context_is_stored_as_its_codes(api_for):
    post_json(api_for(personas.NGO_A), CASES, valid_body(**CONTEXT))
    case = Case.objects.get()
    assert sorted(case.means_of_control.values_list("code", flat=True)) == [
        "DebtBondage",
        "WithholdsDocuments",
    ]
    assert (
        case.recruitment_method_id,
        case.trafficker_relationship_id,
        case.exploitation_country_id,
    ) == ("Internet", "Employer", "MA")
    detail = api_for(personas.NGO_A).get(f"{CASES}{case.pk}/").json()
    assert detail["means_of_control"] == ["DebtBondage", "WithholdsDocuments"]
    assert detail["exploitation_country"] == "MA"


@pytest.mark.parametrize(
    ("model", "field", "value"),
    [
        (MeansOfControl, "means_of_control", ["Threats"]),
        (RecruitmentMethod, "recruitment_method", "Internet"),
        (TraffickerRelationship, "trafficker_relationship", "Employer"),
    ],
)
def test_an_inactive_context_code_is_refused(api_for, model, field, value):
    code = value[0] if isinstance(value, list) else value
    model.objects.filter(code=code).update(active=False)
    response = post_json(api_for(personas.NGO_A), CASES, valid_body(**{field: value}))
    assert response.status_code == 400
    assert response.json() == {"errors": {field: [f"Unknown code: {code}."]}}
    assert not Case.objects.exists()
